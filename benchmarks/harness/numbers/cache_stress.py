"""The provider cache's SQLite tier under a 1M-insert stress: the size bound must hold.

    python -m benchmarks.harness.numbers.cache_stress [--inserts 1000000] [--bound-mb 32]

Writes ``results/numbers/cache-stress.json``: the largest SQLite-tier size seen after any flush
(must be <= the bound), the final size, rows, evictions, the database file size and the time.
"""

import argparse
import json
import os
import tempfile
import time

from benchmarks.harness.paths import RESULTS
from core.pipeline.enrich.cache import CacheConfig, ProviderCache
from core.store.db import open_store


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--inserts", type=int, default=1_000_000)
    ap.add_argument("--bound-mb", type=float, default=32.0)
    args = ap.parse_args()
    bound = int(args.bound_mb * 2**20)
    value = {"genres": ["Drama"], "overview": "o" * 220, "keywords": ["k1", "k2"], "year": 2001}
    with tempfile.TemporaryDirectory(prefix="reelscale-stress-") as tmp:
        db = os.path.join(tmp, "stress.db")
        with open_store(db) as store:
            cache = ProviderCache(store, CacheConfig(max_bytes=bound, memory_bytes=8 * 2**20))
            worst = 0
            start = time.perf_counter()
            for i in range(args.inserts):
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
        result = {
            "inserts": args.inserts,
            "bound_bytes": bound,
            "max_bytes_after_flush": worst,
            "final_bytes": size,
            "final_rows": rows,
            "bound_held": worst <= bound and size <= bound,
            "evictions": cache.stats.sqlite.evictions,
            "db_file_mb": round(os.path.getsize(db) / 2**20, 1),
            "seconds": round(seconds, 1),
            "inserts_per_s": round(args.inserts / seconds),
        }
    target = RESULTS / "numbers" / "cache-stress.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))
    raise SystemExit(0 if result["bound_held"] else 1)


if __name__ == "__main__":
    main()
