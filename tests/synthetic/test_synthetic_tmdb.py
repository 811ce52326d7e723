import asyncio
import json
import math
import os
import signal
import socket
import threading
from random import Random

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from synthetic.library.movies import Movie, write_jsonl
from synthetic.servers.base import serve_until_signal
from synthetic.servers.titlesearch import TitleIndex, query_words, title_words
from synthetic.servers.tmdb.server import TMDBConfig, TMDBServer
from synthetic.servers.traffic import (
    FaultInjector,
    Latency,
    RateLimit,
    redact_query,
    set_time_scale,
)

SEARCH_KEYS = {
    "adult",
    "backdrop_path",
    "genre_ids",
    "id",
    "original_language",
    "original_title",
    "overview",
    "popularity",
    "poster_path",
    "release_date",
    "title",
    "video",
    "vote_average",
    "vote_count",
}
DETAIL_KEYS = {
    "adult",
    "backdrop_path",
    "belongs_to_collection",
    "budget",
    "genres",
    "homepage",
    "id",
    "imdb_id",
    "original_language",
    "original_title",
    "overview",
    "popularity",
    "poster_path",
    "production_companies",
    "release_date",
    "revenue",
    "runtime",
    "spoken_languages",
    "status",
    "tagline",
    "title",
    "video",
    "vote_average",
    "vote_count",
}


def movie(tmdb_id, title, year, *, original_title=None, language="en", votes=100):
    return Movie(
        tmdb_id,
        tmdb_id,
        f"tt{tmdb_id:07d}",
        title,
        original_title or title,
        year,
        ["Drama"],
        "An overview.",
        100,
        "PG",
        "Studio",
        ["remake"],
        {"tmdb": {"value": 7.1, "votes": votes}},
        language,
        [],
    )


HTTP = httpx.Client(trust_env=False, timeout=5.0)


@pytest.fixture(scope="module", autouse=True)
def _close_http():
    yield
    HTTP.close()


HARD = [
    movie(62, "2001: A Space Odyssey", 1968, votes=12_000),
    movie(
        194,
        "Amélie",
        2001,
        original_title="Le Fabuleux Destin d'Amélie Poulain",
        language="fr",
        votes=11_000,
    ),
    movie(1091, "The Thing", 1982, votes=6_000),
    movie(60935, "The Thing", 2011, votes=2_500),
    movie(77, "The Thing Within the Thing", 2019, votes=900_000),
    movie(78, "Things", 2019, votes=900_000),
    movie(787, "Mr. & Mrs. Smith", 2005, votes=9_000),
    movie(36657, "X-Men", 2000, votes=10_000),
    movie(161, "Ocean's Eleven", 2001, votes=10_000),
    movie(335984, "Blade Runner 2049", 2017, votes=12_000),
]


@pytest.fixture
def hard(make_tmdb_server):
    return make_tmdb_server(HARD, rate_limit=None)


def get(server, path, **params):
    return HTTP.get(server.url + path, params={"api_key": server.config.api_key, **params})


def search_ids(server, query, **params):
    response = get(server, "/3/search/movie", query=query, **params)
    assert response.status_code == 200
    return [r["id"] for r in response.json()["results"]]


# -- search -------------------------------------------------------------------------------------
def test_search_shape(tmdb_server):
    m = tmdb_server.movies[0]
    body = get(tmdb_server, "/3/search/movie", query=m.title, year=m.year).json()
    assert set(body) == {"page", "results", "total_pages", "total_results"}
    assert body["page"] == 1 and body["total_pages"] == 1 and body["total_results"] >= 1
    first = body["results"][0]
    assert set(first) == SEARCH_KEYS
    assert first["id"] == m.tmdb_id and first["title"] == m.title
    assert first["release_date"].startswith(f"{m.year:04d}-")
    assert all(isinstance(g, int) for g in first["genre_ids"])
    assert first["poster_path"].startswith("/") and first["poster_path"].endswith(".jpg")


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("2001 A Space Odyssey", 62),
        ("2001: a space odyssey", 62),
        ("Amelie", 194),
        ("AMÉLIE", 194),
        ("Le Fabuleux Destin d Amelie Poulain", 194),
        ("Fabuleux Destin dAmelie", 194),
        ("Mr and Mrs Smith", 787),
        ("Mr & Mrs Smith", 787),
        ("X Men", 36657),
        ("XMen", 36657),
        ("Oceans Eleven", 161),
        ("Ocean's Eleven", 161),
        ("Blade Runner 2049", 335984),
    ],
)
def test_search_forgives_case_accents_and_punctuation(hard, query, expected):
    assert search_ids(hard, query)[0] == expected


def test_search_returns_every_remake_exact_titles_first(hard):
    assert search_ids(hard, "The Thing") == [1091, 60935, 77]
    assert search_ids(hard, "the thing", year=2011) == [60935]
    assert search_ids(hard, "The Thing", primary_release_year=1982) == [1091]
    assert search_ids(hard, "The Thing", year=1999) == []


def test_search_needs_every_word(hard):
    assert search_ids(hard, "Space Odyssey 3000") == []
    assert search_ids(hard, "Thing") == [77, 1091, 60935]


def test_search_finds_generated_remakes(tmdb_server, tmdb_library):
    by_title = {}
    for m in tmdb_library:
        by_title.setdefault(m.title, set()).add(m.tmdb_id)
    title, ids = next((t, ids) for t, ids in by_title.items() if len(ids) > 1)
    assert set(search_ids(tmdb_server, title)[: len(ids)]) == ids


def test_every_generated_movie_is_found_by_title_and_year(tmdb_server, tmdb_library):
    position = {m.tmdb_id: i for i, m in enumerate(tmdb_server.movies)}
    for m in tmdb_library:
        for title in {m.title, m.original_title}:
            _, found = tmdb_server.index.search(title, years=[m.year], limit=50)
            assert position[m.tmdb_id] in found, (title, m.year)


WORDS = ["The", "the", "Thing", "X-Men", "Amélie", "Ocean's", "&", "L.A.", "2001:", "of"]
titles = st.lists(st.sampled_from(WORDS), min_size=1, max_size=4).map(" ".join)


@settings(max_examples=200, deadline=None)
@given(
    entries=st.lists(st.tuples(titles, st.sampled_from([1999, 2000])), max_size=60),
    query=titles,
    years=st.sampled_from([[], [1999], [2000], [1999, 2000]]),
    offset=st.integers(0, 30),
    limit=st.integers(1, 25),
)
def test_index_matches_a_brute_force_search(entries, query, years, offset, limit):
    words = query_words(query)
    matches, exact = [], []
    for pos, (title, year) in enumerate(entries):
        joined, split = title_words(title)
        if set(words) <= {*joined, *split} and all(y == year for y in years) and words:
            matches.append(pos)
            if " ".join(words) in (" ".join(joined), " ".join(split)):
                exact.append(pos)
    expected = exact + [p for p in matches if p not in exact]
    index = TitleIndex(((title,), year) for title, year in entries)
    assert index.search(query, years=years, offset=offset, limit=limit) == (
        len(matches),
        expected[offset : offset + limit],
    )


def test_broad_queries_rank_exact_first_then_by_position():
    entries = [((f"The Film {i}",), 2000) for i in range(300)]
    entries[150] = (("the",), 2000)
    index = TitleIndex(entries)
    assert index.search("THE") == (300, [150, *range(19)])
    assert index.search("the", offset=40, limit=5) == (300, list(range(39, 44)))
    assert index.search("the film", years=[2001]) == (0, [])


def test_search_pages(tmdb_server):
    first = get(tmdb_server, "/3/search/movie", query="the").json()
    second = get(tmdb_server, "/3/search/movie", query="the", page=2).json()
    assert first["total_results"] > 20 and len(first["results"]) == 20
    assert first["total_pages"] == math.ceil(first["total_results"] / 20)
    assert second["page"] == 2
    assert not {r["id"] for r in first["results"]} & {r["id"] for r in second["results"]}
    beyond = get(tmdb_server, "/3/search/movie", query="the", page=first["total_pages"] + 1)
    assert beyond.json()["results"] == []


@pytest.mark.parametrize("page", ["0", "501", "x"])
def test_search_rejects_bad_pages(tmdb_server, page):
    response = get(tmdb_server, "/3/search/movie", query="the", page=page)
    assert response.status_code == 400
    assert response.json()["status_code"] == 22


def test_search_without_matches_or_query(tmdb_server):
    for params in ({"query": "zzzqqq"}, {"query": "?!"}, {}):
        body = get(tmdb_server, "/3/search/movie", **params).json()
        assert body["results"] == [] and body["total_results"] == 0


# -- details ------------------------------------------------------------------------------------
def test_details_with_appended_objects(hard):
    body = get(
        hard,
        "/3/movie/194",
        append_to_response="keywords,alternative_titles,release_dates,external_ids,nonsense",
    ).json()
    assert set(body) >= DETAIL_KEYS
    assert body["id"] == 194 and body["imdb_id"] == "tt0000194"
    assert body["genres"] == [{"id": 18, "name": "Drama"}]
    assert body["original_title"] == "Le Fabuleux Destin d'Amélie Poulain"
    assert body["release_date"][:4] == "2001"
    assert set(body["production_companies"][0]) == {"id", "logo_path", "name", "origin_country"}
    assert body["keywords"]["keywords"][0]["name"] == "remake"
    assert isinstance(body["keywords"]["keywords"][0]["id"], int)
    assert {t["title"] for t in body["alternative_titles"]["titles"]} == {
        "Amélie",
        "Le Fabuleux Destin d'Amélie Poulain",
    }
    us = next(r for r in body["release_dates"]["results"] if r["iso_3166_1"] == "US")
    assert us["release_dates"][0]["certification"] == "PG"
    assert us["release_dates"][0]["type"] == 3
    assert body["external_ids"]["imdb_id"] == "tt0000194"
    assert "nonsense" not in body


def test_details_are_deterministic_and_match_search(hard):
    details = get(hard, "/3/movie/62").json()
    assert get(hard, "/3/movie/62").json() == details
    result = get(hard, "/3/search/movie", query="2001 A Space Odyssey").json()["results"][0]
    assert {k: details[k] for k in SEARCH_KEYS - {"genre_ids"}} == {
        k: result[k] for k in SEARCH_KEYS - {"genre_ids"}
    }


def test_details_accepts_slugs_and_sub_resources(hard):
    assert get(hard, "/3/movie/62-2001-a-space-odyssey").json()["id"] == 62
    body = get(hard, "/3/movie/62/keywords").json()
    assert body == {"id": 62, "keywords": [body["keywords"][0]]}


@pytest.mark.parametrize(
    "path", ["/3/movie/999999", "/3/movie/abc", "/3/movie/62x", "/3/tv/1", "/4/list/1"]
)
def test_not_found(hard, path):
    response = get(hard, path)
    assert response.status_code == 404
    assert response.json() == {
        "success": False,
        "status_code": 34,
        "status_message": "The resource you requested could not be found.",
    }


# -- auth ---------------------------------------------------------------------------------------
INVALID_KEY = {
    "status_code": 7,
    "status_message": "Invalid API key: You must be granted a valid key.",
    "success": False,
}


@pytest.mark.parametrize(
    ("params", "headers"),
    [
        ({}, {}),
        ({"api_key": "wrong"}, {}),
        ({}, {"Authorization": "Bearer wrong"}),
        ({"api_key": ""}, {"Authorization": "Bearer"}),
    ],
)
def test_bad_credentials_get_401(tmdb_server, params, headers):
    response = HTTP.get(tmdb_server.url + "/3/movie/1", params=params, headers=headers)
    assert response.status_code == 401
    assert response.json() == INVALID_KEY


def test_v4_bearer_token(hard):
    token = hard.config.bearer_token
    response = HTTP.get(hard.url + "/3/movie/62", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    as_key = HTTP.get(hard.url + "/3/movie/62", params={"api_key": token})
    assert as_key.status_code == 401


def test_keys_stay_out_of_reprs_and_the_log(hard):
    get(hard, "/3/movie/62")
    config = TMDBConfig()
    assert config.api_key not in repr(config) and config.bearer_token not in repr(config)
    assert config.api_key != TMDBConfig().api_key
    assert hard.config.api_key not in repr(hard.requests())
    assert hard.requests()[-1].query == "api_key=***"


# -- rate limit, faults, counters ---------------------------------------------------------------
def test_rate_limit_answers_429_with_retry_after(make_tmdb_server):
    server = make_tmdb_server(rate_limit=RateLimit(requests=3, per_s=60.0))
    statuses = [get(server, "/3/movie/1").status_code for _ in range(4)]
    assert statuses[-1] == 429
    response = get(server, "/3/search/movie", query="the")
    assert response.status_code == 429
    assert int(response.headers["Retry-After"]) >= 1
    assert response.json() == {
        "success": False,
        "status_code": 25,
        "status_message": "Your request count (#) is over the allowed limit of (3).",
    }
    assert server.counters.rate_limited >= 2


def test_default_limit_is_tmdbs_today(make_tmdb_server):
    """50 requests per second per IP: of a burst of 120 at once, 50 and more pass, then 429s."""
    server = make_tmdb_server(HARD)
    assert server.config.rate_limit == RateLimit(requests=50, per_s=1.0)

    async def burst() -> list[int]:
        params = {"api_key": server.config.api_key}
        async with httpx.AsyncClient(base_url=server.url, params=params, timeout=30) as http:
            answers = await asyncio.gather(*(http.get("/3/movie/62") for _ in range(120)))
        return [a.status_code for a in answers]

    statuses = asyncio.run(burst())
    assert 50 <= statuses.count(200) < 120 and set(statuses) == {200, 429}
    assert server.counters.rate_limited == statuses.count(429)


def test_the_limit_is_per_client_address(make_tmdb_server):
    server = make_tmdb_server(HARD, rate_limit=RateLimit(requests=3, per_s=60.0))
    params = {"api_key": server.config.api_key}
    other = httpx.HTTPTransport(local_address="127.0.0.2")
    with httpx.Client(base_url=server.url, params=params) as one:
        assert [one.get("/3/movie/62").status_code for _ in range(4)][-1] == 429
        with httpx.Client(base_url=server.url, params=params, transport=other) as two:
            assert [two.get("/3/movie/62").status_code for _ in range(3)] == [200] * 3
        assert one.get("/3/movie/62").status_code == 429


@pytest.mark.parametrize(
    ("kind", "status", "code"), [("500", 500, 11), ("503", 503, 9), ("429", 429, 25)]
)
def test_status_faults(make_tmdb_server, kind, status, code):
    server = make_tmdb_server(HARD, rate_limit=None, faults={kind: 1.0})
    response = get(server, "/3/movie/62")
    assert response.status_code == status
    assert response.json()["status_code"] == code
    assert server.counters.faults == {kind: 1}


def test_timeout_fault_holds_the_request(make_tmdb_server):
    server = make_tmdb_server(HARD, rate_limit=None, faults={"timeout": 1.0}, hang_s=20.0)
    with pytest.raises(httpx.ReadTimeout):
        HTTP.get(
            server.url + "/3/movie/62",
            params={"api_key": server.config.api_key},
            timeout=httpx.Timeout(5.0, read=0.2),
        )
    server.stop()
    assert server.counters.faults == {"timeout": 1}
    assert server.requests()[-1].status == 0


def test_reset_fault_drops_the_connection(make_tmdb_server):
    server = make_tmdb_server(HARD, rate_limit=None, faults={"reset": 1.0})
    with pytest.raises(httpx.RemoteProtocolError):
        get(server, "/3/movie/62")
    assert server.counters.faults == {"reset": 1}


def test_malformed_fault_cuts_the_json(make_tmdb_server):
    server = make_tmdb_server(HARD, rate_limit=None, faults={"malformed": 1.0})
    response = get(server, "/3/movie/62")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    with pytest.raises(json.JSONDecodeError):
        response.json()


def test_faults_are_seeded(make_tmdb_server):
    def statuses(seed):
        server = make_tmdb_server(HARD, rate_limit=None, faults={"500": 0.5}, seed=seed)
        return [get(server, "/3/movie/62").status_code for _ in range(16)]

    first = statuses(7)
    assert first == statuses(7) and {200, 500} == set(first)


def test_fault_and_latency_config_is_checked():
    with pytest.raises(ValueError):
        FaultInjector({"explode": 0.1}, seed=0)
    with pytest.raises(ValueError):
        FaultInjector({"500": 0.7, "timeout": 0.4}, seed=0)
    with pytest.raises(ValueError):
        Latency(fixed_s=-1)
    assert FaultInjector({"missing_ids": 1.0}, seed=0, extra_kinds={"missing_ids"}).draw() == (
        "missing_ids"
    )


def test_latency_scales_with_time_scale():
    latency = Latency(fixed_s=2.0, jitter_s=1.0)
    previous = set_time_scale(0)
    try:
        assert latency.draw(Random(1)) == 0.0
        set_time_scale(1.0)
        assert 2.0 <= latency.draw(Random(1)) < 3.0
        assert latency.draw(Random(1)) == latency.draw(Random(1))
    finally:
        set_time_scale(previous)


def test_counters_and_reset(tmdb_server):
    get(tmdb_server, "/3/search/movie", query="the")
    get(tmdb_server, "/3/search/movie", query="a")
    get(tmdb_server, "/3/movie/1")
    HTTP.get(tmdb_server.url + "/3/movie/1")
    counters = tmdb_server.counters
    assert counters.total == 4
    assert counters.by_endpoint == {"search_movie": 2, "movie_details": 2}
    assert counters.by_status == {200: 2, 404: 1, 401: 1}
    assert counters.rate_limited == 0 and counters.faults == {}
    record = tmdb_server.requests()[0]
    assert (record.method, record.path, record.status) == ("GET", "/3/search/movie", 200)
    assert record.query == "api_key=***&query=the" and record.duration_s >= 0
    tmdb_server.reset_counters()
    assert tmdb_server.counters.total == 0 and tmdb_server.requests() == []


def test_redact_query():
    assert redact_query({"api_key": "s3cret", "q": "x y", "TOKEN": "t"}) == (
        "api_key=***&q=x+y&TOKEN=***"
    )


# -- the server itself --------------------------------------------------------------------------
def _outside_address():
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))
        except OSError:
            return None
        address = probe.getsockname()[0]
    return None if address.startswith("127.") else address


def test_binds_loopback_only(tmdb_server):
    assert tmdb_server.url == f"http://127.0.0.1:{tmdb_server.port}"
    with socket.create_connection(("127.0.0.1", tmdb_server.port), timeout=2):
        pass
    outside = _outside_address()
    if outside is None:
        pytest.skip("no non-loopback interface")
    with pytest.raises(OSError):
        socket.create_connection((outside, tmdb_server.port), timeout=2).close()


def test_start_stop_lifecycle(tmdb_library):
    server = TMDBServer(tmdb_library[:20], rate_limit=None)
    server.stop()
    with server:
        url = server.url
        assert server.start() is server and server.url == url
        assert get(server, "/3/movie/1").status_code == 404
    assert not server.running
    server.stop()
    with pytest.raises(httpx.ConnectError):
        HTTP.get(url + "/3/movie/1")
    with pytest.raises(RuntimeError):
        server.url  # noqa: B018


def test_loads_jsonl(tmp_path):
    path = tmp_path / "library.jsonl"
    write_jsonl(path, 30, seed=3)
    server = TMDBServer(path)
    assert len(server.movies) == 30
    m = server.movies[-1]
    assert server.movie(m.tmdb_id) is m
    assert server.index.search(m.title, years=[m.year])[0] >= 1


def test_serve_until_signal_runs_until_sigterm(tmdb_library):
    servers = [TMDBServer(tmdb_library[:10], rate_limit=None) for _ in range(2)]
    seen = []

    def announce(server):
        seen.append(server.url)
        assert HTTP.get(server.url + "/x").status_code == 401
        if len(seen) == 2:
            os.kill(os.getpid(), signal.SIGTERM)

    serve_until_signal(servers, announce=announce)
    assert len(set(seen)) == 2 and not any(s.running for s in servers)


def test_serve_until_stop_event(tmdb_library):
    stop = threading.Event()
    server = TMDBServer(tmdb_library[:10])
    threading.Timer(0.05, stop.set).start()
    serve_until_signal([server], stop=stop)
    assert not server.running
