"""First enrich against a stand-in TMDB limiting as TMDB does today, both sides at their defaults:
how close does the run get to the floor the limit sets, and does it draw 429s after warm-up?

    reelscale bench numbers enrich-rate-limited [--files 19000]

The stand-in allows 50 requests per second per client IP (a bucket of one second of requests);
the client sends at its default, 48 per second. The floor is requests ÷ the stand-in's rate: no
client can finish sooner without a 429. Warm-up is the first second, while the client's limiter
and the server's bucket start full. Writes ``results/numbers/enrich-rate-limited-<files>.json``.
A 19,000-file tree has about 10,100 movie items and needs about 19,000 requests, ~7 minutes.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from benchmarks.harness.workloads import enrich as enrich_workload
from core.config.model import TMDBSettings
from core.pipeline.enrich.stage import enrich
from core.pipeline.source.files import scan
from core.store.db import open_store
from synthetic.servers.tmdb.server import TMDBServer

WARM_UP_S = 1.0


def measure(files: int = 19_000) -> dict:
    """The first enrich of a ``files``-file tree against the rate-limited stand-in TMDB."""
    with tempfile.TemporaryDirectory(prefix="reelscale-ratelimit-") as tmp:
        library = enrich_workload.build(Path(tmp), files)
        log_size = 4 * files + 1_000  # every request, to place each 429 in time
        with TMDBServer.from_library(
            library.served, enrich_workload.SEED, log_size=log_size
        ) as server:
            limit = server.config.rate_limit
            settings = TMDBSettings(url=server.url, api_key=server.config.api_key)
            with open_store(Path(tmp) / "r.db") as store:
                scan(library.root, store)
                began = time.time()
                start = time.perf_counter()
                summary = enrich(store, settings)
                seconds = time.perf_counter() - start
            counters = server.counters
            limited = [r.at - began for r in server.requests() if r.status == 429]
    rate = limit.requests / limit.per_s
    floor = summary.tmdb_requests / rate
    return {
        "files": files,
        "items": summary.items,
        "matched": summary.matched,
        "requests": summary.tmdb_requests,
        "server_limit": f"{limit.requests} per {limit.per_s:g} s per client IP",
        "client_limit": f"{settings.rate} per {settings.per_seconds:g} s",
        "seconds": round(seconds, 1),
        "floor_seconds": round(floor, 1),
        "ratio_to_floor": round(seconds / floor, 4) if floor else None,
        "responses_429": counters.rate_limited,
        "responses_429_after_warm_up": sum(1 for at in limited if at > WARM_UP_S),
        "client_saw_429": summary.rate_limited,
    }
