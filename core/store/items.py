"""Library items from a folder scan, the scan index, and their TMDB matches.

``items`` holds one row per video file (source ``files``, key = its path: the text, or the raw
bytes of a name that is not valid UTF-8, see :func:`file_key`); ``scan_index`` holds its
``(size, mtime_ns, inode)``, so a rescan parses only what changed. The folder source
(:mod:`core.pipeline.source.files`) writes both in batches; the enrich stage reads the movies
back and records what TMDB matched.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import chain

from core.store.db import Store, require_transaction, stream

__all__ = [
    "ITEM_FIELDS",
    "FileMovie",
    "copy_sample_movies",
    "count_file_movies",
    "delete_scanned_item",
    "file_key",
    "file_movies",
    "has_scanned_files",
    "move_scanned_item",
    "next_item_id",
    "record_matches",
    "scanned_file",
    "scanned_files_under",
    "upsert_scanned_items",
]

#: The parsed release fields of a scanned file, in the order the scan functions take them.
ITEM_FIELDS = (
    "title",
    "year",
    "type",
    "season",
    "episode",
    "edition",
    "resolution",
    "quality_source",
    "codec",
    "release_group",
    "tmdb_hint",
)
_COLUMNS = ", ".join(ITEM_FIELDS)
_SET = ", ".join(f"{c} = ?" for c in ITEM_FIELDS)
#: New rows per INSERT statement of a scan. One statement for many rows spares SQLite and
#: Python their work per statement: a first scan's writes took a fifth fewer instructions
#: (cachegrind, 30k scanned rows). 20 rows of 13 values stay under 999, SQLite's oldest limit.
ROWS_PER_INSERT = 20
_INSERT_ITEM = (
    f"INSERT INTO items (id, source, key, {_COLUMNS}) VALUES ",
    f"(?, 'files', ?, {', '.join('?' * len(ITEM_FIELDS))})",
)
_INSERT_INDEX = ("INSERT INTO scan_index (item_id, size, mtime_ns, inode) VALUES ", "(?, ?, ?, ?)")
_ID_OF = "SELECT id FROM items WHERE source = 'files' AND key = ?"


def file_key(path: str) -> str | bytes:
    """The key stored for a path: the text, or the raw bytes for a name that is not valid UTF-8."""
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        return os.fsencode(path)
    return path


def next_item_id(store: Store) -> int:
    """The id the next new item gets (the scan assigns ids itself, to write items and their
    index rows in bulk)."""
    return (store.conn.execute("SELECT max(id) FROM items").fetchone()[0] or 0) + 1


def has_scanned_files(store: Store) -> bool:
    """Whether any file has been scanned into the store (a scan now is a rescan, mostly)."""
    return store.conn.execute("SELECT 1 FROM scan_index LIMIT 1").fetchone() is not None


def scanned_files_under(store: Store, root: str) -> Iterator[tuple[str | bytes, int, int]]:
    """``(key, size * 2 + is_episode, mtime_ns)`` of every indexed file under the folder ``root``.

    The key is the path as :func:`file_key` stored it: bytes for a name that is not valid UTF-8
    (``os.fsdecode`` gives the path back). Decoding, and packing the numbers into one, are left to
    the caller: a generator doing either here would add ~100 ns to every file of a rescan.

    ``scan_index`` is read in order and each row's item looked up (CROSS JOIN keeps that order):
    one B-tree search a row instead of two when starting from the key index, which on the
    300k-file rescan took a quarter off this query. A root holding a small part of a big index
    pays for reading all of ``scan_index`` (~0.3 s per 200k rows), still far less than its walk.
    """
    return stream(
        store.conn.execute(
            "SELECT key, size * 2 + (type = 'episode'), mtime_ns "
            "FROM scan_index CROSS JOIN items ON id = item_id WHERE source = 'files' "
            "AND ((key >= ? AND key < ?) OR (key >= ? AND key < ?))",
            _bounds(root),
        )
    )


def _bounds(root: str) -> tuple[str, str, bytes, bytes]:
    """Key ranges selecting the index rows under ``root``: text paths, then bytes paths.

    ``'0'`` is the character after ``'/'``, so ``[root/, root0)`` is exactly the paths below root.
    """
    prefix = root if root.endswith("/") else root + "/"
    upper = prefix[:-1] + "0"
    return prefix, upper, os.fsencode(prefix), os.fsencode(upper)


def upsert_scanned_items(
    store: Store,
    new_items: list[tuple],
    new_index: list[tuple],
    changed: Iterable[tuple[str | bytes, int, int, int, tuple]],
) -> None:
    """Write one batch of a scan in one transaction (commits).

    :param new_items: ``(id, key, *fields)`` per new file, ``fields`` in :data:`ITEM_FIELDS` order.
    :param new_index: ``(id, size, mtime_ns, inode)`` per new file.
    :param changed: ``(key, size, mtime_ns, inode, fields)`` per indexed file that changed.
    """
    conn = store.conn
    with store.atomic():
        _insert(conn, _INSERT_ITEM, new_items)
        _insert(conn, _INSERT_INDEX, new_index)
        for key, size, mtime_ns, inode, fields in changed:
            item_id = conn.execute(_ID_OF, (key,)).fetchone()[0]
            conn.execute(
                "UPDATE scan_index SET size = ?, mtime_ns = ?, inode = ? WHERE item_id = ?",
                (size, mtime_ns, inode, item_id),
            )
            conn.execute(f"UPDATE items SET {_SET} WHERE id = ?", (*fields, item_id))


def _insert(conn, statement: tuple[str, str], rows: list[tuple]) -> None:
    """Insert ``rows`` with ``statement`` (``INSERT ... VALUES `` and one row's placeholders),
    :data:`ROWS_PER_INSERT` rows per statement."""
    head, one = statement
    n = ROWS_PER_INSERT
    whole = len(rows) - len(rows) % n
    if whole:
        many = head + ", ".join([one] * n)
        conn.executemany(
            many, (tuple(chain.from_iterable(rows[i : i + n])) for i in range(0, whole, n))
        )
    if whole < len(rows):
        conn.executemany(head + one, rows[whole:])


def scanned_file(store: Store, key: str | bytes) -> tuple[int, int, int, int]:
    """``(item_id, inode, size, mtime_ns)`` of the indexed file ``key``."""
    return store.conn.execute(
        "SELECT id, inode, size, mtime_ns FROM items JOIN scan_index ON item_id = id "
        "WHERE source = 'files' AND key = ?",
        (key,),
    ).fetchone()


def delete_scanned_item(store: Store, item_id: int) -> None:
    """Delete a scanned file's item and index row; part of the caller's ``store.atomic()``."""
    conn = require_transaction(store)
    conn.execute("DELETE FROM scan_index WHERE item_id = ?", (item_id,))
    conn.execute("DELETE FROM items WHERE id = ?", (item_id,))


def move_scanned_item(store: Store, item_id: int, new_key: str | bytes) -> None:
    """Item ``item_id`` moved to ``new_key``: the item this scan wrote for ``new_key`` gives way
    to it, which takes its key and parsed fields and keeps its id (and so its enrichment and
    decisions). Part of the caller's ``store.atomic()``."""
    conn = require_transaction(store)
    fresh_id = conn.execute(_ID_OF, (new_key,)).fetchone()[0]
    fields = conn.execute(f"SELECT {_COLUMNS} FROM items WHERE id = ?", (fresh_id,)).fetchone()
    conn.execute("DELETE FROM scan_index WHERE item_id = ?", (fresh_id,))
    conn.execute("DELETE FROM items WHERE id = ?", (fresh_id,))
    conn.execute(f"UPDATE items SET key = ?, {_SET} WHERE id = ?", (new_key, *fields, item_id))


@dataclass(slots=True)
class FileMovie:
    """A movie item from a folder scan, with what matching found so far."""

    id: int
    title: str | None
    year: int | None
    tmdb_id: int | None
    confidence: float | None
    status: str | None
    tmdb_hint: int | None


_FILE_MOVIES = "FROM items WHERE type = 'movie' AND source = 'files'"


def count_file_movies(store: Store) -> int:
    return store.conn.execute(f"SELECT count(*) {_FILE_MOVIES}").fetchone()[0]


def file_movies(store: Store, chunk: int) -> Iterator[list[FileMovie]]:
    """Every movie item from a folder scan, by id, ``chunk`` at a time (streamed)."""
    rows = store.conn.execute(
        "SELECT id, title, year, tmdb_id, match_confidence, match_status, tmdb_hint "
        f"{_FILE_MOVIES} ORDER BY id"
    )
    while batch := rows.fetchmany(chunk):
        yield [FileMovie(*row) for row in batch]


def record_matches(store: Store, rows: list[tuple]) -> None:
    """Write what matching found, in one transaction (commits).

    :param rows: ``(tmdb_id, confidence, status, error, keep_metadata, metadata_json, at,
        item_id)``; with ``keep_metadata`` true the stored metadata stays as it is.
    """
    with store.atomic():
        store.conn.executemany(
            "UPDATE items SET tmdb_id = ?, match_confidence = ?, match_status = ?, "
            "match_error = ?, metadata = CASE WHEN ? THEN metadata ELSE ? END, enriched_at = ? "
            "WHERE id = ?",
            rows,
        )


def copy_sample_movies(store: Store, source: str | os.PathLike[str], limit: int) -> None:
    """Copy the first ``limit`` movies with metadata of the database at ``source`` into
    ``store`` (a sample of a real library for ``recommend-batch-size``)."""
    store.conn.execute("ATTACH DATABASE ? AS src", (os.fspath(source),))
    with store.atomic():
        store.conn.execute(
            "INSERT INTO items SELECT * FROM src.items WHERE type = "
            "'movie' AND metadata IS NOT NULL ORDER BY id LIMIT ?",
            (limit,),
        )
    store.conn.execute("DETACH DATABASE src")
