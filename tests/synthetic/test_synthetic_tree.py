"""The synthetic file tree: exact size, determinism, realistic shapes, a truth row per video."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest

from synthetic.library.movies import generate
from synthetic.tree import TreeStats, build_tree

VIDEO_EXT = {"mkv", "mp4", "avi", "m4v", "ts", "wmv", "mov"}


def _listing(root) -> list[str]:
    out = []
    for dirpath, _dirs, files in os.walk(root):
        rel = os.path.relpath(dirpath, root)
        for f in files:
            out.append(f if rel == "." else f"{rel}/{f}")
    return sorted(out)


def _truth(path) -> list[dict]:
    with open(path, encoding="utf-8") as fp:
        return [json.loads(line) for line in fp]


@pytest.fixture(scope="module")
def tree5k(tmp_path_factory):
    base = tmp_path_factory.mktemp("tree5k")
    root, truth = base / "lib", base / "truth.jsonl"
    stats = build_tree(root, 5000, 3, truth=truth)
    return root, truth, stats, _listing(root), _truth(truth)


def test_exact_size_and_stats(tree5k):
    root, _truth_path, stats, files, rows = tree5k
    assert isinstance(stats, TreeStats)
    assert len(files) == stats.files == 5000
    assert stats.videos == stats.movies + stats.episodes + stats.extras == len(rows)
    assert stats.files == stats.videos + stats.side_files
    assert all(os.path.getsize(os.path.join(root, f)) == 0 for f in files[:200])
    dirs = sum(len(d) for _, d, _ in os.walk(root))
    assert stats.dirs == dirs
    # episodes are roughly a tenth of the videos
    assert 0.04 < stats.episodes / stats.videos < 0.2


@pytest.mark.parametrize("size", [0, 1, 7, 123])
def test_exact_size_small(tmp_path, size):
    stats = build_tree(tmp_path / "t", size, 9, truth=tmp_path / "t.jsonl")
    assert len(_listing(tmp_path / "t")) == size == stats.files


def test_root_must_be_empty(tmp_path):
    (tmp_path / "x").write_text("")
    with pytest.raises(ValueError):
        build_tree(tmp_path, 10, 1)
    with pytest.raises(ValueError):
        build_tree(tmp_path / "x", 10, 1)
    (tmp_path / "empty").mkdir()
    assert build_tree(tmp_path / "empty", 10, 1).files == 10


def test_deterministic(tmp_path):
    a = build_tree(tmp_path / "a", 800, 21, truth=tmp_path / "a.jsonl")
    b = build_tree(tmp_path / "b", 800, 21, truth=tmp_path / "b.jsonl")
    c = build_tree(tmp_path / "c", 800, 22, truth=tmp_path / "c.jsonl")
    assert _listing(tmp_path / "a") == _listing(tmp_path / "b")
    assert (tmp_path / "a.jsonl").read_bytes() == (tmp_path / "b.jsonl").read_bytes()
    assert (a.videos, a.dirs) == (b.videos, b.dirs)
    assert _listing(tmp_path / "a") != _listing(tmp_path / "c")
    assert c.files == 800


def test_same_bytes_in_another_process_and_hash_seed(tmp_path):
    code = (
        "import sys; from synthetic.tree import build_tree; "
        "build_tree(sys.argv[1], 600, 5, truth=sys.argv[2])"
    )
    env = dict(os.environ, PYTHONHASHSEED="4242")
    subprocess.run(
        [sys.executable, "-c", code, str(tmp_path / "p"), str(tmp_path / "p.jsonl")],
        env=env,
        check=True,
    )
    build_tree(tmp_path / "q", 600, 5, truth=tmp_path / "q.jsonl")
    assert (tmp_path / "p.jsonl").read_bytes() == (tmp_path / "q.jsonl").read_bytes()
    assert _listing(tmp_path / "p") == _listing(tmp_path / "q")


def test_truth_row_for_every_video(tree5k):
    _root, _t, _s, files, rows = tree5k
    videos = {f for f in files if f.rsplit(".", 1)[-1] in VIDEO_EXT}
    paths = [r["path"] for r in rows]
    assert len(paths) == len(set(paths))
    assert set(paths) == videos
    keys = ["path", "title", "year", "type", "season", "episode", "tmdb_id"]
    for r in rows:
        # "noise" (#17) only on the flat downloads named with noise around the release name
        assert list(r) == keys + (["noise"] if "noise" in r else [])
        assert "noise" not in r or r["type"] == "movie"
        assert r["type"] in ("movie", "episode", "extra")
        assert "\\" not in r["path"] and not r["path"].startswith("/")
        if r["type"] == "movie":
            assert isinstance(r["tmdb_id"], int) and 1920 <= r["year"] <= 2026
            assert r["season"] is None and r["episode"] is None
        elif r["type"] == "episode":
            assert isinstance(r["season"], int) and isinstance(r["episode"], int)
            assert r["tmdb_id"] is None and (r["year"] is None or isinstance(r["year"], int))
        else:
            assert r["tmdb_id"] is None and isinstance(r["year"], int)


def test_truth_matches_the_library(tree5k):
    rows = [r for r in tree5k[4] if r["type"] == "movie"]
    lib = {m.tmdb_id: m for m in generate(5000, 3)}
    for r in rows:
        m = lib[r["tmdb_id"]]
        assert (r["title"], r["year"]) == (m.title, m.year)


def test_every_shape_appears(tree5k):
    _root, _t, _s, files, rows = tree5k
    movies = [r["path"] for r in rows if r["type"] == "movie"]
    episodes = [r["path"] for r in rows if r["type"] == "episode"]
    extras = [r["path"] for r in rows if r["type"] == "extra"]

    def has(paths, pattern):
        rx = re.compile(pattern)
        return any(rx.search(p) for p in paths)

    # Radarr folder + scene file, Radarr renamer files
    assert has(movies, r"^Movies/[^/]+ \(\d{4}\)/[^/ ]+\.\d{4}\.[^/]*-[^/.]+\.\w+$")
    assert has(movies, r"^Movies/([^/]+ \(\d{4}\))/\1\.\w+$")
    assert has(movies, r"^Movies/([^/]+ \(\d{4}\))/\1 (Bluray|WEBDL|WEBRip|HDTV|Remux|DVD)")
    assert has(movies, r"\{edition-[^}]+\}")
    assert has(movies, r"\.(PROPER|REPACK)\.")
    assert has(movies, r"\.(EXTENDED|IMAX|Directors\.Cut|UNRATED|REMASTERED)\.")
    assert has(movies, r"^Movies 4K/[^/]+/[^/]*2160p")
    assert has(movies, r"\[tmdbid-\d+\]/") and has(movies, r"\{tmdb-\d+\}/")
    assert has(movies, r"^Downloads/[^/]+\.\d{4}\.[^/]+-\w+\.\w+$")  # flat scene names
    assert has(movies, r"^Downloads/[^/]+/[^/]+$")  # release folders
    assert has(movies, r"^Collections/The [^/]+ Collection/[^/]+ \(\d{4}\)/")
    assert has(movies, r"^Movies/[^/]+\.\w+$")  # loose files
    assert has(movies, r"(CD|cd|part|pt|DISC)1\.avi$") and has(movies, r"(CD|cd|part|pt|DISC)2")
    assert has(extras, r"-trailer\.\w+$") or has(extras, r"/Trailers/")
    assert has(
        extras,
        r"/(Extras|Featurettes|Deleted Scenes|Interviews|Behind The Scenes|"
        r"Trailers|Shorts)/",
    )
    assert has(extras, r"(?i)sample")
    assert has(episodes, r"^TV/[^/]+/Season \d+/[^/]+\.S\d\dE\d\d\.")
    assert has(episodes, r"^TV/[^/]+/Season \d+/[^/]+ - S\d\dE\d\d - ")
    for side in (
        r"\.srt$",
        r"\.(en|eng)\.srt$",
        r"\.forced\.srt$",
        r"\.nfo$",
        r"/poster\.jpg$",
        r"/fanart\.jpg$",
        r"\.idx$",
        r"\.sub$",
        r"/movie\.xml$",
    ):
        assert has(files, side), side
    assert {f.rsplit(".", 1)[-1] for f in files} >= VIDEO_EXT


def test_names_are_rendered_like_real_tools(tree5k):
    rows = [r for r in tree5k[4] if r["type"] == "movie"]
    bad = re.compile(r'[\\:*?"<>|]')
    for r in rows:
        assert not bad.search(r["path"]), r["path"]
    # Accented titles stay accented in Radarr folders, transliterated in scene names.
    accented = [r for r in rows if not r["title"].isascii()]
    assert any(
        not r["path"].split("/")[1].isascii() for r in accented if r["path"].startswith("Movies/")
    )
    assert any(r["path"].startswith("Downloads/") and r["path"].isascii() for r in accented)
    # Titles with a colon / apostrophe: Radarr folders use " - " or drop the colon; scene names
    # drop apostrophes.
    colon = [r for r in rows if ":" in r["title"] and r["path"].startswith("Movies/")]
    assert any(" - " in r["path"].split("/")[1] for r in colon)
    apos = [r for r in rows if "'" in r["title"] and r["path"].startswith("Downloads/")]
    assert apos and all("'" not in r["path"].rsplit("/", 1)[1] for r in apos)


def test_noisy_names_carry_their_truth_and_a_candidate_names_the_movie(tmp_path):
    """#17: flat downloads with prefixes and second titles; the truth says which noise."""
    from benchmarks.harness.workloads.parse_accuracy import normalise_loose
    from core.pipeline.source.release_name import parse
    from synthetic.release_names import NOISE_KINDS

    truth = tmp_path / "truth.jsonl"
    build_tree(tmp_path / "t", 6000, seed=1, truth=truth)
    noisy = [row for row in map(json.loads, truth.open()) if row.get("noise")]
    assert {row["noise"] for row in noisy} >= set(NOISE_KINDS) - {"native"}
    found = 0
    for row in noisy:
        release = parse(row["path"])
        want = normalise_loose(row["title"])
        found += release.year == row["year"] and any(
            normalise_loose(t) == want for t in release.titles
        )
    assert found / len(noisy) >= 0.95
