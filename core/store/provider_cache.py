"""The SQLite tier of the provider cache (:mod:`core.pipeline.enrich.cache`) and its counters.

``provider_cache`` holds one row per entry: the value as JSON text, its size in bytes, when it
expires and when it was last read. ``cache_counters`` holds the totals (hits, misses, expired,
evictions per tier) over all runs. The cache buffers its writes and flushes them in one
transaction, so the writes here are parts of the caller's ``store.atomic()``.
"""

from __future__ import annotations

from collections.abc import Iterator

from core.store.db import Store, require_transaction, stream

__all__ = [
    "add_counters",
    "cache_entry",
    "cache_size",
    "counter_totals",
    "delete_all_entries",
    "delete_entries",
    "delete_expired_entries",
    "entry_sizes",
    "lru_entries",
    "namespace_stats",
    "put_entries",
    "touch_entries",
    "unexpired_entries",
]

#: Keys per ``IN (...)`` list: well under SQLite's limit on bound parameters.
KEYS_PER_QUERY = 500


def cache_size(store: Store) -> tuple[int, int]:
    """``(entries, bytes)`` in the SQLite tier."""
    return store.conn.execute(
        "SELECT count(*), coalesce(sum(size), 0) FROM provider_cache"
    ).fetchone()


def cache_entry(store: Store, key: str) -> tuple[str, float] | None:
    """``(value_json, expires_at)`` of ``key``, expired or not; None when there is none."""
    return store.conn.execute(
        "SELECT value, expires_at FROM provider_cache WHERE key = ?", (key,)
    ).fetchone()


def unexpired_entries(store: Store, keys: list[str], now: float) -> list[tuple[str, str, float]]:
    """``(key, value_json, expires_at)`` of those of ``keys`` (at most :data:`KEYS_PER_QUERY`)
    that are cached and not expired at ``now``."""
    return store.conn.execute(
        "SELECT key, value, expires_at FROM provider_cache "
        f"WHERE expires_at > ? AND key IN ({','.join('?' * len(keys))})",
        (now, *keys),
    ).fetchall()


def entry_sizes(store: Store, keys: list[str]) -> dict[str, int]:
    """``{key: size}`` of those of ``keys`` that are cached (any number of keys)."""
    sizes: dict[str, int] = {}
    for i in range(0, len(keys), KEYS_PER_QUERY):
        chunk = keys[i : i + KEYS_PER_QUERY]
        sizes.update(
            store.conn.execute(
                f"SELECT key, size FROM provider_cache WHERE key IN ({','.join('?' * len(chunk))})",
                chunk,
            ).fetchall()
        )
    return sizes


def put_entries(store: Store, rows: list[tuple[str, str, int, float, float]]) -> None:
    """Insert or replace ``(key, value_json, size, expires_at, accessed_at)`` rows; part of the
    caller's ``store.atomic()``."""
    require_transaction(store).executemany(
        "INSERT OR REPLACE INTO provider_cache (key, value, size, expires_at, accessed_at) "
        "VALUES (?, ?, ?, ?, ?)",
        rows,
    )


def touch_entries(store: Store, rows: list[tuple[float, str]]) -> None:
    """Set ``(accessed_at, key)``; part of the caller's ``store.atomic()``."""
    require_transaction(store).executemany(
        "UPDATE provider_cache SET accessed_at = ? WHERE key = ?", rows
    )


def delete_expired_entries(store: Store, now: float) -> list[int]:
    """Delete the entries expired at ``now``; returns their sizes. Part of the caller's
    ``store.atomic()``."""
    return [
        size
        for (size,) in require_transaction(store).execute(
            "DELETE FROM provider_cache WHERE expires_at <= ? RETURNING size", (now,)
        )
    ]


def delete_all_entries(store: Store) -> list[int]:
    """Delete every entry; returns their sizes. Part of the caller's ``store.atomic()``."""
    return [
        size
        for (size,) in require_transaction(store).execute(
            "DELETE FROM provider_cache RETURNING size"
        )
    ]


def lru_entries(store: Store) -> Iterator[tuple[str, int]]:
    """``(key, size)`` of every entry, least recently accessed first (streamed: the caller stops
    once it has freed enough)."""
    return stream(
        store.conn.execute("SELECT key, size FROM provider_cache ORDER BY accessed_at, key")
    )


def delete_entries(store: Store, keys: list[str]) -> None:
    """Delete the entries of ``keys``; part of the caller's ``store.atomic()``."""
    require_transaction(store).executemany(
        "DELETE FROM provider_cache WHERE key = ?", [(key,) for key in keys]
    )


def add_counters(store: Store, rows: list[tuple[str, str, int]]) -> None:
    """Add ``(tier, name, delta)`` to the totals; part of the caller's ``store.atomic()``."""
    require_transaction(store).executemany(
        "INSERT INTO cache_counters (tier, name, value) VALUES (?, ?, ?) "
        "ON CONFLICT (tier, name) DO UPDATE SET value = value + excluded.value",
        rows,
    )


def counter_totals(store: Store) -> list[tuple[str, str, int]]:
    """``(tier, name, total)`` of every counter."""
    return store.conn.execute("SELECT tier, name, value FROM cache_counters").fetchall()


def namespace_stats(store: Store, now: float) -> list[tuple[str, int, int, int, int]]:
    """Per namespace (the key up to its ``:``): ``(namespace, entries, bytes, expired at now,
    negative)``; a negative entry is a cached "not found" (value ``null``)."""
    return store.conn.execute(
        "SELECT substr(key, 1, instr(key, ':') - 1) AS ns, count(*), sum(size), "
        "sum(expires_at <= ?), sum(value = 'null') FROM provider_cache GROUP BY ns",
        (now,),
    ).fetchall()
