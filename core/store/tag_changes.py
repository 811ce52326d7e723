"""The tags each run added to or removed from movies, and whether the write happened.

One ``tag_changes`` row per (run, item, collection, action); ``applied`` is 1 when the tag was
written, 0 when the write failed, the run stopped first or it was a dry run. ``reelscale list
--changed-since`` reads them back (:mod:`core.store.listing`).
"""

from __future__ import annotations

from core.store.db import Store

__all__ = ["TAG_CHANGE_COLUMNS", "record_tag_changes"]

#: The columns of a row given to :func:`record_tag_changes`, in order.
TAG_CHANGE_COLUMNS = ("run_id", "item_id", "collection", "action", "applied", "at")


def record_tag_changes(store: Store, rows: list[tuple]) -> None:
    """Store rows of :data:`TAG_CHANGE_COLUMNS` (commits)."""
    with store.atomic():
        store.conn.executemany(
            "INSERT INTO tag_changes (run_id, item_id, collection, action, applied, at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            rows,
        )
