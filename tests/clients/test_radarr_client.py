import json
import socket

import httpx
import pytest
from pydantic import ValidationError
from radarr_fixtures import radarr_settings

from core.clients.radarr import RadarrClient, RadarrMovie, RadarrSettings
from core.clients.radarr.stream import BadPayload, iter_elements, iter_movies
from core.config import load_config
from core.errors import ConfigError, RadarrConfigError, RadarrError
from synthetic.servers.radarr.records import LANGUAGES


def mock_client(handler, **overrides) -> RadarrClient:
    values = {"url": "http://radarr.test:7878", "api_key": "k" * 32, "retries": 1, "backoff": 0}
    return RadarrClient(
        RadarrSettings(**{**values, **overrides}), transport=httpx.MockTransport(handler)
    )


def json_answer(body, status=200) -> httpx.Response:
    return httpx.Response(status, content=json.dumps(body).encode(), headers=JSON)


JSON = {"Content-Type": "application/json; charset=utf-8"}


# -- the movie list ---------------------------------------------------------------------------
def test_movies_stream_equals_the_library(radarr_server, radarr_client, tmdb_library):
    movies = list(radarr_client.movies())
    assert len(movies) == len(tmdb_library) and radarr_client.skipped == 0
    for got, want in zip(movies, tmdb_library, strict=True):
        assert got.id == want.id and got.title == want.title and got.year == want.year
        assert (got.tmdb_id, got.imdb_id) == (want.tmdb_id, want.imdb_id)
        assert got.genres == tuple(want.genres) and got.keywords == tuple(want.keywords)
        assert got.overview == want.overview and got.runtime == want.runtime
        assert (got.certification, got.studio) == (want.certification, want.studio)
        assert got.original_language == LANGUAGES[want.original_language][1]
        assert got.original_title == want.original_title and got.tags == ()
        assert got.collection is None or got.collection.endswith(" Collection")
        if want.original_title != want.title:
            assert want.original_title in got.alternate_titles
    [record] = radarr_server.requests()
    assert (record.method, record.path, record.query) == (
        "GET",
        "/api/v3/movie",
        "excludeLocalCovers=true",
    )
    assert radarr_client.requests == radarr_client.attempts == 1 and radarr_client.writes == 0


def test_movies_carry_their_tags(radarr_server, radarr_client):
    noir = radarr_server.set_tags("kai-noir", [2, 3])
    heist = radarr_server.set_tags("kai-heist", [3])
    tags = {m.id: m.tags for m in radarr_client.movies() if m.tags}
    assert tags == {2: (noir,), 3: (noir, heist)}


def test_old_servers_without_keywords(make_radarr_server):
    server = make_radarr_server(keywords=False)
    with RadarrClient(radarr_settings(server)) as client:
        assert all(m.keywords == () for m in client.movies())


ODD = [
    {"title": "no id"},
    {"id": "7", "title": "id as text"},
    {"id": 0},
    {"id": True},
    "not an object",
    None,
    {
        "id": 1,
        "title": None,
        "year": "1999",
        "genres": None,
        "overview": 5,
        "originalLanguage": None,
        "collection": {"title": 5},
        "alternateTitles": [None, {"title": None}, {"title": "Alt"}, "x"],
        "tags": [1, "2", True, 3.0, 4],
        "runtime": -3,
        "tmdbId": 12.5,
        "imdbId": "",
    },
    {"id": 2, "title": "Full", "year": 2001, "genres": ["Drama", 3, None], "keywords": "x"},
    {"id": 3, "originalLanguage": {"name": "French"}, "collection": {"title": "Saga"}, "x": [{}]},
]


def test_odd_and_missing_fields_are_tolerated():
    client = mock_client(lambda request: json_answer(ODD))
    movies = list(client.movies())
    assert movies == [
        RadarrMovie(id=1, alternate_titles=("Alt",), tags=(1, 4)),
        RadarrMovie(id=2, title="Full", year=2001, genres=("Drama",)),
        RadarrMovie(id=3, original_language="French", collection="Saga"),
    ]
    assert client.skipped == 6


def test_stream_cut_anywhere_parses_the_same():
    data = json.dumps(
        [{"id": 1, "title": "Amélie ☃ [x]", "o": {"a": "]}"}}, {"id": 2}, [1], 's\\"', {"id": 3}],
        ensure_ascii=False,
    ).encode()
    want = json.loads(data)
    for size in range(1, len(data) + 1):
        assert list(iter_elements(data[i : i + size] for i in range(0, len(data), size))) == want


@pytest.mark.parametrize(
    "payload",
    [b"", b"  ", b'{"message": "x"}', b'[{"id": 1}', b'[{"id": 1}, {"id":', b"[{}] x", b"[{,}]"],
)
def test_malformed_lists_are_rejected(payload):
    with pytest.raises(BadPayload):
        list(iter_movies([payload[:3], payload[3:]]))


def test_a_malformed_list_is_a_radarr_error():
    client = mock_client(
        lambda request: httpx.Response(200, content=b'[{"id": 1}, {"id', headers=JSON)
    )
    with pytest.raises(RadarrError, match="GET /api/v3/movie is unusable") as info:
        list(client.movies())
    assert info.value.exit_code == 1


def test_a_list_that_breaks_off_is_a_radarr_error():
    class Broken(httpx.SyncByteStream):
        def __iter__(self):
            yield b'[{"id": 1}, {"id": 2},'
            raise httpx.ReadError("connection reset")

    client = mock_client(lambda request: httpx.Response(200, stream=Broken(), headers=JSON))
    seen = []
    with pytest.raises(RadarrError, match="broke off after 2 movies"):
        seen.extend(client.movies())
    assert [m.id for m in seen] == [1, 2]


def test_a_dropped_connection_mid_list_is_a_radarr_error(make_radarr_server):
    server = make_radarr_server(faults={"truncate": 1.0})
    client = RadarrClient(radarr_settings(server))
    seen = []
    with client, pytest.raises(RadarrError, match="broke off after") as info:
        seen.extend(client.movies())
    assert 0 < len(seen) <= 250 and info.value.exit_code == 1 and client.attempts == 1


def test_an_html_answer_means_the_url_is_wrong():
    page = b"<!doctype html><title>Login</title>"
    client = mock_client(
        lambda r: httpx.Response(200, content=page, headers={"Content-Type": "text/html"})
    )
    with pytest.raises(RadarrConfigError, match=r"RADARR_URL .*text/html, not JSON") as info:
        list(client.movies())
    assert info.value.exit_code == 2


def test_wrong_url_base_is_reported(make_radarr_server):
    server = make_radarr_server(url_base="/radarr")
    assert server.url.endswith("/radarr")
    with RadarrClient(radarr_settings(server)) as client:
        assert client.ping() == "OK" and len(client.tags()) == 0
    root = radarr_settings(server, url=server.url.removesuffix("/radarr"))
    with RadarrClient(root) as client, pytest.raises(RadarrConfigError, match="URL base"):
        client.tags()


def test_a_404_names_the_url_base():
    client = mock_client(lambda request: json_answer({"message": "NotFound"}, 404))
    with pytest.raises(RadarrConfigError, match=r"404 Not Found.*URL base"):
        client.system_status()


# -- tags -------------------------------------------------------------------------------------
def test_ensure_tags_matches_case_insensitively_and_creates_lowercase(radarr_server, radarr_client):
    heist = radarr_server.set_tags("kai-heist", [1, 2])
    ids = radarr_client.ensure_tags(["KAI-Heist", "kai-Noir", "Kai-noir"])
    assert ids["KAI-Heist"] == heist and ids["kai-Noir"] == ids["Kai-noir"] != heist
    posts = [r for r in radarr_server.requests() if r.method == "POST"]
    assert [json.loads(r.body) for r in posts] == [{"label": "kai-noir"}]
    assert set(radarr_server.tags_by_label()) == {"kai-heist", "kai-noir"}
    assert radarr_client.ensure_tags(["kai-noir"]) == {"kai-noir": ids["kai-Noir"]}
    assert radarr_client.writes == 1


@pytest.mark.parametrize("label", ["kai film", "kai_noir", "kai:noir", "", "ça", "kai-noir\n"])
def test_an_invalid_label_is_a_config_error(radarr_server, radarr_client, label):
    with pytest.raises(ConfigError) as info:
        radarr_client.ensure_tags(["kai-ok", label])
    message = str(info.value)
    assert repr(label) in message and "^[a-z0-9-]+$" in message and info.value.exit_code == 2
    assert radarr_server.requests() == []


def test_create_tag_and_tag_details(radarr_server, radarr_client):
    tag = radarr_client.create_tag("KAI-Christmas")
    assert tag.label == "kai-christmas"
    radarr_server.set_tags("kai-christmas", [5, 3])
    details = {d.label: d for d in radarr_client.tag_details()}
    assert details["kai-christmas"].movie_ids == (3, 5)
    assert [t.label for t in radarr_client.tags()] == ["kai-christmas"]


# -- the editor -------------------------------------------------------------------------------
def test_edit_tags_in_chunks(radarr_server, radarr_client):
    tag = radarr_server.set_tags("kai-heist", [])
    result = radarr_client.edit_tags(range(1, 251), [tag], "add")
    assert (result.chunks, result.edited, result.ok) == (3, 250, True)
    puts = [json.loads(r.body) for r in radarr_server.requests() if r.method == "PUT"]
    assert [len(p["movieIds"]) for p in puts] == [100, 100, 50]
    assert all(p["tags"] == [tag] and p["applyTags"] == "add" for p in puts)
    assert radarr_server.tags_by_label()["kai-heist"] == set(range(1, 251))
    result = radarr_client.edit_tags(range(1, 201), [tag], "remove")
    assert result.chunks == 2 and radarr_server.tags_by_label()["kai-heist"] == set(range(201, 251))
    assert radarr_client.writes == 5


def test_nothing_to_edit_sends_nothing(radarr_server, radarr_client):
    assert radarr_client.edit_tags([], [1], "add").chunks == 0
    assert radarr_client.edit_tags([1, 2], [], "add").chunks == 0
    assert radarr_server.requests() == []
    with pytest.raises(ValueError):
        radarr_client.edit_tags([1], [1], "replace")


def test_server_errors_are_retried(radarr_server, radarr_client):
    radarr_server.fail_next(2, 503, endpoint="tag_list")
    assert radarr_client.tags() == []
    assert (radarr_client.requests, radarr_client.attempts) == (1, 3)
    assert [r.status for r in radarr_server.requests()] == [503, 503, 200]


def test_a_chunk_that_keeps_failing_is_reported_not_raised(radarr_server, radarr_client):
    tag = radarr_server.set_tags("kai-noir", [])
    radarr_server.fail_next(3, 500, endpoint="movie_editor")  # every attempt of the first chunk
    result = radarr_client.edit_tags(range(1, 251), [tag], "add")
    assert (result.chunks, result.edited, result.ok) == (3, 150, False)
    [failed] = result.failed
    assert failed.movie_ids == tuple(range(1, 101)) and "500" in failed.cause
    assert result.failed_ids == list(range(1, 101))
    assert radarr_server.tags_by_label()["kai-noir"] == set(range(101, 251))


def test_client_errors_are_not_retried(radarr_client, radarr_server):
    radarr_server.fail_next(1, 400, endpoint="tag_list")
    with pytest.raises(RadarrError, match="refused GET /api/v3/tag: 400"):
        radarr_client.tags()
    assert radarr_client.attempts == 1


def test_timeouts_are_retried_then_reported(make_radarr_server):
    server = make_radarr_server(faults={"timeout": 1.0}, hang_s=5.0)
    client = RadarrClient(radarr_settings(server, timeout=0.2, retries=1))
    with client, pytest.raises(RadarrError, match="gave up after 2 attempts") as info:
        client.health()
    assert info.value.exit_code == 1 and client.attempts == 2


# -- settings and credentials -----------------------------------------------------------------
def test_a_wrong_key_is_exit_2_naming_the_setting(radarr_server):
    wrong = "0123456789abcdef0123456789abcdef"
    client = RadarrClient(radarr_settings(radarr_server, api_key=wrong))
    with client, pytest.raises(RadarrConfigError) as info:
        client.tags()
    message = str(info.value)
    assert info.value.exit_code == 2 and client.attempts == 1
    assert message == (
        f"Radarr at {radarr_server.url} answered 401 Unauthorized: check RADARR_API_KEY "
        "(Settings > General > Security > API Key)"
    )
    assert wrong not in message and radarr_server.config.api_key not in message


def test_nothing_listening_is_exit_2_naming_the_url():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    url = f"http://127.0.0.1:{port}"
    client = RadarrClient(RadarrSettings(url=url, api_key="secret-key", retries=1, backoff=0))
    with client, pytest.raises(RadarrConfigError) as info:
        client.system_status()
    assert info.value.exit_code == 2 and client.attempts == 2
    assert str(info.value) == (
        f"RADARR_URL {url}: connection refused; check the URL and that Radarr is running"
    )


def test_settings_from_env_and_checks(monkeypatch):
    with pytest.raises(RadarrConfigError, match="RADARR_URL is not set"):
        RadarrClient(load_config(None).radarr)
    monkeypatch.setenv("RADARR_URL", "http://user:pa55word@localhost:7878/radarr")
    with pytest.raises(RadarrConfigError, match="RADARR_API_KEY is not set"):
        RadarrClient(load_config(None).radarr)
    with pytest.raises(ValidationError, match="not an http") as info:
        RadarrSettings(url="localhost:7878", api_key="x")
    assert "x" not in str(info.value).split("not an http")[1]
    monkeypatch.setenv("RADARR_API_KEY", "sekrit")
    settings = load_config(None, {"radarr.retries": 1}).radarr
    assert settings.retries == 1 and "sekrit" not in repr(settings)
    assert "pa55word" not in repr(settings) and "pa55word" not in str(settings.url)
    assert settings.url.get_secret_value() == "http://user:pa55word@localhost:7878/radarr"


def test_the_key_travels_in_a_header_only(radarr_server, radarr_client):
    seen = []
    radarr_client._http.event_hooks["request"].append(lambda request: seen.append(request))
    radarr_client.ping()
    radarr_client.ensure_tags(["kai-a"])
    list(radarr_client.movies())
    radarr_client.edit_tags([1, 2], [1], "add")
    key = radarr_server.config.api_key
    assert seen and all(r.headers["X-Api-Key"] == key for r in seen)
    assert all(key not in str(r.url) for r in seen)
    assert all(r.headers["Accept-Encoding"] == "gzip" for r in seen)
    records = radarr_server.requests()
    assert len(records) == len(seen)
    assert all(key not in r.query and "apikey" not in r.query for r in records)


def test_a_slow_first_byte_of_the_list_names_the_setting_and_is_retried_within_a_bound(
    make_radarr_server,
):
    """Five 300-s attempts were 25 minutes: now no attempt starts once a list timeout passed."""
    import time

    server = make_radarr_server(faults={"timeout": 1.0}, hang_s=5.0)
    client = RadarrClient(radarr_settings(server, list_timeout=0.4, retries=4, backoff=0))
    started = time.monotonic()
    with client, pytest.raises(RadarrError) as info:
        list(client.movies())
    elapsed = time.monotonic() - started
    assert "RADARR_LIST_TIMEOUT (0.4 s, 1 attempt)" in str(info.value)
    assert info.value.exit_code == 1 and client.attempts == 1
    assert elapsed < 2 * 0.4 + 1.0
