"""The store: one SQLite file holding everything reelscale remembers between runs.

Opened through sqlite-utils in WAL mode. The schema is a list of forward migrations (sqlite-utils
``Migrations``); ``PRAGMA user_version`` mirrors how many have been applied, so a file written by a
newer reelscale is recognised and refused instead of being misread.

A file that is not an SQLite database, or is damaged, is reported with its path and never
overwritten or recreated: the user's state may be in it.

Tables (this version):

``items``       one row per library item: a video file (source ``files``, key = path) or, later, a
                Radarr movie. Parsed release fields live here.
``scan_index``  one row per video file seen by a folder scan, keyed by its item (whose ``key`` is
                the path): ``(size, mtime_ns, inode)``, so an unchanged file is never parsed
                again. The path is stored once, in ``items``.
                Enrichment adds the TMDB id, match confidence and status, and the
                provider metadata (genres, overview, ...) as JSON.
``provider_cache``, ``cache_counters``  the SQLite tier of :mod:`core.pipeline.enrich.cache` and its
totals. ``runs``, ``requests``, ``decisions``, ``deferred``, ``batches``  classification (m005).
``tag_changes`` one row per tag added to or removed from a movie by a run, and whether it was
                written (m006).
``items_fts``   FTS5 index of every item's titles (parsed title; TMDB title, original title and
                alternate titles from ``metadata``), rowid = ``items.id`` (m007). Triggers on
                ``items`` queue changed ids in ``items_fts_pending``; ``sync_title_index``
                indexes them before a search (``reelscale list --search``).

Before an existing file is migrated to this version it is copied, with SQLite's online backup,
to ``<db>.bak-v<old version>`` next to it (``Store.backup_path``).
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import sqlite_utils
from sqlite_utils.migrations import Migrations

from core.errors import StoreError

DEFAULT_DB = "reelscale.db"
DB_ENV = "REELSCALE_DB"
SQLITE_MAGIC = b"SQLite format 3\x00"

migrations = Migrations("reelscale")
_applied_in_order: list = []


def _migration(fn):
    """Register a forward migration; their count is the schema version."""
    _applied_in_order.append(fn)
    return migrations()(fn)


@_migration
def m001_items_and_scan_index(db: sqlite_utils.Database) -> None:
    db.execute(
        """
        CREATE TABLE items (
            id INTEGER PRIMARY KEY,
            source TEXT NOT NULL,
            key TEXT NOT NULL,
            title TEXT,
            year INTEGER,
            type TEXT NOT NULL,
            season INTEGER,
            episode INTEGER,
            edition TEXT,
            resolution TEXT,
            quality_source TEXT,
            codec TEXT,
            release_group TEXT,
            UNIQUE (source, key)
        )
        """
    )
    db.execute(
        """
        CREATE TABLE scan_index (
            item_id INTEGER PRIMARY KEY REFERENCES items(id) ON DELETE CASCADE,
            size INTEGER NOT NULL,
            mtime_ns INTEGER NOT NULL,
            inode INTEGER NOT NULL
        )
        """
    )


@_migration
def m002_provider_cache(db: sqlite_utils.Database) -> None:
    db.execute(
        """
        CREATE TABLE provider_cache (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL,
            size INTEGER NOT NULL,
            expires_at REAL NOT NULL,
            accessed_at REAL NOT NULL
        ) WITHOUT ROWID
        """
    )
    db.execute("CREATE INDEX provider_cache_accessed ON provider_cache (accessed_at)")
    db.execute("CREATE INDEX provider_cache_expires ON provider_cache (expires_at)")
    db.execute(
        """
        CREATE TABLE cache_counters (
            tier TEXT NOT NULL,
            name TEXT NOT NULL,
            value INTEGER NOT NULL,
            PRIMARY KEY (tier, name)
        )
        """
    )


@_migration
def m003_item_enrichment(db: sqlite_utils.Database) -> None:
    for column, kind in (
        ("tmdb_id", "INTEGER"),
        ("match_confidence", "REAL"),
        ("match_status", "TEXT"),
        ("match_error", "TEXT"),
        ("metadata", "TEXT"),
        ("enriched_at", "REAL"),
    ):
        db.execute(f"ALTER TABLE items ADD COLUMN {column} {kind}")
    db.execute("CREATE INDEX items_tmdb_id ON items (tmdb_id)")


@_migration
def m004_tmdb_hint(db: sqlite_utils.Database) -> None:
    """The TMDB id written in a file or folder name (``[tmdbid-603]``), used before any search."""
    db.execute("ALTER TABLE items ADD COLUMN tmdb_hint INTEGER")


@_migration
def m005_classification(db: sqlite_utils.Database) -> None:
    """Runs, priced requests, decisions per (item, collection), deferred pairs, open batches."""
    db.execute(
        """
        CREATE TABLE runs (
            id INTEGER PRIMARY KEY,
            started_at REAL NOT NULL,
            finished_at REAL,
            command TEXT NOT NULL,
            status TEXT NOT NULL,
            model TEXT,
            mode TEXT,
            summary TEXT
        )
        """
    )
    db.execute(
        """
        CREATE TABLE requests (
            id INTEGER PRIMARY KEY,
            run_id INTEGER NOT NULL REFERENCES runs(id),
            batch_id TEXT,
            custom_id TEXT,
            model TEXT NOT NULL,
            items INTEGER NOT NULL,
            input_tokens INTEGER NOT NULL,
            output_tokens INTEGER NOT NULL,
            cache_write_5m INTEGER NOT NULL,
            cache_write_1h INTEGER NOT NULL,
            cache_read INTEGER NOT NULL,
            cost_usd REAL NOT NULL,
            outcome TEXT NOT NULL,
            at REAL NOT NULL
        )
        """
    )
    db.execute("CREATE INDEX requests_run ON requests (run_id)")
    db.execute(
        """
        CREATE TABLE decisions (
            item_id INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
            collection TEXT NOT NULL,
            include INTEGER NOT NULL,
            confidence REAL NOT NULL,
            model TEXT NOT NULL,
            prompt_hash TEXT NOT NULL,
            fingerprint TEXT NOT NULL,
            rechecks INTEGER NOT NULL DEFAULT 0,
            run_id INTEGER NOT NULL,
            request_id INTEGER,
            decided_at REAL NOT NULL,
            PRIMARY KEY (item_id, collection)
        ) WITHOUT ROWID
        """
    )
    db.execute("CREATE INDEX decisions_collection ON decisions (collection, include)")
    db.execute(
        """
        CREATE TABLE deferred (
            item_id INTEGER PRIMARY KEY REFERENCES items(id) ON DELETE CASCADE,
            run_id INTEGER NOT NULL
        )
        """
    )
    db.execute(
        """
        CREATE TABLE batches (
            id TEXT PRIMARY KEY,
            run_id INTEGER NOT NULL,
            created_at REAL NOT NULL,
            status TEXT NOT NULL,
            chunks TEXT NOT NULL,
            results_read INTEGER NOT NULL DEFAULT 0
        )
        """
    )


@_migration
def m006_tag_changes(db: sqlite_utils.Database) -> None:
    """Tags a run added to or removed from movies; ``applied`` is 1 when written, 0 when the write
    failed or the run was a dry run."""
    db.execute(
        """
        CREATE TABLE tag_changes (
            run_id INTEGER NOT NULL,
            item_id INTEGER NOT NULL,
            collection TEXT NOT NULL,
            action TEXT NOT NULL,
            applied INTEGER NOT NULL,
            at REAL NOT NULL
        )
        """
    )
    db.execute("CREATE INDEX tag_changes_run ON tag_changes (run_id)")
    db.execute("CREATE INDEX tag_changes_item ON tag_changes (item_id)")


def _other_titles(meta: str) -> str:
    """SQL for the titles in a ``metadata`` JSON column besides the parsed one, one per line:
    TMDB title, original title, alternate titles (strings, or Radarr's ``{"title": ...}``)."""
    return (
        f"CASE WHEN json_valid({meta}) THEN "
        f"coalesce(json_extract({meta}, '$.title'), '') || char(10) || "
        f"coalesce(json_extract({meta}, '$.original_title'), '') || char(10) || "
        "coalesce((SELECT group_concat(CASE type WHEN 'object' THEN json_extract(value, '$.title') "
        f"WHEN 'text' THEN value END, char(10)) FROM json_each({meta}, '$.alternate_titles')), '') "
        "END"
    )


_INDEX_TITLES = (
    "INSERT INTO items_fts (rowid, title, other_titles) "
    f"SELECT id, title, {_other_titles('metadata')} FROM items"
)


@_migration
def m007_title_search_and_list_indexes(db: sqlite_utils.Database) -> None:
    """``items_fts`` (title search), filled from the existing items, the queue its triggers
    feed, and a covering index for the per-run tag change counts of ``list --changed-since``.

    The triggers on ``items`` only queue the ids whose titles changed (``items_fts_pending``);
    :meth:`Store.sync_title_index` indexes them in bulk. FTS5 flushes its pending terms at every
    savepoint, which a trigger statement is, so writing ``items_fts`` from the triggers cost
    ~18 µs per row, 5x a bare insert; the queue costs 1-2 µs, the bulk sync ~4 µs.
    ``columnsize=0``: nothing ranks with bm25.
    """
    db.execute(
        "CREATE VIRTUAL TABLE items_fts USING fts5(title, other_titles, "
        "tokenize = 'unicode61 remove_diacritics 2', columnsize = 0)"
    )
    db.execute(_INDEX_TITLES)
    db.execute("CREATE TABLE items_fts_pending (item_id INTEGER)")  # no constraint to conflict
    queue = "INSERT INTO items_fts_pending (item_id) VALUES"
    db.execute(f"CREATE TRIGGER items_fts_insert AFTER INSERT ON items BEGIN {queue} (new.id); END")
    db.execute(f"CREATE TRIGGER items_fts_delete AFTER DELETE ON items BEGIN {queue} (old.id); END")
    db.execute(
        "CREATE TRIGGER items_fts_update AFTER UPDATE OF id, title, metadata ON items "
        "WHEN old.id IS NOT new.id OR old.title IS NOT new.title "
        "OR old.metadata IS NOT new.metadata "
        f"BEGIN {queue} (new.id); "
        "INSERT INTO items_fts_pending (item_id) SELECT old.id WHERE old.id IS NOT new.id; END"
    )
    db.execute(
        "CREATE INDEX tag_changes_summary ON tag_changes (run_id, collection, action, applied)"
    )


SCHEMA_VERSION = len(_applied_in_order)


def default_path() -> str:
    """The database path when ``--db`` is not given: ``$REELSCALE_DB`` or ``./reelscale.db``."""
    return os.environ.get(DB_ENV) or DEFAULT_DB


class Store:
    """An open reelscale database.

    :param path: the SQLite file; created (with its schema) when missing.
    :param tracer: called with ``(sql, params)`` for every statement sqlite-utils runs; the
        benchmarks use it to count queries.

    ``backup_path`` is the copy made before this open migrated an older schema, else None.
    """

    def __init__(self, path: str | os.PathLike[str], *, tracer=None) -> None:
        self.path = Path(path)
        self.backup_path: Path | None = None
        _check_is_sqlite(self.path)
        _create_private(self.path)
        try:
            conn = sqlite3.connect(self.path, timeout=30.0)
        except sqlite3.Error as exc:
            raise _open_error(self.path, exc) from exc
        self.db = sqlite_utils.Database(conn, tracer=tracer, execute_plugins=False)
        try:
            self._prepare()
        except sqlite3.Error as exc:
            conn.close()
            raise _open_error(self.path, exc) from exc
        except StoreError:
            conn.close()
            raise

    def _prepare(self) -> None:
        version = self.db.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"{self.path} was written by a newer reelscale (schema {version}, this one "
                f"knows {SCHEMA_VERSION}); upgrade reelscale or use another --db"
            )
        with self.db.ensure_autocommit_on():
            self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.execute("PRAGMA foreign_keys=ON")
        if version < SCHEMA_VERSION:
            if version > 0:
                from core.store.backup import copy_before_migration

                self.backup_path = copy_before_migration(self.conn, self.path, version)
            migrations.apply(self.db)
            with self.db.ensure_autocommit_on():
                self.db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")

    def sync_title_index(self) -> int:
        """Index the titles of the items written since the last sync (the triggers queue their
        ids); returns how many ids were queued. Searches call it first; a writer may call it
        after a scan or an enrichment so that the next search starts at once."""
        pending = "SELECT item_id FROM items_fts_pending"
        if self.conn.execute(f"{pending} LIMIT 1").fetchone() is None:
            return 0
        with self.atomic():
            queued = self.conn.execute("SELECT count(*) FROM items_fts_pending").fetchone()[0]
            self.conn.execute(f"DELETE FROM items_fts WHERE rowid IN ({pending})")
            self.conn.execute(f"{_INDEX_TITLES} WHERE id IN ({pending})")
            self.conn.execute("DELETE FROM items_fts_pending")
        return queued

    @property
    def conn(self) -> sqlite3.Connection:
        return self.db.conn

    @property
    def schema_version(self) -> int:
        return self.db.execute("PRAGMA user_version").fetchone()[0]

    @contextlib.contextmanager
    def atomic(self) -> Iterator[None]:
        """One transaction; translates SQLite failures (disk full, read-only) into StoreError."""
        try:
            with self.db.atomic():
                yield
        except sqlite3.Error as exc:
            raise StoreError(f"cannot write to {self.path}: {exc}") from exc

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()


def open_store(path: str | os.PathLike[str] | None = None, *, tracer=None) -> Store:
    """Open (creating if needed) the store at ``path``, or at :func:`default_path`."""
    return Store(path if path is not None else default_path(), tracer=tracer)


def _check_is_sqlite(path: Path) -> None:
    if path.is_dir():
        raise StoreError(f"{path} is a directory, not a database file; pass --db FILE")
    try:
        with path.open("rb") as fh:
            head = fh.read(len(SQLITE_MAGIC))
    except (FileNotFoundError, NotADirectoryError):
        parent = path.parent
        if not parent.is_dir():
            raise StoreError(
                f"cannot create database {path}: folder {parent} does not exist"
            ) from None
        if not os.access(parent, os.W_OK):
            raise StoreError(
                f"cannot create database {path}: folder {parent} is not writable"
            ) from None
        return
    except OSError as exc:
        raise StoreError(f"cannot read database {path}: {exc.strerror}") from exc
    if head and head != SQLITE_MAGIC:
        raise StoreError(
            f"{path} is not a reelscale database (not an SQLite file); it was left untouched. "
            "Move it away or pass --db with another path"
        )


def _create_private(path: Path) -> None:
    """Create a missing database file readable by its owner only (0600, whatever the umask):
    it holds the library and the spending. SQLite gives its -wal and -shm files the same mode."""
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        pass
    except OSError as exc:
        raise StoreError(f"cannot create database {path}: {exc.strerror}") from exc


def _open_error(path: Path, exc: sqlite3.Error) -> StoreError:
    text = str(exc)
    if isinstance(exc, sqlite3.DatabaseError) and (
        "malformed" in text or "not a database" in text or "corrupt" in text
    ):
        return StoreError(
            f"{path} is damaged ({text}); it was left untouched. Restore a backup or pass "
            "--db with another path"
        )
    return StoreError(f"cannot open database {path}: {text}")
