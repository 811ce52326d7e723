"""The folder-series path: a TV tree scanned and its episodes grouped into series.

Trees are ``synthetic.tree.tv_library`` (Sonarr, Plex, scene, season-pack and anime layouts,
with side files), cached under .bench-work/. ``episodes`` is the number of episode files; 3,000 is
what the gate measures (``reelscale bench check --stage tv``), 300,000 the README's figure
(``reelscale bench numbers tv-scan``). Wall time of the first scan + grouping and of the grouping
alone; the memray peak heap of scan + grouping in a fresh process; the deterministic counters of
one :func:`~benchmarks.harness.gate.tv.tv_scan_twice` per size (series found, grouping accuracy
against the truth, the rescan's regrouped episodes, TMDB TV requests per series).
"""

import os
import shutil
import tempfile

from benchmarks.harness.gate.peak import measure_peak
from benchmarks.harness.gate.tv import episode_tree, tv_scan_twice
from benchmarks.harness.workloads.sizes import WORK
from benchmarks.suites._common import QUICK_ENV, scan_into_new_db, skip_large
from core.pipeline.source.files import scan
from core.pipeline.source.series import group_after_scan, group_series
from core.store.db import open_store

EPISODES = [3_000, 30_000, 300_000]


class TVScan:
    """First ``reelscale scan`` of a TV tree into a new database: the walk, the parse and the
    grouping of the episodes into series."""

    params = EPISODES
    param_names = ["episodes"]
    number = 1
    repeat = (1, 5, 60.0)
    rounds = 1
    timeout = 1800

    def setup(self, episodes):
        skip_large(episodes)
        self.root, _ = episode_tree(episodes)
        self.tmp = tempfile.mkdtemp(prefix="reelscale-bench-tv-")
        self.db = os.path.join(self.tmp, "tv.db")

    def teardown(self, episodes):
        if hasattr(self, "tmp"):  # setup may have skipped this size
            shutil.rmtree(self.tmp, ignore_errors=True)

    def time_scan_and_group(self, episodes):
        with open_store(self.db) as store:
            group_after_scan(store, scan(self.root, store))

    def track_peak_heap_mb(self, episodes):
        """memray peak heap of scan + grouping, in a fresh process (deterministic)."""
        return measure_peak("tvscan", str(self.root), self.db)["peak_heap_bytes"] / 1e6

    track_peak_heap_mb.unit = "MB"


class TVGroup:
    """The grouping step alone, over a copy of a database the scan filled (episodes ungrouped)."""

    params = EPISODES
    param_names = ["episodes"]
    number = 1
    repeat = (3, 7, 60.0)
    rounds = 1
    timeout = 1800

    def setup_cache(self):
        dbs = {}
        for size in EPISODES:
            if os.environ.get(QUICK_ENV) and size >= 100_000:
                continue
            root, _ = episode_tree(size)
            db = WORK / "dbs" / f"tv-ungrouped-{size}.db"
            scan_into_new_db(root, db)
            dbs[size] = str(db)
        return dbs

    setup_cache.timeout = 3600

    def setup(self, dbs, episodes):
        skip_large(episodes)
        self.tmp = tempfile.mkdtemp(prefix="reelscale-bench-tvgroup-")
        self.db = os.path.join(self.tmp, "tv.db")
        shutil.copyfile(dbs[episodes], self.db)

    def teardown(self, dbs, episodes):
        if hasattr(self, "tmp"):
            shutil.rmtree(self.tmp, ignore_errors=True)

    def time_group(self, dbs, episodes):
        with open_store(self.db) as store:
            group_series(store, prune=False)


class TVCounters:
    """Deterministic counters of the folder-series path, one run per size in setup_cache."""

    params = EPISODES
    param_names = ["episodes"]
    timeout = 3600

    def setup_cache(self):
        results = {}
        for size in EPISODES:
            if os.environ.get(QUICK_ENV) and size >= 100_000:
                continue
            results[size] = tv_scan_twice(size)
        return results

    setup_cache.timeout = 3600

    def setup(self, results, episodes):
        skip_large(episodes)
        self.r = results[episodes]

    def track_series_found(self, results, episodes):
        return self.r["series"]["series"]

    track_series_found.unit = "series"

    def track_episode_accuracy(self, results, episodes):
        """Share of episode files in a series labelled with their own show (truth)."""
        return self.r["grouping"]["episode_accuracy"]

    track_episode_accuracy.unit = "fraction"

    def track_rescan_regrouped(self, results, episodes):
        return self.r["rescan"]["regrouped"] + self.r["rescan"]["reparses"]

    track_rescan_regrouped.unit = "files"

    def track_tmdb_requests_per_series(self, results, episodes):
        """First enrich: TMDB TV requests per series (a search, and details when matched)."""
        return self.r["enrich"]["tmdb_requests"] / max(1, self.r["enrich"]["series"])

    track_tmdb_requests_per_series.unit = "requests"

    def track_second_enrich_requests(self, results, episodes):
        return self.r["second_enrich"]["seen_by_tmdb"]

    track_second_enrich_requests.unit = "requests"
