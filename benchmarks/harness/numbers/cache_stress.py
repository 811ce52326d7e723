"""The provider cache's SQLite tier under a 1M-insert stress: the size bound must hold.

    reelscale bench numbers cache-stress [--inserts 1000000] [--bound-mb 32]

Writes ``results/numbers/cache-stress.json``: the largest SQLite-tier size seen after any flush
(must be <= the bound), the final size, rows, evictions, the database file size and the time.
"""

from __future__ import annotations

import os
import tempfile
import time

from core.pipeline.enrich.cache import CacheConfig, ProviderCache
from core.store.db import open_store


def stress(inserts: int = 1_000_000, bound_mb: float = 32.0) -> dict:
    """Insert ``inserts`` entries through a cache bounded at ``bound_mb``; the figures above."""
    bound = int(bound_mb * 2**20)
    value = {"genres": ["Drama"], "overview": "o" * 220, "keywords": ["k1", "k2"], "year": 2001}
    with tempfile.TemporaryDirectory(prefix="reelscale-stress-") as tmp:
        db = os.path.join(tmp, "stress.db")
        with open_store(db) as store:
            cache = ProviderCache(store, CacheConfig(max_bytes=bound, memory_bytes=8 * 2**20))
            worst = 0
            start = time.perf_counter()
            for i in range(inserts):
                cache.put(f"details:{i}", value)
                if not (i + 1) % cache.config.flush_every:
                    worst = max(worst, cache.sqlite_bytes)
            cache.flush()
            seconds = time.perf_counter() - start
            worst = max(worst, cache.sqlite_bytes)
            rows, size = store.conn.execute(
                "SELECT count(*), sum(size) FROM provider_cache"
            ).fetchone()
            store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return {
            "inserts": inserts,
            "bound_bytes": bound,
            "max_bytes_after_flush": worst,
            "final_bytes": size,
            "final_rows": rows,
            "bound_held": worst <= bound and size <= bound,
            "evictions": cache.stats.sqlite.evictions,
            "db_file_mb": round(os.path.getsize(db) / 2**20, 1),
            "seconds": round(seconds, 1),
            "inserts_per_s": round(inserts / seconds),
        }
