"""The enrich stage's workload: a scanned synthetic tree matched against the stand-in TMDB.

:func:`scenario` runs what issue #3 measures, in order, on a private copy of the tree:

1. first enrich of the scanned library (requests, match accuracy against the truth);
2. second enrich, nothing changed (hit rate, requests);
3. 5 % of the movie files changed: half renamed to another release name of the same movie (a
   quality upgrade: a new file, not a move), half added for titles not yet in the library; then a
   rescan and a third enrich (hit rate, requests per new title).

All counters are deterministic for a given (files, seed): the tree and library are seeded, and
enrich sends one request per entry missing from the cache whatever the timing.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from core.config.model import TMDBSettings
from core.pipeline.enrich.stage import enrich
from core.pipeline.source.files import scan
from core.store.db import open_store
from synthetic.library.movies import generate
from synthetic.release_names import radarr_title
from synthetic.tree import build_tree

SEED = 1
CHANGE_SHARE = 0.05


@dataclass(slots=True)
class Library:
    """A fresh copy of the tree, its truth, and the movies the stand-in must serve."""

    root: Path
    truth: dict[str, int | None]
    served: int


def build(folder: Path, files: int, seed: int = SEED) -> Library:
    """Build the ``files``-file tree in ``folder``.

    The tree draws at most one new movie per file from the seeded library, so serving
    ``files`` movies plus a tenth covers the tree and the titles :func:`change_library` adds.
    """
    root, truth_file = folder / "tree", folder / "truth.jsonl"
    build_tree(root, files, seed, truth=truth_file)
    truth = {}
    with open(truth_file, encoding="utf-8") as fh:
        for row in map(json.loads, fh):
            if row["type"] == "movie":
                truth[str(root / row["path"])] = row["tmdb_id"]
    return Library(root, truth, served=files + max(100, files // 10))


def settings_for(server, **overrides) -> TMDBSettings:
    values = {
        "url": server.url,
        "api_key": server.config.api_key,
        "rate": 100_000,
        "per_seconds": 1.0,
        "concurrency": 16,
    }
    values.update(overrides)
    return TMDBSettings(**values)


def accuracy(store, truth: dict[str, int | None]) -> dict[str, float]:
    """Share of the truth's movie files matched to the right / a wrong TMDB id, or unmatched."""
    got = dict(store.conn.execute("SELECT key, tmdb_id FROM items WHERE type = 'movie'"))
    right = wrong = unmatched = 0
    for path, expected in truth.items():
        found = got.get(path)
        if found is None:
            unmatched += 1
        elif found == expected:
            right += 1
        else:
            wrong += 1
    n = len(truth) or 1
    return {"correct": right / n, "wrong": wrong / n, "unmatched": unmatched / n}


def change_library(library: Library, seed: int = SEED) -> dict[str, int]:
    """Rename 2.5 % of the movie files (same movie, new release) and add 2.5 % new titles."""
    movie_files = sorted(library.truth)
    count = max(1, round(len(movie_files) * CHANGE_SHARE / 2))
    step = max(1, len(movie_files) // count)
    for path in movie_files[::step][:count]:
        stem, ext = os.path.splitext(path)
        renamed = f"{stem}.PROPER{ext}"
        os.rename(path, renamed)
        os.utime(renamed, ns=(0, os.stat(renamed).st_mtime_ns + 1_000_000_000))
    known = set(library.truth.values())
    added = 0
    added_dir = library.root / "Added"
    for movie in generate(library.served, seed):
        if added == count:
            break
        if movie.tmdb_id in known:
            continue
        known.add(movie.tmdb_id)
        folder = added_dir / f"{radarr_title(movie.title, _NoRandom())} ({movie.year})"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{folder.name} Bluray-1080p.mkv").touch()
        added += 1
    return {"renamed": count, "new_titles": added}


class _NoRandom:
    """``radarr_title`` draws how to replace ':'; the benchmark always takes the first way."""

    def random(self) -> float:
        return 0.0

    def choice(self, seq):
        return seq[0]


def scenario(files: int, server, *, seed: int = SEED) -> dict[str, float]:
    """Run the three enrich passes on a fresh copy of the tree; returns the counters."""
    with tempfile.TemporaryDirectory(prefix="reelscale-enrich-") as tmp:
        library = build(Path(tmp), files, seed)
        settings = settings_for(server)
        with open_store(Path(tmp) / "bench.db") as store:
            scan(library.root, store)
            first = enrich(store, settings)
            match = accuracy(store, library.truth)
            second = enrich(store, settings)
            changes = change_library(library, seed)
            scan(library.root, store)
            third = enrich(store, settings)
    return {
        "items": first.items,
        "first_requests": first.tmdb_requests,
        "match_correct": round(match["correct"], 4),
        "match_wrong": round(match["wrong"], 4),
        "second_requests": second.tmdb_requests,
        "second_hit_rate": second.hit_rate,
        "changed_hit_rate": third.hit_rate,
        "changed_requests": third.tmdb_requests,
        "new_titles": changes["new_titles"],
        "changed_requests_per_new_title": round(
            third.tmdb_requests / max(1, changes["new_titles"]), 3
        ),
    }
