"""Decisions per (item, collection), the items a budget deferred, and the memberships they make.

``decisions`` holds the last judgment of each (item, collection tag) pair: include or not, the
confidence, and what it was judged on (model, prompt hash, item fingerprint), so the planner can
tell what changed; ``deferred`` the items a run's budget left out, which the next run takes first.
A request's decisions are written with the request in one transaction
(:mod:`core.pipeline.classify.record`), so the writes here are parts of the caller's
``store.atomic()``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from core.store.db import Store, require_transaction, stream

__all__ = [
    "DECISION_COLUMNS",
    "PLAN_COLUMNS",
    "all_verdicts",
    "arr_verdicts",
    "clear_deferred",
    "items_with_decisions",
    "member_ids",
    "member_tmdb_ids",
    "previous_decisions",
    "record_deferred",
    "upsert_decisions",
]

#: The columns of a row given to :func:`upsert_decisions`, in order.
DECISION_COLUMNS = (
    "item_id",
    "collection",
    "include",
    "confidence",
    "model",
    "prompt_hash",
    "fingerprint",
    "rechecks",
    "run_id",
    "request_id",
    "decided_at",
)
_UPSERT = (
    f"INSERT OR REPLACE INTO decisions ({', '.join(DECISION_COLUMNS)}) "
    f"VALUES ({', '.join('?' * len(DECISION_COLUMNS))})"
)
#: The columns of a row of :func:`items_with_decisions`, in order.
PLAN_COLUMNS = (
    "item_id",
    "title",
    "year",
    "metadata",
    "collection",
    "include",
    "confidence",
    "prompt_hash",
    "fingerprint",
    "rechecks",
    "deferred",
)


def items_with_decisions(store: Store, item_type: str = "movie") -> Iterator[tuple]:
    """Every item of ``item_type`` (``movie`` or ``series``, whichever source wrote it) with each
    of its decisions, by item id: one row per decision (one row with the decision columns None
    for an item never judged), :data:`PLAN_COLUMNS`. Streamed."""
    return stream(
        store.conn.execute(
            "SELECT i.id, i.title, i.year, i.metadata, d.collection, d.include, d.confidence, "
            "d.prompt_hash, d.fingerprint, d.rechecks, df.item_id IS NOT NULL "
            "FROM items i LEFT JOIN decisions d ON d.item_id = i.id "
            "LEFT JOIN deferred df ON df.item_id = i.id "
            "WHERE i.type = ? ORDER BY i.id",
            (item_type,),
        )
    )


def previous_decisions(
    store: Store, item_ids: list[int]
) -> dict[tuple[int, str], tuple[bool, int]]:
    """``{(item_id, tag): (include, rechecks)}`` of the stored decisions of the items (one
    query for a request's items, not one a pair); a pair never decided is absent."""
    marks = ", ".join("?" * len(item_ids))
    rows = store.conn.execute(
        f"SELECT item_id, collection, include, rechecks FROM decisions WHERE item_id IN ({marks})",
        item_ids,
    )
    return {(item_id, tag): (bool(include), rechecks) for item_id, tag, include, rechecks in rows}


def upsert_decisions(store: Store, rows: list[tuple]) -> None:
    """Insert or replace decisions, rows of :data:`DECISION_COLUMNS`; part of the caller's
    ``store.atomic()``."""
    require_transaction(store).executemany(_UPSERT, rows)


def clear_deferred(store: Store, item_ids: Iterable[int]) -> None:
    """The items are judged: no longer deferred. Part of the caller's ``store.atomic()``."""
    require_transaction(store).executemany(
        "DELETE FROM deferred WHERE item_id = ?", [(item_id,) for item_id in item_ids]
    )


def record_deferred(store: Store, run_id: int, item_ids: list[int]) -> None:
    """The run's budget left these items out (commits)."""
    with store.atomic():
        store.conn.executemany(
            "INSERT OR REPLACE INTO deferred (item_id, run_id) VALUES (?, ?)",
            [(i, run_id) for i in item_ids],
        )


def all_verdicts(store: Store) -> Iterator[tuple[int, str, int]]:
    """``(item_id, collection, include)`` of every decision."""
    return stream(store.conn.execute("SELECT item_id, collection, include FROM decisions"))


def member_ids(store: Store, tag: str, item_type: str | None = None) -> set[int]:
    """The items (of ``item_type``, ``movie`` or ``series``, when given) the decisions include
    in the collection ``tag``."""
    if item_type is None:
        rows = store.conn.execute(
            "SELECT item_id FROM decisions WHERE collection = ? AND include = 1", (tag,)
        )
    else:
        rows = store.conn.execute(
            "SELECT d.item_id FROM decisions d JOIN items i ON i.id = d.item_id "
            "WHERE d.collection = ? AND d.include = 1 AND i.type = ?",
            (tag, item_type),
        )
    return {item_id for (item_id,) in rows}


def arr_verdicts(store: Store, tag: str, source: str) -> Iterator[tuple[str, int, int]]:
    """``(the server's id as stored, item_id, include)`` of every item of ``source`` (``radarr``
    or ``sonarr``) judged for the collection ``tag``."""
    return stream(
        store.conn.execute(
            "SELECT i.key, i.id, d.include FROM decisions d JOIN items i ON i.id = d.item_id "
            "WHERE d.collection = ? AND i.source = ?",
            (tag, source),
        )
    )


def member_tmdb_ids(store: Store, tag: str) -> list[int]:
    """TMDB ids of the movies the decisions include in the collection ``tag``, ascending."""
    return [
        tmdb_id
        for (tmdb_id,) in store.conn.execute(
            "SELECT DISTINCT i.tmdb_id FROM decisions d JOIN items i ON i.id = d.item_id "
            "WHERE d.collection = ? AND d.include = 1 AND i.tmdb_id IS NOT NULL "
            "AND i.type = 'movie' "
            "ORDER BY i.tmdb_id",
            (tag,),
        )
    ]
