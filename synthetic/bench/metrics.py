"""The deterministic measurements the gate compares with baselines.

Each metric name says stage, measure and workload size, e.g. ``scan.peak_heap_mb[10000]``.
Counters and accuracies are exact for a given tree; the memray peak is measured in a fresh process
(see :mod:`synthetic.bench.peak`).
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from core.report import NULL_REPORTER, Reporter

from . import workloads
from .parse_accuracy import CORPORA, load_corpus, score, score_truth
from .peak import measure_peak

QUICK_SIZES = (10_000,)
FULL_SIZES = (10_000, 100_000)
ENRICH_QUICK_SIZES = (2_000,)
ENRICH_FULL_SIZES = (2_000, 20_000)


def measure(*, quick: bool, reporter: Reporter = NULL_REPORTER) -> dict[str, float]:
    sizes = QUICK_SIZES if quick else FULL_SIZES
    enrich_sizes = ENRICH_QUICK_SIZES if quick else ENRICH_FULL_SIZES
    metrics: dict[str, float] = {}
    reporter.start("measure", total=len(sizes) + len(enrich_sizes) + 1)
    for name, path in CORPORA.items():
        metrics[f"parse.accuracy.{name}"] = round(score(load_corpus(path))["accuracy"], 4)
    reporter.advance("measure")
    for size in sizes:
        metrics.update(_scan_metrics(size))
        reporter.advance("measure")
    for size in enrich_sizes:
        metrics.update(_enrich_metrics(size))
        reporter.advance("measure")
    reporter.finish("measure")
    return metrics


def _scan_metrics(size: int) -> dict[str, float]:
    from core.sources.files import scan
    from core.store import open_store

    root, truth = workloads.tree(size)
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "bench.db")
        first = measure_peak("scan", str(root), db)
        summary = first["result"]
        with open_store(db) as store:
            rescan = scan(root, store)
            rows = store.conn.execute("SELECT count(*) FROM scan_index").fetchone()[0]
    with open(truth, encoding="utf-8") as fh:
        truth_rows = [row for row in map(json.loads, fh) if row["type"] != "extra"]
    accuracy = score_truth(truth_rows)["accuracy"]
    tag = f"[{size}]"
    return {
        f"scan.peak_heap_mb{tag}": round(first["peak_heap_bytes"] / 1e6, 2),
        f"scan.videos{tag}": summary["videos"],
        f"scan.extras_skipped{tag}": summary["extras"],
        f"scan.index_rows{tag}": rows,
        f"scan.errors{tag}": summary["errors"],
        f"scan.rescan_reparses{tag}": rescan.parsed,
        f"scan.rescan_unchanged{tag}": rescan.unchanged,
        f"parse.accuracy.synthetic{tag}": round(accuracy, 4),
    }


def _enrich_metrics(files: int) -> dict[str, float]:
    from synthetic.tmdb import TMDBServer

    from . import enrich_workload

    served = files + max(100, files // 10)
    with TMDBServer.from_library(served, workloads.SEED, rate_limit=None) as server:
        result = enrich_workload.scenario(files, server)
    keys = (
        "first_requests",
        "second_requests",
        "second_hit_rate",
        "changed_hit_rate",
        "changed_requests_per_new_title",
        "match_correct",
        "match_wrong",
    )
    return {f"enrich.{key}[{files}]": result[key] for key in keys}


#: How each metric is gated: (name prefix, unit, relative tolerance, better). Counters of a
#: deterministic workload are exact (tolerance 0); the memray peak may move a little with library
#: versions; accuracy may drop half a point before the gate fails.
RULES: tuple[tuple[str, str, float, str], ...] = (
    ("scan.peak_heap_mb", "MB", 0.05, "lower"),
    ("scan.rescan_reparses", "files", 0.0, "lower"),
    ("scan.errors", "errors", 0.0, "lower"),
    ("scan.rescan_unchanged", "files", 0.0, "higher"),
    ("scan.videos", "files", 0.0, "higher"),
    ("scan.extras_skipped", "files", 0.0, "higher"),
    ("scan.index_rows", "rows", 0.0, "higher"),
    ("parse.accuracy", "fraction", 0.005, "higher"),
    ("enrich.first_requests", "requests", 0.0, "lower"),
    ("enrich.second_requests", "requests", 0.0, "lower"),
    ("enrich.second_hit_rate", "fraction", 0.0, "higher"),
    ("enrich.changed_hit_rate", "fraction", 0.0, "higher"),
    ("enrich.changed_requests_per_new_title", "requests", 0.0, "lower"),
    ("enrich.match_correct", "fraction", 0.002, "higher"),
    ("enrich.match_wrong", "fraction", 0.002, "lower"),
)


def baseline_entry(metric: str, value: float) -> dict:
    for prefix, unit, tolerance, better in RULES:
        if metric.startswith(prefix):
            return {"value": value, "unit": unit, "tolerance": tolerance, "better": better}
    raise KeyError(f"no gating rule for metric {metric!r}; add one to RULES")
