"""Backups: the automatic copy before a schema migration, `backup()` and `reelscale db backup`."""

import json
import sqlite3
import stat
import threading

import pytest
import sqlite_utils
from click.testing import CliRunner

from core.cli import cli
from core.errors import StoreError, UsageError
from core.store import backup as backup_module
from core.store.backup import backup, default_dest
from core.store.db import SCHEMA_VERSION, copy_to_scratch, open_store
from core.store.migrations import MIGRATIONS

OLD_ITEMS = [
    (1, "Blade Runner", '{"title": "Blade Runner", "original_title": "Blade Runner"}'),
    (2, "Amelie", '{"title": "Amélie", "original_title": "Le Fabuleux Destin d\'Amélie"}'),
]


def make_v5(path):
    """A database as reelscale with schema 5 (before tag_changes and title search) left it."""
    db = sqlite_utils.Database(path)
    db.execute("PRAGMA journal_mode=WAL")
    MIGRATIONS.apply(db, stop_before="m006_tag_changes")
    db.execute("PRAGMA user_version=5")
    with db.conn:
        db.conn.executemany(
            "INSERT INTO items (id, source, key, title, type, metadata) "
            "VALUES (?, 'files', '/m/' || ?, ?, 'movie', ?)",
            [(i, i, title, meta) for i, title, meta in OLD_ITEMS],
        )
    db.close()


def mode(path):
    return stat.S_IMODE(path.stat().st_mode)


def version_and_items(path):
    conn = sqlite3.connect(path)
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        return version, conn.execute("SELECT id, title FROM items ORDER BY id").fetchall()
    finally:
        conn.close()


# -- before a migration ---------------------------------------------------------------------------


def test_old_database_is_copied_then_migrated(db_path):
    make_v5(db_path)
    with open_store(db_path) as store:
        assert store.schema_version == SCHEMA_VERSION == 8
        assert store.backup_path == db_path.with_name(f"{db_path.name}.bak-v5")
        titles = store.conn.execute("SELECT title FROM items ORDER BY id").fetchall()
        assert titles == [("Blade Runner",), ("Amelie",)]
        assert "tag_changes" in store.db.table_names()
        found = store.conn.execute(  # the migration indexed the titles already there
            "SELECT rowid FROM items_fts WHERE items_fts MATCH '\"fabuleux\"'"
        ).fetchall()
        assert found == [(2,)]
    copy = db_path.with_name(f"{db_path.name}.bak-v5")
    assert mode(copy) == 0o600
    assert version_and_items(copy) == (5, [(1, "Blade Runner"), (2, "Amelie")])
    with open_store(db_path) as store:  # migrated once: no second copy
        assert store.backup_path is None


def test_backup_name_never_overwrites_an_older_copy(db_path):
    make_v5(db_path)
    first = db_path.with_name(f"{db_path.name}.bak-v5")
    first.write_bytes(b"an older copy")
    with open_store(db_path) as store:
        assert store.backup_path == db_path.with_name(f"{db_path.name}.bak-v5-2")
    assert first.read_bytes() == b"an older copy"


def test_new_and_current_databases_are_not_copied(db_path):
    with open_store(db_path) as store:
        assert store.backup_path is None
    assert sorted(p.name for p in db_path.parent.iterdir() if ".bak" in p.name) == []


def test_failed_copy_leaves_the_database_unmigrated(db_path, monkeypatch):
    make_v5(db_path)

    def full_disk(conn, dest, verify=True):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(backup_module, "online_copy", full_disk)
    with pytest.raises(StoreError) as info:
        open_store(db_path)
    assert str(info.value).startswith(f"cannot back up {db_path} to {db_path}.bak-v5 before ")
    assert "the database was not changed" in str(info.value)
    assert version_and_items(db_path)[0] == 5


# -- backup() -------------------------------------------------------------------------------------


def test_backup_while_another_connection_writes(db_path, tmp_path):
    with open_store(db_path) as store, store.atomic():
        store.conn.executemany(
            "INSERT INTO items (id, source, key, type) VALUES (?, 'files', ?, 'movie')",
            [(i, f"/m/{i}") for i in range(1, 2001)],
        )
    stop = threading.Event()

    def writer():
        conn = sqlite3.connect(db_path, timeout=30)
        n = 10_000
        while not stop.is_set():
            with conn:
                conn.execute(
                    "INSERT INTO items (id, source, key, type) VALUES (?, 'files', ?, 'movie')",
                    (n, f"/w/{n}"),
                )
            n += 1
        conn.close()

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        results = [backup(db_path, tmp_path / f"copy-{i}.db") for i in range(3)]
    finally:
        stop.set()
        thread.join()
    for result in results:
        assert result.integrity == "ok" and mode(result.dest) == 0o600
        assert result.bytes == result.dest.stat().st_size > 0
        conn = sqlite3.connect(result.dest)
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        assert conn.execute("SELECT count(*) FROM items WHERE id <= 2000").fetchone()[0] == 2000
        conn.close()
    assert not list(tmp_path.glob(".*.part"))


def test_backup_of_an_open_store_and_default_name(store):
    result = backup(store)
    assert result.dest.parent == store.path.parent
    assert result.dest.name.startswith(f"{store.path.name}.backup-")
    assert result.integrity == "ok" and result.pages > 0
    assert default_dest("/x/r.db", 0).name.startswith("r.db.backup-19")


def test_backup_into_a_folder(db_path, tmp_path):
    open_store(db_path).close()
    folder = tmp_path / "backups"
    folder.mkdir()
    result = backup(db_path, folder)
    assert result.dest.parent == folder
    assert result.dest.name.startswith(f"{db_path.name}.backup-")


def test_backup_by_path_does_not_migrate(db_path, tmp_path):
    make_v5(db_path)
    result = backup(db_path, tmp_path / "old.db")
    assert version_and_items(db_path)[0] == 5
    assert version_and_items(result.dest)[0] == 5


def test_backup_refuses_to_overwrite_unless_asked(db_path, tmp_path):
    open_store(db_path).close()
    dest = tmp_path / "copy.db"
    dest.write_bytes(b"keep me")
    with pytest.raises(UsageError) as info:
        backup(db_path, dest)
    assert str(info.value) == (
        f"{dest} already exists; choose another FILE, or pass --overwrite to replace it"
    )
    assert dest.read_bytes() == b"keep me"
    assert backup(db_path, dest, overwrite=True).integrity == "ok"
    assert dest.read_bytes().startswith(b"SQLite format 3\x00")


@pytest.mark.parametrize(
    ("setup", "error", "message"),
    [
        ("missing", StoreError, "no database at {db}, nothing to back up; pass --db"),
        ("foreign", StoreError, "{db} is not a reelscale database (not an SQLite file)"),
        ("itself", UsageError, "{db} is the database itself; give another FILE"),
        ("no-folder", UsageError, "cannot write {dest}: folder {parent} does not exist"),
    ],
)
def test_backup_errors(db_path, tmp_path, setup, error, message):
    dest = tmp_path / "nope" / "copy.db" if setup == "no-folder" else tmp_path / "copy.db"
    if setup == "foreign":
        db_path.write_text("my shopping list")
    elif setup != "missing":
        open_store(db_path).close()
    with pytest.raises(error) as info:
        backup(db_path, db_path if setup == "itself" else dest)
    assert str(info.value).startswith(
        message.format(db=db_path, dest=dest, parent=tmp_path / "nope")
    )


# -- reelscale db backup --------------------------------------------------------------------------


def test_cli_db_backup(db_path, tmp_path):
    open_store(db_path).close()
    dest = tmp_path / "copy.db"
    runner = CliRunner()
    result = runner.invoke(cli, ["db", "backup", str(dest), "--db", str(db_path)])
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"Backed up {db_path} to {dest} (")
    assert "integrity ok" in result.output and mode(dest) == 0o600

    again = runner.invoke(cli, ["db", "backup", str(dest), "--db", str(db_path)])
    assert again.exit_code == 2
    assert again.output == (
        f"Error: {dest} already exists; choose another FILE, or pass --overwrite to replace it\n"
    )

    forced = runner.invoke(
        cli, ["db", "backup", str(dest), "--db", str(db_path), "--overwrite", "--json"]
    )
    assert forced.exit_code == 0, forced.output
    data = json.loads(forced.stdout)
    assert set(data) == {"source", "dest", "bytes", "pages", "seconds", "integrity"}
    assert data["dest"] == str(dest) and data["integrity"] == "ok"


def test_cli_db_backup_default_name_and_missing_db(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    missing = runner.invoke(cli, ["db", "backup", "--db", "none.db"])
    assert missing.exit_code == 2
    assert missing.output.startswith("Error: no database at none.db, nothing to back up")
    open_store(tmp_path / "r.db").close()
    result = runner.invoke(cli, ["db", "backup", "--db", "r.db"])
    assert result.exit_code == 0, result.output
    assert len(list(tmp_path.glob("r.db.backup-*"))) == 1


# -- the scratch copy of a dry run ----------------------------------------------------------------


def test_scratch_copy_leaves_the_database_as_it_was(db_path, tmp_path):
    make_v5(db_path)
    before = sorted(p.name for p in db_path.parent.iterdir())
    copy_to_scratch(db_path, tmp_path / "scratch.db")
    assert version_and_items(tmp_path / "scratch.db") == version_and_items(db_path)
    assert sorted(p.name for p in db_path.parent.iterdir()) == sorted([*before, "scratch.db"])


def test_scratch_copy_of_a_foreign_file_is_the_stores_error(db_path, tmp_path):
    db_path.write_text("my shopping list")
    with pytest.raises(StoreError, match="is not a reelscale database"):
        copy_to_scratch(db_path, tmp_path / "scratch.db")
