"""Load trials: peak RSS of the 300k-file scan and of 10k/100k-movie runs, with latency injected.

    reelscale bench reliability load [--sizes 10000,100000] [--scales 0,0.05] [--no-record]

Each run is ``reelscale run`` in a child process (peak = its ``VmHWM``) over a stand-in Radarr
library, once with the stand-ins answering at once (time scale 0) and once per latency scale (see
``benchmarks.harness.reliability.load``: Claude 0.5 s + 150 tokens/s, Radarr 0.5-1 s per request,
both times the scale). A buffer or queue that grew with latency would show as a higher peak. The
scan (no stand-in involved) is measured once for its bound. Records suite "load" in
results/reliability.json.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence

from benchmarks.harness.reliability.load import run_peak, scan_peak
from benchmarks.harness.reliability.results import record

SCAN_FILES, SCAN_BOUND_MB = 300_000, 150
RUN_BOUND_MB = {10_000: 100, 100_000: 250}
GROWTH_SLACK_MB = 8.0  # process-to-process noise of one and the same run
COMMAND = "reelscale bench reliability load"


def run_suite(
    sizes: Sequence[int] = tuple(RUN_BOUND_MB),
    scales: Sequence[float] = (0.0, 0.05),
    scan_files: int = SCAN_FILES,
    *,
    save: bool = True,
    progress: Callable[[str], None] = lambda line: None,
) -> dict:
    """The scan, then a run per size and time scale (0 is no latency; it is always measured, as
    the reference); the entry of suite "load" (recorded when ``save``)."""
    scales = [0.0, *(s for s in scales if s)]
    scan = scan_peak(scan_files)
    progress(json.dumps(scan))
    runs = []
    for size in sizes:
        for scale in scales:
            run = run_peak(size, time_scale=scale)
            runs.append(run)
            progress(json.dumps(run))
    entry = _entry(scan, runs, sizes, scales)
    entry["command"] = (
        f"{COMMAND} --sizes {_joined(sizes)} --scales {_joined(scales)} --scan-files {scan_files}"
    )
    if save:
        record("load", entry)
    return entry


def _joined(numbers) -> str:
    return ",".join(f"{n:g}" for n in numbers)


def _entry(scan: dict, runs: list[dict], sizes: Sequence[int], scales: Sequence[float]) -> dict:
    """The suite's figures: peaks by size and time scale against the bounds."""
    by_size: dict[str, dict] = {}
    failures = int(scan["exit_code"] != 0 or scan["peak_rss_mb"] > SCAN_BOUND_MB)
    for size in sizes:
        mine = [r for r in runs if r["size"] == size]
        base = next(r for r in mine if r["time_scale"] == 0)["peak_rss_mb"]
        bound = RUN_BOUND_MB.get(size)
        peaks = {str(r["time_scale"]): r["peak_rss_mb"] for r in mine}
        growth = max(r["peak_rss_mb"] for r in mine) - base
        by_size[str(size)] = {
            "peak_rss_mb_by_time_scale": peaks,
            "seconds_by_time_scale": {str(r["time_scale"]): r["seconds"] for r in mine},
            "growth_with_latency_mb": round(growth, 1),
            "bound_mb": bound,
            "within_bound": bound is None or max(peaks.values()) <= bound,
        }
        failures += sum(
            1
            for r in mine
            if r["exit_code"] != 0
            or not r["tags_match_decisions"]
            or (bound is not None and r["peak_rss_mb"] > bound)
            or r["peak_rss_mb"] > base + GROWTH_SLACK_MB
        )
    return {
        "trials": 1 + len(runs),
        "faults_injected": sum(r["requests_delayed"] for r in runs),
        "faults_kind": "latency: requests answered late by the Radarr and Claude stand-ins",
        "latency": {
            str(scale): {
                "claude_first_token_s": round(0.5 * scale, 4),
                "radarr_s": [round(0.5 * scale, 4), round(1.0 * scale, 4)],
            }
            for scale in scales
            if scale
        },
        "failures": failures,
        "data_lost": sum(1 for r in runs if not r["tags_match_decisions"]),
        "scan": {
            "files": scan["files"],
            "peak_rss_mb": scan["peak_rss_mb"],
            "bound_mb": SCAN_BOUND_MB,
            "within_bound": scan["peak_rss_mb"] <= SCAN_BOUND_MB,
        },
        "runs": by_size,
        "growth_slack_mb": GROWTH_SLACK_MB,
    }
