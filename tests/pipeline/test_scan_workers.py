"""A scan that parses in a worker process writes what a scan in one process writes, stops in
order, survives its worker dying, and leaves no worker behind."""

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from core.pipeline.source import files as files_module
from core.pipeline.source.files import scan
from core.pipeline.source.scan_parse import BATCH, ParseQueue, context, parse_contexts
from core.store.db import open_store
from tests.conftest import make_files

PATHS = Path(__file__).resolve().parents[1] / "data" / "parse_pins" / "synthetic_paths.txt"


@pytest.fixture(scope="module")
def tree(tmp_path_factory):
    """3,000 empty files named like the synthetic library's (movies, episodes, extras)."""
    root = tmp_path_factory.mktemp("workers") / "library"
    make_files(root, PATHS.read_text(encoding="utf-8").splitlines())
    return root


def _rows(db) -> list[tuple]:
    conn = sqlite3.connect(db)
    try:
        return [
            *conn.execute("SELECT * FROM items ORDER BY id"),
            *conn.execute("SELECT item_id, size, inode FROM scan_index ORDER BY item_id"),
        ]
    finally:
        conn.close()


def _scan(root, db, **kwargs):
    with open_store(db) as store:
        return scan(root, store, **kwargs)


def test_a_worker_writes_the_same_rows_with_the_same_ids(tree, tmp_path):
    alone = _scan(tree, tmp_path / "alone.db", parse_workers=0)
    beside = _scan(tree, tmp_path / "beside.db", parse_workers=1)
    assert alone.parsed > 4 * BATCH
    assert (alone.parse_workers, beside.parse_workers) == (0, 1)
    assert 0 < beside.worker_peak_rss_mb < 200
    same = ("videos", "movies", "episodes", "extras", "new", "parsed", "errors")
    assert {k: getattr(beside, k) for k in same} == {k: getattr(alone, k) for k in same}
    assert _rows(tmp_path / "beside.db") == _rows(tmp_path / "alone.db")


def test_a_rescan_starts_no_worker(tree, tmp_path):
    _scan(tree, tmp_path / "db", parse_workers=1)
    again = _scan(tree, tmp_path / "db", parse_workers=1)
    assert (again.parsed, again.parse_workers, again.worker_peak_rss_mb) == (0, 0, 0.0)


def test_a_stopped_scan_with_a_worker_keeps_what_it_parsed(tree, tmp_path, monkeypatch):
    monkeypatch.setattr(files_module, "STOP_EVERY", 1000)
    db = tmp_path / "db"
    stopped = _scan(tree, db, parse_workers=1, should_stop=lambda: True)
    assert stopped.stopped and 0 < stopped.parsed < 3000
    assert len(_rows(db)) == 2 * stopped.new == 2 * stopped.parsed  # items + index rows
    rest = _scan(tree, db, parse_workers=1)
    assert rest.unchanged == stopped.parsed and rest.removed == 0
    assert _rows(db)[: rest.videos] == _rows_of_one_scan(tree, tmp_path)[: rest.videos]


def _rows_of_one_scan(tree, tmp_path):
    _scan(tree, tmp_path / "whole.db", parse_workers=0)
    return _rows(tmp_path / "whole.db")


def test_the_rest_is_parsed_here_when_the_worker_dies(tree):
    paths = [str(tree / p) for p in PATHS.read_text(encoding="utf-8").splitlines()[: 4 * BATCH]]
    got = []
    queue = ParseQueue(lambda file, _new, fields: got.append((file[0], fields)), workers=1)
    with queue:
        for path in paths[:BATCH]:  # the first batch starts the worker and goes to it
            queue.add((path, 0, 0, 0), True)
        assert queue._in_worker == 1
        worker = queue._worker.process
        os.kill(worker.pid, signal.SIGKILL)
        worker.join(10)
        for path in paths[BATCH:]:
            queue.add((path, 0, 0, 0), True)
        queue.flush()
    assert got == list(zip(paths, parse_contexts([context(p) for p in paths]), strict=True))


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs /proc")
def test_the_worker_exits_when_the_scan_is_killed(tmp_path):
    code = (
        "import os, sys\n"
        "from core.pipeline.source.scan_parse import BATCH, ParseQueue\n"
        "queue = ParseQueue(lambda *a: None, workers=1)\n"
        "for i in range(BATCH):\n"
        "    queue.add((f'/m/Title {i} (2001)/Title.{i}.2001.mkv', 0, 0, 0), True)\n"
        "worker = queue._worker.process\n"
        "print(worker.pid, flush=True)\n"
        "sys.stdin.read()\n"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    worker = int(proc.stdout.readline())
    proc.kill()
    proc.wait(10)
    deadline = time.monotonic() + 10
    while _alive(worker) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _alive(worker)


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as fh:
            return fh.read().split(")")[-1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def test_cli_scan_parses_in_a_worker_and_says_so(tree, tmp_path):
    from click.testing import CliRunner

    from core.cli import cli

    db = tmp_path / "cli.db"
    result = CliRunner().invoke(cli, ["scan", str(tree), "--db", str(db), "--json"])
    assert result.exit_code == 0, result.output
    workers = 1 if len(os.sched_getaffinity(0)) > 1 else 0
    assert f'"parse_workers": {workers}' in result.output
    result = CliRunner().invoke(cli, ["scan", "--help"])
    assert "--parse-workers" in result.output


def test_a_runs_folder_source_parses_in_a_worker_as_scan_does(tree, tmp_path):
    from core.pipeline.context import RunContext, RunOptions
    from core.pipeline.source.scan_parse import default_workers
    from core.pipeline.source.series import group_after_scan
    from core.pipeline.source.sources import FileLibrary
    from core.progress import NULL_REPORTER

    assert default_workers() == (1 if len(os.sched_getaffinity(0)) > 1 else 0)
    with open_store(tmp_path / "alone.db") as store:
        group_after_scan(store, scan(tree, store, parse_workers=0))
    with open_store(tmp_path / "run.db") as store:
        ctx = RunContext(store, 1, [], RunOptions(), NULL_REPORTER, lambda: False)
        outcome = FileLibrary(str(tree), parse_workers=1).read(ctx)
    assert outcome.library["parse_workers"] == 1 and outcome.library["parsed"] > BATCH
    assert _rows(tmp_path / "run.db") == _rows(tmp_path / "alone.db")


def test_a_run_gives_its_folder_source_the_scans_default_workers(tmp_path, monkeypatch):
    from core.config import load_config
    from core.pipeline.build import build
    from core.pipeline.context import RunOptions
    from core.pipeline.source.scan_parse import default_workers
    from core.pipeline.source.sources import FileLibrary

    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-" + "x" * 40)
    monkeypatch.setenv("TMDB_API_KEY", "0" * 32)
    config = load_config(None, {"run.source": "files", "run.library": str(tmp_path)})
    pipeline = build(config, RunOptions(), tmp_path / "reelscale.db")
    try:
        (library,) = [p.source for p in pipeline.parts if isinstance(p.source, FileLibrary)]
    finally:
        pipeline.close()
    assert library.parse_workers == default_workers()
