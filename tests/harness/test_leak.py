"""The production run, repeated in one process, does not grow the heap.

The figures at 1k movies come from ``reelscale bench numbers leak-check``.

The stand-ins run here; the runs run in a fresh child under memray. The bound is the script's
(``BOUND_PER_RUN_BYTES`` per run after the second), chosen from its measurement at 1k movies.
"""

import pytest
from run_fixtures import process_env

from benchmarks.harness.numbers.leak_check import BOUND_PER_RUN_BYTES, measure

# Slow (runs the pipeline under memray): `make test-slow`, which CI runs too.
pytestmark = pytest.mark.slow


def check(stand_ins, config_path, tmp_path, runs, *, force_refresh=False, plant=0):
    env = process_env(**stand_ins.env)
    return measure(env, config_path, tmp_path, runs, force_refresh, plant=plant)


def test_unchanged_reruns_keep_the_heap_flat(stand_ins, config_path, tmp_path):
    result = check(stand_ins, config_path, tmp_path, runs=5)
    assert result["first_run"]["requests"] > 0
    assert all(r == {"requests": 0, "radarr_writes": 0} for r in result["tracked_runs"])
    heap = list(result["heap_after_run"].values())
    assert len(heap) == 4 and min(heap) > 0
    assert result["bound_bytes"] == 3 * BOUND_PER_RUN_BYTES
    assert result["growth_bytes"] <= result["bound_bytes"], result


def test_a_planted_leak_is_seen(stand_ins, config_path, tmp_path):
    plant = 2 * BOUND_PER_RUN_BYTES
    result = check(stand_ins, config_path, tmp_path, runs=4, plant=plant)
    # The rest of the heap may end a run a few KB smaller than the run before (a connection
    # pool or cache let go: 6.9 KB once in CI); the two planted blocks must show through that,
    # less one run's bound, which still leaves the growth above the whole bound.
    assert result["growth_bytes"] >= 2 * plant - BOUND_PER_RUN_BYTES > result["bound_bytes"], result
    assert not result["within_bound"]
    assert any(r["bytes"] >= 3 * plant for r in result["retained_by_runs_2_to_n"])


@pytest.mark.slow
def test_force_refresh_reruns_keep_the_heap_flat(stand_ins, config_path, tmp_path):
    result = check(stand_ins, config_path, tmp_path, runs=5, force_refresh=True)
    assert all(r["requests"] > 0 for r in result["tracked_runs"])
    assert result["growth_bytes"] <= result["bound_bytes"], result
