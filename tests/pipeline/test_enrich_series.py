"""Folder series matched on the TMDB stand-in's TV routes: one search + details per series, all
cached (a rerun sends nothing), the fields the prompt needs, and ambiguity left unmatched."""

import dataclasses
import json

import pytest
from conftest import make_files

from core.config.model import TMDBSettings
from core.pipeline.enrich.stage import enrich
from core.pipeline.source.files import scan
from core.pipeline.source.series import group_after_scan
from synthetic.library.series import generate_series
from synthetic.tree.tv_library import build_tv_tree

EPISODES = 800


@pytest.fixture(scope="module")
def shows():
    return list(generate_series(60, seed=3))


def _settings(server):
    return TMDBSettings(
        url=server.url, api_key=server.config.api_key, rate=1000, per_seconds=1.0, attempts=2
    )


def _scan(root, store):
    group_after_scan(store, scan(root, store))


@pytest.fixture
def tv_scanned(tmp_path, store):
    root, truth = tmp_path / "tv", tmp_path / "truth.jsonl"
    stats = build_tv_tree(root, EPISODES, seed=3, truth=truth)
    _scan(root, store)
    expected = {}
    for row in map(json.loads, truth.open()):
        expected[str(root / row["path"])] = row["tmdb_id"]
    return store, expected, stats


def _series_matches(store, expected):
    """Per episode file: the TMDB id its series was matched to."""
    rows = store.conn.execute(
        "SELECT e.key, s.tmdb_id FROM items e JOIN items s ON s.id = e.series_id "
        "WHERE e.type = 'episode'"
    )
    return {key: tmdb_id for key, tmdb_id in rows if key in expected}


def test_one_lookup_per_series_and_a_rerun_sends_nothing(
    tv_scanned, make_tmdb_server, shows, tmdb_library
):
    store, expected, stats = tv_scanned
    server = make_tmdb_server(series=shows, rate_limit=None)
    first = enrich(store, _settings(server))
    assert first.series == stats.series and first.errors == 0
    # at most a search with the year, one without, and the details, per series, never per episode
    assert server.counters.by_endpoint["tv_details"] == first.series_matched
    assert first.tmdb_requests <= 3 * stats.series + server.counters.by_endpoint.get(
        "movie_details", 0
    )
    got = _series_matches(store, expected)
    right = sum(got.get(path) == tmdb_id for path, tmdb_id in expected.items())
    assert right / len(expected) >= 0.95
    assert first.series_matched >= 0.95 * stats.series

    meta = json.loads(
        store.conn.execute(
            "SELECT metadata FROM items WHERE type = 'series' AND tmdb_id IS NOT NULL LIMIT 1"
        ).fetchone()[0]
    )
    show = next(s for s in shows if s.tmdb_id == meta["tmdb_id"])
    assert meta["tvdb_id"] == show.tvdb_id and meta["imdb_id"] == show.imdb_id
    assert meta["networks"] == [show.network] and meta["seasons"] == show.seasons
    assert meta["network"] == show.network and meta["certification"] == show.certification
    assert meta["overview"] == show.overview and meta["original_language"]
    assert meta["genres"] and meta["status"] and meta["year"] == show.year

    server.reset_counters()
    second = enrich(store, _settings(server))
    assert (second.tmdb_requests, server.counters.total, second.cache_misses) == (0, 0, 0)
    assert second.series_matched == first.series_matched and second.updated == 0


def test_an_ambiguous_show_stays_unmatched_and_a_dated_one_matches(
    tmp_path, store, make_tmdb_server, shows
):
    twin_a = dataclasses.replace(shows[0], title="Harbor Lights", year=2001)
    twin_b = dataclasses.replace(shows[1], title="Harbor Lights", year=2017)
    server = make_tmdb_server(movies=[], series=[twin_a, twin_b, *shows[2:]], rate_limit=None)
    make_files(
        tmp_path / "tv",
        [
            "Downloads/Harbor.Lights.S01E01.720p.HDTV.x264-GRP.mkv",
            "TV/Harbor Lights (2017)/Season 01/Harbor Lights (2017) - S01E01 - Pilot.mkv",
            "TV/Harbor Lights (2017)/Season 01/Harbor Lights (2017) - S01E02 - Two.mkv",
        ],
    )
    # the undated download joins the one dated show of that title in the library
    _scan(tmp_path / "tv", store)
    summary = enrich(store, _settings(server))
    assert summary.series == 1 and summary.series_matched == 1
    assert store.conn.execute("SELECT tmdb_id FROM items WHERE type = 'series'").fetchall() == [
        (twin_b.tmdb_id,)
    ]

    other = tmp_path / "other.db"
    from core.store.db import open_store

    make_files(tmp_path / "flat", ["Harbor.Lights.S02E03.720p.HDTV.x264-GRP.mkv"])
    with open_store(other) as alone:
        _scan(tmp_path / "flat", alone)
        summary = enrich(alone, _settings(server))
        assert (summary.series, summary.series_matched) == (1, 0)
        status = alone.conn.execute("SELECT match_status FROM items WHERE type = 'series'")
        assert status.fetchall() == [("unmatched",)]


def test_series_and_movie_ids_do_not_share_cache_entries(tv_scanned, make_tmdb_server, shows):
    store, _, _ = tv_scanned
    server = make_tmdb_server(series=shows, rate_limit=None)
    enrich(store, _settings(server))
    keys = [k for (k,) in store.conn.execute("SELECT key FROM provider_cache")]
    assert any(k.startswith("tv:") for k in keys) and any(k.startswith("search-tv:") for k in keys)
    assert not any(k.startswith("details:") for k in keys)  # no movies in this tree
