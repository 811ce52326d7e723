"""The read-only queries of ``reelscale export`` (:mod:`core.views.export`).

Two streams in item order, which the export merges: ``decisions`` is keyed by
``(item_id, collection)``, so its primary key yields that order and neither query sorts (a test
runs EXPLAIN QUERY PLAN on each statement of :data:`SQL`).
"""

from __future__ import annotations

from collections.abc import Iterator

from core.store.db import Store, stream

__all__ = ["SQL", "decisions_in_item_order", "items_in_order"]

SQL = {
    "items": "SELECT id, key, title, year, type, tmdb_id, match_confidence, match_status, "
    "metadata FROM items ORDER BY id",
    "decisions": "SELECT item_id, collection, include, confidence, decided_at FROM decisions "
    "ORDER BY item_id, collection",
}


def items_in_order(store: Store) -> Iterator[tuple]:
    """``(id, key, title, year, type, tmdb_id, match_confidence, match_status, metadata)`` of
    every item, by id."""
    return stream(store.conn.execute(SQL["items"]))


def decisions_in_item_order(store: Store) -> Iterator[tuple[int, str, int, float, float]]:
    """``(item_id, collection, include, confidence, decided_at)`` of every decision, by item id
    then collection."""
    return stream(store.conn.execute(SQL["decisions"]))
