"""``kill -9`` of ``reelscale run`` inside each stage, then a rerun: nothing lost, nothing re-paid.

One trial per stage on a 200-movie library (the figures over 2k movies and more trials come from
``reelscale bench reliability crash``); ``benchmarks.harness.reliability.crash``
says what a trial checks.
"""

import random

import pytest

from benchmarks.harness.reliability import crash

# Slow (kill -9 trials of whole runs): `make test-slow`, which CI runs too.
pytestmark = pytest.mark.slow

SIZE = 200


@pytest.fixture(scope="module")
def prepared(tmp_path_factory):
    folder = tmp_path_factory.mktemp("crash")
    world, bases = crash.prepare(SIZE, folder)
    return folder, world, bases


def test_the_clean_runs_give_every_stage_room_to_be_interrupted(prepared):
    bases = prepared[2]
    assert bases["scan"].scanned > 0 and bases["scan"].scan_s > 0
    assert bases["enrich"].tmdb >= 2 and bases["classify"].billed >= 2
    assert bases["batch_poll"].batch_polls >= 2 and bases["tag"].radarr_writes >= 2
    assert bases["classify"].tags == bases["batch_poll"].tags  # sync and batch agree
    assert sum(map(len, bases["tag"].tags.values())) > 0


@pytest.mark.parametrize("stage", crash.STAGES)
def test_kill_9_inside_a_stage_then_rerun(prepared, stage):
    folder, world, bases = prepared
    # The scan of a 200-file tree lasts milliseconds: on a busy machine the kill may land after
    # it. Such a trial still has to pass every check; the scan is then tried again to be hit.
    for attempt in range(4 if stage == "scan" else 1):
        rng = random.Random(f"{stage}-{attempt}")
        result = crash.trial(world, stage, bases[stage], folder, rng)
        assert result.failures == [], result.as_dict()
        assert result.integrity == "ok" and result.tags_equal
        assert result.decided_after == bases[stage].decided
        if result.hit == stage:
            break
    assert result.hit == stage, result.as_dict()


@pytest.mark.slow
def test_kill_9_at_random_points_of_a_2k_library():
    # One kill per stage here; `reelscale bench reliability crash` runs the counted trials.
    _, trials = crash.run_trials(2000, crash.STAGES, seed=7)
    assert [t.failures for t in trials] == [[]] * len(trials)
    assert {t.hit for t in trials} == set(crash.STAGES)
