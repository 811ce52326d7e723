"""The TV scan's headline numbers: a TV-heavy tree scanned and grouped into series.

    reelscale bench numbers tv-scan [--episodes 300000] [--repeat 3]

1. First ``reelscale scan`` (walk, parse, and grouping of the episodes into series) of an
   EPISODES-episode TV tree (``synthetic.tree.tv_library``: Sonarr, Plex, scene, season-pack and
   anime layouts, plus subtitles, nfo files and posters) in a fresh process and a new database,
   interleaved REPEAT times with ``find DIR -type f`` (warm OS cache: the tree is listed once
   before). Paths/min over the process's wall time, start-up included; the process's peak RSS
   (``wait4``'s ``ru_maxrss``, so the grouping after the scan counts too).
2. Grouping accuracy against the tree's truth: each series found is labelled with the true show
   most of its episodes belong to; ``episode_accuracy`` is the share of episode files in a series
   labelled with their own show, ``shows_whole`` the share of shows whose episodes all landed in
   one series (a show split in two is counted here, not above); ``merged_examples``: shows that
   ended up in one series (title, first-air year, the tree's layout).
3. Rescan of the unchanged tree against ``find``, interleaved: re-parses and episodes regrouped
   (both must be 0).
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

from benchmarks.harness.paths import WORK
from benchmarks.harness.workloads.sizes import SEED, generator_version

TARGET_PATHS_PER_MIN = 1_000_000


def tv_tree(episodes: int, seed: int = SEED) -> tuple[Path, Path]:
    """``(root, truth_file)`` of the TV tree with ``episodes`` episode files, built on first use."""
    from synthetic.tree.tv_library import build_tv_tree

    base = WORK / "tv-trees" / f"{episodes}-s{seed}-{generator_version()}"
    root, truth, done = base / "tree", base / "truth.jsonl", base / "complete"
    if not done.exists():
        shutil.rmtree(base, ignore_errors=True)
        base.mkdir(parents=True)
        build_tv_tree(root, episodes, seed, truth=truth)
        done.touch()
    return root, truth


def _run(cmd: list[str], env: dict) -> tuple[float, str, float]:
    """``(wall seconds, stdout, peak RSS MB)`` of one process."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
    out = proc.stdout.read() if proc.stdout else b""
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        raise subprocess.CalledProcessError(proc.returncode, cmd)
    return wall, out.decode(), round(usage.ru_maxrss / 1024, 1)


def _find(root: Path) -> float:
    start = time.perf_counter()
    subprocess.run(["find", str(root), "-type", "f"], stdout=subprocess.DEVNULL, check=True)
    return time.perf_counter() - start


def _scan_cmd(root: Path, db: Path) -> list[str]:
    return [sys.executable, "-m", "core", "scan", str(root), "--db", str(db), "--json"]


def grouping_accuracy(db: Path, root: Path, truth: Path) -> dict:
    """Part 2 of the module docstring, from a scanned database and the tree's truth."""
    from core.store.db import open_store

    with open_store(db, create=False) as store:
        series_of = dict(
            store.conn.execute("SELECT key, series_id FROM items WHERE type = 'episode'")
        )
    prefix = f"{root}/"
    shows_in: dict[int | None, Counter] = defaultdict(Counter)
    found_for: dict[int, set] = defaultdict(set)
    rows = [json.loads(line) for line in truth.open(encoding="utf-8")]
    for row in rows:
        found = series_of.get(prefix + row["path"])
        shows_in[found][row["series_id"]] += 1
        found_for[row["series_id"]].add(found)
    label = {found: shows.most_common(1)[0][0] for found, shows in shows_in.items() if found}
    title_of = {r["series_id"]: f"{r['title']} ({r['year']}, {r['layout']})" for r in rows}
    merged = [
        sorted(title_of[show] for show in shows)
        for found, shows in shows_in.items()
        if found and len(shows) > 1
    ]
    right = sum(label.get(series_of.get(prefix + r["path"])) == r["series_id"] for r in rows)
    whole = sum(len(found) == 1 and None not in found for found in found_for.values())
    return {
        "episodes": len(rows),
        "shows": len(found_for),
        "series_found": len(label),
        "episode_accuracy": round(right / len(rows), 5) if rows else 1.0,
        "shows_whole": round(whole / len(found_for), 5) if found_for else 1.0,
        "ungrouped_episodes": sum(shows_in.get(None, Counter()).values()),
        "series_holding_several_shows": len(merged),
        "merged_examples": sorted(merged)[:5],
    }


def measure(episodes: int = 300_000, repeat: int = 3) -> dict:
    """Parts 1 to 3 of the module docstring."""
    env = dict(os.environ, PYTHONHASHSEED="0")
    root, truth = tv_tree(episodes)
    _find(root)
    out: dict = {"episodes": episodes, "cpu_count": os.cpu_count()}
    with tempfile.TemporaryDirectory() as tmp:
        firsts, finds = [], []
        for i in range(repeat):
            db = Path(tmp) / f"tv-{i}.db"
            finds.append(_find(root))
            wall, stdout, rss = _run(_scan_cmd(root, db), env)
            firsts.append((wall, json.loads(stdout), rss, db))
        wall, first, rss, db = sorted(firsts, key=lambda f: f[0])[len(firsts) // 2]
        out["first_scan"] = {
            "files": first["files"],
            "episodes": first["episodes"],
            "parsed": first["parsed"],
            "series": first["series"]["series"],
            "scan_seconds": first["seconds"],
            "grouping_seconds": first["series"]["seconds"],
            "seconds_median": round(wall, 3),
            "paths_per_min": round(first["files"] / wall * 60),
            "peak_rss_mb": rss,
            "peak_rss_mb_max": max(f[2] for f in firsts),
            "find_seconds_median": round(statistics.median(finds), 3),
            "ratio_to_find": round(wall / statistics.median(finds), 2),
            "target_paths_per_min": TARGET_PATHS_PER_MIN,
            "note": "wall time of a first `reelscale scan` (walk, parse, series grouping; process "
            "start included) into a new database, the median of the interleaved runs",
        }
        out["grouping"] = grouping_accuracy(db, root, truth)
        rescans, rescan_finds, reparsed, regrouped = [], [], [], []
        for _ in range(repeat):
            rescan_finds.append(_find(root))
            wall, stdout, _ = _run(_scan_cmd(root, db), env)
            summary = json.loads(stdout)
            rescans.append(wall)
            reparsed.append(summary["parsed"])
            regrouped.append(summary["series"]["grouped"] + summary["series"]["series_new"])
        out["rescan"] = {
            "seconds_median": round(statistics.median(rescans), 3),
            "find_seconds_median": round(statistics.median(rescan_finds), 3),
            "ratio_to_find": round(statistics.median(rescans) / statistics.median(rescan_finds), 2),
            "reparses": max(reparsed),
            "regrouped": max(regrouped),
        }
    return out
