"""The TMDB stand-in's TV routes over the series library: search, details with external ids,
TMDB's 404 and rate limit, and tmdbsimple's ``Search.tv`` and ``TV`` running on them."""

import httpx
import pytest
import requests
import tmdbsimple

from synthetic.library.series import generate_series
from synthetic.servers.tmdb.tv import TV_GENRE_IDS, tv_name

SEARCH_KEYS = {
    "adult",
    "backdrop_path",
    "genre_ids",
    "id",
    "origin_country",
    "original_language",
    "original_name",
    "overview",
    "popularity",
    "poster_path",
    "first_air_date",
    "name",
    "vote_average",
    "vote_count",
}


@pytest.fixture(scope="module")
def series_library():
    return list(generate_series(300, seed=1))


@pytest.fixture
def tv_server(make_tmdb_server, series_library):
    return make_tmdb_server(movies=[], series=series_library, rate_limit=None)


def get(server, path, **params) -> httpx.Response:
    return httpx.get(server.url + path, params={"api_key": server.config.api_key, **params})


def test_search_tv_finds_a_show_by_name_and_first_air_year(tv_server, series_library):
    show = series_library[5]
    body = get(tv_server, "/3/search/tv", query=tv_name(show), first_air_date_year=show.year).json()
    assert set(body) == {"page", "results", "total_pages", "total_results"}
    assert show.tmdb_id in [r["id"] for r in body["results"]]
    result = next(r for r in body["results"] if r["id"] == show.tmdb_id)
    assert set(result) == SEARCH_KEYS
    assert result["first_air_date"].startswith(str(show.year)) and result["name"] == tv_name(show)
    other_year = get(tv_server, "/3/search/tv", query=tv_name(show), first_air_date_year=1900)
    assert other_year.json()["total_results"] == 0


def test_details_carry_what_the_prompt_needs_and_external_ids_on_request(tv_server, series_library):
    show = series_library[9]
    plain = get(tv_server, f"/3/tv/{show.tmdb_id}").json()
    assert "external_ids" not in plain
    body = get(tv_server, f"/3/tv/{show.tmdb_id}", append_to_response="external_ids").json()
    assert body["id"] == show.tmdb_id and body["name"] == tv_name(show)
    assert body["number_of_seasons"] == show.seasons == len(body["seasons"])
    assert body["networks"][0]["name"] == show.network
    assert body["original_language"] == show.original_language
    assert body["overview"] == show.overview
    assert body["status"] in ("Returning Series", "Ended", "In Production")
    assert {g["name"] for g in body["genres"]} <= set(TV_GENRE_IDS)
    assert body["external_ids"]["tvdb_id"] == show.tvdb_id
    assert body["external_ids"]["imdb_id"] == show.imdb_id
    rated = get(tv_server, f"/3/tv/{show.tmdb_id}", append_to_response="content_ratings").json()
    assert rated["content_ratings"]["results"][0] == {
        "descriptors": [],
        "iso_3166_1": "US",
        "rating": show.certification,
    }
    alone = get(tv_server, f"/3/tv/{show.tmdb_id}-some-slug/external_ids").json()
    assert alone["id"] == show.tmdb_id and alone["tvdb_id"] == show.tvdb_id


def test_unknown_show_is_tmdbs_404(tv_server):
    answer = get(tv_server, "/3/tv/999999999")
    assert answer.status_code == 404 and answer.json()["status_code"] == 34
    assert get(tv_server, "/3/tv/12x").json()["status_code"] == 34


def test_tv_routes_share_the_rate_limit(make_tmdb_server, series_library):
    from synthetic.servers.traffic import RateLimit

    server = make_tmdb_server(
        movies=[], series=series_library, rate_limit=RateLimit(requests=2, per_s=60.0)
    )
    answers = [get(server, "/3/search/tv", query="the").status_code for _ in range(3)]
    assert answers[:2] == [200, 200] and answers[2] == 429


def test_tv_genre_list(tv_server):
    genres = get(tv_server, "/3/genre/tv/list").json()["genres"]
    assert {"id": 10765, "name": "Sci-Fi & Fantasy"} in genres


@pytest.fixture
def tmdb(tv_server, monkeypatch):
    monkeypatch.setattr(tmdbsimple, "API_KEY", tv_server.config.api_key)

    def at_stand_in(cls, *args, **kwargs):
        obj = cls(*args, **kwargs)
        obj.base_uri = f"{tv_server.url}/3"
        return obj

    return at_stand_in


def test_tmdbsimple_search_tv_and_tv_info(tmdb, series_library):
    show = series_library[21]
    search = tmdb(tmdbsimple.Search)
    search.tv(query=tv_name(show), first_air_date_year=show.year)
    assert show.tmdb_id in [r["id"] for r in search.results]
    details = tmdb(tmdbsimple.TV, show.tmdb_id)
    info = details.info(append_to_response="external_ids")
    assert details.name == tv_name(show) and info["external_ids"]["tvdb_id"] == show.tvdb_id
    assert tmdb(tmdbsimple.TV, show.tmdb_id).external_ids()["imdb_id"] == show.imdb_id
    with pytest.raises(requests.HTTPError) as error:
        tmdb(tmdbsimple.TV, 999_999_999).info()
    assert error.value.response.json()["status_code"] == 34
