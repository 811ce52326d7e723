"""The read-only queries behind ``reelscale list`` (:mod:`core.views.listing`).

Reads ``items`` (and its title index ``items_fts``), ``decisions``, ``deferred``, ``runs`` and
``tag_changes``. Every statement is in :data:`SQL` and reads through an index (a test runs
EXPLAIN QUERY PLAN on each), so each answer costs milliseconds on a 300k-item store
(``python -m benchmarks.harness.numbers.listing``). Before a title search the caller brings the
title index up to date (:meth:`~core.store.db.Store.sync_title_index`).
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from core.store.db import Store, stream

__all__ = [
    "SQL",
    "change_counts",
    "change_runs",
    "changes",
    "decided_tags",
    "decisions_of",
    "deferred_by_run",
    "included_tags",
    "item_genres",
    "items_by_id",
    "items_with_tmdb_id",
    "last_change_run",
    "last_run",
    "member_count",
    "members",
    "run_exists",
    "run_info",
    "tag_changes_of",
    "title_matches",
]

_TITLE = "CASE WHEN json_valid(i.metadata) THEN json_extract(i.metadata, '$.title') END"
_ITEM = f"i.id, coalesce({_TITLE}, i.title), i.year, i.type, i.tmdb_id"
_CHANGE_ROWS = (
    f"SELECT c.run_id, c.item_id, coalesce({_TITLE}, i.title), i.year, c.collection, c.action, "
    "c.applied, c.at FROM tag_changes c LEFT JOIN items i ON i.id = c.item_id "
)
SQL = {
    # distinct tags as a loose index scan: one index seek per tag, not a pass over decisions
    "tags": "WITH RECURSIVE t(tag) AS (SELECT min(collection) FROM decisions UNION ALL "
    "SELECT (SELECT min(collection) FROM decisions WHERE collection > t.tag) FROM t "
    "WHERE t.tag IS NOT NULL) SELECT tag FROM t WHERE tag IS NOT NULL",
    "member_count": "SELECT count(*) FROM decisions WHERE collection = :tag AND include = 1",
    "members": f"SELECT {_ITEM}, d.confidence, d.decided_at FROM decisions d "
    "CROSS JOIN items i ON i.id = d.item_id WHERE d.collection = :tag AND d.include = 1 "
    "ORDER BY d.item_id LIMIT :limit",
    "match": "SELECT rowid FROM items_fts WHERE items_fts MATCH :q LIMIT :limit",
    "items": f"SELECT {_ITEM}, CASE WHEN json_valid(i.metadata) THEN "
    "json_extract(i.metadata, '$.original_title') END "
    "FROM json_each(:ids) j CROSS JOIN items i ON i.id = j.value",
    "item": f"SELECT {_ITEM}, CASE WHEN json_valid(i.metadata) THEN "
    "json_extract(i.metadata, '$.genres') END FROM items i WHERE i.id = :id",
    "by_tmdb": "SELECT id FROM items WHERE tmdb_id = :tmdb ORDER BY id LIMIT :limit",
    "tags_of": "SELECT d.item_id, d.collection FROM json_each(:ids) j "
    "CROSS JOIN decisions d ON d.item_id = j.value WHERE d.include = 1",
    "decisions_of": "SELECT collection, include, confidence, model, prompt_hash, rechecks, "
    "run_id, decided_at FROM decisions WHERE item_id = :id",
    "changes_of": "SELECT collection, action, applied, run_id, at FROM tag_changes "
    "WHERE item_id = :id ORDER BY rowid",
    "deferred": "SELECT run_id FROM deferred WHERE item_id = :id",
    "last_change_run": "SELECT max(run_id) FROM tag_changes",
    "run": "SELECT id FROM runs WHERE id = :run",
    "last_run": "SELECT max(id) FROM runs",
    "run_info": "SELECT id, command, status, started_at, finished_at FROM runs WHERE id = :run",
    # runs with tag changes from :run on, as a loose index scan over tag_changes(run_id)
    "change_runs": "WITH RECURSIVE r(id) AS (SELECT min(run_id) FROM tag_changes "
    "WHERE run_id >= :run UNION ALL SELECT (SELECT min(run_id) FROM tag_changes "
    "WHERE run_id > r.id) FROM r WHERE r.id IS NOT NULL) SELECT id FROM r WHERE id IS NOT NULL",
    # per run, so that tag_changes(run_id, collection, action, applied) yields the groups and
    # the rows in order: counting and the first rows never sort
    "change_counts": "SELECT collection, action, applied, count(*) FROM tag_changes "
    "WHERE run_id = :run GROUP BY collection, action, applied",
    "change_counts_in": "SELECT collection, action, applied, count(*) FROM tag_changes "
    "WHERE run_id = :run AND collection = :tag GROUP BY action, applied",
    "changes": _CHANGE_ROWS + "WHERE c.run_id = :run "
    "ORDER BY c.collection, c.action, c.applied LIMIT :limit",
    "changes_in": _CHANGE_ROWS + "WHERE c.run_id = :run AND c.collection = :tag "
    "ORDER BY c.action, c.applied LIMIT :limit",
}

# A ``limit`` below is a row count, or -1 for no limit (SQLite's own convention).


def decided_tags(store: Store) -> Iterator[str]:
    """Every collection tag that has decisions, in order."""
    for (tag,) in store.conn.execute(SQL["tags"]):
        yield tag


def member_count(store: Store, tag: str) -> int:
    """How many items the decisions include in the collection ``tag``."""
    return store.conn.execute(SQL["member_count"], {"tag": tag}).fetchone()[0]


def members(store: Store, tag: str, limit: int) -> list[tuple]:
    """``(id, title, year, type, tmdb_id, confidence, decided_at)`` of the first ``limit``
    members of ``tag``, by item id; the title is TMDB's when known, else the parsed one."""
    return store.conn.execute(SQL["members"], {"tag": tag, "limit": limit}).fetchall()


def title_matches(store: Store, query: str, limit: int) -> list[int]:
    """Ids of the items whose titles match the FTS5 ``query``, at most ``limit``, unranked."""
    return [r[0] for r in store.conn.execute(SQL["match"], {"q": query, "limit": limit})]


def items_with_tmdb_id(store: Store, tmdb_id: int, limit: int) -> list[int]:
    """Ids of the items matched to ``tmdb_id``, ascending, at most ``limit``."""
    params = {"tmdb": tmdb_id, "limit": limit}
    return [r[0] for r in store.conn.execute(SQL["by_tmdb"], params)]


def items_by_id(store: Store, ids: list[int]) -> Iterator[tuple]:
    """``(id, title, year, type, tmdb_id, original_title)`` of the items of ``ids`` that exist,
    in no particular order."""
    return stream(store.conn.execute(SQL["items"], {"ids": json.dumps(ids)}))


def item_genres(store: Store, item_id: int) -> str | None:
    """The genres (a JSON list) of an existing item's metadata, None when it has none."""
    return store.conn.execute(SQL["item"], {"id": item_id}).fetchone()[5]


def included_tags(store: Store, ids: list[int]) -> Iterator[tuple[int, str]]:
    """``(item_id, tag)`` for each collection that includes one of the items ``ids``."""
    return stream(store.conn.execute(SQL["tags_of"], {"ids": json.dumps(ids)}))


def decisions_of(store: Store, item_id: int) -> list[tuple]:
    """``(collection, include, confidence, model, prompt_hash, rechecks, run_id, decided_at)``
    of each decision about the item."""
    return store.conn.execute(SQL["decisions_of"], {"id": item_id}).fetchall()


def tag_changes_of(store: Store, item_id: int) -> list[tuple]:
    """``(collection, action, applied, run_id, at)`` of each tag change of the item, oldest
    first."""
    return store.conn.execute(SQL["changes_of"], {"id": item_id}).fetchall()


def deferred_by_run(store: Store, item_id: int) -> int | None:
    """The run whose budget deferred the item, None when it is not deferred."""
    row = store.conn.execute(SQL["deferred"], {"id": item_id}).fetchone()
    return None if row is None else row[0]


def last_change_run(store: Store) -> int | None:
    """The last run that changed tags, None when no run did."""
    return store.conn.execute(SQL["last_change_run"]).fetchone()[0]


def run_exists(store: Store, run_id: int) -> bool:
    return store.conn.execute(SQL["run"], {"run": run_id}).fetchone() is not None


def last_run(store: Store) -> int | None:
    """The last run recorded, None before the first."""
    return store.conn.execute(SQL["last_run"]).fetchone()[0]


def run_info(store: Store, run_id: int) -> tuple | None:
    """``(id, command, status, started_at, finished_at)`` of the run, None if there is none."""
    return store.conn.execute(SQL["run_info"], {"run": run_id}).fetchone()


def change_runs(store: Store, since: int) -> list[int]:
    """The runs from ``since`` on that changed tags, ascending."""
    return [r[0] for r in store.conn.execute(SQL["change_runs"], {"run": since}).fetchall()]


def change_counts(store: Store, run_id: int, tag: str | None = None) -> list[tuple]:
    """``(collection, action, applied, count)`` of the run's tag changes (of ``tag`` only, when
    given), in that order."""
    name = "change_counts" if tag is None else "change_counts_in"
    return store.conn.execute(SQL[name], {"run": run_id, "tag": tag}).fetchall()


def changes(store: Store, run_id: int, tag: str | None, limit: int) -> list[tuple]:
    """``(run_id, item_id, title, year, collection, action, applied, at)`` of the first
    ``limit`` tag changes of the run (of ``tag`` only, when given): by collection, failed writes
    first, adds before removes."""
    name = "changes" if tag is None else "changes_in"
    params = {"run": run_id, "tag": tag, "limit": limit}
    return store.conn.execute(SQL[name], params).fetchall()
