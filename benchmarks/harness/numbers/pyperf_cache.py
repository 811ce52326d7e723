"""pyperf micro-benchmarks of the provider cache's two tiers.

    reelscale bench pyperf cache --fast -o results/pyperf/cache.json

Each value is the time of GETS lookups of distinct keys holding a realistic ``details`` entry
(~600 bytes of JSON): ``memory_get`` answers from the LRU tier; ``sqlite_get`` has a memory tier
too small to hold anything, so every lookup reads the SQLite tier (and refills memory, as in
production). gets/s = GETS / value.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Sequence

import pyperf

from benchmarks.harness.scrub import scrub_pyperf
from core.pipeline.enrich.cache import CacheConfig, ProviderCache
from core.store.db import open_store

#: How pyperf starts a worker: the same command (it adds --worker and its own options).
WORKER = ("-m", "core", "bench", "pyperf", "cache")
GETS = 20_000
VALUE = {
    "tmdb_id": 1,
    "imdb_id": "tt0000001",
    "title": "The Silent Harbor",
    "original_title": "The Silent Harbor",
    "year": 1999,
    "genres": ["Drama", "Thriller"],
    "overview": "A harbour pilot finds a ledger that ties the night ferry to a string of " * 4,
    "runtime": 118,
    "original_language": "en",
    "certification": "R",
    "keywords": ["heist", "betrayal", "harbor", "night"],
    "collection": None,
    "studio": "Pine Pictures",
}


def get_all(cache, keys):
    get = cache.get
    for key in keys:
        get(key)


def run(pyperf_args: Sequence[str]) -> None:
    """Run the benchmarks with pyperf's own command-line options (``--fast``, ``-o FILE``, ...)."""
    runner = pyperf.Runner(program_args=WORKER)
    runner.parse_args(list(pyperf_args))
    runner.metadata["description"] = f"{GETS} cache gets of ~{len(json.dumps(VALUE))}-byte entries"
    folder = tempfile.mkdtemp(prefix="reelscale-pyperf-")
    store = open_store(os.path.join(folder, "cache.db"))
    keys = [f"details:{i}" for i in range(GETS)]
    warm = ProviderCache(store)
    for key in keys:
        warm.put(key, VALUE)
    warm.flush()
    runner.bench_func(f"memory_get[{GETS}]", get_all, warm, keys)
    cold = ProviderCache(store, CacheConfig(memory_bytes=1))
    runner.bench_func(f"sqlite_get[{GETS}]", get_all, cold, keys)
    if not runner.args.worker and runner.args.output:
        scrub_pyperf(runner.args.output)
