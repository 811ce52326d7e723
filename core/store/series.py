"""Series grouped from a folder scan's episode files, and their members in collections.

A series is an ``items`` row (source ``files-series``, type ``series``, key
``series:<title>|<year>``, see :func:`series_key`; source ``files`` stays exactly the scanned
files); each episode item points to it through ``series_id`` (m008). Grouping
(:mod:`core.pipeline.source.series`) reads the episodes with no series yet, writes new series and
links, and drops series left without episodes. The enrich stage matches series like movies
(:func:`file_series`), and the Kometa file lists their TMDB and TVDB ids
(:func:`member_series_ids`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from core.store.db import Store, require_transaction, stream
from core.store.items import FileMovie

__all__ = [
    "SeriesRow",
    "count_file_series",
    "file_series",
    "insert_series",
    "link_episode_runs",
    "link_episodes",
    "member_series_ids",
    "prune_empty_series",
    "series_key",
    "series_overview",
    "stored_series",
    "ungrouped_episodes",
]

SOURCE = "files-series"
_SERIES = f"FROM items WHERE type = 'series' AND source = '{SOURCE}'"


def series_key(norm_title: str, year: int | None) -> str:
    """The ``items.key`` of a folder series: never a path (paths start with ``/``)."""
    return f"series:{norm_title}|{year or ''}"


def ungrouped_episodes(store: Store, chunk: int) -> Iterator[list[tuple]]:
    """``(id, key, title, year)`` of every folder episode without a series, ``chunk`` at a time.

    Ids only go up while the caller links episodes, so the partial index ``items_ungrouped``
    is read in id order from where the last chunk ended.
    """
    last = 0
    while True:
        rows = store.conn.execute(
            "SELECT id, key, title, year FROM items INDEXED BY items_ungrouped "
            "WHERE type = 'episode' AND series_id IS NULL AND id > ? ORDER BY id LIMIT ?",
            (last, chunk),
        ).fetchall()
        if not rows:
            return
        yield rows
        last = rows[-1][0]


def stored_series(store: Store) -> Iterator[tuple[int, str]]:
    """``(id, key)`` of every folder series."""
    return stream(store.conn.execute(f"SELECT id, key {_SERIES}"))


def insert_series(store: Store, rows: list[tuple[str, str | None, int | None, int | None]]) -> list:
    """Insert series ``(key, title, year, tmdb_hint)``; their new ids, in order. Part of the
    caller's ``store.atomic()``."""
    conn = require_transaction(store)
    first = (conn.execute("SELECT max(id) FROM items").fetchone()[0] or 0) + 1
    conn.executemany(
        "INSERT INTO items (id, source, key, type, title, year, tmdb_hint) "
        f"VALUES (?, '{SOURCE}', ?, 'series', ?, ?, ?)",
        [(first + i, *row) for i, row in enumerate(rows)],
    )
    return list(range(first, first + len(rows)))


def link_episodes(store: Store, links: Iterable[tuple[int, int]]) -> None:
    """Point episodes at their series, ``(series_id, episode_id)`` pairs (any iterable: a
    generator keeps a 300k-episode first scan from building the list). Part of the caller's
    ``store.atomic()``."""
    require_transaction(store).executemany("UPDATE items SET series_id = ? WHERE id = ?", links)


def link_episode_runs(store: Store, runs: Iterable[tuple[int, int, int]]) -> None:
    """Point every episode without a series whose id is in ``[first, last]`` at ``series_id``,
    for each ``(series_id, first, last)``. The scan writes a show's files one after another, so
    a first scan's 300k episodes are a few thousand runs: one statement each, not one per
    episode. Part of the caller's ``store.atomic()``."""
    require_transaction(store).executemany(
        "UPDATE items SET series_id = ? "
        "WHERE id BETWEEN ? AND ? AND type = 'episode' AND series_id IS NULL",
        runs,
    )


def prune_empty_series(store: Store) -> int:
    """Delete the folder series no episode points to (their decisions go with them); their
    count. Part of the caller's ``store.atomic()``."""
    return (
        require_transaction(store)
        .execute(
            f"DELETE FROM items WHERE type = 'series' AND source = '{SOURCE}' AND NOT EXISTS "
            "(SELECT 1 FROM items e INDEXED BY items_series WHERE e.series_id = items.id)"
        )
        .rowcount
    )


def count_file_series(store: Store) -> int:
    return store.conn.execute(f"SELECT count(*) {_SERIES}").fetchone()[0]


def file_series(store: Store, chunk: int) -> Iterator[list[FileMovie]]:
    """Every folder series, by id, ``chunk`` at a time, in the shape the enrich stage matches."""
    rows = store.conn.execute(
        "SELECT id, title, year, tmdb_id, match_confidence, match_status, tmdb_hint "
        f"{_SERIES} ORDER BY id"
    )
    while batch := rows.fetchmany(chunk):
        yield [FileMovie(*row) for row in batch]


@dataclass(slots=True)
class SeriesRow:
    """A folder series as grouping left it: what ``reelscale scan`` and the tests show."""

    id: int
    title: str | None
    year: int | None
    episodes: int
    seasons: int
    tmdb_id: int | None


def series_overview(store: Store) -> Iterator[SeriesRow]:
    """Every folder series with its episode files and distinct seasons (specials count as
    season 0), by id."""
    rows = store.conn.execute(
        "SELECT s.id, s.title, s.year, count(e.id), count(DISTINCT e.season), s.tmdb_id "
        "FROM items s JOIN items e INDEXED BY items_series ON e.series_id = s.id "
        f"WHERE s.type = 'series' AND s.source = '{SOURCE}' GROUP BY s.id ORDER BY s.id"
    )
    return (SeriesRow(*row) for row in stream(rows))


def member_series_ids(store: Store, tag: str) -> list[tuple[int | None, int | None]]:
    """``(tmdb_id, tvdb_id)`` of the series the decisions include in the collection ``tag``,
    by TMDB id (the TVDB id comes from the series' TMDB details, when TMDB knows it)."""
    return list(
        store.conn.execute(
            "SELECT DISTINCT i.tmdb_id, json_extract(i.metadata, '$.tvdb_id') "
            "FROM decisions d JOIN items i ON i.id = d.item_id "
            "WHERE d.collection = ? AND d.include = 1 AND i.type = 'series' "
            "AND (i.tmdb_id IS NOT NULL OR json_extract(i.metadata, '$.tvdb_id') IS NOT NULL) "
            "ORDER BY i.tmdb_id",
            (tag,),
        )
    )
