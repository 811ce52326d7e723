"""The mirror of a Radarr library in ``items`` (source ``radarr``, key = the Radarr movie id).

A sync writes the movies batch by batch (:func:`upsert_radarr_items`), rewriting a row only when
its content changed, and notes every key it saw in a temporary table (the library's size in
SQLite, not in Python); once the whole list arrived, :func:`delete_unseen_radarr_items` removes
the movies Radarr no longer has (their decisions cascade).
"""

from __future__ import annotations

from dataclasses import dataclass

from core.store.db import Store

__all__ = [
    "RADARR",
    "UpsertCounts",
    "count_radarr_items",
    "delete_unseen_radarr_items",
    "reset_seen_radarr_keys",
    "upsert_radarr_items",
]

RADARR = "radarr"


@dataclass(slots=True)
class UpsertCounts:
    """What :func:`upsert_radarr_items` did with a batch. ``repeats``: keys an earlier batch of
    this sync already wrote (left as they were: the first copy wins), ``repeated_keys`` a few."""

    repeats: int = 0
    repeated_keys: tuple[str, ...] = ()
    added: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def seen(self) -> int:
        return self.added + self.updated + self.unchanged


def reset_seen_radarr_keys(store: Store) -> None:
    """Start (or end) a sync: forget the keys seen (commits)."""
    with store.atomic():
        store.conn.execute("CREATE TEMP TABLE IF NOT EXISTS radarr_seen (key TEXT PRIMARY KEY)")
        store.conn.execute("DELETE FROM temp.radarr_seen")


def upsert_radarr_items(store: Store, rows: dict[str, tuple], now: float) -> UpsertCounts:
    """Write one batch of a sync in one transaction (commits), and note its keys as seen.

    :param rows: ``{key: (title, year, tmdb_id, metadata_json)}``. A new key is inserted; a
        known one is rewritten only when those fields changed or it is not yet a matched movie.
    """
    counts = UpsertCounts()
    conn = store.conn
    marks = ",".join("?" * len(rows))
    with store.atomic():
        repeats = {
            key
            for (key,) in conn.execute(
                f"SELECT key FROM temp.radarr_seen WHERE key IN ({marks})", tuple(rows)
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
                (RADARR, *rows),
            )
        }
        inserts, updates = [], []
        for key, fields in rows.items():
            old = existing.get(key)
            if old is None:
                inserts.append((RADARR, key, *fields, now))
            elif old[1:5] != fields or old[5] != "movie" or old[6] != "matched":
                updates.append((*fields, now, old[0]))
            else:
                counts.unchanged += 1
        conn.executemany(
            "INSERT INTO items (source, key, title, year, tmdb_id, metadata, enriched_at, type, "
            "match_status, match_confidence) VALUES (?, ?, ?, ?, ?, ?, ?, 'movie', 'matched', 1.0)",
            inserts,
        )
        conn.executemany(
            "UPDATE items SET title = ?, year = ?, tmdb_id = ?, metadata = ?, enriched_at = ?, "
            "type = 'movie', match_status = 'matched', match_confidence = 1.0, "
            "match_error = NULL WHERE id = ?",
            updates,
        )
        conn.executemany("INSERT INTO temp.radarr_seen (key) VALUES (?)", ((k,) for k in rows))
    counts.added, counts.updated = len(inserts), len(updates)
    return counts


def count_radarr_items(store: Store) -> int:
    row = store.conn.execute("SELECT count(*) FROM items WHERE source = ?", (RADARR,)).fetchone()
    return row[0]


def delete_unseen_radarr_items(store: Store) -> int:
    """Delete the Radarr movies this sync did not see (commits); returns how many."""
    with store.atomic():
        return store.conn.execute(
            "DELETE FROM items WHERE source = ? AND key NOT IN (SELECT key FROM temp.radarr_seen)",
            (RADARR,),
        ).rowcount
