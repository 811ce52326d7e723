"""A small library of decisions and tag changes for `reelscale list` and its queries
(registered in conftest.py as a plugin)."""

import json
import unicodedata

import pytest

NOW = 1_700_000_000.0
NFD_TITLE = unicodedata.normalize("NFD", "Ça commence aujourd'hui")
ITEMS = [
    (1, "Blade Runner", 1982, {"title": "Blade Runner", "genres": ["Science Fiction"]}),
    (
        2,
        "Amelie",
        2001,
        {
            "title": "Amélie",
            "original_title": "Le Fabuleux Destin d'Amélie Poulain",
            "genres": ["Comedy", "Romance"],
            "alternate_titles": [{"title": "Die fabelhafte Welt der Amélie"}, "Amelie Montmartre"],
        },
    ),
    (3, "Spirited Away", 2001, {"title": "Spirited Away", "original_title": "千と千尋の神隠し"}),
    (4, "Double Indemnity", 1944, {"title": "Double Indemnity", "genres": ["Crime", "Drama"]}),
    (5, NFD_TITLE, 1999, None),
    (6, "Leon", 1994, {"title": "Léon", "alternate_titles": ["The Professional"]}),
]
DECISIONS = [  # item, tag, include, confidence, run
    (1, "kai-sci-fi", 1, 0.95, 1),
    (1, "kai-film-noir", 0, 0.2, 1),
    (2, "kai-sci-fi", 0, 0.05, 1),
    (4, "kai-film-noir", 1, 0.9, 1),
    (6, "kai-film-noir", 1, 0.65, 1),  # kept in by the recheck margin
    (3, "kai-gone", 1, 0.8, 1),  # a collection no longer in the config
]
CHANGES = [  # run, item, tag, action, applied
    (2, 1, "kai-sci-fi", "add", 1),
    (2, 4, "kai-film-noir", "add", 0),
    (2, 6, "kai-film-noir", "add", 1),
    (3, 4, "kai-film-noir", "add", 1),
    (3, 2, "kai-sci-fi", "remove", 1),
]


def seed(store):
    conn = store.conn
    with store.atomic():
        for item_id, title, year, meta in ITEMS:
            conn.execute(
                "INSERT INTO items (id, source, key, title, year, type, tmdb_id, metadata) "
                "VALUES (?, 'files', ?, ?, ?, 'movie', ?, ?)",
                (item_id, f"/m/{item_id}.mkv", title, year, 100 + item_id, _json(meta)),
            )
        for run_id, command in ((1, "classify"), (2, "run"), (3, "run")):
            conn.execute(
                "INSERT INTO runs (id, started_at, command, status) VALUES (?, ?, ?, 'done')",
                (run_id, NOW + run_id, command),
            )
        for item_id, tag, include, confidence, run_id in DECISIONS:
            conn.execute(
                "INSERT INTO decisions (item_id, collection, include, confidence, model, "
                "prompt_hash, fingerprint, run_id, decided_at) VALUES (?, ?, ?, ?, 'claude-x', "
                "'old-hash', 'f', ?, ?)",
                (item_id, tag, include, confidence, run_id, NOW),
            )
        conn.execute("INSERT INTO deferred (item_id, run_id) VALUES (3, 1)")
        for row in CHANGES:
            conn.execute("INSERT INTO tag_changes VALUES (?, ?, ?, ?, ?, ?)", (*row, NOW))


def _json(meta):
    return None if meta is None else json.dumps(meta, ensure_ascii=False)


@pytest.fixture
def listing_library(store):
    """The store with :data:`ITEMS`, three runs, :data:`DECISIONS`, a deferred item (3, run 1)
    and :data:`CHANGES` written in it."""
    seed(store)
    return store
