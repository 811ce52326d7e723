"""How trustworthy ``reelscale bench compare`` is on this machine: A/A ratios and a known slowdown.

    python -m benchmarks.harness.compare.trust [--aa 3] [--rounds 3] [--values 3]

1. A/A: ``compare HEAD HEAD`` AA times (all workloads, default factor): the ratios identical code
   shows when measured interleaved. The default factor (1.25) is chosen above the largest.
2. Slowdown: a scratch clone in a temporary folder with a committed ``parse`` about 1.5x slower
   (``benchmarks.harness.compare.slowdown``), compared ``HEAD~1`` vs ``HEAD``: which workloads are
   flagged.

Writes results/numbers/bench-compare.json (the 1-minute load average is recorded with each run:
other processes share the 2 cores).
"""

import argparse
import json
import math
import os
import tempfile
import time
from pathlib import Path

from benchmarks.harness.compare.compare import CompareSettings, compare
from benchmarks.harness.compare.slowdown import slowed_clone
from benchmarks.harness.paths import REPO, RESULTS


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


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--aa", type=int, default=3)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--values", type=int, default=3)
    args = ap.parse_args(argv)
    settings = CompareSettings(rounds=args.rounds, values=args.values)
    aa = []
    for n in range(args.aa):
        aa.append(_run("HEAD", "HEAD", settings))
        print(f"A/A {n + 1}: {[c['ratio'] for c in aa[-1]['comparisons']]}", flush=True)
    with tempfile.TemporaryDirectory(prefix="reelscale-slowed-") as tmp:
        clone = slowed_clone(REPO, Path(tmp) / "clone")
        slowed = _run("HEAD~1", "HEAD", CompareSettings(repo=clone, **_sizes(args)))
    slowed["base"]["rev"], slowed["head"]["rev"] = "HEAD", "HEAD + slowed parse"
    print(f"slowdown: regressions {slowed['regressions']}", flush=True)
    ratios = [c["ratio"] for run in aa for c in run["comparisons"] if c["ratio"]]
    result = {
        "command": "python -m benchmarks.harness.compare.trust "
        f"--aa {args.aa} --rounds {args.rounds} --values {args.values}",
        "aa_max_ratio": round(max(ratios), 3),
        "aa_min_ratio": round(min(ratios), 3),
        "aa_max_abs_log_ratio": round(max(abs(math.log(r)) for r in ratios), 3),
        "aa_false_regressions": sum(len(run["regressions"]) for run in aa),
        "slowdown_flagged": slowed["regressions"],
        "aa": aa,
        "slowdown": slowed,
    }
    path = RESULTS / "numbers" / "bench-compare.json"
    path.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print("->", path.relative_to(REPO))


def _sizes(args) -> dict:
    return {"rounds": args.rounds, "values": args.values}


if __name__ == "__main__":
    main()
