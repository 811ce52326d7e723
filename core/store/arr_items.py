"""The mirror of an *arr library in ``items``: Radarr's movies (source ``radarr``, type ``movie``,
key = the Radarr movie id) and Sonarr's series (source ``sonarr``, type ``series``, key = the Sonarr
series id).

A sync writes the items batch by batch (:func:`upsert_arr_items`), rewriting a row only when its
content changed, and notes every key it saw in a temporary table (the library's size in SQLite,
not in Python); once the whole list arrived, :func:`delete_unseen_arr_items` removes the items the
server no longer has (their decisions cascade). Each source has its own rows and its own seen
keys, so a combined run's Radarr sync never touches Sonarr's series and the other way round.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.store.db import Store

__all__ = [
    "ITEM_TYPE",
    "RADARR",
    "SONARR",
    "UpsertCounts",
    "count_arr_items",
    "delete_unseen_arr_items",
    "reset_seen_keys",
    "upsert_arr_items",
]

RADARR = "radarr"
SONARR = "sonarr"
#: The ``items.type`` of each source's rows.
ITEM_TYPE = {RADARR: "movie", SONARR: "series"}


@dataclass(slots=True)
class UpsertCounts:
    """What :func:`upsert_arr_items` did with a batch. ``repeats``: keys an earlier batch of
    this sync already wrote (left as they were: the first copy wins), ``repeated_keys`` a few."""

    repeats: int = 0
    repeated_keys: tuple[str, ...] = ()
    added: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def seen(self) -> int:
        return self.added + self.updated + self.unchanged


def reset_seen_keys(store: Store, source: str) -> None:
    """Start (or end) a sync of ``source``: forget the keys it saw (commits)."""
    with store.atomic():
        store.conn.execute(
            "CREATE TEMP TABLE IF NOT EXISTS arr_seen (source TEXT NOT NULL, key TEXT NOT NULL, "
            "PRIMARY KEY (source, key))"
        )
        store.conn.execute("DELETE FROM temp.arr_seen WHERE source = ?", (source,))


def upsert_arr_items(store: Store, source: str, rows: dict[str, tuple], now: float) -> UpsertCounts:
    """Write one batch of a sync of ``source`` in one transaction (commits), and note its keys
    as seen.

    :param rows: ``{key: (title, year, tmdb_id, metadata_json)}``. A new key is inserted; a
        known one is rewritten only when those fields changed or it is not yet a matched item of
        the source's type (:data:`ITEM_TYPE`).
    """
    item_type = ITEM_TYPE[source]
    counts = UpsertCounts()
    conn = store.conn
    marks = ",".join("?" * len(rows))
    with store.atomic():
        repeats = {
            key
            for (key,) in conn.execute(
                f"SELECT key FROM temp.arr_seen WHERE source = ? AND key IN ({marks})",
                (source, *rows),
            )
        }
        if repeats:
            rows = {key: fields for key, fields in rows.items() if key not in repeats}
            counts.repeats = len(repeats)
            counts.repeated_keys = tuple(sorted(repeats, key=lambda k: (len(k), k))[:3])
        if not rows:
            return counts
        marks = ",".join("?" * len(rows))
        existing = {
            row[0]: row[1:]
            for row in conn.execute(
                "SELECT key, id, title, year, tmdb_id, metadata, type, match_status FROM items "
                f"WHERE source = ? AND key IN ({marks})",
                (source, *rows),
            )
        }
        inserts, updates = [], []
        for key, fields in rows.items():
            old = existing.get(key)
            if old is None:
                inserts.append((source, key, *fields, now, item_type))
            elif old[1:5] != fields or old[5] != item_type or old[6] != "matched":
                updates.append((*fields, now, item_type, old[0]))
            else:
                counts.unchanged += 1
        conn.executemany(
            "INSERT INTO items (source, key, title, year, tmdb_id, metadata, enriched_at, type, "
            "match_status, match_confidence) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'matched', 1.0)",
            inserts,
        )
        conn.executemany(
            "UPDATE items SET title = ?, year = ?, tmdb_id = ?, metadata = ?, enriched_at = ?, "
            "type = ?, match_status = 'matched', match_confidence = 1.0, "
            "match_error = NULL WHERE id = ?",
            updates,
        )
        conn.executemany(
            "INSERT INTO temp.arr_seen (source, key) VALUES (?, ?)", ((source, k) for k in rows)
        )
    counts.added, counts.updated = len(inserts), len(updates)
    return counts


def count_arr_items(store: Store, source: str) -> int:
    row = store.conn.execute("SELECT count(*) FROM items WHERE source = ?", (source,)).fetchone()
    return row[0]


def delete_unseen_arr_items(store: Store, source: str) -> int:
    """Delete the items of ``source`` this sync did not see (commits); returns how many."""
    with store.atomic():
        return store.conn.execute(
            "DELETE FROM items WHERE source = ? AND key NOT IN "
            "(SELECT key FROM temp.arr_seen WHERE source = ?)",
            (source, source),
        ).rowcount
