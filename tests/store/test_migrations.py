"""The schema's migrations: each applied once, in order; their count is the schema version."""

import sqlite3

import pytest

from core.errors import StoreError
from core.store.db import SCHEMA_VERSION, open_store
from core.store.migrations import MIGRATIONS


def test_reopen_keeps_data_and_does_not_migrate_twice(db_path):
    with open_store(db_path) as store, store.atomic():
        store.conn.execute(
            "INSERT INTO items (id, source, key, type) VALUES (1, 'files', '/a.mkv', 'movie')"
        )
    with open_store(db_path) as store:
        assert store.conn.execute("SELECT key FROM items").fetchall() == [("/a.mkv",)]
        applied = store.conn.execute("SELECT count(*) FROM _sqlite_migrations").fetchone()[0]
        assert applied == SCHEMA_VERSION


def test_newer_schema_is_refused(db_path):
    conn = sqlite3.connect(db_path)
    conn.execute("PRAGMA user_version = 999")
    conn.close()
    with pytest.raises(StoreError, match="newer reelscale"):
        open_store(db_path)


def test_migrations_are_recorded_by_name_in_order(store):
    assert MIGRATIONS.pending(store.db) == []
    names = [m.name for m in MIGRATIONS.applied(store.db)]
    assert len(names) == SCHEMA_VERSION and names[0] == "m001_items_and_scan_index"
    assert names[-1] == "m008_folder_series"
