import os
import string

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.errors import UsageError
from core.pipeline.source import files as files_module
from core.pipeline.source import scan_parse
from core.pipeline.source.files import scan
from core.store.db import open_store
from tests.conftest import make_files

LIBRARY = [
    "Heat (1995)/Heat.1995.1080p.BluRay.x264-GRP.mkv",
    "Heat (1995)/Heat.1995.1080p.BluRay.x264-GRP.en.srt",
    "Heat (1995)/poster.jpg",
    "Heat (1995)/Extras/Making of.mkv",
    "Heat (1995)/Heat.1995.sample.mkv",
    "Up (2009)/Up (2009) Bluray-1080p.mp4",
    "Up (2009)/Up (2009)-trailer.mp4",
    "Downloads/Blade.Runner.2049.2017.2160p.WEB-DL.DDP5.1.H.265-GRP.mkv",
    "TV/Some Show/Season 01/Some.Show.S01E02.720p.HDTV.x264-GRP.mkv",
]


@pytest.fixture
def library(tmp_path):
    root = tmp_path / "lib"
    make_files(root, LIBRARY)
    return root


def _items(store):
    return {
        os.path.basename(key): (item_id, title, year, type_)
        for item_id, key, title, year, type_ in store.conn.execute(
            "SELECT id, key, title, year, type FROM items"
        )
    }


def test_first_scan_counts_and_parses(library, store):
    s = scan(library, store)
    assert (s.files, s.videos, s.extras, s.new, s.parsed, s.unchanged) == (9, 4, 3, 4, 4, 0)
    assert (s.movies, s.episodes, s.errors, s.removed) == (3, 1, 0, 0)
    items = _items(store)
    assert items["Heat.1995.1080p.BluRay.x264-GRP.mkv"][1:] == ("Heat", 1995, "movie")
    assert items["Blade.Runner.2049.2017.2160p.WEB-DL.DDP5.1.H.265-GRP.mkv"][1:3] == (
        "Blade Runner 2049",
        2017,
    )
    assert items["Some.Show.S01E02.720p.HDTV.x264-GRP.mkv"][3] == "episode"
    assert s.peak_rss_mb > 0 and s.paths_per_min > 0


def test_rescan_of_unchanged_tree_parses_nothing(library, store, monkeypatch):
    scan(library, store)
    monkeypatch.setattr(scan_parse, "parse", _forbidden_parse)
    s = scan(library, store)
    assert (s.videos, s.unchanged, s.new, s.changed, s.parsed, s.removed) == (4, 4, 0, 0, 0, 0)


def _forbidden_parse(name):
    raise AssertionError(f"unchanged file parsed again: {name}")


def test_touch_rename_delete_add(library, store):
    scan(library, store)
    before = _items(store)
    heat = library / LIBRARY[0]
    os.utime(heat, ns=(1, 1_000_000_000))
    up = library / LIBRARY[5]
    moved = library / "Moved" / "Up (2009) Bluray-1080p.mp4"
    moved.parent.mkdir()
    os.rename(up, moved)
    (library / LIBRARY[7]).unlink()
    make_files(library, ["New Film (2021)/New.Film.2021.720p.WEB.h264-GRP.mkv"])

    s = scan(library, store)
    assert (s.changed, s.moved, s.removed, s.new, s.unchanged) == (1, 1, 1, 1, 1)
    assert s.parsed == 3  # changed + moved + new; the unchanged episode is not parsed
    after = _items(store)
    assert after["Up (2009) Bluray-1080p.mp4"][0] == before["Up (2009) Bluray-1080p.mp4"][0]
    assert "Blade.Runner.2049.2017.2160p.WEB-DL.DDP5.1.H.265-GRP.mkv" not in after
    assert after["New.Film.2021.720p.WEB.h264-GRP.mkv"][1:3] == ("New Film", 2021)
    key = store.conn.execute("SELECT key FROM items WHERE id = ?", (after[moved.name][0],))
    assert key.fetchone()[0] == str(moved)
    rows = store.conn.execute("SELECT count(*) FROM scan_index").fetchone()[0]
    assert rows == len(after) == 4


def test_scanning_a_subfolder_leaves_the_rest_of_the_index_alone(library, store):
    scan(library, store)
    s = scan(library / "Heat (1995)", store)
    assert (s.videos, s.unchanged, s.removed) == (1, 1, 0)
    assert store.conn.execute("SELECT count(*) FROM items").fetchone()[0] == 4


def test_file_vanishing_mid_walk_is_reported(library, store, monkeypatch):
    real_walk = files_module.walk

    def walk(*args, **kwargs):
        for prefix, files, extra, fd in real_walk(*args, **kwargs):
            for entry in files:
                if entry.name.startswith("Heat.1995.1080p") and entry.name.endswith(".mkv"):
                    os.unlink(prefix + entry.name)
            yield prefix, files, extra, fd

    monkeypatch.setattr(files_module, "walk", walk)
    s = scan(library, store)
    assert s.errors == 1 and s.videos == 3
    assert s.error_details[0]["reason"] == "file vanished during the scan"


def test_non_utf8_names_are_indexed_and_rescanned(tmp_path, store):
    raw = os.path.join(os.fsencode(tmp_path), b"Am\xe9lie.2001.1080p.mkv")
    open(raw, "wb").close()
    s = scan(tmp_path, store)
    assert (s.new, s.errors) == (1, 0)
    title = store.conn.execute("SELECT title FROM items").fetchone()[0]
    assert title.startswith("Am") and "\ufffd" in title
    assert scan(tmp_path, store).unchanged == 1


@pytest.mark.parametrize("make", ["missing", "file"])
def test_bad_root_is_a_usage_error(tmp_path, store, make):
    target = tmp_path / "nope"
    if make == "file":
        target.write_text("x")
    with pytest.raises(UsageError):
        scan(target, store)


_name_chars = st.characters(
    codec="utf-8", exclude_characters="/\x00", exclude_categories=("Cs",)
) | st.sampled_from(string.punctuation.replace("/", ""))


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(names=st.lists(st.text(_name_chars, min_size=1, max_size=60), min_size=1, max_size=5))
def test_any_file_name_scans_without_error(tmp_path_factory, names):
    root = tmp_path_factory.mktemp("h")
    for i, name in enumerate(names):
        if name in (".", "..") or len(name.encode()) > 240:
            continue
        (root / f"{i}{name}.mkv").touch()
    with open_store(root.parent / f"{root.name}.db") as store:
        first = scan(root, store)
        again = scan(root, store)
    assert first.errors == 0
    assert again.unchanged == first.videos and again.parsed == 0


def test_size_change_under_the_same_mtime_and_pre_1970_mtimes(tmp_path, store):
    movie, episode = tmp_path / "Heat.1995.1080p.mkv", tmp_path / "Show.S01E02.720p.mkv"
    before_1970 = -(10**9) * 86_400 * 400
    for path in (movie, episode):
        path.write_bytes(b"x")
        os.utime(path, ns=(before_1970, before_1970))
    first = scan(tmp_path, store)
    again = scan(tmp_path, store)
    assert (first.new, again.unchanged, again.episodes, again.parsed) == (2, 2, 1, 0)
    movie.write_bytes(b"xy")  # same mtime, new size: still a change
    os.utime(movie, ns=(before_1970, before_1970))
    changed = scan(tmp_path, store)
    assert (changed.changed, changed.unchanged, changed.movies, changed.episodes) == (1, 1, 1, 1)
