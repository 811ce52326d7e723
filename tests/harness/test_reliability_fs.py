"""Filesystem faults end to end: ``reelscale`` in a child process over symlink loops, unreadable
folders, vanishing files, non-UTF-8 names, a read-only database and a full disk.

The walker-level cases are in test_walk.py and test_scan.py; these check what a user sees: the
exit code, one ``Error:`` line and no traceback, the database intact with its earlier rows, and
no partial file. The full trial counts: ``reelscale bench reliability filesystem``.
"""

import os
import random

import pytest
from run_fixtures import process_env

from benchmarks.harness.reliability import commands, fs_faults, fs_setup
from synthetic.servers.claude.server import PERFECT
from synthetic.tree import build_tree

# Slow (filesystem-fault trials): `make test-slow`, which CI runs too.
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def privileges():
    found = fs_setup.unprivileged()
    if not found.method:
        pytest.skip(found.reason)
    return found


@pytest.fixture(scope="module")
def big_tree(tmp_path_factory):
    """4,000 files: their index outgrows the 1 MB left of the disk-full cases."""
    root = tmp_path_factory.mktemp("big") / "tree"
    build_tree(root, 4000, seed=3)
    return root


def assert_clean(trial):
    assert trial.failures == []
    assert trial.data_lost == 0
    assert trial.faults >= 1 and trial.commands >= 2


def test_symlink_loops_are_reported_not_followed_forever(tmp_path):
    assert_clean(fs_faults.symlink_loops(tmp_path))


def test_unreadable_folder_is_skipped_and_its_movies_kept(tmp_path, privileges):
    trial = fs_faults.permission_denied(tmp_path, privileges)
    assert_clean(trial)
    assert trial.commands == 3


def test_files_vanishing_while_scanning(tmp_path):
    assert_clean(fs_faults.vanishing_files(tmp_path, random.Random(7), size=1000, rounds=2))


def test_non_utf8_names_scan_list_and_export_round_trip(tmp_path):
    assert_clean(fs_faults.non_utf8_names(tmp_path))


def test_read_only_database_and_targets_are_one_error_line(tmp_path, privileges):
    trial = fs_faults.read_only_db(tmp_path, privileges)
    assert_clean(trial)
    assert trial.faults == 5


@pytest.mark.parametrize("method", ["tmpfs", "rlimit"])
def test_full_disk_with_each_method(tmp_path, big_tree, monkeypatch, method):
    """The fallback works too (where mount is not permitted, as on most CI machines)."""
    if method == "tmpfs" and os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root")
    monkeypatch.setenv(fs_setup.METHOD_ENV, method)
    trial = fs_faults.disk_full(tmp_path, big_tree)
    if method == "tmpfs" and trial.method != "tmpfs":
        pytest.skip("mount -t tmpfs is not permitted here")
    assert_clean(trial)
    assert trial.method == {"tmpfs": "tmpfs", "rlimit": "rlimit_fsize"}[method]


def test_run_files_source_on_a_full_disk(tmp_path, config_path, tmdb_server, make_claude_server):
    claude = make_claude_server(accuracy=PERFECT)
    library = tmp_path / "library"
    build_tree(library, 20, seed=1)
    env = process_env(
        TMDB_API_KEY=tmdb_server.config.api_key,
        TMDB_URL=tmdb_server.url,
        TMDB_RATE="100000",
        ANTHROPIC_API_KEY=claude.config.api_key,
        ANTHROPIC_BASE_URL=claude.url,
    )
    trial = fs_faults.run_on_full_disk(tmp_path, env, library, config_path)
    assert trial.failures == [] and trial.data_lost == 0 and trial.faults == 1


def test_a_failed_check_is_reported():
    """The judge itself: a traceback, a wrong code and two Error: lines are all caught."""
    bad = commands.Result(("scan", "x"), 1, "", "Error: a\nTraceback (most recent call last):\nE")
    found = commands.problems(bad, [2], error=True)
    assert len(found) == 2 and "traceback" in found[0] and "exit 1" in found[1]
    two = commands.Result(("scan", "x"), 2, "", "Error: a\nError: b\n")
    assert "2 Error: lines" in commands.problems(two, [2], error=True)[0]
    assert commands.problems(two, [2], error=False)[0].startswith("scan x: unexpected Error: a")
