"""The synthetic movie library: determinism, shape of the records, traits, hard titles."""

from __future__ import annotations

import collections
import hashlib
import io
import json
import os
import re
import subprocess
import sys
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from synthetic.library import movies as L
from synthetic.library import words as W


def _jsonl(size: int, seed: int) -> bytes:
    buf = io.StringIO()
    assert L.write_jsonl(buf, size, seed) == size
    return buf.getvalue().encode("utf-8")


@pytest.fixture(scope="module")
def lib10k():
    return list(L._generate(10_000, 42))


def test_same_seed_same_bytes_and_different_seed_differs():
    a, b = _jsonl(500, 7), _jsonl(500, 7)
    assert a == b
    assert a != _jsonl(500, 8)
    assert a.count(b"\n") == 500


def test_bytes_do_not_depend_on_hash_seed_or_process():
    code = (
        "import hashlib,io,sys; from synthetic.library.movies import write_jsonl; b=io.StringIO(); "
        "write_jsonl(b, 300, 11); sys.stdout.write(hashlib.sha256(b.getvalue().encode())"
        ".hexdigest())"
    )
    env = dict(os.environ, PYTHONHASHSEED="12345")
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    ).stdout
    assert out == hashlib.sha256(_jsonl(300, 11)).hexdigest()


@settings(max_examples=10, deadline=None)
@given(n=st.integers(0, 60), extra=st.integers(1, 60), seed=st.integers(0, 2**40))
def test_prefix_property(n, extra, seed):
    small = [m.as_dict() for m in L.generate(n, seed)]
    big = [m.as_dict() for m in L.generate(n + extra, seed)]
    assert big[:n] == small
    assert len(big) == n + extra


def test_write_jsonl_to_path_compact_unicode(tmp_path):
    p = tmp_path / "lib.jsonl"
    assert L.write_jsonl(p, 2000, 5) == 2000
    raw = p.read_bytes()
    assert raw == _jsonl(2000, 5)
    lines = raw.decode("utf-8").splitlines()
    assert lines[0].startswith('{"id":1,"tmdb_id":')
    assert any(not line.isascii() for line in lines)  # ensure_ascii=False: "é" stays "é"
    assert "\\u00" not in raw.decode("utf-8")
    assert json.loads(lines[-1])["id"] == 2000


def test_fields_and_types(lib10k):
    movies = [m for m, _ in lib10k]
    tmdb, imdb = set(), set()
    certs = {"G", "PG", "PG-13", "R", "NC-17", "NR"}
    for i, m in enumerate(movies, 1):
        d = m.as_dict()
        assert list(d) == [
            "id",
            "tmdb_id",
            "imdb_id",
            "title",
            "original_title",
            "year",
            "genres",
            "overview",
            "runtime",
            "certification",
            "studio",
            "keywords",
            "ratings",
            "original_language",
            "traits",
        ]
        assert m.id == i
        assert isinstance(m.tmdb_id, int) and 2 <= m.tmdb_id < 1_500_000
        assert re.fullmatch(r"tt\d{7,8}", m.imdb_id)
        tmdb.add(m.tmdb_id)
        imdb.add(m.imdb_id)
        assert m.title and m.title == m.title.strip()
        assert 1920 <= m.year <= 2026
        assert 1 <= len(m.genres) <= 4 and len(set(m.genres)) == len(m.genres)
        assert set(m.genres) <= set(L.GENRES)
        assert 1 <= len(re.findall(r"[.!?](?:\s|$)", m.overview)) <= 3, m.overview
        assert "{" not in m.overview
        assert 60 <= m.runtime <= 240
        assert m.certification in certs
        assert m.studio
        assert m.keywords and all(isinstance(k, str) and k for k in m.keywords)
        for src in ("imdb", "tmdb"):
            r = m.ratings[src]
            assert isinstance(r["value"], float) and 0 < r["value"] <= 10
            assert isinstance(r["votes"], int) and r["votes"] > 0
        assert re.fullmatch(r"[a-z]{2}", m.original_language)
        assert set(m.traits) <= set(L.TRAITS)
        assert list(m.traits) == [t for t in L.TRAITS if t in m.traits]  # canonical order
        if m.original_language != "en":
            assert m.original_title != m.title
    assert len(tmdb) == len(imdb) == len(movies)
    assert len(L.TRAITS) == 10 and len(set(L.TRAITS)) == 10
    assert len(L.GENRES) == 19


def test_trait_shares_and_cues(lib10k):
    movies = [m for m, _ in lib10k]
    n = len(movies)
    for t in L.TRAITS:
        holders = [m for m in movies if t in m.traits]
        share = len(holders) / n
        assert 0.05 <= share <= 0.25, (t, share)
        cue_kw = set(W.TRAIT_KEYWORDS[t])
        cue_text = [max(re.split(r"\{\w+\}", s), key=len) for s in W.TRAIT_CUES[t]]
        cued = sum(
            1 for m in holders if cue_kw & set(m.keywords) or any(c in m.overview for c in cue_text)
        )
        assert 0.75 <= cued / len(holders) < 1.0, (t, cued / len(holders))


def test_traits_are_not_a_function_of_genres(lib10k):
    by_genres = collections.defaultdict(list)
    for m, _ in lib10k:
        by_genres[tuple(m.genres)].append(set(m.traits))
    for t in L.TRAITS:
        mixed = sum(
            1
            for group in by_genres.values()
            if any(t in g for g in group) and any(t not in g for g in group)
        )
        assert mixed >= 3, t


def test_hard_title_categories_present(lib10k):
    kinds = collections.Counter(k for _, k in lib10k)
    for k in (
        "ordinary",
        "accented",
        "sequel",
        "number",
        "year_in_title",
        "punctuation",
        "non_english",
        "short",
        "remake",
        "year_suffix",
        "number_inside",
    ):
        assert kinds[k] > 0, k
    assert kinds["ordinary"] / len(lib10k) > 0.5
    movies = [m for m, _ in lib10k]
    titles = [m.title for m in movies]

    def some(pred):
        return any(pred(m) for m in movies)

    assert some(
        lambda m: m.title.isdigit() and 1000 <= int(m.title) <= 3000 and int(m.title) != m.year
    )  # "1917"
    assert some(lambda m: re.match(r"\d{4}: ", m.title))  # "2001: A ..."
    assert some(lambda m: re.search(r" (?:19|20|30)\d\d$", m.title))  # "... 2049"
    assert some(lambda m: re.match(r"(\d+) \w+ \1 \w+$", m.title))  # "2 Fast 2 Furious"
    assert some(lambda m: re.search(r" Part (?:\d|[IV]+|One|Two|Three|Four)$", m.title))
    assert some(lambda m: re.search(r" (?:II|III|IV)$", m.title))
    assert some(lambda m: re.search(r"\w \d$", m.title))  # "... 3"
    for ch in ("'", ":", "?", "!", "&", "/", ",", "-", "Dr. "):
        assert any(ch in t for t in titles), ch
    assert some(lambda m: len(m.title) <= 2)  # "Up", "M"
    assert some(lambda m: not m.title.isascii() and m.original_language == "en")
    langs = {m.original_language for m in movies}
    assert {"fr", "de", "es", "it", "ja", "ko"} <= langs
    assert some(lambda m: m.original_language == "fr" and not m.title.isascii())
    assert some(
        lambda m: (
            m.original_language in ("ja", "ko")
            and m.title.isascii()
            and not m.original_title.isascii()
        )
    )
    # Remakes: the same title with another year and another tmdb id.
    years = collections.defaultdict(set)
    for m in movies:
        years[m.title].add((m.year, m.tmdb_id))
    assert sum(1 for v in years.values() if len({y for y, _ in v}) > 1) > 100
    assert all(unicodedata.is_normalized("NFC", t) for t in titles)


def test_rejects_bad_size():
    with pytest.raises(ValueError):
        list(L.generate(-1, 0))
    assert list(L.generate(0, 0)) == []
