"""The folder-series path at a fixed size: a TV tree scanned and grouped, rescanned, enriched twice.

:func:`tv_scan_twice` is what the gate's ``tv`` stage and the asv suite ``bench_tv`` measure:

1. the first scan and grouping of a TV tree (``synthetic.tree.tv_library``) into a new database,
   in a fresh process under memray (:mod:`benchmarks.harness.gate.peak`, workload ``tvscan``):
   the scan's and the grouping's summaries and the peak heap of both;
2. the grouping against the tree's truth
   (:func:`benchmarks.harness.numbers.tv_scan.grouping_accuracy`);
3. a rescan of the unchanged tree and its grouping: re-parses and episodes regrouped (both 0);
4. enrich against the stand-in TMDB serving the tree's shows and as many others again (at least
   100, distractors): the requests by endpoint (one TV search per series and one details request
   per matched series, never one per episode), then a second enrich (0 requests), and how many
   episode files ended up in a series matched to their own show's TMDB id.

Everything here is deterministic for a given tree: counters, accuracies, the memray peak.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from benchmarks.harness.paths import build_lock
from benchmarks.harness.workloads.sizes import SEED

__all__ = ["episode_tree", "tv_scan_twice"]


def episode_tree(episodes: int, seed: int = SEED) -> tuple[Path, Path]:
    """``(root, truth_file)`` of the TV tree with ``episodes`` episode files, built on first use
    (once, when several processes ask at the same time)."""
    from benchmarks.harness.numbers.tv_scan import tv_tree

    with build_lock(f"tv-tree-{episodes}-s{seed}"):
        return tv_tree(episodes, seed)


def tv_scan_twice(
    episodes: int, *, seed: int = SEED, root: Path | None = None, truth: Path | None = None
) -> dict:
    """Parts 1 to 4 of the module docstring for the ``episodes``-episode tree of ``seed`` (or the
    tree at ``root`` built with ``seed``, with its ``truth`` file, as tests pass a small one)."""
    from benchmarks.harness.gate.peak import measure_peak
    from benchmarks.harness.numbers.tv_scan import grouping_accuracy
    from core.pipeline.source.files import scan
    from core.pipeline.source.series import group_after_scan
    from core.store.db import open_store

    if root is None or truth is None:
        root, truth = episode_tree(episodes, seed)
    with tempfile.TemporaryDirectory(prefix="reelscale-tv-") as tmp:
        db = Path(tmp) / "tv.db"
        first = measure_peak("tvscan", str(root), str(db))
        grouping = grouping_accuracy(db, root, truth)
        with open_store(db) as store:
            rescan = scan(root, store)
            regroup = group_after_scan(store, rescan)
            enriched = _enrich_twice(store, root, truth, seed)
    return {
        "episodes": episodes,
        "scan": first["result"]["scan"],
        "series": first["result"]["series"],
        "peak_heap_bytes": first["peak_heap_bytes"],
        "grouping": grouping,
        "rescan": {
            "reparses": rescan.parsed,
            "regrouped": regroup.grouped + regroup.series_new,
            "series_removed": regroup.series_removed,
        },
        **enriched,
    }


def _enrich_twice(store, root: Path, truth: Path, seed: int) -> dict:
    """Part 4 of the module docstring."""
    from core.config.model import TMDBSettings
    from core.pipeline.enrich.stage import enrich
    from synthetic.library.series import generate_series
    from synthetic.servers.tmdb.server import TMDBServer

    with open(truth, encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh]
    shows = max((r["series_id"] for r in rows), default=0)
    served = generate_series(shows + max(100, shows), seed)
    with TMDBServer([], series=served, rate_limit=None) as server:
        settings = TMDBSettings(url=server.url, api_key=server.config.api_key, rate=10**6)
        first = enrich(store, settings)
        by_endpoint = dict(server.counters.by_endpoint)
        server.reset_counters()
        second = enrich(store, settings)
        second_seen = server.counters.total
    matched_to = dict(
        store.conn.execute(
            "SELECT e.key, s.tmdb_id FROM items e JOIN items s ON s.id = e.series_id "
            "WHERE e.type = 'episode'"
        )
    )
    prefix = f"{root}/"
    right = sum(matched_to.get(prefix + r["path"]) == r["tmdb_id"] for r in rows)
    wrong = sum(matched_to.get(prefix + r["path"]) not in (None, r["tmdb_id"]) for r in rows)
    return {
        "enrich": {
            "series": first.series,
            "series_matched": first.series_matched,
            "tmdb_requests": first.tmdb_requests,
            "by_endpoint": by_endpoint,
            "errors": first.errors,
        },
        "second_enrich": {"tmdb_requests": second.tmdb_requests, "seen_by_tmdb": second_seen},
        "match": {
            "episodes": len(rows),
            "right": round(right / len(rows), 4) if rows else 1.0,
            "wrong": round(wrong / len(rows), 4) if rows else 0.0,
        },
    }
