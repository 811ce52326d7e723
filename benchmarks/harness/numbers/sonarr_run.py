"""The Sonarr run's headline numbers, end to end against the stand-ins; writes results/numbers/.

    reelscale bench numbers sonarr-run [--sizes 5000]

Per library size: ``reelscale run --source sonarr`` in its own process over a stand-in Sonarr
library of that many series and the 10 synthetic series collections, stand-in Claude at time
scale 0 (reelscale's own overhead, not a model's latency) judging from the series' ground truth,
then the same run again with nothing changed. Recorded: wall time, peak RSS (VmHWM of the run's
process), per-stage seconds, Claude and Sonarr requests, the accuracy against the ground truth,
and the checks the run promises:

- Sonarr requests of the first run = 1 series list + 1 tag detail + 1 tag list + tag creations +
  the sum of ⌈changes/100⌉ editor PUTs (the equality is checked and reported);
- rerun: 0 Claude requests, 2 Sonarr GETs (the list and tag/detail) and no writes;
- the tags in the stand-in equal the stored decisions after each run;
- peak RSS <= 100 MB at 5,000 series.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from pathlib import Path

from benchmarks.harness.numbers.run import slim_report
from benchmarks.harness.paths import write_numbers
from benchmarks.harness.workloads.series import sonarr_run_twice

RSS_BOUND_MB = {5_000: 100}


def measure(size: int, batch_size: int = 25) -> dict:
    r = sonarr_run_twice(size, batch_size=batch_size)
    first, rerun = r["first"], r["rerun"]
    expected = r["expected_sonarr_requests"]
    bound = RSS_BOUND_MB.get(size)
    peak = max(first["peak_rss_mb"], rerun["peak_rss_mb"])
    return {
        "library_size": size,
        "collections": 10,
        "batch_size": batch_size,
        "first": slim_report(first, "sonarr"),
        "rerun": slim_report(rerun, "sonarr"),
        "accuracy": r["accuracy"],
        "checks": {
            "sonarr_requests_expected": expected,
            "sonarr_requests_measured": first["sonarr_requests"],
            "sonarr_requests_as_expected": first["sonarr_requests"] == expected,
            "tags_created": r["tags_created"],
            "tags_match_decisions": r["tags_match_decisions"],
            "rerun_claude_requests": r["rerun_claude_requests"],
            "rerun_sonarr_gets": r["rerun_sonarr_gets"],
            "rerun_sonarr_writes": r["rerun_sonarr_writes"],
            "rerun_as_promised": r["rerun_claude_requests"] == 0
            and r["rerun_sonarr_gets"] == 2
            and r["rerun_sonarr_writes"] == 0,
            "peak_rss_bound_mb": bound,
            "peak_rss_within_bound": None if bound is None else peak <= bound,
        },
    }


def failed_checks(result: dict) -> list[str]:
    """The promised checks that did not hold (a bound not set for this size is not a check)."""
    checks = result["checks"]
    names = ("sonarr_requests_as_expected", "tags_match_decisions", "rerun_as_promised")
    failed = [n for n in names if not checks[n]]
    if checks["peak_rss_within_bound"] is False:
        failed.append("peak_rss_within_bound")
    return failed


def write_all(
    sizes: Iterable[int], progress: Callable[[str], None] = lambda line: None
) -> list[dict]:
    """:func:`measure` each size and write results/numbers/sonarr-run-<size>.json."""
    results = []
    for size in sizes:
        result = measure(size)
        path: Path = write_numbers(f"sonarr-run-{size}.json", result)
        progress(f"{json.dumps(result['checks'])} -> {path}")
        results.append(result)
    return results
