"""Load: a slow Radarr and a slow Claude must not make a run hold more memory.

Small versions of ``reelscale bench reliability load`` (which measures the 300k-file scan and
the 100k-movie run): peak RSS is the child process's ``VmHWM``.
"""

import pytest

from benchmarks.harness.reliability import load

SIZE = 1000
SLACK_MB = 8.0  # the same run varies this much between processes (allocator, import order)


@pytest.mark.slow
def test_latency_at_the_stand_ins_does_not_raise_the_peak():
    fast = load.run_peak(SIZE, time_scale=0.0)
    slow = load.run_peak(SIZE, time_scale=0.1, concurrency=4)
    for run in (fast, slow):
        assert (run["exit_code"], run["status"], run["stderr"]) == (0, "ok", "")
        assert run["tags_match_decisions"] and 0 < run["peak_rss_mb"] <= 100
    assert fast["requests_delayed"] == 0 and slow["requests_delayed"] > SIZE // 25
    assert slow["radarr_min_answer_s"] >= 0.05 > fast["radarr_min_answer_s"]
    assert slow["peak_rss_mb"] <= fast["peak_rss_mb"] + SLACK_MB


def test_a_scan_peak_is_read_from_the_child_process():
    scan = load.scan_peak(1000)
    assert (scan["exit_code"], scan["stderr"]) == (0, "")
    assert scan["parsed"] > 0 and 10 < scan["peak_rss_mb"] <= 150
