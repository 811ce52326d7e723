"""Checks on the database file itself, before SQLite opens it (shared by the store and backups)."""

from __future__ import annotations

import os
from pathlib import Path

from core.errors import StoreError

SQLITE_MAGIC = b"SQLite format 3\x00"


def check_is_sqlite(path: Path) -> None:
    """Refuse a folder, a missing or unwritable parent folder, and a file that is not SQLite.

    A missing file is fine (the store creates it); a foreign file is never touched: the user's
    state may be in it.
    """
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


def create_private(path: Path) -> None:
    """Create a missing database file readable by its owner only (0600, whatever the umask):
    it holds the library and the spending. SQLite gives its -wal and -shm files the same mode."""
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        pass
    except OSError as exc:
        raise StoreError(f"cannot create database {path}: {exc.strerror}") from exc
