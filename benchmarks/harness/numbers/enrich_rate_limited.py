"""First enrich against a stand-in TMDB that enforces TMDB's 40 requests / 10 s, client at its
default limit: how close does the run get to the floor the limit sets, and does it draw 429s?

    python -m benchmarks.harness.numbers.enrich_rate_limited [--files 19000]

The floor is (requests - 40) / 4 s: the server's bucket holds 40 requests and refills 4 per
second. Writes ``results/numbers/enrich-rate-limited-<files>.json``. A 19,000-file tree has about
10,100 movie items; the run takes about as long as the floor (~85 minutes), so it is not part of
the asv suites.
"""

import argparse
import json
import tempfile
import time
from pathlib import Path

from benchmarks.harness.paths import RESULTS
from benchmarks.harness.workloads import enrich as enrich_workload
from core.config.model import TMDBSettings
from core.pipeline.enrich.stage import enrich
from core.pipeline.source.files import scan
from core.store.db import open_store
from synthetic.servers.tmdb.server import TMDBServer


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--files", type=int, default=19_000)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="reelscale-ratelimit-") as tmp:
        library = enrich_workload.build(Path(tmp), args.files)
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
    result = {
        "files": args.files,
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
    target = RESULTS / "numbers" / f"enrich-rate-limited-{args.files}.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
