"""The TMDB stand-in beyond search and details: find by IMDb id, genres, configuration, and the
endpoints it does not model, answered as TMDB answers when it has nothing, and counted."""

import httpx
import pytest


def get(server, path, **params) -> httpx.Response:
    return httpx.get(server.url + path, params={"api_key": server.config.api_key, **params})


def test_find_by_imdb_id(tmdb_server, tmdb_library):
    movie = tmdb_library[3]
    body = get(tmdb_server, f"/3/find/{movie.imdb_id}", external_source="imdb_id").json()
    assert [m["id"] for m in body["movie_results"]] == [movie.tmdb_id]
    assert body["tv_results"] == [] and body["person_results"] == []
    nothing = get(tmdb_server, "/3/find/tt0000001", external_source="imdb_id").json()
    assert nothing["movie_results"] == []
    assert get(tmdb_server, f"/3/find/{movie.imdb_id}").json()["status_code"] == 34


def test_genres_cover_the_librarys(tmdb_server, tmdb_library):
    genres = get(tmdb_server, "/3/genre/movie/list").json()["genres"]
    names = {g["name"] for g in genres}
    assert {genre for movie in tmdb_library for genre in movie.genres} <= names
    assert (
        get(tmdb_server, "/3/configuration")
        .json()["images"]["secure_base_url"]
        .startswith("https://")
    )


@pytest.mark.parametrize(
    ("path", "endpoint"),
    [
        ("/3/search/person", "unmodelled:search.person"),
        ("/3/movie/popular", "unmodelled:movie.popular"),
        ("/3/trending/movie/week", "unmodelled:trending.media.window"),
    ],
)
def test_unmodelled_endpoints_answer_an_empty_page_and_are_counted(tmdb_server, path, endpoint):
    answer = get(tmdb_server, path, query="anything")
    assert answer.status_code == 200
    assert answer.json() == {"page": 1, "results": [], "total_pages": 1, "total_results": 0}
    assert tmdb_server.counters.by_endpoint[endpoint] == 1


def test_unknown_ids_are_tmdbs_404(tmdb_server):
    answer = get(tmdb_server, "/3/tv/1399")
    assert answer.status_code == 404 and answer.json()["status_code"] == 34
