"""tmdbsimple, a third-party TMDB client (on the package index), runs on the TMDB stand-in.

Only the address changes: tmdbsimple has no setting for it, so each object's ``base_uri`` (the one
attribute its URLs are built from) points at the stand-in; requests, parameters, the ``api_key``
query and the JSON it reads are tmdbsimple's own.
"""

import pytest
import requests
import tmdbsimple

from synthetic.servers.tmdb.server import TMDBServer


@pytest.fixture
def tmdb(tmdb_server: TMDBServer, monkeypatch):
    monkeypatch.setattr(tmdbsimple, "API_KEY", tmdb_server.config.api_key)

    def at_stand_in(cls, *args, **kwargs):
        obj = cls(*args, **kwargs)
        obj.base_uri = f"{tmdb_server.url}/3"
        return obj

    return at_stand_in


def test_search_finds_a_library_movie_by_title_and_year(tmdb, tmdb_library):
    movie = tmdb_library[7]
    search = tmdb(tmdbsimple.Search)
    answer = search.movie(query=movie.title, year=movie.year)
    assert answer["total_results"] >= 1
    assert movie.tmdb_id in [r["id"] for r in search.results]


def test_details_and_find_by_imdb_id(tmdb, tmdb_library):
    movie = tmdb_library[11]
    details = tmdb(tmdbsimple.Movies, movie.tmdb_id)
    info = details.info()
    assert info["id"] == movie.tmdb_id and details.title == movie.title
    found = tmdb(tmdbsimple.Find, movie.imdb_id).info(external_source="imdb_id")
    assert [m["id"] for m in found["movie_results"]] == [movie.tmdb_id]


def test_an_unknown_movie_is_tmdbs_404(tmdb):
    with pytest.raises(requests.HTTPError) as info:
        tmdb(tmdbsimple.Movies, 999_999_999).info()
    assert info.value.response.status_code == 404
    assert info.value.response.json()["status_code"] == 34
