"""Scan stage: first scan, rescan, and `find` over the same tree in the same run.

Trees are synthetic (``synthetic.tree``), cached under .bench-work/. ``library_size`` is the
number of files in the tree.
"""

import os
import shutil
import subprocess
import tempfile

from benchmarks.harness.gate.peak import measure_peak
from benchmarks.harness.workloads import sizes as workloads
from benchmarks.suites._common import LIBRARY_SIZES, QUICK_ENV, scan_into_new_db, skip_large
from core.pipeline.source.files import scan
from core.store.db import open_store


class FirstScan:
    params = LIBRARY_SIZES
    param_names = ["library_size"]
    number = 1
    repeat = (1, 5, 60.0)
    rounds = 1
    timeout = 1800

    def setup(self, size):
        skip_large(size)
        self.root, _ = workloads.tree(size)
        self.tmp = tempfile.mkdtemp(prefix="reelscale-bench-")
        self.db = os.path.join(self.tmp, "bench.db")

    def teardown(self, size):
        if hasattr(self, "tmp"):  # setup may have skipped this size
            shutil.rmtree(self.tmp, ignore_errors=True)

    def time_first_scan(self, size):
        with open_store(self.db) as store:
            scan(self.root, store)

    def track_peak_heap_mb(self, size):
        """memray peak heap of a first scan, in a fresh process (deterministic)."""
        return measure_peak("scan", str(self.root), self.db)["peak_heap_bytes"] / 1e6

    track_peak_heap_mb.unit = "MB"


class Rescan:
    """Rescan of an unchanged tree, against `find` over the same tree in the same process."""

    params = LIBRARY_SIZES
    param_names = ["library_size"]
    number = 1
    repeat = (3, 7, 60.0)
    rounds = 1
    timeout = 1800

    def setup_cache(self):
        dbs = {}
        for size in LIBRARY_SIZES:
            if os.environ.get(QUICK_ENV) and size >= 100_000:
                continue
            root, _ = workloads.tree(size)
            db = str(workloads.WORK / "dbs" / f"scanned-{size}.db")
            scan_into_new_db(root, db)
            dbs[size] = (str(root), db)
        return dbs

    setup_cache.timeout = 3600

    def setup(self, dbs, size):
        skip_large(size)
        self.root, self.db = dbs[size]

    def time_rescan(self, dbs, size):
        with open_store(self.db) as store:
            scan(self.root, store)

    def time_find(self, dbs, size):
        subprocess.run(["find", self.root, "-type", "f"], stdout=subprocess.DEVNULL, check=True)

    def track_rescan_reparses(self, dbs, size):
        with open_store(self.db) as store:
            return scan(self.root, store).parsed

    track_rescan_reparses.unit = "files"

    def track_index_rows(self, dbs, size):
        with open_store(self.db) as store:
            return store.conn.execute("SELECT count(*) FROM scan_index").fetchone()[0]

    track_index_rows.unit = "rows"
