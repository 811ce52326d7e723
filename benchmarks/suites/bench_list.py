"""`reelscale list` queries: the library functions the command calls, warm, in-process.

Stores of ``library_size`` synthetic movies judged against 10 collections, with an initial tagging
run and a later run of ~5% changes, are built by ``benchmarks.harness.numbers.listing`` and cached
under .bench-work/dbs/ (about a minute for 300k). Every query shape should stay under 50 ms at 300k;
``reelscale bench numbers list`` writes the headline numbers.
"""

import os

from benchmarks.harness.numbers.listing import TAGS, build_store
from benchmarks.suites._common import LARGE, LIBRARY_SIZES, QUICK_ENV, skip_large
from core.store.db import open_store
from core.views import listing


class ListQueries:
    params = LIBRARY_SIZES
    param_names = ["library_size"]
    number = 1
    repeat = (5, 20, 30.0)
    rounds = 1
    timeout = 1800

    def setup_cache(self):
        paths = {}
        for size in LIBRARY_SIZES:
            if os.environ.get(QUICK_ENV) and size >= LARGE:
                continue
            paths[size] = str(build_store(size))
        return paths

    setup_cache.timeout = 3600

    def setup(self, paths, size):
        skip_large(size)
        self.store = open_store(paths[size])
        self.store.sync_title_index()
        self.refs = listing.known_collections(self.store)
        self.largest = next(r for r in self.refs if r.tag == TAGS[-1])
        self.title = self.store.conn.execute(
            "SELECT title FROM items WHERE id = ?", (size // 2,)
        ).fetchone()[0]

    def teardown(self, paths, size):
        if hasattr(self, "store"):  # setup may have skipped this size
            self.store.close()

    def time_overview(self, paths, size):
        listing.overview(self.store, self.refs)

    def time_members_largest_collection(self, paths, size):
        listing.members(self.store, self.largest)

    def time_search_full_title(self, paths, size):
        listing.search(self.store, self.title)

    def time_search_common_word(self, paths, size):
        listing.search(self.store, "the")

    def time_why_by_title(self, paths, size):
        listing.why(self.store, self.title, self.refs)

    def time_changed_since_last(self, paths, size):
        listing.changes_since(self.store, "last")

    def time_changed_since_initial_tagging(self, paths, size):
        listing.changes_since(self.store, 2)
