"""The mirror of a Radarr or Sonarr library (core.store.arr_items)."""

import pytest

from core.errors import StoreError
from core.store import arr_items as arr
from core.store.arr_items import RADARR, SONARR


def row(title, year=1999):
    return (title, year, 603, f'{{"title": "{title}"}}')


def test_a_sync_adds_updates_and_leaves_unchanged_rows(store):
    arr.reset_seen_keys(store, RADARR)
    first = arr.upsert_arr_items(store, RADARR, {"1": row("The Matrix"), "2": row("Heat")}, 1.0)
    assert (first.added, first.updated, first.unchanged, first.seen) == (2, 0, 0, 2)
    again = arr.upsert_arr_items(store, RADARR, {"2": row("Heat"), "3": row("Alien")}, 2.0)
    assert (again.repeats, again.added, again.seen) == (1, 1, 1)  # "2" was already seen
    arr.reset_seen_keys(store, RADARR)
    rows = {"1": row("The Matrix"), "2": row("Heat", 1995), "3": row("Alien")}
    second = arr.upsert_arr_items(store, RADARR, rows, 3.0)
    assert (second.added, second.updated, second.unchanged) == (0, 1, 2)
    assert arr.count_arr_items(store, RADARR) == 3


def test_unseen_movies_are_deleted(store):
    arr.reset_seen_keys(store, RADARR)
    arr.upsert_arr_items(store, RADARR, {"1": row("A"), "2": row("B")}, 1.0)
    arr.reset_seen_keys(store, RADARR)
    arr.upsert_arr_items(store, RADARR, {"2": row("B")}, 2.0)
    assert arr.delete_unseen_arr_items(store, RADARR) == 1
    assert store.conn.execute("SELECT key FROM items").fetchall() == [("2",)]


def test_a_batch_only_of_repeats_writes_nothing(store):
    arr.reset_seen_keys(store, RADARR)
    arr.upsert_arr_items(store, RADARR, {"1": row("A")}, 1.0)
    counts = arr.upsert_arr_items(store, RADARR, {"1": row("B")}, 2.0)
    assert (counts.repeats, counts.seen) == (1, 0)
    assert store.conn.execute("SELECT title FROM items").fetchall() == [("A",)]


def test_a_failed_write_is_a_store_error(store):
    arr.reset_seen_keys(store, RADARR)
    store.conn.execute(
        "CREATE TRIGGER no BEFORE INSERT ON items BEGIN SELECT RAISE(ABORT, 'no'); END"
    )
    with pytest.raises(StoreError, match="cannot write to"):
        arr.upsert_arr_items(store, RADARR, {"1": row("A")}, 1.0)


def test_radarr_and_sonarr_keep_their_own_rows_and_seen_keys(store):
    """The same key in both sources is two items; a sync of one never removes the other's."""
    arr.reset_seen_keys(store, RADARR)
    arr.reset_seen_keys(store, SONARR)
    assert arr.upsert_arr_items(store, RADARR, {"1": row("Heat")}, 1.0).added == 1
    assert (
        arr.upsert_arr_items(store, SONARR, {"1": row("Lost"), "2": row("Fargo")}, 1.0).added == 2
    )
    assert arr.delete_unseen_arr_items(store, RADARR) == 0
    arr.reset_seen_keys(store, SONARR)
    arr.upsert_arr_items(store, SONARR, {"2": row("Fargo")}, 2.0)
    assert arr.delete_unseen_arr_items(store, SONARR) == 1
    rows = store.conn.execute("SELECT source, key, type FROM items ORDER BY source, key")
    assert rows.fetchall() == [("radarr", "1", "movie"), ("sonarr", "2", "series")]
    assert (arr.count_arr_items(store, RADARR), arr.count_arr_items(store, SONARR)) == (1, 1)
