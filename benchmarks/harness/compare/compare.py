"""Wall time of two commits, measured interleaved in one session: ``reelscale bench compare``.

Wall time on a shared 2-core machine moves by up to ±30 % between separate runs of identical code,
so the two commits are never measured in separate sessions. Both are exported from git into
temporary folders (``checkout``); each round then runs a fresh worker process per commit and
alternates their values one by one (``session``), so drift in the machine's load hits
both sides alike.

The inputs are held constant across both sides and built by the current checkout: the cached
10k-file synthetic tree (``workloads.tree``), its 10k file names, the ten synthetic collections,
and a fresh stand-in Claude (time scale 0) per worker, served from this process so the stand-in's
own cost is not part of either side's time.

Verdict per workload: ``ratio`` = the median of the pairs' head/base ratios (``base[i]`` and
``head[i]`` ran back to back); ``regressed`` when the ratio exceeds the factor *and* a paired,
two-sided exact Wilcoxon signed-rank test gives p < 0.01; ``improved`` is the mirror image.
The ratio of medians is reported too.
"""

from __future__ import annotations

import math
import statistics
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

from benchmarks.harness.compare import checkout, session
from benchmarks.harness.paths import REPO
from core.errors import UsageError

WORKLOADS = ("parse", "scan", "rescan", "classify")
DESCRIPTIONS = {
    "parse": "parse the 10k file names of the synthetic tree",
    "scan": "first scan of the 10k-file synthetic tree into a new store",
    "rescan": "rescan of the unchanged 10k-file tree",
    "classify": "plan + classify 1k movies x 10 collections, stand-in Claude at time scale 0",
}
# results/numbers/bench-compare.json (load average 10-15 on 2 cores): identical commits gave
# paired ratios of 0.93-1.07 (ratios of medians down to 0.76); 1.25 stays clear of that and
# flagged a 1.47x slower parse (p = 0.0005) and the 1.29x scan it causes.
DEFAULT_FACTOR = 1.25
DEFAULT_ROUNDS = 4
DEFAULT_VALUES = 3
P_THRESHOLD = 0.01
MIN_VALUES = 8  # the fewest pairs with which p < 0.01 is reachable at all (2 / 2**8)


@dataclass(frozen=True, slots=True, kw_only=True)
class CompareSettings:
    repo: Path = REPO
    factor: float = DEFAULT_FACTOR
    rounds: int = DEFAULT_ROUNDS
    values: int = DEFAULT_VALUES
    workloads: tuple[str, ...] = WORKLOADS

    def __post_init__(self) -> None:
        if self.factor <= 1:
            raise UsageError(f"--factor {self.factor}: must be above 1 (e.g. 1.25)")
        if self.rounds < 1 or self.values < 1:
            raise UsageError("--rounds and --values must be at least 1")
        if self.rounds * self.values < MIN_VALUES:
            raise UsageError(
                f"--rounds x --values is {self.rounds * self.values}: at least {MIN_VALUES} "
                f"pairs are needed for a significant difference (p < {P_THRESHOLD})"
            )
        unknown = sorted(set(self.workloads) - set(WORKLOADS))
        if unknown or not self.workloads:
            raise UsageError(
                f"unknown workload {', '.join(unknown) or '(none)'}; choose from "
                f"{', '.join(WORKLOADS)}"
            )


@dataclass(slots=True)
class Side:
    label: str  # "base" or "head"
    rev: str
    commit: str
    values: dict[str, list[float]] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True, kw_only=True)
class Comparison:
    workload: str
    base_median: float | None = None
    head_median: float | None = None
    ratio: float | None = None  # median of the pairs' head/base ratios
    ratio_of_medians: float | None = None
    p_value: float | None = None
    significant: bool = False
    verdict: str = "unchanged"  # unchanged | regressed | improved | not comparable
    reason: str = ""
    base_values: list[float] = field(default_factory=list)
    head_values: list[float] = field(default_factory=list)


@dataclass(slots=True, kw_only=True)
class CompareReport:
    base: Side
    head: Side
    factor: float
    rounds: int
    values: int
    comparisons: list[Comparison]

    @property
    def regressions(self) -> list[Comparison]:
        return [c for c in self.comparisons if c.verdict == "regressed"]

    def as_dict(self) -> dict:
        return {
            "base": {"rev": self.base.rev, "commit": self.base.commit},
            "head": {"rev": self.head.rev, "commit": self.head.commit},
            "factor": self.factor,
            "rounds": self.rounds,
            "values": self.values,
            "p_threshold": P_THRESHOLD,
            "workloads": {c.workload: DESCRIPTIONS[c.workload] for c in self.comparisons},
            "comparisons": [asdict(c) for c in self.comparisons],
            "regressions": [c.workload for c in self.regressions],
        }

    def lines(self) -> list[str]:
        """A table, one row per workload, and a closing verdict line."""
        rows = [("workload", "base median", "head median", "ratio", "significant", "verdict")]
        for c in self.comparisons:
            rows.append(
                (
                    c.workload,
                    _seconds(c.base_median),
                    _seconds(c.head_median),
                    "-" if c.ratio is None else f"{c.ratio:.3f}",
                    _significance(c),
                    c.verdict + (f" ({c.reason})" if c.verdict == "not comparable" else ""),
                )
            )
        widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
        table = [
            "  ".join(v.ljust(w) for v, w in zip(row[:-1], widths, strict=True)) + "  " + row[-1]
            for row in rows
        ]
        head = (
            f"base {self.base.rev} ({self.base.commit[:12]}) vs head {self.head.rev} "
            f"({self.head.commit[:12]}): {self.rounds} rounds x {self.values} values per side, "
            f"factor {self.factor}"
        )
        if self.regressions:
            tail = f"REGRESSED beyond x{self.factor}: " + ", ".join(
                c.workload for c in self.regressions
            )
        else:
            tail = f"no regression beyond x{self.factor}"
        return [head, *table, tail]


def _seconds(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value * 1000:.1f} ms" if value < 1 else f"{value:.3f} s"


def _significance(c: Comparison) -> str:
    if c.p_value is None:
        return "-" if c.verdict == "not comparable" else "no (too few values)"
    return f"{'yes' if c.significant else 'no'} (p={c.p_value:.2g})"


def judge(workload: str, base: Sequence[float], head: Sequence[float], factor: float) -> Comparison:
    """The verdict on one workload's paired samples (seconds, lower is better).

    ``base[i]`` and ``head[i]`` were taken back to back, so the machine's load is shared by the
    pair: the ratio is the median of the pairs' ratios, and significance comes from a paired test
    (exact Wilcoxon signed-rank on the pairs' log ratios). Pooling the samples instead (asv's
    Mann-Whitney U, pyperf's t-test) throws that pairing away: measured here, a 1.46x slower
    parse went undetected (p = 0.14) because the load changed more between rounds than that.
    """
    result = Comparison(workload=workload, base_values=list(base), head_values=list(head))
    pairs = [(b, h) for b, h in zip(base, head, strict=False) if b > 0 and h > 0]
    if not pairs or len(base) != len(head):
        result.verdict, result.reason = "not comparable", "no paired values"
        return result
    result.base_median, result.head_median = statistics.median(base), statistics.median(head)
    result.ratio_of_medians = result.head_median / result.base_median
    logs = [math.log(h / b) for b, h in pairs]
    result.ratio = math.exp(statistics.median(logs))
    if 2 / 2 ** len(logs) < P_THRESHOLD:
        result.p_value = signed_rank_p(logs)
        result.significant = result.p_value < P_THRESHOLD
    else:
        result.reason = f"too few values for p < {P_THRESHOLD}"
    if result.significant and result.ratio > factor:
        result.verdict = "regressed"
    elif result.significant and result.ratio < 1 / factor:
        result.verdict = "improved"
    return result


def signed_rank_p(differences: Sequence[float]) -> float:
    """Two-sided exact p-value of the Wilcoxon signed-rank test that the median difference is 0.

    Zeros are dropped; ties in magnitude get their rank by order (timings rarely tie). The null
    distribution of the positive rank sum is counted exactly over all 2^n sign patterns.
    """
    nonzero = sorted((d for d in differences if d), key=abs)
    n = len(nonzero)
    if not n:
        return 1.0
    w_plus = sum(rank for rank, d in enumerate(nonzero, 1) if d > 0)
    total = n * (n + 1) // 2
    counts = [1] + [0] * total  # counts[s]: sign patterns whose positive ranks sum to s
    for rank in range(1, n + 1):
        for s in range(total, rank - 1, -1):
            counts[s] += counts[s - rank]
    tail = min(w_plus, total - w_plus)
    return min(1.0, 2 * sum(counts[: tail + 1]) / 2**n)


def _not_comparable(workload: str, base: Side, head: Side) -> Comparison:
    why = "; ".join(
        f"{side.label}: {side.errors[workload]}" for side in (base, head) if workload in side.errors
    )
    return Comparison(workload=workload, verdict="not comparable", reason=why)


def compare(
    base_rev: str,
    head_rev: str = "HEAD",
    settings: CompareSettings = CompareSettings(),
    *,
    progress: Callable[[str], None] = lambda line: None,
) -> CompareReport:
    """Measure ``base_rev`` and ``head_rev`` of ``settings.repo`` interleaved and compare them.

    :raises UsageError: the repository or a revision does not exist.
    :raises BenchError: a worker could not measure.
    """
    repo = checkout.toplevel(Path(settings.repo))
    base = Side("base", base_rev, checkout.resolve(repo, base_rev))
    head = Side("head", head_rev, checkout.resolve(repo, head_rev))
    with tempfile.TemporaryDirectory(prefix="reelscale-compare-") as tmp:
        tmp_path = Path(tmp)
        inputs = session.shared_inputs(tmp_path, settings.workloads)
        trees = {}
        for side in (base, head):
            progress(f"exporting {side.label} {side.rev} ({side.commit[:12]})")
            trees[side.label] = checkout.export(repo, side.commit, tmp_path / side.label)
        for n in range(settings.rounds):
            progress(f"round {n + 1}/{settings.rounds}")
            session.run_round(
                (base, head),
                trees,
                inputs,
                settings.workloads,
                settings.values,
                tmp_path,
                first=n % 2,
                progress=progress,
            )
    comparisons = [
        _not_comparable(w, base, head)
        if w in base.errors or w in head.errors
        else judge(w, base.values.get(w, []), head.values.get(w, []), settings.factor)
        for w in settings.workloads
    ]
    return CompareReport(
        base=base,
        head=head,
        factor=settings.factor,
        rounds=settings.rounds,
        values=settings.values,
        comparisons=comparisons,
    )
