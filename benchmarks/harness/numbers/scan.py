"""The scan stage's headline numbers, measured in one run and written to results/numbers/.

    reelscale bench numbers scan [--files 300000] [--repeat 3]

1. First scan + parse of a FILES-file synthetic tree in a fresh process and a new database (warm
   OS cache: the tree is listed once before), interleaved REPEAT times with `find DIR -type f`:
   the median scan against the median `find`, paths/min and peak RSS from its own summary (and
   its parse worker's, when it used one: `reelscale scan` does on two or more CPUs).
2. Rescan of the unchanged tree vs `find DIR -type f`, interleaved REPEAT times in this run (wall
   time is only ever compared within one run): the ratio of medians, and re-parses (must be 0).
3. `reelscale parse` on 100k corpus names through stdin (process start included): names/s.

Beside each wall time: the CPU seconds (user + system, the scan's worker included) of the same
runs, which a busy machine moves far less than wall time, and the load average before and after,
which says how busy it was.
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.harness.workloads import sizes as workloads
from benchmarks.harness.workloads.parse_accuracy import CORPORA, load_corpus


def _timed(cmd, **kwargs) -> tuple[float, subprocess.CompletedProcess]:
    """Wall seconds of ``cmd``; its CPU seconds go to ``proc.cpu_seconds``."""
    cpu = _children_cpu()
    start = time.perf_counter()
    proc = subprocess.run(cmd, check=True, **kwargs)
    wall = time.perf_counter() - start
    proc.cpu_seconds = _children_cpu() - cpu
    return wall, proc


def _children_cpu() -> float:
    """User + system seconds of the waited-for children (and theirs, such as a parse worker)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _load() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def scan_cmd(root, db):
    return [sys.executable, "-m", "core", "scan", str(root), "--db", str(db), "--json"]


def measure(files: int = 300_000, repeat: int = 3) -> dict:
    """Parts 1 to 3 of the module docstring, over a ``files``-file tree, ``repeat`` times each."""
    env = dict(os.environ, PYTHONHASHSEED="0")

    root, _ = workloads.tree(files)
    subprocess.run(["find", str(root), "-type", "f"], stdout=subprocess.DEVNULL, check=True)
    out: dict = {"files": files, "cpu_count": os.cpu_count(), "load_average_before": _load()}
    keys = ("files", "videos", "parsed", "seconds", "paths_per_min", "peak_rss_mb")
    keys += ("parse_workers", "worker_peak_rss_mb")
    with tempfile.TemporaryDirectory() as tmp:
        firsts, first_finds, cpus = [], [], []
        for i in range(repeat):
            db = Path(tmp) / f"numbers-{i}.db"
            t_find, _ = _timed(["find", str(root), "-type", "f"], stdout=subprocess.DEVNULL)
            t_scan, proc = _timed(scan_cmd(root, db), capture_output=True, text=True, env=env)
            first_finds.append(t_find)
            firsts.append((t_scan, json.loads(proc.stdout)))
            cpus.append(proc.cpu_seconds)
        t_first, first = sorted(firsts, key=lambda f: f[0])[len(firsts) // 2]
        out["first_scan"] = {k: first.get(k) for k in keys}
        out["first_scan"].update(
            seconds_median=round(t_first, 3),
            cpu_seconds_median=round(statistics.median(cpus), 3),
            find_seconds_median=round(statistics.median(first_finds), 3),
            ratio_to_find=round(t_first / statistics.median(first_finds), 2),
            note="wall time of a first `reelscale scan` into a new database (process start "
            "included) vs `find DIR -type f`, interleaved in this run",
        )
        rescans, finds, reparses, cpus, find_cpus = [], [], [], [], []
        for _ in range(repeat):
            t_find, found = _timed(["find", str(root), "-type", "f"], stdout=subprocess.DEVNULL)
            t_scan, proc = _timed(scan_cmd(root, db), capture_output=True, text=True, env=env)
            finds.append(t_find)
            rescans.append(t_scan)
            summary = json.loads(proc.stdout)
            reparses.append(summary["parsed"])
            cpus.append(proc.cpu_seconds)
            find_cpus.append(found.cpu_seconds)
        out["rescan"] = {
            "seconds_median": round(statistics.median(rescans), 3),
            "cpu_seconds_median": round(statistics.median(cpus), 3),
            "find_seconds_median": round(statistics.median(finds), 3),
            "find_cpu_seconds_median": round(statistics.median(find_cpus), 3),
            "ratio_to_find": round(statistics.median(rescans) / statistics.median(finds), 2),
            "reparses": max(reparses),
            "peak_rss_mb": summary["peak_rss_mb"],
            "walk_workers": summary["walk_workers"],
            "walk_worker_peak_rss_mb": summary["walk_worker_peak_rss_mb"],
            "note": "wall time of `reelscale scan` (process start included) vs `find DIR -type f`",
        }

    out["parse_cli"] = _parse_cli(repeat, env)
    out["load_average_after"] = _load()
    return out


def _parse_cli(repeat: int, env: dict) -> dict:
    """Part 3: `reelscale parse` on 100k corpus names through stdin."""
    names = [r["name"] for path in CORPORA.values() for r in load_corpus(path)]
    lines = (names * (100_000 // len(names) + 1))[:100_000]
    stdin = ("\n".join(lines) + "\n").encode("utf-8", "surrogateescape")
    times = []
    for _ in range(repeat):
        t, _ = _timed(
            [sys.executable, "-m", "core", "parse"], input=stdin, stdout=subprocess.DEVNULL, env=env
        )
        times.append(t)
    return {
        "names": len(lines),
        "seconds_median": round(statistics.median(times), 3),
        "names_per_s": round(len(lines) / statistics.median(times)),
    }
