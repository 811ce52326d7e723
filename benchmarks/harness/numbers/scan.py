"""The scan stage's headline numbers, measured in one run and written to results/numbers/.

    reelscale bench numbers scan [--files 300000] [--repeat 3]

1. First scan + parse of a FILES-file synthetic tree in a fresh process and a new database (warm
   OS cache: the tree is listed once before), interleaved REPEAT times with `find DIR -type f`:
   the median scan against the median `find`, paths/min and peak RSS from its own summary.
2. Rescan of the unchanged tree vs `find DIR -type f`, interleaved REPEAT times in this run (wall
   time is only ever compared within one run): the ratio of medians, and re-parses (must be 0).
3. `reelscale parse` on 100k corpus names through stdin (process start included): names/s.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.harness.workloads import sizes as workloads
from benchmarks.harness.workloads.parse_accuracy import CORPORA, load_corpus


def _timed(cmd, **kwargs) -> tuple[float, subprocess.CompletedProcess]:
    start = time.perf_counter()
    proc = subprocess.run(cmd, check=True, **kwargs)
    return time.perf_counter() - start, proc


def scan_cmd(root, db):
    return [sys.executable, "-m", "core", "scan", str(root), "--db", str(db), "--json"]


def measure(files: int = 300_000, repeat: int = 3) -> dict:
    """Parts 1 to 3 of the module docstring, over a ``files``-file tree, ``repeat`` times each."""
    env = dict(os.environ, PYTHONHASHSEED="0")

    root, _ = workloads.tree(files)
    subprocess.run(["find", str(root), "-type", "f"], stdout=subprocess.DEVNULL, check=True)
    out: dict = {"files": files, "cpu_count": os.cpu_count()}
    with tempfile.TemporaryDirectory() as tmp:
        firsts, first_finds = [], []
        for i in range(repeat):
            db = Path(tmp) / f"numbers-{i}.db"
            t_find, _ = _timed(["find", str(root), "-type", "f"], stdout=subprocess.DEVNULL)
            t_scan, proc = _timed(scan_cmd(root, db), capture_output=True, text=True, env=env)
            first_finds.append(t_find)
            firsts.append((t_scan, json.loads(proc.stdout)))
        t_first, first = sorted(firsts, key=lambda f: f[0])[len(firsts) // 2]
        out["first_scan"] = {
            k: first[k]
            for k in ("files", "videos", "parsed", "seconds", "paths_per_min", "peak_rss_mb")
        }
        out["first_scan"].update(
            seconds_median=round(t_first, 3),
            find_seconds_median=round(statistics.median(first_finds), 3),
            ratio_to_find=round(t_first / statistics.median(first_finds), 2),
            note="wall time of a first `reelscale scan` into a new database (process start "
            "included) vs `find DIR -type f`, interleaved in this run",
        )
        rescans, finds, reparses = [], [], []
        for _ in range(repeat):
            t_find, _ = _timed(["find", str(root), "-type", "f"], stdout=subprocess.DEVNULL)
            t_scan, proc = _timed(scan_cmd(root, db), capture_output=True, text=True, env=env)
            finds.append(t_find)
            rescans.append(t_scan)
            reparses.append(json.loads(proc.stdout)["parsed"])
        out["rescan"] = {
            "seconds_median": round(statistics.median(rescans), 3),
            "find_seconds_median": round(statistics.median(finds), 3),
            "ratio_to_find": round(statistics.median(rescans) / statistics.median(finds), 2),
            "reparses": max(reparses),
            "note": "wall time of `reelscale scan` (process start included) vs `find DIR -type f`",
        }

    names = [r["name"] for path in CORPORA.values() for r in load_corpus(path)]
    lines = (names * (100_000 // len(names) + 1))[:100_000]
    stdin = ("\n".join(lines) + "\n").encode("utf-8", "surrogateescape")
    times = []
    for _ in range(repeat):
        t, _ = _timed(
            [sys.executable, "-m", "core", "parse"], input=stdin, stdout=subprocess.DEVNULL, env=env
        )
        times.append(t)
    out["parse_cli"] = {
        "names": len(lines),
        "seconds_median": round(statistics.median(times), 3),
        "names_per_s": round(len(lines) / statistics.median(times)),
    }
    return out
