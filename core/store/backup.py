"""Copies of the store made with SQLite's online backup API.

A copy is consistent even while another process writes (the store is in WAL mode: the copy reads
one snapshot and writers go on), is written to a hidden ``.part`` file first and renamed into
place, so a failed copy never leaves a half file under the final name, is readable by its owner
only (mode 0600: the store holds the user's library and spending), and is checked with
``PRAGMA integrity_check`` before it is reported.

:func:`backup` is what ``reelscale db backup`` runs; :func:`online_copy` is also used by
:class:`core.store.db.Store` to keep ``<db>.bak-v<N>`` before a schema migration, and
:func:`query_only_copy` makes the scratch copy a dry run works on.

This module knows the store only through :class:`OpenDatabase` (a ``conn`` and a ``path``): the
store imports it, never the other way round.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from core.errors import StoreError, UsageError
from core.store._file import check_is_sqlite
from core.store.migrations import SCHEMA_VERSION

__all__ = [
    "BackupResult",
    "OpenDatabase",
    "backup",
    "default_dest",
    "online_copy",
    "query_only_copy",
]

_MODE = 0o600
log = logging.getLogger(__name__)


class OpenDatabase(Protocol):
    """What a backup needs of an open store (:class:`core.store.db.Store` is one)."""

    @property
    def conn(self) -> sqlite3.Connection: ...

    @property
    def path(self) -> Path: ...


@dataclass(frozen=True, slots=True)
class BackupResult:
    """What :func:`backup` wrote: ``dest`` holds ``pages`` pages (``bytes`` bytes) of ``source``."""

    source: Path
    dest: Path
    bytes: int
    pages: int
    seconds: float
    integrity: str

    def as_dict(self) -> dict:
        return {
            "source": str(self.source),
            "dest": str(self.dest),
            "bytes": self.bytes,
            "pages": self.pages,
            "seconds": round(self.seconds, 3),
            "integrity": self.integrity,
        }


def default_dest(db_path: str | os.PathLike[str], now: float | None = None) -> Path:
    """``<db>.backup-YYYYmmdd-HHMMSS`` next to the database, in local time."""
    path = Path(db_path)
    stamp = time.strftime("%Y%m%d-%H%M%S", time.localtime(now))
    return path.with_name(f"{path.name}.backup-{stamp}")


def unused_name(path: Path) -> Path:
    """``path``, or ``path-2``, ``path-3``, ... : the first that does not exist yet."""
    candidate, n = path, 1
    while candidate.exists() or candidate.is_symlink():
        n += 1
        candidate = path.with_name(f"{path.name}-{n}")
    return candidate


def backup(
    source: OpenDatabase | str | os.PathLike[str],
    dest: str | os.PathLike[str] | None = None,
    *,
    overwrite: bool = False,
    verify: bool = True,
) -> BackupResult:
    """Copy a reelscale database to ``dest`` while it stays in use.

    ``source`` is an open :class:`~core.store.db.Store` or the path of a database file; a path is
    opened as it is (an older schema is copied, not migrated). ``dest`` defaults to
    :func:`default_dest`; an existing folder receives a file of that default name.

    >>> backup("reelscale.db", "/backups/reelscale.db")          # doctest: +SKIP
    BackupResult(source=..., dest=PosixPath('/backups/reelscale.db'), ..., integrity='ok')

    :param overwrite: replace an existing ``dest`` (the old copy stays until the new one is done).
    :param verify: run ``PRAGMA integrity_check`` on the copy; a damaged copy is deleted and
        reported as a :class:`~core.errors.StoreError`.
    :raises UsageError: ``dest`` exists (and not ``overwrite``) or is the database itself.
    :raises StoreError: the database cannot be read or the copy cannot be written.
    """
    conn, path, close = _source(source)
    try:
        target = _target(path, dest, overwrite)
        start = time.perf_counter()
        try:
            pages, integrity = online_copy(conn, target, verify=verify)
        except (OSError, sqlite3.Error) as exc:
            raise StoreError(
                f"cannot back up {path} to {target}: {exc}; check the free space and that the "
                "folder is writable"
            ) from exc
        seconds = time.perf_counter() - start
    finally:
        if close:
            conn.close()
    return BackupResult(path, target, target.stat().st_size, pages, seconds, integrity)


def online_copy(conn: sqlite3.Connection, dest: Path, *, verify: bool = True) -> tuple[int, str]:
    """Copy the database behind ``conn`` to ``dest`` (replaced if present) as a single file in
    rollback-journal mode, mode 0600; returns ``(pages, integrity_check result)``.

    Written to ``.<name>.part`` first and renamed, so ``dest`` is never a partial copy.
    """
    dest = Path(dest)
    part = dest.with_name(f".{dest.name}.part")
    part.unlink(missing_ok=True)
    os.close(os.open(part, os.O_WRONLY | os.O_CREAT | os.O_EXCL, _MODE))
    try:
        os.chmod(part, _MODE)
        copy = sqlite3.connect(part)
        try:
            conn.backup(copy)  # one step: a single read snapshot, writers are not blocked
            copy.execute("PRAGMA journal_mode=DELETE")
            pages = copy.execute("PRAGMA page_count").fetchone()[0]
            integrity = "not checked"
            if verify:
                rows = copy.execute("PRAGMA integrity_check").fetchall()
                integrity = "; ".join(str(r[0]) for r in rows)
        finally:
            copy.close()
        if verify and integrity != "ok":
            raise StoreError(
                f"the copy of the database failed its integrity check ({integrity[:200]}); it "
                "was deleted. Run `sqlite3 DB 'PRAGMA integrity_check'` on the database itself"
            )
        os.replace(part, dest)
    finally:
        part.unlink(missing_ok=True)
        part.with_name(f"{part.name}-journal").unlink(missing_ok=True)  # left by a failed copy
    return pages, integrity


def copy_before_migration(conn: sqlite3.Connection, path: Path, version: int) -> Path:
    """Copy the database at schema ``version`` to ``<db>.bak-v<version>`` (or ``-2``, ``-3``...:
    an older copy is never replaced) before :class:`~core.store.db.Store` migrates it."""
    dest = unused_name(path.with_name(f"{path.name}.bak-v{version}"))
    try:
        online_copy(conn, dest, verify=False)
    except (OSError, sqlite3.Error) as exc:
        raise StoreError(
            f"cannot back up {path} to {dest} before upgrading its schema from version "
            f"{version} to {SCHEMA_VERSION}: {exc}; free some space or make the folder "
            "writable, then run again (the database was not changed)"
        ) from exc
    log.info("backed up %s (schema %d) to %s before migrating it", path, version, dest)
    return dest


def query_only_copy(source: str | os.PathLike[str], dest: Path) -> None:
    """Copy the database file ``source`` to ``dest`` through a query-only connection.

    Not ``mode=ro``: a read-only connection leaves -wal and -shm files next to the user's
    database; a query-only one removes them when it closes, like any reader.

    :raises sqlite3.DatabaseError: ``source`` is not a database, or is damaged.
    """
    conn = sqlite3.connect(source)
    conn.execute("PRAGMA query_only = ON")
    target = sqlite3.connect(dest)
    try:
        conn.backup(target)
    finally:
        target.close()
        conn.close()


def _source(source) -> tuple[sqlite3.Connection, Path, bool]:
    """``(connection, path, close_it)`` for an open store or a database path (opened read-only)."""
    if not isinstance(source, str | os.PathLike):
        return source.conn, source.path, False
    path = Path(source)
    if not path.is_file():
        raise StoreError(
            f"no database at {path}, nothing to back up; pass --db with the database file "
            "(or set REELSCALE_DB)"
        )
    check_is_sqlite(path)
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=30.0)
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.Error as exc:
        raise StoreError(f"cannot read database {path}: {exc}") from exc
    return conn, path, True


def _target(path: Path, dest, overwrite: bool) -> Path:
    target = default_dest(path) if dest is None else Path(dest)
    if target.is_dir():
        target = target / default_dest(path).name
    if target.exists() and target.resolve() == path.resolve():
        raise UsageError(f"{target} is the database itself; give another FILE to back up to")
    if target.exists() and not overwrite:
        raise UsageError(
            f"{target} already exists; choose another FILE, or pass --overwrite to replace it"
        )
    if not target.parent.is_dir():
        raise UsageError(f"cannot write {target}: folder {target.parent} does not exist")
    return target
