"""The title index (``items_fts``): the triggers on ``items`` queue what changed, and
``Store.sync_title_index`` indexes it in bulk (schema m007)."""

import json

from listing_fixtures import ITEMS

from core.store import listing as queries


def fts_ids(store, text):
    store.sync_title_index()
    query = " ".join(f'"{word}"*' for word in text.split())
    return queries.title_matches(store, query, -1)


def test_triggers_follow_insert_update_delete(listing_library):
    library = listing_library
    conn = library.conn
    with library.atomic():
        conn.execute(
            "INSERT INTO items (id, source, key, title, type) "
            "VALUES (9, 'files', '/m/9.mkv', 'Heat', 'movie')"
        )
    assert fts_ids(library, "heat") == [9]
    with library.atomic():
        conn.execute("UPDATE items SET title = 'Collateral' WHERE id = 9")
    assert fts_ids(library, "heat") == [] and fts_ids(library, "collateral") == [9]
    meta = {"title": "Collateral", "original_title": "Kollateral", "alternate_titles": ["Zündung"]}
    with library.atomic():  # what enrichment does
        conn.execute("UPDATE items SET metadata = ? WHERE id = 9", (json.dumps(meta),))
    assert fts_ids(library, "kollateral") == [9] and fts_ids(library, "zundung") == [9]
    with library.atomic():  # an update that leaves the titles alone queues nothing
        conn.execute("UPDATE items SET match_status = 'matched' WHERE id = 9")
    assert conn.execute("SELECT count(*) FROM items_fts_pending").fetchone()[0] == 0
    with library.atomic():
        conn.execute("UPDATE items SET id = 10 WHERE id = 9")
    assert fts_ids(library, "collateral") == [10]
    with library.atomic():
        conn.execute("DELETE FROM items WHERE id = 10")
    assert fts_ids(library, "collateral") == [] and fts_ids(library, "kollateral") == []
    with library.atomic():
        conn.execute(
            "INSERT OR REPLACE INTO items (id, source, key, title, type) "
            "VALUES (1, 'files', '/m/1.mkv', 'Alien', 'movie')"
        )
    assert fts_ids(library, "blade") == [] and fts_ids(library, "alien") == [1]
    indexed = conn.execute("SELECT count(*) FROM items_fts").fetchone()[0]
    assert indexed == conn.execute("SELECT count(*) FROM items").fetchone()[0]


def test_sync_indexes_the_queue_once(listing_library):
    assert listing_library.sync_title_index() == len(ITEMS)  # the seeded items, queued on insert
    assert listing_library.sync_title_index() == 0
    assert fts_ids(listing_library, "blade runner") == [1]
