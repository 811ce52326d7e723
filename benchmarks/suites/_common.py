"""Helpers shared by the asv suites (asv imports every module here; none is defined here)."""

import os

from core.pipeline.source.files import scan
from core.store.db import open_store

QUICK_ENV = "REELSCALE_BENCH_QUICK"
LIBRARY_SIZES = [1_000, 10_000, 100_000, 300_000]
LARGE = 100_000


def skip_large(size: int) -> None:
    """In quick runs (``reelscale bench run --quick``, CI) the large sizes are skipped."""
    if os.environ.get(QUICK_ENV) and size >= LARGE:
        raise NotImplementedError("large size skipped in a quick run")


def scan_into_new_db(root, db) -> None:
    """Scan ``root`` into a new database at ``db``, removing the one (and its WAL files) an
    earlier setup_cache left there."""
    os.makedirs(os.path.dirname(db), exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(f"{db}{suffix}"):
            os.remove(f"{db}{suffix}")
    with open_store(db) as store:
        scan(root, store)


class _RunTwiceTracks:
    """The tracks both end-to-end run suites share, over one ``*run_twice`` result per size in
    ``self.r`` (set by the suite's setup). Underscored, so asv does not collect it by itself."""

    def track_first_run_seconds(self, results, size):
        return self.r["first"]["wall_seconds"]

    track_first_run_seconds.unit = "s"

    def track_rerun_seconds(self, results, size):
        return self.r["rerun"]["wall_seconds"]

    track_rerun_seconds.unit = "s"

    def track_peak_rss_mb(self, results, size):
        return max(self.r["first"]["peak_rss_mb"], self.r["rerun"]["peak_rss_mb"])

    track_peak_rss_mb.unit = "MB"

    def track_claude_requests(self, results, size):
        return self.r["first"]["requests"]

    track_claude_requests.unit = "requests"
