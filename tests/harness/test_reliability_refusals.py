"""The refusal suite on the ``run`` path (small): no tag lost, every other movie decided, the
refused titles listed, and the next run asks only them."""

import pytest

from benchmarks.harness.reliability.refusal_suite import run_suite


@pytest.mark.slow
def test_refusals_on_the_run_path_lose_no_tag():
    entry = run_suite(movies=100, share=0.05, save=False)
    assert entry["exit_codes"] == [0, 0, 0], entry.get("stderr")
    assert entry["refused_titles"] == 5 and entry["refused_requests"] > 5
    assert (entry["tags_lost"], entry["data_lost"], entry["failures"]) == (0, 0, 0)
    assert entry["refused_listed"] and entry["others_decided"]
    assert 0 < entry["third_run_requests"] <= 5
