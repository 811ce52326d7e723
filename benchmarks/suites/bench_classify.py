"""Classify stage against the stand-in Claude (time scale 0), swept over batch_size x
library_size: requests, billed tokens, dollars per 1k judgments and agreement with the ground
truth (deterministic, from one run per combination in setup_cache), and the time of a run.

``library_size`` here is the number of movies (x 10 synthetic collections).
"""

import os
import shutil
import tempfile
from pathlib import Path

from benchmarks.harness.workloads.classify import fill_store, truth_agreement
from benchmarks.suites._common import QUICK_ENV, skip_large
from core.clients.claude.client import MessagesSettings
from core.config.files import load_collections
from core.config.model import ClaudeSettings
from core.pipeline.classify.stage import classify
from core.store.db import open_store
from synthetic.library.collection_defs import to_toml
from synthetic.servers.claude.server import ClaudeServer
from synthetic.servers.traffic import set_time_scale

BATCH_SIZES = [5, 10, 25, 50, 100, 200]
LIBRARY_SIZES = [1_000, 10_000, 100_000]


def _collections(folder: Path):
    config = folder / "reelscale.toml"
    config.write_text(to_toml())
    return load_collections(config)


def _run(server, collections, folder: Path, movies: int, batch_size: int):
    with open_store(folder / f"c-{movies}-{batch_size}.db") as store:
        fill_store(store, movies)
        settings = MessagesSettings(
            claude=ClaudeSettings(
                model="claude-haiku-5-5",
                api_key=server.config.api_key,
                base_url=server.url,
                concurrency=8,
            ),
            batch_size=batch_size,
        )
        summary = classify(store, collections, settings, mode="sync")
        verdicts = {
            (i, c): bool(v)
            for i, c, v in store.conn.execute("SELECT item_id, collection, include FROM decisions")
        }
    return summary, truth_agreement(verdicts, collections)


class ClassifySweep:
    params = [BATCH_SIZES, LIBRARY_SIZES]
    param_names = ["batch_size", "library_size"]
    timeout = 3600

    def setup_cache(self):
        previous = set_time_scale(0)
        folder = Path(tempfile.mkdtemp(prefix="reelscale-asv-classify-"))
        results = {}
        try:
            collections = _collections(folder)
            for movies in LIBRARY_SIZES:
                if os.environ.get(QUICK_ENV) and movies >= 100_000:
                    continue
                with ClaudeServer.from_library(movies, 1) as server:
                    for size in BATCH_SIZES:
                        s, truth = _run(server, collections, folder, movies, size)
                        judgments = max(1, s.pairs_planned)
                        results[(size, movies)] = {
                            "requests": s.requests,
                            "billed_tokens": s.input_tokens
                            + s.cache_read_tokens
                            + s.cache_write_tokens
                            + s.output_tokens,
                            "usd_per_1k": s.cost_usd / judgments * 1000,
                            "truth": 100 * truth,
                        }
        finally:
            set_time_scale(previous)
            shutil.rmtree(folder, ignore_errors=True)
        return results

    setup_cache.timeout = 3600

    def setup(self, results, size, movies):
        skip_large(movies)
        self.r = results[(size, movies)]

    def track_requests(self, results, size, movies):
        return self.r["requests"]

    track_requests.unit = "requests"

    def track_billed_tokens(self, results, size, movies):
        return self.r["billed_tokens"]

    track_billed_tokens.unit = "tokens"

    def track_usd_per_1k_judgments(self, results, size, movies):
        return self.r["usd_per_1k"]

    track_usd_per_1k_judgments.unit = "USD"

    def track_agreement_with_truth(self, results, size, movies):
        return self.r["truth"]

    track_agreement_with_truth.unit = "%"


class ClassifyTime:
    """Wall time of one sync run at batch size 50 (stand-in at time scale 0: our own overhead)."""

    params = LIBRARY_SIZES
    param_names = ["library_size"]
    number = 1
    repeat = (1, 3, 120.0)
    rounds = 1
    timeout = 1800

    def setup(self, movies):
        skip_large(movies)
        self.previous = set_time_scale(0)
        self.folder = Path(tempfile.mkdtemp(prefix="reelscale-asv-classify-"))
        self.collections = _collections(self.folder)
        self.server = ClaudeServer.from_library(movies, 1).start()
        self.store = open_store(self.folder / "t.db")
        fill_store(self.store, movies)
        self.settings = MessagesSettings(
            claude=ClaudeSettings(
                model="claude-haiku-5-5",
                api_key=self.server.config.api_key,
                base_url=self.server.url,
                concurrency=8,
            ),
            batch_size=50,
        )

    def teardown(self, movies):
        if hasattr(self, "server"):
            self.store.close()
            self.server.stop()
            set_time_scale(self.previous)
            shutil.rmtree(self.folder, ignore_errors=True)

    def time_classify(self, movies):
        classify(self.store, self.collections, self.settings, mode="sync")
