"""One production run at a time per database.

Two overlapping runs would judge the same movies twice and fight over the tags (Kometa-AI's
"+355 tag spike"). ``run_lock`` holds an OS file lock next to the database for the whole run: a
second run fails at once with :class:`~core.errors.RunLocked` and touches nothing. The OS drops
the lock when the holder dies, even by ``kill -9``, so a crash never leaves a stale lock behind.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

from filelock import FileLock, Timeout

from core.errors import RunLocked, StoreError


@contextlib.contextmanager
def run_lock(db_path: str | os.PathLike[str]) -> Iterator[Path]:
    """Hold ``<db>.lock`` for the duration of the block; raise RunLocked if another run has it."""
    path = Path(f"{os.fspath(db_path)}.lock")
    if not path.parent.is_dir():  # the store's own message, not the lock file's
        raise StoreError(f"cannot create database {db_path}: folder {path.parent} does not exist")
    lock = FileLock(path, timeout=0, mode=0o600)
    try:
        lock.acquire()
    except Timeout:
        raise RunLocked(
            f"another reelscale run is using {db_path} (lock {path} is held); wait for it to "
            "finish, or stop it first: nothing was changed"
        ) from None
    except OSError as exc:
        raise StoreError(f"cannot create the run lock {path}: {exc.strerror or exc}") from exc
    try:
        yield path
    finally:
        lock.release()
