"""kill -9 in the middle of a classify run, then rerun: nothing committed is paid for again."""

import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from benchmarks.harness.workloads.classify import fill_store
from core.store.db import open_store
from synthetic.library.collection_defs import to_toml

N = 200


def _start(db, config, server, *args):
    env = dict(os.environ, ANTHROPIC_API_KEY=server.config.api_key, ANTHROPIC_BASE_URL=server.url)
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "core",
            "classify",
            "--db",
            str(db),
            "--config",
            str(config),
            "--json",
            "--batch-size",
            "10",
            "--concurrency",
            "2",
            *args,
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def _wait_until(condition, timeout=30.0):
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached")
        time.sleep(0.01)


@pytest.fixture
def setup(tmp_path):
    config = tmp_path / "reelscale.toml"
    config.write_text(to_toml())
    dbs = []
    for name in ("clean", "killed"):
        db = tmp_path / f"{name}.db"
        with open_store(db) as store:
            fill_store(store, N)
        dbs.append(db)
    return config, *dbs


def _paid(server):
    return server.counters.by_status.get(200, 0)


def _check_db(db):
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    decided = conn.execute("SELECT count(*) FROM decisions").fetchone()[0]
    conn.close()
    return decided


@pytest.mark.slow
def test_kill_during_sync_run_then_resume(setup, make_claude_server):
    config, clean_db, killed_db = setup
    server = make_claude_server(time_scale=0.2)  # 0.1 s to first token: requests overlap a kill
    clean = _start(clean_db, config, server, "--mode", "sync")
    assert clean.wait(60) == 0, clean.stderr.read()
    clean_paid = _paid(server)
    server.reset_counters()

    victim = _start(killed_db, config, server, "--mode", "sync")
    _wait_until(lambda: _paid(server) >= 5)
    victim.send_signal(signal.SIGKILL)
    victim.wait(10)
    rerun = _start(killed_db, config, server, "--mode", "sync")
    assert rerun.wait(60) == 0, rerun.stderr.read()
    in_flight = 2  # --concurrency
    assert _paid(server) <= clean_paid + in_flight
    assert _check_db(killed_db) == _check_db(clean_db) == N * 10


@pytest.mark.slow
def test_kill_during_batch_poll_then_resume_without_resubmitting(setup, make_claude_server):
    config, clean_db, killed_db = setup
    server = make_claude_server(
        time_scale=1.0, ttft_s=0.0, output_tokens_per_s=1e9, batch_processing_s=1.5
    )
    clean = _start(clean_db, config, server, "--mode", "batch")
    assert clean.wait(90) == 0, clean.stderr.read()
    clean_creates = server.counters.by_endpoint.get("batches_create", 0)
    clean_paid = server.counters.by_endpoint.get("batch_request", 0)
    server.reset_counters()

    victim = _start(killed_db, config, server, "--mode", "batch")
    _wait_until(lambda: server.counters.by_endpoint.get("batches_retrieve", 0) >= 1)
    victim.send_signal(signal.SIGKILL)  # the batch is submitted and being polled
    victim.wait(10)
    rerun = _start(killed_db, config, server, "--mode", "batch")
    assert rerun.wait(90) == 0, rerun.stderr.read()
    assert server.counters.by_endpoint.get("batches_create", 0) == clean_creates
    assert server.counters.by_endpoint.get("batch_request", 0) == clean_paid
    assert _check_db(killed_db) == _check_db(clean_db) == N * 10
