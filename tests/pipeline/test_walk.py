import os

import pytest

from core.pipeline.source import walk as walk_module
from core.pipeline.source.walk import WalkStats, walk
from tests.conftest import make_files


def _walk(root, **kwargs):
    errors = []
    stats = WalkStats()
    batches = list(
        walk(str(root), on_error=lambda p, r: errors.append((p, r)), stats=stats, **kwargs)
    )
    assert all(files for _, files, _, _ in batches)  # a folder without files yields nothing
    found = {
        os.path.relpath(prefix + entry.name, root): extra
        for prefix, files, extra, _ in batches
        for entry in files
    }
    return found, errors, stats


def test_walk_yields_every_file_and_flags_extras(tmp_path):
    make_files(
        tmp_path,
        [
            "A (2000)/a.mkv",
            "A (2000)/Extras/making of.mkv",
            "A (2000)/Featurettes/deep/x.mkv",
            "top.nfo",
            "d/e/f/g/h/deep.mp4",
        ],
    )
    found, errors, stats = _walk(tmp_path)
    assert found == {
        "A (2000)/a.mkv": False,
        "A (2000)/Extras/making of.mkv": True,
        "A (2000)/Featurettes/deep/x.mkv": True,
        "top.nfo": False,
        "d/e/f/g/h/deep.mp4": False,
    }
    assert errors == []
    assert stats.dirs == 10


def test_walk_is_iterative_on_very_deep_trees(tmp_path):
    deep = str(tmp_path)
    for _ in range(1200):  # deeper than Python's recursion limit
        deep += "/d"
        os.mkdir(deep)
    (tmp_path / deep / "x.mkv").touch()
    try:
        found, errors, _ = _walk(tmp_path)
    finally:  # shutil.rmtree (pytest's cleanup) recurses and cannot remove this tree
        os.unlink(os.path.join(deep, "x.mkv"))
        while deep != str(tmp_path):
            os.rmdir(deep)
            deep = os.path.dirname(deep)
    assert len(found) == 1 and errors == []


def test_symlinks_are_skipped_by_default_and_loops_detected_when_followed(tmp_path):
    make_files(tmp_path, ["lib/M (2001)/m.mkv"])
    os.symlink(tmp_path / "lib", tmp_path / "lib" / "loop")
    os.symlink(tmp_path / "lib" / "M (2001)" / "m.mkv", tmp_path / "lib" / "link.mkv")
    found, errors, stats = _walk(tmp_path / "lib")
    assert set(found) == {"M (2001)/m.mkv"}
    assert stats.symlinks_skipped == 2 and errors == []

    found, errors, _ = _walk(tmp_path / "lib", follow_symlinks=True)
    assert set(found) == {"M (2001)/m.mkv", "link.mkv"}
    assert len(errors) == 1 and "loop" in errors[0][1]


def test_unreadable_folder_is_reported_and_skipped(tmp_path, monkeypatch):
    make_files(tmp_path, ["ok/a.mkv", "locked/b.mkv"])
    real_open = os.open

    def open_(path, flags, *args, **kwargs):
        if str(path).endswith("locked"):
            raise PermissionError(13, "Permission denied")
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(walk_module.os, "open", open_)
    found, errors, _ = _walk(tmp_path)
    assert set(found) == {"ok/a.mkv"}
    assert errors == [(str(tmp_path / "locked"), "cannot read folder: Permission denied")]


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any folder")
def test_real_permission_denied_folder(tmp_path):
    make_files(tmp_path, ["ok/a.mkv", "locked/b.mkv"])
    os.chmod(tmp_path / "locked", 0)
    try:
        found, errors, _ = _walk(tmp_path)
    finally:
        os.chmod(tmp_path / "locked", 0o755)
    assert set(found) == {"ok/a.mkv"} and len(errors) == 1


def test_non_utf8_names_are_walked(tmp_path):
    os.mkdir(os.path.join(os.fsencode(tmp_path), b"Caf\xe9 (1999)"))
    open(os.path.join(os.fsencode(tmp_path), b"Caf\xe9 (1999)", b"Caf\xe9.1999.mkv"), "wb").close()
    found, errors, _ = _walk(tmp_path)
    assert list(found) == [os.fsdecode(b"Caf\xe9 (1999)/Caf\xe9.1999.mkv")] and errors == []


def test_ambiguous_extras_folders_count_only_inside_a_movie_folder(tmp_path):
    make_files(
        tmp_path,
        [
            "Heat (1995)/Shorts/Short Film.mkv",
            "Shorts/Some Short (2001).mkv",
            "Heat (1995)/Other/x.mkv",
        ],
    )
    found, _, _ = _walk(tmp_path)
    assert found == {
        "Heat (1995)/Shorts/Short Film.mkv": True,
        "Heat (1995)/Other/x.mkv": True,
        "Shorts/Some Short (2001).mkv": False,
    }


def test_a_big_folder_comes_in_lists_of_at_most_sorted_files(tmp_path, monkeypatch):
    monkeypatch.setattr(walk_module, "SORTED_FILES", 3)
    make_files(tmp_path, [f"big/{i}.mkv" for i in range(7)] + ["big/sub/x.mkv"])
    batches = [[e.name for e in files] for _, files, _, _ in walk(str(tmp_path), on_error=print)]
    assert [len(b) for b in batches] == [3, 3, 1, 1]
    assert all(b == sorted(b) for b in batches)
    assert sorted(n for b in batches[:3] for n in b) == [f"{i}.mkv" for i in range(7)]
    assert batches[3] == ["x.mkv"]


def _open_fds() -> int:
    return len(os.listdir("/proc/self/fd"))


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="needs /proc")
def test_folder_descriptors_are_closed_when_done_or_abandoned(tmp_path, monkeypatch):
    monkeypatch.setattr(walk_module, "MAX_OPEN", 3)  # deeper folders open by their full path
    make_files(tmp_path, [f"{a}/{b}/c/d/e/x{a}{b}.mkv" for a in "pq" for b in "rs"])
    before = _open_fds()
    found, errors, _ = _walk(tmp_path)
    assert len(found) == 4 and errors == []
    assert _open_fds() == before

    walker = walk(str(tmp_path), on_error=print)
    prefix, files, _, fd = next(walker)  # suspended with folders open
    assert os.stat(files[0].name, dir_fd=fd).st_size == 0
    assert prefix.endswith("/p/r/c/d/e/")
    assert _open_fds() > before
    walker.close()
    assert _open_fds() == before
