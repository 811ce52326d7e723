"""How trustworthy ``reelscale bench compare`` is on this machine: A/A ratios and a known slowdown.

    reelscale bench validate compare [--aa 3] [--rounds 3] [--values 3]

1. A/A: ``compare HEAD HEAD`` AA times (all workloads, default factor): the ratios identical code
   shows when measured interleaved. The default factor (1.25) is chosen above the largest.
2. Slowdown: a scratch clone in a temporary folder with a committed ``parse`` about 1.5x slower
   (``benchmarks.harness.compare.slowdown``), compared ``HEAD~1`` vs ``HEAD``: which workloads are
   flagged.

Writes results/numbers/bench-compare.json (the 1-minute load average is recorded with each run:
other processes share the 2 cores).
"""

from __future__ import annotations

import math
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from benchmarks.harness.compare.compare import CompareSettings, compare
from benchmarks.harness.compare.slowdown import slowed_clone
from benchmarks.harness.paths import REPO


def _run(base: str, head: str, settings: CompareSettings) -> dict:
    load_before = os.getloadavg()[0]
    start = time.perf_counter()
    report = compare(base, head, settings)
    data = report.as_dict()
    for c in data["comparisons"]:
        for key in ("base_values", "head_values"):
            c[key] = [round(v, 5) for v in c[key]]
    data["seconds"] = round(time.perf_counter() - start, 1)
    data["load_avg_1min"] = [round(load_before, 2), round(os.getloadavg()[0], 2)]
    return data


def measure(
    aa: int = 3,
    rounds: int = 3,
    values: int = 3,
    progress: Callable[[str], None] = lambda line: None,
) -> dict:
    """Parts 1 and 2 of the module docstring: the document of results/numbers/bench-compare.json."""
    settings = CompareSettings(rounds=rounds, values=values)
    runs = []
    for n in range(aa):
        runs.append(_run("HEAD", "HEAD", settings))
        progress(f"A/A {n + 1}: {[c['ratio'] for c in runs[-1]['comparisons']]}")
    with tempfile.TemporaryDirectory(prefix="reelscale-slowed-") as tmp:
        clone = slowed_clone(REPO, Path(tmp) / "clone")
        slowed = _run("HEAD~1", "HEAD", CompareSettings(repo=clone, rounds=rounds, values=values))
    slowed["base"]["rev"], slowed["head"]["rev"] = "HEAD", "HEAD + slowed parse"
    progress(f"slowdown: regressions {slowed['regressions']}")
    ratios = [c["ratio"] for run in runs for c in run["comparisons"] if c["ratio"]]
    return {
        "command": "reelscale bench validate compare "
        f"--aa {aa} --rounds {rounds} --values {values}",
        "aa_max_ratio": round(max(ratios), 3),
        "aa_min_ratio": round(min(ratios), 3),
        "aa_max_abs_log_ratio": round(max(abs(math.log(r)) for r in ratios), 3),
        "aa_false_regressions": sum(len(run["regressions"]) for run in runs),
        "slowdown_flagged": slowed["regressions"],
        "aa": runs,
        "slowdown": slowed,
    }
