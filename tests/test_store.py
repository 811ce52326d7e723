import sqlite3

import pytest

from core.errors import StoreError
from core.store.db import SCHEMA_VERSION, open_store


def test_new_store_has_schema_and_wal(db_path):
    with open_store(db_path) as store:
        assert store.schema_version == SCHEMA_VERSION >= 1
        assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert {"items", "scan_index"} <= set(store.db.table_names())


def test_reopen_keeps_data_and_does_not_migrate_twice(db_path):
    with open_store(db_path) as store, store.atomic():
        store.conn.execute(
            "INSERT INTO items (id, source, key, type) VALUES (1, 'files', '/a.mkv', 'movie')"
        )
    with open_store(db_path) as store:
        assert store.conn.execute("SELECT key FROM items").fetchall() == [("/a.mkv",)]
        applied = store.conn.execute("SELECT count(*) FROM _sqlite_migrations").fetchone()[0]
        assert applied == SCHEMA_VERSION


def test_default_path_from_env(tmp_path, monkeypatch):
    monkeypatch.setenv("REELSCALE_DB", str(tmp_path / "env.db"))
    with open_store() as store:
        assert store.path == tmp_path / "env.db"
    assert (tmp_path / "env.db").exists()


@pytest.mark.parametrize(
    "content",
    [b"this is my shopping list\n", b"SQLite format 3\x00" + b"\xff" * 4000],
    ids=["not-sqlite", "damaged-sqlite"],
)
def test_foreign_or_damaged_file_is_refused_and_left_untouched(db_path, content):
    db_path.write_bytes(content)
    with pytest.raises(StoreError) as info:
        open_store(db_path)
    assert str(db_path) in str(info.value)
    assert "untouched" in str(info.value) or "cannot open" in str(info.value)
    assert db_path.read_bytes() == content


def test_newer_schema_is_refused(db_path):
    conn = sqlite3.connect(db_path)
    conn.execute("PRAGMA user_version = 999")
    conn.close()
    with pytest.raises(StoreError, match="newer reelscale"):
        open_store(db_path)


def test_folder_or_missing_parent_is_refused(tmp_path):
    with pytest.raises(StoreError, match="is a directory"):
        open_store(tmp_path)
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(StoreError, match="does not exist"):
        open_store(blocker / "sub" / "reelscale.db")
