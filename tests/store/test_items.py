"""Items from a folder scan and the scan index (core.store.items)."""

import os

import pytest

from core.store import items

FIELDS = ("Heat", 1995, "movie", None, None, None, "1080p", "bluray", "x264", "GRP", None)


def scan_rows(first_id, keys, size=100, mtime_ns=5):
    new_items = [(first_id + n, key, *FIELDS) for n, key in enumerate(keys)]
    new_index = [(first_id + n, size, mtime_ns, 1000 + n) for n in range(len(keys))]
    return new_items, new_index


def test_file_key_keeps_text_and_bytes_for_undecodable_names():
    assert items.file_key("/m/Amélie.mkv") == "/m/Amélie.mkv"
    raw = os.fsdecode(b"/m/caf\xe9.mkv")  # a Latin-1 name: a lone surrogate in Python
    assert items.file_key(raw) == b"/m/caf\xe9.mkv"


def test_scan_batch_and_index_under_a_folder(store):
    assert items.next_item_id(store) == 1
    odd = os.fsdecode(b"/movies/caf\xe9.mkv")
    keys = ["/movies/a.mkv", "/movies/sub/b.mkv", "/movies0/c.mkv", items.file_key(odd)]
    items.upsert_scanned_items(store, *scan_rows(1, keys), [])
    assert items.next_item_id(store) == 5
    under = sorted(items.scanned_files_under(store, "/movies"), key=lambda row: str(row[0]))
    # (key, size * 2 + is_episode, mtime_ns)
    assert under[:2] == [("/movies/a.mkv", 200, 5), ("/movies/sub/b.mkv", 200, 5)]
    assert under[2:] == [(items.file_key(odd), 200, 5)]  # bytes: os.fsdecode gives odd back
    episode = ("Show", None, "episode", *FIELDS[3:])
    items.upsert_scanned_items(store, [], [], [("/movies/a.mkv", 200, 6, 7, episode)])
    assert ("/movies/a.mkv", 401, 6) in set(items.scanned_files_under(store, "/movies/"))
    assert items.scanned_file(store, "/movies/a.mkv") == (1, 7, 200, 6)


@pytest.mark.parametrize("count", [1, items.ROWS_PER_INSERT, 2 * items.ROWS_PER_INSERT + 3])
def test_a_batch_is_written_whole_in_statements_of_many_rows(store, count):
    keys = [f"/m/{n:03}.mkv" for n in range(count)]
    keys[-1] = items.file_key(os.fsdecode(b"/m/caf\xe9.mkv"))
    new_items, new_index = scan_rows(7, keys)
    new_items[0] = (7, keys[0], None, None, "movie", *[None] * 8)
    items.upsert_scanned_items(store, new_items, new_index, [])
    columns = f"id, key, {', '.join(items.ITEM_FIELDS)}"
    assert store.conn.execute(f"SELECT {columns} FROM items ORDER BY id").fetchall() == new_items
    index = store.conn.execute("SELECT item_id, size, mtime_ns, inode FROM scan_index ORDER BY 1")
    assert index.fetchall() == new_index


def test_delete_and_move_belong_in_a_transaction(store):
    items.upsert_scanned_items(store, *scan_rows(1, ["/m/old.mkv", "/m/gone.mkv"]), [])
    _, index = scan_rows(3, ["/m/new.mkv"])
    items.upsert_scanned_items(store, [(3, "/m/new.mkv", "Heat (2)", *FIELDS[1:])], index, [])
    with pytest.raises(RuntimeError):
        items.delete_scanned_item(store, 2)
    with store.atomic():
        items.delete_scanned_item(store, 2)
        items.move_scanned_item(store, 1, "/m/new.mkv")
    rows = store.conn.execute("SELECT id, key, title FROM items ORDER BY id").fetchall()
    assert rows == [(1, "/m/new.mkv", "Heat (2)")]  # the old id, the new key and fields
    assert store.conn.execute("SELECT item_id FROM scan_index").fetchall() == [(1,)]


def test_movies_to_match_and_their_matches(store):
    keys = [f"/m/{n}.mkv" for n in range(5)]
    items.upsert_scanned_items(store, *scan_rows(1, keys), [])
    assert items.count_file_movies(store) == 5
    chunks = list(items.file_movies(store, 2))
    assert [len(c) for c in chunks] == [2, 2, 1]
    assert chunks[0][0] == items.FileMovie(1, "Heat", 1995, None, None, None, None)
    items.record_matches(
        store,
        [
            (949, 0.9, "matched", None, False, '{"genres": ["Crime"]}', 1.0, 1),
            (None, None, "error", "TMDB 500", True, None, 2.0, 2),
        ],
    )
    first, second = next(items.file_movies(store, 2))
    assert (first.tmdb_id, first.confidence, first.status) == (949, 0.9, "matched")
    assert second.status == "error"
    metadata = store.conn.execute("SELECT metadata FROM items WHERE id IN (1, 2) ORDER BY id")
    assert metadata.fetchall() == [('{"genres": ["Crime"]}',), (None,)]


def test_copy_sample_movies(store, tmp_path):
    from core.store.db import open_store

    with open_store(tmp_path / "source.db") as source:
        items.upsert_scanned_items(source, *scan_rows(1, ["/a", "/b", "/c"]), [])
        items.record_matches(
            source, [(1, 1.0, "matched", None, False, "{}", 0.0, i) for i in (1, 3)]
        )
    items.copy_sample_movies(store, tmp_path / "source.db", 1)
    assert store.conn.execute("SELECT id, key FROM items").fetchall() == [(1, "/a")]
