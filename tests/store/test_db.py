"""Opening the store: a new file gets the schema, in WAL mode, mode 0600; a file that is not a
reelscale database is refused and left untouched; writes that belong in a transaction refuse to
run outside one."""

import sqlite3
import stat

import pytest

from core.errors import StoreError
from core.store.db import SCHEMA_VERSION, check_writable, open_store, require_transaction


def test_new_store_has_schema_and_wal(db_path):
    with open_store(db_path) as store:
        assert store.schema_version == SCHEMA_VERSION >= 1
        assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert {"items", "scan_index"} <= set(store.db.table_names())


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


def test_folder_or_missing_parent_is_refused(tmp_path):
    with pytest.raises(StoreError, match="is a directory"):
        open_store(tmp_path)
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(StoreError, match="does not exist"):
        open_store(blocker / "sub" / "reelscale.db")


def test_new_file_is_private(db_path):
    open_store(db_path).close()
    assert stat.S_IMODE(db_path.stat().st_mode) == 0o600


def test_a_transaction_part_refuses_to_run_outside_one(store):
    with pytest.raises(RuntimeError, match="belongs in a transaction"):
        require_transaction(store)
    with store.atomic():
        assert require_transaction(store) is store.conn


def test_check_writable_takes_and_releases_the_write_lock(store, db_path):
    assert check_writable(db_path) == SCHEMA_VERSION
    with store.atomic():
        store.conn.execute("UPDATE items SET title = 'x' WHERE 0")
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            check_writable(db_path)
    assert check_writable(db_path) == SCHEMA_VERSION


def test_check_writable_creates_and_upgrades_nothing(tmp_path):
    missing = tmp_path / "new.db"
    assert check_writable(missing) is None and not missing.exists()
    with pytest.raises(StoreError, match=r"folder .* does not exist"):
        check_writable(tmp_path / "nope" / "new.db")
    old = tmp_path / "old.db"
    conn = sqlite3.connect(old)
    conn.execute("PRAGMA user_version = 3")
    conn.close()
    before = old.read_bytes()
    assert check_writable(old) == 3 and old.read_bytes() == before
    foreign = tmp_path / "foreign.db"
    conn = sqlite3.connect(foreign)
    conn.execute("CREATE TABLE notes (text)")
    conn.close()
    with pytest.raises(StoreError, match="another program"):
        check_writable(foreign)
    newer = tmp_path / "newer.db"
    conn = sqlite3.connect(newer)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(StoreError, match="newer reelscale"):
        check_writable(newer)


def test_another_programs_sqlite_file_is_refused_and_left_untouched(tmp_path):
    radarr = tmp_path / "radarr.db"
    conn = sqlite3.connect(radarr)
    conn.execute("CREATE TABLE Movies (Id INTEGER PRIMARY KEY, Title TEXT)")
    conn.commit()
    conn.close()
    before = radarr.read_bytes()
    with pytest.raises(StoreError, match=r"radarr.db is an SQLite database of another program"):
        open_store(radarr)
    assert radarr.read_bytes() == before
    assert not (tmp_path / "radarr.db-wal").exists()


def test_a_first_open_that_stopped_part_way_is_finished(db_path, monkeypatch):
    from core.store import db as db_module

    real_apply = db_module.MIGRATIONS.apply

    def apply_then_stop(db):  # stopped before the schema version is recorded
        real_apply(db)
        raise KeyboardInterrupt

    monkeypatch.setattr(db_module.MIGRATIONS, "apply", apply_then_stop)
    with pytest.raises(KeyboardInterrupt):
        open_store(db_path)
    monkeypatch.undo()
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 0
    with open_store(db_path) as store:
        assert store.schema_version == SCHEMA_VERSION
