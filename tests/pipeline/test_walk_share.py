"""A rescan that shares a big folder's walk with a helper process finds, counts and writes what a
rescan in one process does, in the same order, and survives the helper dying."""

import os
import signal
import sqlite3

import pytest

from core.pipeline.source import walk as walk_module
from core.pipeline.source import walk_share
from core.pipeline.source.files import scan
from core.pipeline.source.walk import walk
from core.store.db import open_store
from tests.conftest import make_files

SAME = ("files", "videos", "movies", "episodes", "extras", "new", "changed", "unchanged")
SAME += ("moved", "removed", "errors", "parsed", "dirs", "symlinks_skipped")


@pytest.fixture
def small_chunks(monkeypatch):
    monkeypatch.setattr(walk_module, "SHARE_AT", 8)
    monkeypatch.setattr(walk_module, "CHUNK", 3)


def _library(root):
    movies = [
        f"Movies/Film {i:02} ({1990 + i})/Film.{i:02}.{1990 + i}.1080p.mkv" for i in range(30)
    ]
    extras = [f"Movies/Film {i:02} ({1990 + i})/Extras/making of.mkv" for i in range(0, 30, 7)]
    trailers = [f"Movies/Film {i:02} ({1990 + i})/Film {i:02}-trailer.mkv" for i in range(1, 30, 9)]
    shows = [f"TV/Show/Season 01/Show - S01E{e:02}.mkv" for e in range(1, 4)]
    make_files(root, [*movies, *extras, *trailers, *shows, "Movies/notes.txt"])


def _change(root):
    os.remove(root / "Movies/Film 04 (1994)/Film.04.1994.1080p.mkv")
    (root / "Movies/Film 05 (1995)/Film.05.1995.1080p.mkv").write_bytes(b"longer now")
    make_files(root, ["Movies/Film 31 (2021)/Film.31.2021.mkv", "Movies/Film 07 (1997)/b.mkv"])
    os.rename(root / "Movies/Film 10 (2000)", root / "Movies/Film 10 (2000) moved")


def _rows(db):
    """Items (with their path below the library) and index rows, by id."""
    with sqlite3.connect(db) as conn:
        items = conn.execute("SELECT * FROM items ORDER BY id").fetchall()
        index = conn.execute("SELECT item_id, size FROM scan_index ORDER BY item_id").fetchall()
    return [(r[0], r[2].split("/lib/")[1], *r[3:]) for r in items], index


def _rescan(root, db, workers):
    with open_store(db) as store:
        scan(root, store, parse_workers=0)
        _change(root)
        return scan(root, store, parse_workers=workers)


def test_a_shared_rescan_finds_and_writes_what_one_process_does(
    tmp_path, small_chunks, monkeypatch
):
    monkeypatch.setattr(walk_share, "WAIT", 60)  # here the scan waits for every chunk
    for name in ("one", "two"):
        _library(tmp_path / name / "lib")
    alone = _rescan(tmp_path / "one" / "lib", tmp_path / "one.db", 0)
    shared = _rescan(tmp_path / "two" / "lib", tmp_path / "two.db", 1)
    assert {k: getattr(shared, k) for k in SAME} == {k: getattr(alone, k) for k in SAME}
    assert (shared.new, shared.changed, shared.moved, shared.removed) == (2, 1, 1, 1)
    assert (alone.walk_workers, shared.walk_workers) == (0, 1)
    assert alone.walk_worker_peak_rss_mb == 0 < shared.walk_worker_peak_rss_mb < 200


def test_the_scan_walks_a_chunk_itself_when_the_helper_is_late(tmp_path, small_chunks, monkeypatch):
    for name in ("one", "two"):
        _library(tmp_path / name / "lib")
    monkeypatch.setattr(walk_share, "WAIT", 0)
    real = walk_share.walk_chunk
    here = []
    monkeypatch.setattr(walk_share, "walk_chunk", lambda *job: here.append(job) or real(*job))
    alone = _rescan(tmp_path / "one" / "lib", tmp_path / "one.db", 0)
    shared = _rescan(tmp_path / "two" / "lib", tmp_path / "two.db", 1)
    assert {k: getattr(shared, k) for k in SAME} == {k: getattr(alone, k) for k in SAME}
    assert here  # at least the first chunk: the helper was still starting
    assert _rows(tmp_path / "one.db") == _rows(tmp_path / "two.db")
    assert _rows(tmp_path / "one.db") == _rows(tmp_path / "two.db")


def test_the_helper_walks_every_other_chunk_in_order(tmp_path, small_chunks, monkeypatch):
    _library(tmp_path)
    taken = []
    real = walk_share.walk_chunk

    def walk_chunk(folder, in_extras, names):
        taken.append(names)
        return real(folder, in_extras, names)

    monkeypatch.setattr(walk_share, "walk_chunk", walk_chunk)  # here: the helper is "dead"
    share = walk_share.WalkShare()
    got = []
    share.handle = lambda chunk: got.extend(path for path, *_ in chunk.videos)
    for prefix, files, _, _ in walk(str(tmp_path), on_error=print, helper=share):
        got.extend(prefix + f.name for f in files if f.name.endswith(".mkv"))
    movie_folders = sorted(os.listdir(tmp_path / "Movies"))
    assert taken == [movie_folders[i : i + 3] for i in range(3, len(movie_folders), 6)]
    plain = [
        prefix + f.name
        for prefix, files, _, _ in walk(str(tmp_path), on_error=print)
        for f in files
        if f.name.endswith(".mkv")
    ]
    videos = [p for p in plain if "/Extras/" not in p and "trailer" not in p]
    assert [p for p in got if "/Extras/" not in p and "trailer" not in p] == videos


def test_a_rescan_goes_on_when_the_helper_dies(tmp_path, small_chunks, monkeypatch):
    for name in ("one", "two"):
        _library(tmp_path / name / "lib")
    real_start = walk_share.WalkShare.start

    def start_and_kill(self):
        real_start(self)
        os.kill(self._worker.process.pid, signal.SIGKILL)
        self._worker.process.join(10)

    monkeypatch.setattr(walk_share.WalkShare, "start", start_and_kill)
    alone = _rescan(tmp_path / "one" / "lib", tmp_path / "one.db", 0)
    shared = _rescan(tmp_path / "two" / "lib", tmp_path / "two.db", 1)
    assert {k: getattr(shared, k) for k in SAME} == {k: getattr(alone, k) for k in SAME}
    assert shared.walk_workers == 0


def test_walk_chunk_reports_what_it_could_not_read(tmp_path):
    make_files(tmp_path, ["a/x.mkv", "b/y.mkv"])
    chunk = walk_share.walk_chunk(str(tmp_path), False, ["a", "gone", "b"])
    assert [p for p, *_ in chunk.videos] == [f"{tmp_path}/a/x.mkv", f"{tmp_path}/b/y.mkv"]
    assert chunk.errors == [(f"{tmp_path}/gone", "folder vanished during the scan")]
    assert (chunk.files, chunk.dirs) == (2, 2)
