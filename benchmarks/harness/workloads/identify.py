"""End to end: file -> the right TMDB id, on the synthetic tree with its noisy names (#17).

The figure a user cares about is not whether the parser's title string equals a corpus's, but
whether each movie file ends up with the right TMDB id. :func:`identify` builds the seeded tree
(flat downloads carry site and tracker prefixes, bracketed groups and second titles in other
scripts, with ground truth: ``synthetic.release_names.noisy``), scans it, enriches it against the
stand-in TMDB on 127.0.0.1, and counts each movie file as right, wrong or unmatched, overall and
per kind of noise, beside the parser's string accuracy on the same tree (title, year and type
against the truth, ``parse_accuracy.score_truth``). Deterministic for a given (files, seed).

A file whose title and year two films share (the seeded library has such twins) and whose name
says nothing more can only stay unmatched: that is the ceiling a name-based identification has.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from benchmarks.harness.workloads import enrich as enrich_workload
from benchmarks.harness.workloads.parse_accuracy import score_truth
from core.pipeline.enrich.stage import enrich
from core.pipeline.source.files import scan
from core.store.db import open_store
from synthetic.tree import build_tree

_EXAMPLES = 5


def _truth(root: Path, truth_file: Path) -> dict[str, tuple[int | None, str]]:
    """path -> (tmdb id, noise kind or "clean") of every movie file."""
    out = {}
    with open(truth_file, encoding="utf-8") as fh:
        for row in map(json.loads, fh):
            if row["type"] == "movie":
                out[str(root / row["path"])] = (row["tmdb_id"], row.get("noise", "clean"))
    return out


def _tally(got: dict[str, int | None], truth: dict) -> dict:
    groups: dict[str, dict] = {}
    for path, (expected, noise) in truth.items():
        found = got.get(path)
        outcome = "unmatched" if found is None else "right" if found == expected else "wrong"
        for name in ("all", noise):
            g = groups.setdefault(name, {"n": 0, "right": 0, "wrong": 0, "unmatched": 0})
            g["n"] += 1
            g[outcome] += 1
            if outcome != "right" and name == "all":
                g.setdefault("examples", [])
                if len(g["examples"]) < _EXAMPLES:
                    g["examples"].append({"path": Path(path).name, "outcome": outcome})
    for g in groups.values():
        g["correct"] = round(g["right"] / g["n"], 4)
        g["wrong_share"] = round(g["wrong"] / g["n"], 4)
    return groups


def identify(files: int, seed: int = enrich_workload.SEED) -> dict:
    """Right / wrong / unmatched movie files of a ``files``-file tree, overall and per noise."""
    from synthetic.servers.tmdb.server import TMDBServer

    served = files + max(100, files // 10)
    with (
        tempfile.TemporaryDirectory(prefix="reelscale-identify-") as tmp,
        TMDBServer.from_library(served, seed, rate_limit=None) as server,
    ):
        root, truth_file = Path(tmp) / "tree", Path(tmp) / "truth.jsonl"
        build_tree(root, files, seed, truth=truth_file)
        truth = _truth(root, truth_file)
        with open(truth_file, encoding="utf-8") as fh:
            strings = score_truth([json.loads(line) for line in fh])
        with open_store(Path(tmp) / "identify.db") as store:
            scan(root, store)
            summary = enrich(store, enrich_workload.settings_for(server))
            got = dict(store.conn.execute("SELECT key, tmdb_id FROM items WHERE type = 'movie'"))
    groups = _tally(got, truth)
    everything = groups.pop("all")
    return {
        "files": files,
        "movie_files": everything["n"],
        "tmdb_requests": summary.tmdb_requests,
        "parse_title_year_type": round(strings["accuracy"], 4),
        "all": everything,
        "by_noise": dict(sorted(groups.items())),
        "targets": {
            "right_at_least_99pct": everything["correct"] >= 0.99,
            "wrong_at_most_half_pct": everything["wrong_share"] <= 0.005,
        },
    }
