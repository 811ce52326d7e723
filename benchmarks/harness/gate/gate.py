"""The regression gate: compare deterministic measurements with committed baselines.

Baselines are plain JSON files in ``results/baselines/``, one per stage, each
``{metric: {"value", "unit", "tolerance", "better": "lower" | "higher" | "equal"}}``.
``tolerance`` is relative (0.05 = 5 % worse is still fine); for a baseline of 0 it is absolute.
``equal`` is for a count with no better side (series found in a seeded tree: fewer means shows
merged, more means shows split): a move either way beyond the tolerance is a regression. Only
deterministic measures belong here (counters, memray peak heap, accuracy, instruction counts): on
these shared machines wall time moves +-30 % between runs of identical code, so it is never
compared with a stored number.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from benchmarks.harness.paths import BASELINE_DIR
from core.errors import BenchError

BETTER = ("lower", "higher", "equal")


@dataclass(frozen=True, slots=True)
class Baseline:
    metric: str
    value: float
    unit: str
    tolerance: float
    better: str

    @property
    def slack(self) -> float:
        return self.tolerance * abs(self.value) if self.value else self.tolerance

    def allowed(self) -> float:
        """The worst value that still passes (for ``equal``, the upper one)."""
        return self.value - self.slack if self.better == "higher" else self.value + self.slack

    def passes(self, now: float) -> bool:
        if self.better == "equal":
            return abs(now - self.value) <= self.slack
        return now <= self.allowed() if self.better == "lower" else now >= self.allowed()


@dataclass(slots=True)
class Comparison:
    metric: str
    baseline: float | None
    now: float | None
    unit: str
    tolerance: float | None
    status: str  # ok | regressed | improved | not measured | new

    @property
    def ratio(self) -> float | None:
        if self.baseline in (None, 0) or self.now is None:
            return None
        return self.now / self.baseline


@dataclass(slots=True)
class GateReport:
    comparisons: list[Comparison] = field(default_factory=list)

    @property
    def regressions(self) -> list[Comparison]:
        return [c for c in self.comparisons if c.status == "regressed"]

    def lines(self) -> list[str]:
        out = []
        for c in self.comparisons:
            if c.status == "not measured":
                continue
            ratio = f"{c.ratio:.3f}" if c.ratio is not None else "-"
            tol = f"{c.tolerance:g}" if c.tolerance is not None else "-"
            out.append(
                f"{c.status.upper():12} {c.metric}: baseline {_fmt(c.baseline)} {c.unit}, "
                f"now {_fmt(c.now)}, ratio {ratio}, tolerance {tol}"
            )
        verdict = f"{len(self.regressions)} regression(s)" if self.regressions else "no regressions"
        measured = sum(c.now is not None and c.baseline is not None for c in self.comparisons)
        skipped = sum(c.status == "not measured" for c in self.comparisons)
        note = f" ({skipped} baselines of larger workloads not measured)" if skipped else ""
        out.append(f"gate: {measured} metrics compared with baselines, {verdict}{note}")
        return out

    def as_dict(self) -> dict:
        return {
            "regressions": len(self.regressions),
            "comparisons": [asdict(c) | {"ratio": c.ratio} for c in self.comparisons],
        }


def _fmt(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value:,.6g}"


def load_baselines(directory: Path = BASELINE_DIR) -> dict[str, Baseline]:
    """All baselines from ``directory/*.json``, keyed by metric name."""
    baselines: dict[str, Baseline] = {}
    for path in sorted(directory.glob("*.json")):
        try:
            data = json.loads(path.read_text())
            for metric, spec in data.items():
                if spec.get("better") not in BETTER:
                    raise ValueError(f"{metric}: 'better' must be 'lower', 'higher' or 'equal'")
                baselines[metric] = Baseline(
                    metric=metric,
                    value=float(spec["value"]),
                    unit=str(spec.get("unit", "")),
                    tolerance=float(spec["tolerance"]),
                    better=spec["better"],
                )
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise BenchError(f"baseline file {path} is invalid: {exc}") from exc
    return baselines


def write_baselines(measured: dict[str, float], entry, directory: Path = BASELINE_DIR) -> list[str]:
    """Rewrite ``directory/<stage>.json`` from ``measured``; returns the changed lines.

    ``entry(metric, value)`` gives the baseline record. Metrics not measured this time (e.g. the
    large sizes in a quick run) keep their old baselines.
    """
    directory.mkdir(parents=True, exist_ok=True)
    changes = []
    stages: dict[str, dict[str, float]] = {}
    for metric, value in measured.items():
        stages.setdefault(metric.split(".", 1)[0], {})[metric] = value
    for stage, values in sorted(stages.items()):
        path = directory / f"{stage}.json"
        data = json.loads(path.read_text()) if path.exists() else {}
        for metric, value in sorted(values.items()):
            old = data.get(metric, {}).get("value")
            if old != value:
                changes.append(f"{metric}: {_fmt(old)} -> {_fmt(value)}")
            data[metric] = entry(metric, value)
        path.write_text(json.dumps(dict(sorted(data.items())), indent=2) + "\n")
    return changes


def check(baselines: dict[str, Baseline], measured: dict[str, float]) -> GateReport:
    """Compare ``measured`` with ``baselines``; a metric measured but not baselined is 'new'."""
    report = GateReport()
    for metric, base in baselines.items():
        now = measured.get(metric)
        if now is None:
            status = "not measured"
        elif not base.passes(now):
            status = "regressed"
        elif (
            base.better != "equal"
            and now != base.value
            and ((now < base.value) == (base.better == "lower"))
        ):
            status = "improved"
        else:
            status = "ok"
        report.comparisons.append(
            Comparison(metric, base.value, now, base.unit, base.tolerance, status)
        )
    for metric in sorted(set(measured) - set(baselines)):
        report.comparisons.append(Comparison(metric, None, measured[metric], "", None, "new"))
    return report
