"""The production run end to end (``reelscale run`` in its own process against the stand-ins),
swept over library_size: wall time of the first run and of the unchanged rerun, the run's own
peak RSS, and the deterministic request counts (Claude requests, Radarr requests and writes,
rerun requests), from one ``run_twice`` per size in setup_cache.

``library_size`` is the number of movies in the stand-in Radarr (x 10 synthetic collections).
300k is left out: a first run judges 3M pairs, over an hour against the stand-in on 2 cores.
"""

import os

from benchmarks.harness.workloads.run import run_twice
from benchmarks.suites._common import QUICK_ENV, _RunTwiceTracks, skip_large

LIBRARY_SIZES = [1_000, 10_000, 100_000]


class RunEndToEnd(_RunTwiceTracks):
    params = LIBRARY_SIZES
    param_names = ["library_size"]
    timeout = 3600

    def setup_cache(self):
        results = {}
        for size in LIBRARY_SIZES:
            if os.environ.get(QUICK_ENV) and size >= 100_000:
                continue
            results[size] = run_twice(size)
        return results

    setup_cache.timeout = 3600

    def setup(self, results, size):
        skip_large(size)
        self.r = results[size]

    def track_radarr_requests(self, results, size):
        return self.r["first"]["radarr_requests"]

    track_radarr_requests.unit = "requests"

    def track_radarr_writes(self, results, size):
        return self.r["first"]["radarr_writes"]

    track_radarr_writes.unit = "requests"

    def track_rerun_requests(self, results, size):
        rerun = self.r["rerun"]
        return rerun["requests"] + rerun["radarr_writes"] + self.r["rerun_claude_requests"]

    track_rerun_requests.unit = "requests"

    def track_tags_match_decisions(self, results, size):
        return int(self.r["tags_match_decisions"])

    track_tags_match_decisions.unit = "bool"
