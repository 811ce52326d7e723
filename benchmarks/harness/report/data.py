"""What the report shows, read from disk: saved asv results, the batch-size sweep, memray stats.

Every reader returns what it found plus ``notices`` for what it did not, so the page says
"missing" instead of showing an empty chart.
"""

from __future__ import annotations

import itertools
import json
import math
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True, slots=True)
class SeriesSpec:
    benchmark: str
    label: str


@dataclass(frozen=True, slots=True)
class ChartSpec:
    chart_id: str
    title: str
    unit: str
    series: tuple[SeriesSpec, ...]


# Each benchmark times one pass over ``library_size`` items: items/s = size / seconds.
THROUGHPUT_CHARTS = (
    ChartSpec(
        "scan",
        "Scan of a synthetic file tree",
        "files/s",
        (
            SeriesSpec("bench_scan.FirstScan.time_first_scan", "first scan"),
            SeriesSpec("bench_scan.Rescan.time_rescan", "rescan, nothing changed"),
            SeriesSpec("bench_scan.Rescan.time_find", "find(1), for scale"),
        ),
    ),
    ChartSpec(
        "enrich",
        "First enrich against the stand-in TMDB",
        "files/s",
        (SeriesSpec("bench_enrich.EnrichTime.time_first_enrich", "first enrich"),),
    ),
    ChartSpec(
        "classify",
        "Classify against the stand-in Claude (time scale 0, batch 50)",
        "movies/s",
        (SeriesSpec("bench_classify.ClassifyTime.time_classify", "classify, 10 collections"),),
    ),
    ChartSpec(
        "run",
        "reelscale run end to end (stand-in Radarr + Claude)",
        "movies/s",
        (
            SeriesSpec("bench_run.RunEndToEnd.track_first_run_seconds", "first run"),
            SeriesSpec("bench_run.RunEndToEnd.track_rerun_seconds", "rerun, nothing changed"),
        ),
    ),
)


@dataclass(slots=True)
class Series:
    label: str
    benchmark: str
    commit: str | None = None
    points: list[tuple[int, float]] = field(default_factory=list)


@dataclass(slots=True)
class Chart:
    chart_id: str
    title: str
    unit: str
    series: list[Series]


@dataclass(slots=True)
class Measured:
    """One benchmark's values by library size, from the freshest result file that has it."""

    values: dict[int, float]
    commit: str
    started_at: int


def asv_machine_dir(asv_results: Path, machine: str | None = None) -> Path | None:
    """The machine folder to plot: ``machine`` if given, else the one with the newest results."""
    if machine:
        return asv_results / machine
    folders = [p.parent for p in asv_results.glob("*/*-*.json")]
    return max(folders, key=lambda p: p.stat().st_mtime, default=None)


def load_asv(folder: Path, benchmarks_json: Path | None = None) -> dict[str, Measured]:
    """Every benchmark with a ``library_size`` parameter, latest measurement first.

    ``benchmarks.json`` gives the parameter names; without it a single parameter is taken to be
    the library size.
    """
    names = _param_names(benchmarks_json)
    found: dict[str, Measured] = {}
    for path in sorted(folder.glob("*-*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        columns = data.get("result_columns", ["result", "params"])
        started_col = columns.index("started_at") if "started_at" in columns else None
        for bench, row in data.get("results", {}).items():
            values, params = row[0], row[1]
            if not params or values is None:
                continue
            pnames = names.get(bench) or (["library_size"] if len(params) == 1 else [])
            if "library_size" not in pnames:
                continue
            started = row[started_col] if started_col is not None else data.get("date", 0)
            measured = _by_size(values, params, pnames.index("library_size"))
            old = found.get(bench)
            if measured and (old is None or (started or 0) > old.started_at):
                found[bench] = Measured(measured, data.get("commit_hash", "")[:8], started or 0)
    return found


def _param_names(benchmarks_json: Path | None) -> dict[str, list[str]]:
    if benchmarks_json is None or not benchmarks_json.is_file():
        return {}
    data = json.loads(benchmarks_json.read_text(encoding="utf-8"))
    return {k: v.get("param_names", []) for k, v in data.items() if isinstance(v, dict)}


def _by_size(values: list, params: list[list[str]], index: int) -> dict[int, float]:
    """Values keyed by library size; with other parameters, the first combination that has one."""
    out: dict[int, float] = {}
    for combo, value in zip(itertools.product(*params), values, strict=False):
        if value is None or (isinstance(value, float) and math.isnan(value)) or value <= 0:
            continue
        out.setdefault(int(combo[index]), float(value))
    return out


def throughput_charts(
    measured: dict[str, Measured], specs=THROUGHPUT_CHARTS
) -> tuple[list[Chart], list[str]]:
    """Items per second by library size for each chart; notices name the missing benchmarks."""
    charts, notices = [], []
    for spec in specs:
        series = []
        for s in spec.series:
            m = measured.get(s.benchmark)
            if m is None:
                notices.append(f"no saved asv result for {s.benchmark} ({spec.title})")
                series.append(Series(s.label, s.benchmark))
                continue
            points = [(size, size / sec) for size, sec in sorted(m.values.items())]
            series.append(Series(s.label, s.benchmark, m.commit, points))
        charts.append(Chart(spec.chart_id, spec.title, spec.unit, series))
    return charts, notices


def load_batch_size(path: Path) -> tuple[dict | None, list[str]]:
    """``batch-size.json`` as written by ``recommend-batch-size``, or a notice."""
    if not path.is_file():
        return None, [
            f"{path.name} not found: run `reelscale recommend-batch-size --simulate` "
            "to draw the batch-size curve"
        ]
    data = json.loads(path.read_text(encoding="utf-8"))
    if not data.get("rows"):
        return None, [f"{path.name} has no sweep rows"]
    return data, []


@dataclass(slots=True)
class MemrayEntry:
    name: str
    description: str
    flamegraph: Path
    stats: Path
    peak_bytes: int | None = None
    allocations: int | None = None
    allocated_bytes: int | None = None


def load_memray(entries: list[MemrayEntry]) -> list[str]:
    """Fill each entry from its stats file; notices for the workloads with no files on disk."""
    notices = []
    for entry in entries:
        if not entry.stats.is_file() or not entry.flamegraph.is_file():
            notices.append(
                f"memray {entry.name}: no flamegraph/stats in {entry.stats.parent.name}/ "
                "(run `reelscale bench report` without --skip-memray)"
            )
            continue
        stats = json.loads(entry.stats.read_text(encoding="utf-8"))
        entry.peak_bytes = stats.get("metadata", {}).get("peak_memory")
        entry.allocations = stats.get("total_num_allocations")
        entry.allocated_bytes = stats.get("total_bytes_allocated")
    return notices
