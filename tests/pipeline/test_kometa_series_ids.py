"""The files path's Kometa files: the movies' ``tmdb_movie`` lists in one, the folder series in
another (Kometa takes show builders only in a show library), by TVDB id (``tvdb_show``) or TMDB
id (``tmdb_show``) when TMDB knows no TVDB id."""

import json
import time

import yaml
from conftest import MOVIE_AND_SERIES_PATHS, make_files

from core.config.collection import Collection
from core.pipeline.sink.kometa_file import tmdb_list_yaml
from core.pipeline.source.files import scan
from core.pipeline.source.series import group_after_scan
from core.store.decisions import member_tmdb_ids, upsert_decisions
from core.store.items import record_matches

COLLECTIONS = [
    Collection(name="Crime Time", slug="crime-time", prompt=".", tag="kai-crime", kind="both"),
    Collection(name="Cop Shows", slug="cop-shows", prompt=".", tag="kai-cops", kind="series"),
    Collection(name="Empty", slug="empty", prompt=".", tag="kai-empty", kind="series"),
]


def _library(tmp_path, store):
    make_files(
        tmp_path / "lib",
        MOVIE_AND_SERIES_PATHS,
    )
    group_after_scan(store, scan(tmp_path / "lib", store))
    ids = dict(
        store.conn.execute("SELECT coalesce(title, key), id FROM items WHERE type != 'episode'")
    )
    now = time.time()
    matches = [
        (949, 1.0, "matched", None, False, json.dumps({"title": "Heat"}), now, ids["Heat"]),
        (1402, 1.0, "matched", None, False, json.dumps({"tvdb_id": 80001}), now, ids["Beat Cops"]),
        (1700, 1.0, "matched", None, False, json.dumps({"tvdb_id": None}), now, ids["Night Desk"]),
        (
            949,
            1.0,
            "matched",
            None,
            False,
            json.dumps({"tvdb_id": 80555}),
            now,
            ids["Harbor Lights"],
        ),
    ]
    record_matches(store, matches)
    rows = [
        (ids["Heat"], "kai-crime", 1),
        (ids["Beat Cops"], "kai-crime", 1),
        (ids["Beat Cops"], "kai-cops", 1),
        (ids["Night Desk"], "kai-cops", 1),
        (ids["Harbor Lights"], "kai-cops", 0),
    ]
    with store.atomic():
        upsert_decisions(
            store, [(i, tag, inc, 0.9, "m", "p", "f", 0, 1, None, now) for i, tag, inc in rows]
        )
    return ids


def test_series_are_listed_by_tvdb_or_tmdb_id_in_a_file_of_their_own(tmp_path, store):
    _library(tmp_path, store)
    text, counts = tmdb_list_yaml(store, COLLECTIONS, "series")
    assert yaml.safe_load(text)["collections"] == {
        "Crime Time": {"tvdb_show": [80001], "sync_mode": "sync"},
        "Cop Shows": {"tvdb_show": [80001], "tmdb_show": [1700], "sync_mode": "sync"},
    }
    assert counts == {"kai-crime": 1, "kai-cops": 2, "kai-empty": 0}
    assert '# "Empty": no members yet' in text
    movies, counts = tmdb_list_yaml(store, COLLECTIONS[:1])
    assert yaml.safe_load(movies)["collections"] == {
        "Crime Time": {"tmdb_movie": [949], "sync_mode": "sync"}
    }
    assert counts == {"kai-crime": 1}


def test_a_series_sharing_a_movies_tmdb_id_stays_out_of_the_movie_list(tmp_path, store):
    ids = _library(tmp_path, store)
    with store.atomic():
        upsert_decisions(
            store,
            [(ids["Harbor Lights"], "kai-crime", 1, 0.9, "m", "p", "f", 0, 1, None, time.time())],
        )
    assert member_tmdb_ids(store, "kai-crime") == [949]  # the movie's, once
    parsed = yaml.safe_load(tmdb_list_yaml(store, COLLECTIONS, "series")[0])["collections"]
    assert parsed["Crime Time"]["tvdb_show"] == [80001, 80555]
    movies = yaml.safe_load(tmdb_list_yaml(store, COLLECTIONS[:1])[0])["collections"]
    assert movies["Crime Time"] == {"tmdb_movie": [949], "sync_mode": "sync"}
