"""A second ``reelscale run``, or a ``reelscale scan``, while a run is active on the same database.

The second command exits 1 with the lock's one-line message and touches nothing; the first run
finishes like a clean one (``benchmarks.harness.reliability.concurrency`` says how a trial is set up
and what it checks; ``reelscale bench reliability concurrency`` runs more trials and
records them).
"""

import random

import pytest

from benchmarks.harness.reliability import concurrency

# Slow (concurrency trials of whole runs): `make test-slow`, which CI runs too.
pytestmark = pytest.mark.slow

SIZE = 200


@pytest.fixture(scope="module")
def prepared(tmp_path_factory):
    folder = tmp_path_factory.mktemp("concurrency")
    world, bases = concurrency.prepare(SIZE, folder)
    return folder, world, bases


@pytest.mark.parametrize("kind", concurrency.KINDS)
def test_a_second_command_during_a_run_exits_1_and_touches_nothing(prepared, kind):
    folder, world, bases = prepared
    result = concurrency.trial(world, kind, bases, folder, random.Random(kind))
    assert result.failures == [], result.as_dict()
    assert (result.exit_code, result.message_ok, result.files_unchanged) == (1, True, True)
    assert result.requests_by_second == {"claude": 0, "radarr": 0, "tmdb": 0}
    assert result.paused_in in concurrency.FIRST[kind]
    assert result.first_exit == 0 and result.tags_equal and result.integrity == "ok"
    if kind == "scan":
        assert result.scan_after_exit == 0 and result.decisions_kept_by_scan


@pytest.mark.parametrize(
    "command",
    [["enrich"], ["classify", "--config", "{config}"], ["scan", "{folder}"]],
    ids=["enrich", "classify", "scan"],
)
def test_every_command_that_writes_the_library_waits_for_no_run(tmp_path, command):
    """enrich and classify write what a run is judging, and pay for it: held off like scan."""
    import subprocess
    import sys

    from core.store.db import open_store
    from core.store.lock import run_lock
    from synthetic.library.collection_defs import to_toml

    db, config = tmp_path / "r.db", tmp_path / "reelscale.toml"
    config.write_text(to_toml())
    (tmp_path / "lib").mkdir()
    with open_store(db):
        pass
    before = db.read_bytes()
    args = [a.format(config=config, folder=tmp_path / "lib") for a in command]
    closed = "http://127.0.0.1:9"  # nothing is to be sent; if it were, it goes nowhere
    env = {
        "ANTHROPIC_API_KEY": "k",
        "ANTHROPIC_BASE_URL": closed,
        "TMDB_API_KEY": "k",
        "TMDB_URL": closed,
        "PATH": "/usr/bin:/bin",
    }
    with run_lock(db):
        proc = subprocess.run(
            [sys.executable, "-m", "core", *args, "--db", str(db)],
            capture_output=True,
            text=True,
            env=env,
            timeout=60,
        )
    assert proc.returncode == 1, proc.stderr
    assert "another reelscale run" in proc.stderr and "Traceback" not in proc.stderr
    assert db.read_bytes() == before
