"""The synthetic series library: determinism, ids, the shape of the records, ground truth."""

from __future__ import annotations

import collections
import hashlib
import os
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from synthetic.library import series as S
from synthetic.library.series_words import CERTIFICATIONS, NETWORKS, TRAIT_CUES


@pytest.fixture(scope="module")
def lib5k():
    return list(S.generate_series(5_000, 42))


def _digest(size: int, seed: int) -> str:
    rows = "\n".join(repr(s.as_dict()) for s in S.generate_series(size, seed))
    return hashlib.sha256(rows.encode()).hexdigest()


def test_same_seed_same_series_and_another_seed_differs():
    assert _digest(300, 7) == _digest(300, 7)
    assert _digest(300, 7) != _digest(300, 8)


def test_series_do_not_depend_on_the_hash_seed():
    code = (
        "import hashlib; from synthetic.library.series import generate_series as g; "
        "print(hashlib.sha256('\\n'.join(repr(s.as_dict()) for s in g(200, 3)).encode())"
        ".hexdigest(), end='')"
    )
    env = dict(os.environ, PYTHONHASHSEED="999")
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    ).stdout
    assert out == _digest(200, 3)


@settings(max_examples=8, deadline=None)
@given(n=st.integers(0, 40), extra=st.integers(1, 40), seed=st.integers(0, 2**40))
def test_a_smaller_library_is_a_prefix_of_a_larger_one(n, extra, seed):
    small = [s.as_dict() for s in S.generate_series(n, seed)]
    big = [s.as_dict() for s in S.generate_series(n + extra, seed)]
    assert big[:n] == small


def test_ids_and_titles_are_unique(lib5k):
    assert [s.id for s in lib5k] == list(range(1, 5_001))
    for field in ("tvdb_id", "tmdb_id", "imdb_id", "title"):
        values = [getattr(s, field) for s in lib5k]
        assert len(set(values)) == len(values), field
    assert all(s.imdb_id.startswith("tt") and s.imdb_id[2:].isdigit() for s in lib5k)


def test_fields_take_sonarrs_values(lib5k):
    networks = {n for n, _ in NETWORKS}
    for s in lib5k:
        assert s.status in ("continuing", "ended", "upcoming")
        assert s.series_type in ("standard", "anime")
        assert s.certification in CERTIFICATIONS
        assert s.network in networks
        assert set(s.genres) <= set(S.SERIES_GENRES) and s.genres
        assert 1950 <= s.year <= 2026 and 1 <= s.seasons <= 40
        assert set(s.traits) <= set(S.SERIES_TRAITS)
        assert s.title in s.overview


def test_traits_shape_the_visible_fields(lib5k):
    for s in lib5k:
        if "anime" in s.traits:
            assert s.original_language == "ja" and s.series_type == "anime"
        if "miniseries" in s.traits:
            assert s.seasons == 1
        if "kids_animation" in s.traits:
            assert s.certification in ("TV-Y", "TV-Y7", "TV-G")
    ended_minis = [s for s in lib5k if "miniseries" in s.traits and s.status == "ended"]
    minis = [s for s in lib5k if "miniseries" in s.traits]
    assert len(ended_minis) > 0.8 * len(minis)


def test_every_collection_has_members_and_cues_are_not_certain(lib5k):
    members = S.truth(lib5k)
    assert list(members) == [c.name for c in S.SERIES_COLLECTIONS]
    for name, ids in members.items():
        assert 100 < len(ids) < 1_000, name
    counts = collections.Counter(t for s in lib5k for t in s.traits)
    assert sum(counts.values()) == sum(len(ids) for ids in members.values())
    # Most holders carry a cue in the overview, not all: a judge has to read, not grep.
    anime = [s for s in lib5k if "anime" in s.traits]
    cued = [s for s in anime if any(c in s.overview for c in TRAIT_CUES["anime"])]
    assert 0.6 * len(anime) < len(cued) < len(anime)


def test_jsonl_round_trip(tmp_path):
    path = tmp_path / "series.jsonl"
    assert S.write_series_jsonl(path, 50, 5) == 50
    assert [s.as_dict() for s in S.read_series_jsonl(path)] == [
        s.as_dict() for s in S.generate_series(50, 5)
    ]


def test_sizes_out_of_range_are_refused():
    with pytest.raises(ValueError, match="size must be between"):
        next(S.generate_series(-1, 0))
