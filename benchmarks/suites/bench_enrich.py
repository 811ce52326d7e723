"""Enrich stage against the stand-in TMDB (unthrottled): time of a first enrich, and the
deterministic counters of the three-pass scenario (first run, unchanged rerun, 5 % changed).

``library_size`` is the number of files in the synthetic tree (about 55 % are movie items).
"""

import os
import shutil
import tempfile
from pathlib import Path

from benchmarks.harness.workloads import enrich as enrich_workload
from benchmarks.harness.workloads import sizes as workloads
from benchmarks.suites._common import QUICK_ENV, skip_large
from core.pipeline.enrich.stage import enrich
from core.pipeline.source.files import scan
from core.store.db import open_store
from synthetic.servers.tmdb.server import TMDBServer

SIZES = [1_000, 10_000, 100_000, 300_000]
_servers: dict[int, TMDBServer] = {}


def _server(files: int) -> TMDBServer:
    """One stand-in per size and process, started on first use."""
    if files not in _servers:
        served = files + max(100, files // 10)
        _servers[files] = TMDBServer.from_library(served, workloads.SEED, rate_limit=None).start()
    return _servers[files]


class EnrichScenario:
    params = SIZES
    param_names = ["library_size"]
    timeout = 3600

    def setup_cache(self):
        results = {}
        for files in SIZES:
            if os.environ.get(QUICK_ENV) and files >= 100_000:
                continue
            results[files] = enrich_workload.scenario(files, _server(files))
        return results

    setup_cache.timeout = 3600

    def setup(self, results, files):
        skip_large(files)
        self.r = results[files]

    def track_first_requests(self, results, files):
        return self.r["first_requests"]

    track_first_requests.unit = "requests"

    def track_second_requests(self, results, files):
        return self.r["second_requests"]

    track_second_requests.unit = "requests"

    def track_second_hit_rate(self, results, files):
        return 100 * self.r["second_hit_rate"]

    track_second_hit_rate.unit = "%"

    def track_changed_hit_rate(self, results, files):
        return 100 * self.r["changed_hit_rate"]

    track_changed_hit_rate.unit = "%"

    def track_changed_requests_per_new_title(self, results, files):
        return self.r["changed_requests_per_new_title"]

    track_changed_requests_per_new_title.unit = "requests"

    def track_match_correct(self, results, files):
        return 100 * self.r["match_correct"]

    track_match_correct.unit = "%"

    def track_match_wrong(self, results, files):
        return 100 * self.r["match_wrong"]

    track_match_wrong.unit = "%"


class EnrichTime:
    params = SIZES
    param_names = ["library_size"]
    number = 1
    repeat = (1, 3, 120.0)
    rounds = 1
    timeout = 3600

    def setup(self, files):
        skip_large(files)
        template = workloads.WORK / "dbs" / f"scanned-{files}-{workloads.generator_version()}.db"
        if not template.exists():
            root, _ = workloads.tree(files)
            template.parent.mkdir(parents=True, exist_ok=True)
            with open_store(template) as store:
                scan(root, store)
                store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        self.tmp = tempfile.mkdtemp(prefix="reelscale-bench-")
        self.db = Path(self.tmp) / "bench.db"
        shutil.copy(template, self.db)
        self.settings = enrich_workload.settings_for(_server(files))

    def teardown(self, files):
        if hasattr(self, "tmp"):
            shutil.rmtree(self.tmp, ignore_errors=True)

    def time_first_enrich(self, files):
        with open_store(self.db) as store:
            enrich(store, self.settings)
