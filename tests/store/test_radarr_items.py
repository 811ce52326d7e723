"""The mirror of a Radarr library (core.store.radarr_items)."""

import pytest

from core.errors import StoreError
from core.store import radarr_items as radarr


def row(title, year=1999):
    return (title, year, 603, f'{{"title": "{title}"}}')


def test_a_sync_adds_updates_and_leaves_unchanged_rows(store):
    radarr.reset_seen_radarr_keys(store)
    first = radarr.upsert_radarr_items(store, {"1": row("The Matrix"), "2": row("Heat")}, 1.0)
    assert (first.added, first.updated, first.unchanged, first.seen) == (2, 0, 0, 2)
    again = radarr.upsert_radarr_items(store, {"2": row("Heat"), "3": row("Alien")}, 2.0)
    assert (again.repeats, again.added, again.seen) == (1, 1, 1)  # "2" was already seen
    radarr.reset_seen_radarr_keys(store)
    rows = {"1": row("The Matrix"), "2": row("Heat", 1995), "3": row("Alien")}
    second = radarr.upsert_radarr_items(store, rows, 3.0)
    assert (second.added, second.updated, second.unchanged) == (0, 1, 2)
    assert radarr.count_radarr_items(store) == 3


def test_unseen_movies_are_deleted(store):
    radarr.reset_seen_radarr_keys(store)
    radarr.upsert_radarr_items(store, {"1": row("A"), "2": row("B")}, 1.0)
    radarr.reset_seen_radarr_keys(store)
    radarr.upsert_radarr_items(store, {"2": row("B")}, 2.0)
    assert radarr.delete_unseen_radarr_items(store) == 1
    assert store.conn.execute("SELECT key FROM items").fetchall() == [("2",)]


def test_a_batch_only_of_repeats_writes_nothing(store):
    radarr.reset_seen_radarr_keys(store)
    radarr.upsert_radarr_items(store, {"1": row("A")}, 1.0)
    counts = radarr.upsert_radarr_items(store, {"1": row("B")}, 2.0)
    assert (counts.repeats, counts.seen) == (1, 0)
    assert store.conn.execute("SELECT title FROM items").fetchall() == [("A",)]


def test_a_failed_write_is_a_store_error(store):
    radarr.reset_seen_radarr_keys(store)
    store.conn.execute(
        "CREATE TRIGGER no BEFORE INSERT ON items BEGIN SELECT RAISE(ABORT, 'no'); END"
    )
    with pytest.raises(StoreError, match="cannot write to"):
        radarr.upsert_radarr_items(store, {"1": row("A")}, 1.0)
