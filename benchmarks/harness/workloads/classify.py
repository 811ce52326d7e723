"""A store of N enriched movies straight from the synthetic library, for classify workloads.

Classification reads items and their metadata; building them through a file tree, a scan and an
enrich run would measure those stages again. Items get source ``synthetic`` and the TMDB record's
fields exactly as enrich writes them.
"""

from __future__ import annotations

import json
import time

from core.store.db import Store
from synthetic.library.movies import Movie, generate

SEED = 1


def metadata(movie: Movie) -> dict:
    return {
        "tmdb_id": movie.tmdb_id,
        "imdb_id": movie.imdb_id,
        "title": movie.title,
        "original_title": movie.original_title,
        "year": movie.year,
        "genres": movie.genres,
        "overview": movie.overview,
        "runtime": movie.runtime,
        "original_language": movie.original_language,
        "certification": movie.certification,
        "keywords": movie.keywords,
        "collection": None,
        "studio": movie.studio,
    }


def fill_store(store: Store, size: int, seed: int = SEED) -> int:
    """Insert ``size`` matched movie items; returns how many."""
    now = time.time()
    rows = [
        (
            m.id,
            "synthetic",
            str(m.tmdb_id),
            m.title,
            m.year,
            "movie",
            m.tmdb_id,
            1.0,
            "matched",
            json.dumps(metadata(m), ensure_ascii=False),
            now,
        )
        for m in generate(size, seed)
    ]
    with store.atomic():
        store.conn.executemany(
            "INSERT INTO items (id, source, key, title, year, type, tmdb_id, match_confidence, "
            "match_status, metadata, enriched_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
    return len(rows)


def truth_agreement(verdicts: dict[tuple[int, str], bool], collections, seed: int = SEED) -> float:
    """Share of ``{(item id, tag): include}`` verdicts that match the hidden traits."""
    from synthetic.library.collection_defs import BY_NAME

    trait_of = {c.tag: BY_NAME[c.name].trait for c in collections if c.name in BY_NAME}
    if not verdicts:
        return 0.0
    size = max(item for item, _ in verdicts)
    traits = {m.id: set(m.traits) for m in generate(size, seed)}
    right = sum(
        include == (trait_of[tag] in traits[item])
        for (item, tag), include in verdicts.items()
        if tag in trait_of
    )
    return right / len(verdicts)
