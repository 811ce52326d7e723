"""The Sonarr run end to end (``reelscale run --source sonarr`` in its own process against the
stand-in Sonarr and Claude), swept over series_size: wall time of the first run and of the
unchanged rerun, the run's own peak RSS, the deterministic request counts (Claude requests, Sonarr
requests and writes, over the formula, the rerun's) and the series judgments' agreement with the
ground truth, from one ``sonarr_run_twice`` per size in setup_cache.

``series_size`` is the number of series in the stand-in Sonarr (x 10 synthetic series
collections); 300 is what the gate measures, 5,000 the README's figure.
"""

import os

from benchmarks.harness.workloads.series import sonarr_run_twice
from benchmarks.suites._common import QUICK_ENV, _RunTwiceTracks

SERIES_SIZES = [300, 5_000]


class SonarrEndToEnd(_RunTwiceTracks):
    params = SERIES_SIZES
    param_names = ["series_size"]
    timeout = 1800

    def setup_cache(self):
        results = {}
        for size in SERIES_SIZES:
            if os.environ.get(QUICK_ENV) and size > 300:
                continue
            results[size] = sonarr_run_twice(size)
        return results

    setup_cache.timeout = 1800

    def setup(self, results, size):
        if size not in results:
            raise NotImplementedError("large size skipped in a quick run")
        self.r = results[size]

    def track_sonarr_requests(self, results, size):
        return self.r["first"]["sonarr_requests"]

    track_sonarr_requests.unit = "requests"

    def track_sonarr_requests_over_expected(self, results, size):
        return self.r["first"]["sonarr_requests"] - self.r["expected_sonarr_requests"]

    track_sonarr_requests_over_expected.unit = "requests"

    def track_sonarr_writes(self, results, size):
        return self.r["first"]["sonarr_writes"]

    track_sonarr_writes.unit = "requests"

    def track_rerun_requests(self, results, size):
        """Claude requests and Sonarr writes of the rerun (0), plus its Sonarr GETs (2)."""
        return (
            self.r["rerun_claude_requests"]
            + self.r["rerun_sonarr_writes"]
            + self.r["rerun_sonarr_gets"]
        )

    track_rerun_requests.unit = "requests"

    def track_agreement_with_truth(self, results, size):
        return self.r["accuracy"]["accuracy"]

    track_agreement_with_truth.unit = "fraction"

    def track_tags_match_decisions(self, results, size):
        return int(self.r["tags_match_decisions"])

    track_tags_match_decisions.unit = "bool"
