"""The Sonarr client against the stand-in (and a mock transport for what no server should send):
the projected series list, tag membership, chunked editor writes, and every error in the
exception tree with the setting to fix."""

import json
import socket

import httpx
import pytest
from pydantic import ValidationError
from sonarr_fixtures import sonarr_settings

from core.clients.sonarr import SonarrClient, SonarrSeries, SonarrSettings
from core.clients.sonarr.stream import iter_series, project
from core.config import load_config
from core.errors import ConfigError, SonarrConfigError, SonarrError
from synthetic.servers.sonarr.records import LANGUAGES

JSON = {"Content-Type": "application/json; charset=utf-8"}


def mock_client(handler, **overrides) -> SonarrClient:
    values = {"url": "http://sonarr.test:8989", "api_key": "k" * 32, "retries": 1, "backoff": 0}
    return SonarrClient(
        SonarrSettings(**{**values, **overrides}), transport=httpx.MockTransport(handler)
    )


# -- the series list --------------------------------------------------------------------------
def test_series_stream_equals_the_library(sonarr_server, sonarr_client, series_library):
    got = list(sonarr_client.series())
    assert len(got) == len(series_library) and sonarr_client.skipped == 0
    for series, want in zip(got, series_library, strict=True):
        assert (series.id, series.title, series.year) == (want.id, want.title, want.year)
        assert (series.tvdb_id, series.tmdb_id, series.imdb_id) == (
            want.tvdb_id,
            want.tmdb_id,
            want.imdb_id,
        )
        assert series.genres == tuple(want.genres) and series.overview == want.overview
        assert (series.network, series.status) == (want.network, want.status)
        assert series.seasons == want.seasons and series.runtime == want.runtime
        assert series.original_language == LANGUAGES[want.original_language][1]
        assert series.certification == want.certification
        assert series.series_type == want.series_type and series.tags == ()
    [record] = sonarr_server.requests()
    assert (record.method, record.path, record.query) == ("GET", "/api/v3/series", "")
    assert sonarr_client.requests == sonarr_client.attempts == 1 and sonarr_client.writes == 0


def test_series_carry_their_tags(sonarr_server, sonarr_client):
    anime = sonarr_server.set_tags("kai-anime", [2, 3])
    crime = sonarr_server.set_tags("kai-true-crime", [3])
    assert {s.id: s.tags for s in sonarr_client.series() if s.tags} == {
        2: (anime,),
        3: (anime, crime),
    }


def test_odd_and_missing_fields_are_tolerated():
    assert project({"id": 5}) == SonarrSeries(id=5)
    odd = {
        "id": 6,
        "title": 7,
        "year": "1999",
        "genres": ["Drama", None, 3],
        "seasons": [{"seasonNumber": 0}, {"seasonNumber": 1}, "x", {"seasonNumber": 2}],
        "originalLanguage": "English",
        "tags": [1, "2"],
        "tvdbId": -1,
    }
    assert project(odd) == SonarrSeries(id=6, genres=("Drama",), seasons=2, tags=(1,))
    assert project({"id": 7, "statistics": {"seasonCount": 4}}).seasons == 4
    for unusable in ({"id": 0}, {"id": "8"}, {"title": "no id"}, [], None):
        assert project(unusable) is None


def test_unusable_elements_are_skipped_and_counted():
    body = json.dumps([{"id": 1, "title": "A"}, {"title": "B"}, 3, {"id": 2}]).encode()
    client = mock_client(lambda request: httpx.Response(200, content=body, headers=JSON))
    with client:
        assert [s.id for s in client.series()] == [1, 2]
        assert client.skipped == 2 and "'B'" in client.skipped_examples[0]


def test_the_stream_parses_the_same_cut_anywhere(sonarr_server):
    key = {"X-Api-Key": sonarr_server.config.api_key}
    full = httpx.get(f"{sonarr_server.url}/api/v3/series", headers=key).json()
    body = json.dumps(full[:12], ensure_ascii=False).encode()
    whole = list(iter_series([body]))
    for size in (1, 7, 4096):
        pieces = [body[i : i + size] for i in range(0, len(body), size)]
        assert list(iter_series(pieces)) == whole
    assert [s.id for s in whole] == list(range(1, 13))


def test_a_malformed_list_is_a_sonarr_error():
    client = mock_client(
        lambda request: httpx.Response(200, content=b'[{"id": 1}, {"id"', headers=JSON)
    )
    with client, pytest.raises(SonarrError, match="GET /api/v3/series is unusable") as info:
        list(client.series())
    assert info.value.exit_code == 1


def test_a_dropped_connection_mid_list_is_a_sonarr_error(make_sonarr_server):
    server = make_sonarr_server(faults={"truncate": 1.0})
    client = SonarrClient(sonarr_settings(server))
    with client, pytest.raises(SonarrError, match="the series list broke off after") as info:
        list(client.series())
    assert not isinstance(info.value, SonarrConfigError)


def test_an_html_answer_means_the_url_is_wrong(make_sonarr_server):
    server = make_sonarr_server(url_base="/sonarr")
    settings = sonarr_settings(server, url=server.url.removesuffix("/sonarr") + "/other")
    with SonarrClient(settings) as client, pytest.raises(SonarrConfigError) as info:
        client.system_status()
    assert info.value.exit_code == 2 and "SONARR_URL" in str(info.value)


# -- tags and the editor ----------------------------------------------------------------------
def test_ensure_tags_matches_case_insensitively_and_creates_lowercase(sonarr_server, sonarr_client):
    old = sonarr_server.set_tags("kai-anime", [])
    ids = sonarr_client.ensure_tags(["KAI-Anime", "kai-Sitcoms", "kai-sitcoms"])
    assert ids["KAI-Anime"] == old and ids["kai-Sitcoms"] == ids["kai-sitcoms"] != old
    assert set(sonarr_server.tags_by_label()) == {"kai-anime", "kai-sitcoms"}
    assert [r.endpoint for r in sonarr_server.requests()] == ["tag_list", "tag_create"]


@pytest.mark.parametrize("label", ["kai anime", "kai_anime", "", "kai/x"])
def test_an_invalid_label_is_a_config_error(sonarr_server, sonarr_client, label):
    with pytest.raises(ConfigError, match="cannot be a Sonarr tag"):
        sonarr_client.ensure_tags([label])
    assert sonarr_server.requests() == []


def test_membership_comes_from_tag_detail(sonarr_server, sonarr_client):
    tag = sonarr_server.set_tags("kai-anime", [5, 9, 12])
    [detail] = sonarr_client.tag_details()
    assert (detail.id, detail.label, detail.series_ids) == (tag, "kai-anime", (5, 9, 12))
    assert [r.endpoint for r in sonarr_server.requests()] == ["tag_detail"]


def test_edit_tags_in_chunks_of_100_touching_only_the_given_tags(sonarr_server, sonarr_client):
    theirs = sonarr_server.set_tags("4k", [1, 2, 3])
    ours = sonarr_server.set_tags("kai-anime", [])
    result = sonarr_client.edit_tags(range(1, 251), [ours], "add")
    assert (result.chunks, result.edited, result.ok) == (3, 250, True)
    bodies = [json.loads(r.body) for r in sonarr_server.requests()]
    assert [len(b["seriesIds"]) for b in bodies] == [100, 100, 50]
    assert all(b["applyTags"] == "add" and b["tags"] == [ours] for b in bodies)
    sonarr_client.edit_tags([1, 2], [ours], "remove")
    assert sonarr_server.tags_by_label() == {"4k": {1, 2, 3}, "kai-anime": set(range(3, 251))}
    assert theirs in {t for s in sonarr_client.series() if s.id == 1 for t in s.tags}
    with pytest.raises(ValueError, match="apply must be"):
        sonarr_client.edit_tags([1], [ours], "replace")


def test_nothing_to_edit_sends_nothing(sonarr_server, sonarr_client):
    assert sonarr_client.edit_tags([1, 2], [], "add").chunks == 0
    assert sonarr_client.edit_tags([], [1], "add").chunks == 0
    assert sonarr_server.requests() == []


def test_a_chunk_that_keeps_failing_is_reported_not_raised(sonarr_server, sonarr_client):
    tag = sonarr_server.set_tags("kai-anime", [])
    sonarr_server.fail_next(3, 500, endpoint="series_editor")  # every attempt of the first chunk
    result = sonarr_client.edit_tags(range(1, 251), [tag], "add")
    assert (result.chunks, result.edited, result.ok) == (3, 150, False)
    [failed] = result.failed
    assert failed.series_ids == tuple(range(1, 101)) and "500" in failed.cause
    assert result.failed_ids == list(range(1, 101))
    assert sonarr_server.tags_by_label()["kai-anime"] == set(range(101, 251))


# -- retries, settings and credentials ---------------------------------------------------------
def test_server_errors_are_retried_and_client_errors_are_not(sonarr_server, sonarr_client):
    sonarr_server.fail_next(2, 503, endpoint="tag_list")
    assert sonarr_client.tags() == []
    assert (sonarr_client.requests, sonarr_client.attempts) == (1, 3)
    sonarr_server.fail_next(1, 400, endpoint="tag_list")
    with pytest.raises(SonarrError, match="refused GET /api/v3/tag: 400"):
        sonarr_client.tags()
    assert sonarr_client.attempts == 4


def test_timeouts_are_retried_then_reported(make_sonarr_server):
    server = make_sonarr_server(faults={"timeout": 1.0}, hang_s=5.0)
    client = SonarrClient(sonarr_settings(server, timeout=0.2, retries=1))
    with client, pytest.raises(SonarrError, match="gave up after 2 attempts") as info:
        client.health()
    assert info.value.exit_code == 1 and client.attempts == 2


def test_a_wrong_key_is_exit_2_naming_the_setting(sonarr_server):
    wrong = "0123456789abcdef0123456789abcdef"
    client = SonarrClient(sonarr_settings(sonarr_server, api_key=wrong))
    with client, pytest.raises(SonarrConfigError) as info:
        client.tags()
    message = str(info.value)
    assert info.value.exit_code == 2 and client.attempts == 1
    assert message == (
        f"Sonarr at {sonarr_server.url} answered 401 Unauthorized: check SONARR_API_KEY "
        "(Settings > General > Security > API Key)"
    )
    assert wrong not in message and sonarr_server.config.api_key not in message


def test_nothing_listening_is_exit_2_naming_the_url():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    url = f"http://127.0.0.1:{port}"
    client = SonarrClient(SonarrSettings(url=url, api_key="secret-key", retries=1, backoff=0))
    with client, pytest.raises(SonarrConfigError) as info:
        client.system_status()
    assert info.value.exit_code == 2 and client.attempts == 2
    assert str(info.value) == (
        f"SONARR_URL {url}: connection refused; check the URL and that Sonarr is running"
    )


def test_a_connection_lost_after_sonarr_answered_is_an_outage_exit_1():
    calls = []

    def answer_once(request):
        calls.append(request)
        if len(calls) == 1:
            return httpx.Response(200, json=[], headers=JSON)
        raise httpx.ConnectError("connection refused")

    client = mock_client(answer_once)
    with client:
        assert client.tags() == []
        with pytest.raises(SonarrError) as info:
            client.tags()
    assert not isinstance(info.value, SonarrConfigError) and info.value.exit_code == 1
    assert "gave up after 2 attempts" in str(info.value)


def test_a_404_or_an_html_page_says_to_check_the_url_base(sonarr_server):
    answer = httpx.Response(404, content=b'{"message": "NotFound"}', headers=JSON)
    client = mock_client(lambda request: answer)
    with client, pytest.raises(SonarrConfigError, match=r"404 Not Found.*URL base \(Settings"):
        client.tags()
    client = SonarrClient(sonarr_settings(sonarr_server, url=sonarr_server.url + "/sonarr"))
    with client, pytest.raises(SonarrConfigError, match=r"text/html, not JSON.*URL base"):
        client.tags()


def test_settings_from_env_and_checks(monkeypatch):
    with pytest.raises(SonarrConfigError, match="SONARR_URL is not set"):
        SonarrClient(load_config(None).sonarr)
    monkeypatch.setenv("SONARR_URL", "http://user:pa55word@localhost:8989/sonarr")
    with pytest.raises(SonarrConfigError, match="SONARR_API_KEY is not set"):
        SonarrClient(load_config(None).sonarr)
    with pytest.raises(ValidationError, match="not an http"):
        SonarrSettings(url="localhost:8989", api_key="x")
    monkeypatch.setenv("SONARR_API_KEY", "sekrit")
    monkeypatch.setenv("SONARR_CHUNK_SIZE", "50")
    settings = load_config(None, {"sonarr.retries": 1}).sonarr
    assert (settings.retries, settings.chunk_size) == (1, 50)
    assert "sekrit" not in repr(settings) and "pa55word" not in repr(settings)
    assert settings.url.get_secret_value() == "http://user:pa55word@localhost:8989/sonarr"


def test_the_key_travels_in_a_header_only(sonarr_server, sonarr_client):
    seen = []
    sonarr_client._http.event_hooks["request"].append(lambda request: seen.append(request))
    sonarr_client.ping()
    sonarr_client.ensure_tags(["kai-a"])
    list(sonarr_client.series())
    sonarr_client.edit_tags([1, 2], [1], "add")
    key = sonarr_server.config.api_key
    assert seen and all(r.headers["X-Api-Key"] == key for r in seen)
    assert all(key not in str(r.url) for r in seen)
    assert all(r.headers["Accept-Encoding"] == "gzip" for r in seen)
