"""Load trials: peak RSS of the 300k-file scan and of 10k/100k-movie runs, with latency injected.

    .venv/bin/python -m benchmarks.harness.reliability.load_suite [--sizes 10000,100000] [--scales
    0,0.05]

Each run is ``reelscale run`` in a child process (peak = its ``VmHWM``) over a stand-in Radarr
library, once with the stand-ins answering at once (time scale 0) and once per latency scale (see
``benchmarks.harness.reliability.load``: Claude 0.5 s + 150 tokens/s, Radarr 0.5-1 s per request,
both times the scale). A buffer or queue that grew with latency would show as a higher peak. The
scan (no stand-in involved) is measured once for its bound. Records suite "load" in
results/reliability.json.
"""

from __future__ import annotations

import argparse
import json
import sys

from benchmarks.harness.reliability.load import run_peak, scan_peak
from benchmarks.harness.reliability.results import record

SCAN_FILES, SCAN_BOUND_MB = 300_000, 150
RUN_BOUND_MB = {10_000: 100, 100_000: 250}
GROWTH_SLACK_MB = 8.0  # process-to-process noise of one and the same run
COMMAND = ".venv/bin/python -m benchmarks.harness.reliability.load_suite"


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--scales", default="0,0.05", help="time scales; 0 is no latency")
    parser.add_argument("--scan-files", type=int, default=SCAN_FILES)
    parser.add_argument("--no-record", action="store_true", help="print, do not record")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    scales = [float(s) for s in args.scales.split(",")]

    scan = scan_peak(args.scan_files)
    print(json.dumps(scan), flush=True)
    runs = []
    for size in sizes:
        for scale in scales:
            run = run_peak(size, time_scale=scale)
            runs.append(run)
            print(json.dumps(run), flush=True)

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
    entry = {
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
        "command": " ".join([COMMAND, *(sys.argv[1:] if argv is None else argv)]),
    }
    if not args.no_record:
        record("load", entry)
    print(json.dumps(entry, indent=2))
    return entry


if __name__ == "__main__":
    main()
