"""First enrich against a stand-in TMDB that enforces TMDB's 40 requests / 10 s, client at its
default limit: how close does the run get to the floor the limit sets, and does it draw 429s?

    reelscale bench numbers enrich-rate-limited [--files 19000]

The floor is (requests - 40) / 4 s: the server's bucket holds 40 requests and refills 4 per
second. Writes ``results/numbers/enrich-rate-limited-<files>.json``. A 19,000-file tree has about
10,100 movie items; the run takes about as long as the floor (~85 minutes), so it is not part of
the asv suites.
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


def measure(files: int = 19_000) -> dict:
    """The first enrich of a ``files``-file tree against the rate-limited stand-in TMDB."""
    with tempfile.TemporaryDirectory(prefix="reelscale-ratelimit-") as tmp:
        library = enrich_workload.build(Path(tmp), files)
        with TMDBServer.from_library(library.served, enrich_workload.SEED) as server:
            limit = server.config.rate_limit
            settings = TMDBSettings(url=server.url, api_key=server.config.api_key)
            with open_store(Path(tmp) / "r.db") as store:
                scan(library.root, store)
                start = time.perf_counter()
                summary = enrich(store, settings)
                seconds = time.perf_counter() - start
            counters = server.counters
    rate = limit.requests / limit.per_s
    floor = max(0.0, (summary.tmdb_requests - limit.requests) / rate)
    return {
        "files": files,
        "items": summary.items,
        "matched": summary.matched,
        "requests": summary.tmdb_requests,
        "server_limit": f"{limit.requests} per {limit.per_s:g} s",
        "client_limit": f"{settings.rate} per {settings.per_seconds:g} s",
        "seconds": round(seconds, 1),
        "floor_seconds": round(floor, 1),
        "ratio_to_floor": round(seconds / floor, 4) if floor else None,
        "responses_429": counters.rate_limited,
    }
