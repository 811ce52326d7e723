"""Peak heap of each stage, measured by memray around the stage only in a fresh process (asv's
``peakmem_`` is the whole process's RSS, set-up included: kept only as context in bench_run).

``library_size`` counts what the stage counts: names (parse), files (scan, rescan, enrich) or
movies (classify, tag). Classify at 300k (3M judgments) is left out: over an hour against the
stand-in on 2 cores. Scan's peak at every size is in bench_scan, tag's in bench_tag.
"""

from benchmarks.harness.gate.peak import stage_peak
from benchmarks.harness.gate.stage_inputs import workload
from benchmarks.suites._common import LIBRARY_SIZES, skip_large

_TOO_LONG = {("classify", 300_000)}


class StagePeakHeap:
    params = [["parse", "rescan", "enrich", "classify"], LIBRARY_SIZES]
    param_names = ["stage", "library_size"]
    timeout = 7200

    def setup(self, stage, size):
        skip_large(size)
        if (stage, size) in _TOO_LONG:
            raise NotImplementedError(f"{stage} at {size:,} takes over an hour")

    def track_peak_heap_mb(self, stage, size):
        # Eight requests in flight, as a run sends them (the gate's one at a time is for counts).
        return stage_peak(workload(stage, size), concurrency=8) / 1e6

    track_peak_heap_mb.unit = "MB"
