"""Instruction counts (cachegrind): what is counted is the stage, and it scales with the work."""

import shutil

import pytest
from conftest import needs_program

from benchmarks.harness.gate import icount
from benchmarks.harness.gate.stage_inputs import GATE_WORKLOADS, workload

# Slow (runs valgrind (cachegrind)): `make test-slow`, which CI runs too.
pytestmark = pytest.mark.slow


def test_irefs_pattern_reads_cachegrinds_summary():
    log = "==12== \n==12== I   refs:      1,567,326,348\n"
    assert icount._IREFS.search(log).group(1) == "1,567,326,348"


def test_every_stage_of_the_issue_has_a_workload():
    names = {w.name for w in GATE_WORKLOADS}
    assert names == {"parse", "scan", "rescan", "enrich", "classify", "tag", "tv_group"}


def test_missing_valgrind_is_a_clear_error(monkeypatch):
    monkeypatch.setattr(icount.shutil, "which", lambda name: None)
    with pytest.raises(icount.BenchError, match="apt-get install valgrind"):
        icount.valgrind()


@needs_program("valgrind")
def test_count_is_the_stages_own_work_and_scales_with_it():
    assert shutil.which("valgrind"), "valgrind is required here but not installed"
    small, large = icount.count(workload("parse", 300)), icount.count(workload("parse", 900))
    # Start-up and imports (~500M instructions) are subtracted: three times the names cost about
    # three times as much, which would not hold if the set-up were still in the figure.
    assert small > 0
    assert 2.6 < large / small < 3.4


@needs_program("valgrind")
def test_tv_group_counts_the_grouping_and_scales_with_the_episodes():
    small = icount.count(workload("tv_group", 1000))
    large = icount.count(workload("tv_group", 3000))
    # The scan is the set-up (done before the measured process starts) and the imports are
    # subtracted: what is left grows with the episodes grouped (the 3k tree also has more shows).
    assert small > 0
    assert 2.5 < large / small < 3.4
