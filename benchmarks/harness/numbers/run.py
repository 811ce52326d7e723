"""The production run's headline numbers, end to end against the stand-ins; writes results/numbers/.

    reelscale bench numbers run [--sizes 10000,100000]

Per library size: ``reelscale run`` in its own process over a stand-in Radarr library of that
many movies and the 10 synthetic collections, stand-in Claude at time scale 0 (reelscale's own
overhead, not a model's latency), then the same run again with nothing changed. Recorded:
wall time, peak RSS (VmHWM of the run's process), per-stage seconds, Claude and Radarr requests,
and the checks the production run promises:

- Radarr requests of the first run = 1 movie list + 1 tag detail + 1 tag list + tag creations +
  the sum of ceil(changes/100) editor PUTs;
- rerun: 0 Claude requests, 0 Radarr writes, <= 5 s at 10k movies;
- the tags in the stand-in equal the stored decisions after each run;
- peak RSS <= 100 MB at 10k movies, <= 250 MB at 100k.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from pathlib import Path

from benchmarks.harness.paths import write_numbers
from benchmarks.harness.workloads.run import run_twice

RSS_BOUND_MB = {10_000: 100, 100_000: 250}
RERUN_BOUND_S = {10_000: 5.0}


def slim_report(report: dict, arr: str = "radarr") -> dict:
    """One run's figures worth recording; ``arr`` names the server's counters (radarr, sonarr)."""
    keep = ("status", "requests", f"{arr}_requests", f"{arr}_writes", "cost_usd", "seconds")
    out = {k: report[k] for k in keep}
    out.update(
        wall_seconds=report["wall_seconds"],
        peak_rss_mb=report["peak_rss_mb"],
        stages=report["stages"],
        added=sum(c["added"] for c in report["collections"]),
        removed=sum(c["removed"] for c in report["collections"]),
    )
    return out


def measure(size: int) -> dict:
    r = run_twice(size)
    first, rerun = r["first"], r["rerun"]
    expected = r["expected_radarr_requests"]
    bound = RSS_BOUND_MB.get(size)
    return {
        "library_size": size,
        "collections": 10,
        "first": slim_report(first),
        "rerun": slim_report(rerun),
        "checks": {
            "radarr_requests_expected": expected,
            "radarr_requests_measured": first["radarr_requests"],
            "radarr_requests_as_expected": first["radarr_requests"] == expected,
            "tags_match_decisions": r["tags_match_decisions"],
            "rerun_claude_requests": r["rerun_claude_requests"],
            "rerun_radarr_writes": r["rerun_radarr_writes"],
            "rerun_bound_s": RERUN_BOUND_S.get(size),
            "rerun_within_bound": None
            if size not in RERUN_BOUND_S
            else rerun["wall_seconds"] <= RERUN_BOUND_S[size],
            "peak_rss_bound_mb": bound,
            "peak_rss_within_bound": None
            if bound is None
            else max(first["peak_rss_mb"], rerun["peak_rss_mb"]) <= bound,
        },
    }


def write_all(
    sizes: Iterable[int], progress: Callable[[str], None] = lambda line: None
) -> list[Path]:
    """:func:`measure` each size and write results/numbers/run-<size>.json; the paths."""
    written = []
    for size in sizes:
        result = measure(size)
        path = write_numbers(f"run-{size}.json", result)
        progress(f"{json.dumps(result['checks'])} -> {path}")
        written.append(path)
    return written
