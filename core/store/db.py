"""The store: one SQLite file holding everything reelscale remembers between runs.

Opened through sqlite-utils in WAL mode. The schema is a list of forward migrations
(:mod:`core.store.migrations`); ``PRAGMA user_version`` mirrors how many have been applied, so a
file written by a newer reelscale is recognised and refused instead of being misread.

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
``provider_cache``, ``cache_counters``  the SQLite tier of :mod:`core.pipeline.enrich.cache` and
its totals. ``runs``, ``requests``, ``decisions``, ``deferred``, ``batches``  classification (m005).
``tag_changes`` one row per tag added to or removed from a movie by a run, and whether it was
                written (m006).
``items.series_id`` the folder series (an ``items`` row of type ``series``) an episode file
                belongs to (m008; :mod:`core.store.series`).
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
from itertools import islice
from pathlib import Path

from core.errors import StoreError
from core.store._file import check_is_sqlite, create_private
from core.store._sqlite_utils import sqlite_utils  # without numpy (see there)
from core.store.migrations import INDEX_TITLES, MIGRATIONS, SCHEMA_VERSION

__all__ = [
    "SCHEMA_VERSION",
    "Store",
    "check_writable",
    "copy_to_scratch",
    "open_store",
    "require_transaction",
    "stream",
]

CACHE_KIB = 1024


def _null(value: None) -> None:
    return None


# Python's sqlite3 (3.11 to 3.13) binds None only after looking for an adapter for it and
# failing, which raises and formats an AttributeError every time; a scanned file's row binds
# about five. Registered, the lookup succeeds: a first scan's writes took 14 % fewer
# instructions (cachegrind, 30k scanned rows) and the 300k-file scan ~0.5 CPU-s less.
sqlite3.register_adapter(type(None), _null)


class Store:
    """An open reelscale database.

    :param path: the SQLite file; created (with its schema) when missing, unless ``create`` is
        false: then a missing or empty file, or an SQLite file reelscale never wrote, is a
        :class:`StoreError` and nothing is created (the commands that only read).
    :param tracer: called with ``(sql, params)`` for every statement sqlite-utils runs; the
        benchmarks use it to count queries.

    ``backup_path`` is the copy made before this open migrated an older schema, else None.
    """

    def __init__(self, path: str | os.PathLike[str], *, tracer=None, create: bool = True) -> None:
        self.path = Path(path)
        self.backup_path: Path | None = None
        self._create = create
        if not create:
            _check_exists(self.path)
        check_is_sqlite(self.path)
        create_private(self.path)
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
        if version == 0 and not self._create:
            raise StoreError(f"{self.path} is not a reelscale database; {_PASS_DB}")
        if version == 0:
            _check_not_foreign(self.conn, self.path)
        _check_known(version, self.path)
        with self.db.ensure_autocommit_on():
            self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.execute("PRAGMA foreign_keys=ON")
        # 1 MiB of page cache instead of SQLite's 2 MB: the run reads the library in order, and
        # the OS caches the file anyway; the MB is the margin of a 10k-movie run under 100 MB.
        self.db.execute(f"PRAGMA cache_size=-{CACHE_KIB}")
        if version < SCHEMA_VERSION:
            if version > 0:
                # Imported only here and for a dry run: it brings in ``logging``, and the gate's
                # peak heap of a scan counts every module the scan imports.
                from core.store.backup import copy_before_migration

                self.backup_path = copy_before_migration(self.conn, self.path, version)
            MIGRATIONS.apply(self.db)
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
            self.conn.execute(f"{INDEX_TITLES} WHERE id IN ({pending})")
            self.conn.execute("DELETE FROM items_fts_pending")
        return queued

    @property
    def conn(self) -> sqlite3.Connection:
        """The connection, for the query modules of this package (and for tests and benchmarks
        that inspect the file); the rest of reelscale calls those modules' functions."""
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


def open_store(path: str | os.PathLike[str], *, tracer=None, create: bool = True) -> Store:
    """Open (creating if needed, unless ``create`` is false) the store at ``path`` (the CLI's
    ``--db``, ``$REELSCALE_DB`` or ``./reelscale.db``)."""
    return Store(path, tracer=tracer, create=create)


_PASS_DB = "run `reelscale scan` (or `reelscale run`) first, or pass --db with its path"


def _check_exists(path: Path) -> None:
    """A command that only reads never creates a database: a typo in ``--db`` is an error."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise StoreError(f"no database at {path}; {_PASS_DB}") from None
    except OSError as exc:
        raise StoreError(f"cannot open database {path}: {exc.strerror}") from None
    if size == 0:
        raise StoreError(f"{path} is empty, not a reelscale database; {_PASS_DB}")


def stream(cursor: sqlite3.Cursor) -> Iterator[tuple]:
    """The rows of ``cursor`` as a plain iterator: how the query functions return a stream.

    ``islice`` hides the cursor's methods from the caller at no measurable cost per row; a
    generator would add about 100 ns a row, a tenth of what fetching the row costs.
    """
    return islice(cursor, None)


def require_transaction(store: Store) -> sqlite3.Connection:
    """The store's connection, for a write that is one part of the caller's ``store.atomic()``.

    Such a write outside a transaction would open an implicit one that nothing commits, and the
    change would be lost at close; this makes that mistake fail at once instead.
    """
    conn = store.db.conn
    if not conn.in_transaction:
        raise RuntimeError("this store write belongs in a transaction: `with store.atomic(): ...`")
    return conn


def check_writable(path: str | os.PathLike[str]) -> int | None:
    """The schema version of the database at ``path`` once a writer could take its write lock,
    or None when there is no file yet and its folder lets a run create it (``reelscale health``).
    Nothing is created or migrated: the file is opened as it is.

    :raises StoreError: a folder, a foreign file, a folder that lets no file be created, or a
        database written by a newer reelscale.
    :raises sqlite3.Error: locked by another writer, read-only, or a disk I/O error; left
        untranslated, so that the caller reports SQLite's own words.
    """
    path = Path(path)
    check_is_sqlite(path)
    if not path.exists():
        return None
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=rw", uri=True, timeout=1.0)
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version == 0:
            _check_not_foreign(conn, path)
        _check_known(version, path)
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("ROLLBACK")
    finally:
        conn.close()
    return version


def _check_known(version: int, path: Path) -> None:
    """Refuse a database a newer reelscale wrote: this one would misread it."""
    if version > SCHEMA_VERSION:
        raise StoreError(
            f"{path} was written by a newer reelscale (schema {version}, this one "
            f"knows {SCHEMA_VERSION}); upgrade reelscale or use another --db"
        )


def _check_not_foreign(conn: sqlite3.Connection, path: Path) -> None:
    """Refuse an SQLite file another program wrote (schema version 0, and tables that are not
    reelscale's first migration left half way): reelscale's tables are never added to another
    program's database, such as Radarr's ``radarr.db`` passed as ``--db`` by mistake.

    :raises StoreError: the file holds another program's tables.
    """
    names = [row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    if not names:
        return
    if "_sqlite_migrations" in names:
        ours = "SELECT 1 FROM _sqlite_migrations WHERE migration_set = ? LIMIT 1"
        if conn.execute(ours, (MIGRATIONS.name,)).fetchone():
            return  # a first open that stopped before recording the schema version
    shown = ", ".join(sorted(names)[:5]) + (", ..." if len(names) > 5 else "")
    raise StoreError(
        f"{path} is an SQLite database of another program (tables {shown}); it was left "
        "untouched. Pass --db with the path of reelscale's own database, or of a new file"
    )


def copy_to_scratch(db_path: str | os.PathLike[str], dest: Path) -> None:
    """Copy the database at ``db_path`` to ``dest`` without changing it (a dry run's scratch copy).

    :raises StoreError: ``db_path`` is not a reelscale database, or is damaged (any other
        SQLite error of the copy is raised as it is).
    """
    from core.store.backup import query_only_copy

    try:
        query_only_copy(db_path, dest)
    except sqlite3.DatabaseError:
        open_store(db_path).close()  # raises the store's own message (not SQLite, damaged, ...)
        raise


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
