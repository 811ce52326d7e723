import gzip
import json

import httpx
import pytest
from click.testing import CliRunner

from core.cli import cli
from synthetic.servers.radarr.records import movie_resource
from synthetic.servers.radarr.server import RadarrServer


def call(server, method, path, *, key=True, **kwargs) -> httpx.Response:
    headers = {"X-Api-Key": server.config.api_key} if key else {}
    headers.update(kwargs.pop("headers", {}))
    return httpx.request(method, server.url + path, headers=headers, timeout=10, **kwargs)


def test_movie_ids_are_the_library_ids(tmdb_library):
    server = RadarrServer(tmdb_library[:20])
    assert [m.id for m in server.movies] == list(range(1, 21))


def test_api_key_in_header_or_query_and_ping_without(radarr_server):
    assert call(radarr_server, "GET", "/ping", key=False).json() == {"status": "OK"}
    assert call(radarr_server, "GET", "/api/v3/tag", key=False).status_code == 401
    bad = {"X-Api-Key": "nope"}
    assert call(radarr_server, "GET", "/api/v3/tag", key=False, headers=bad).status_code == 401
    key = radarr_server.config.api_key
    answer = call(radarr_server, "GET", "/api/v3/tag", key=False, params={"apikey": key})
    assert answer.status_code == 200 and answer.json() == []
    records = radarr_server.requests()
    assert [r.status for r in records] == [200, 401, 401, 200]
    assert records[-1].query == "apikey=***" and all(key not in r.query for r in records)
    assert key not in repr(radarr_server.config)


def test_system_status_and_health(radarr_server):
    status = call(radarr_server, "GET", "/api/v3/system/status").json()
    assert status["appName"] == "Radarr" and status["version"].startswith("6.")
    health = call(radarr_server, "GET", "/api/v3/health").json()
    assert health and all(h["type"] in ("ok", "notice", "warning", "error") for h in health)


def test_movie_list_is_streamed_and_gzipped_when_asked(radarr_server, tmdb_library):
    plain = call(radarr_server, "GET", "/api/v3/movie", headers={"Accept-Encoding": "identity"})
    assert plain.headers["Transfer-Encoding"] == "chunked"
    assert "Content-Encoding" not in plain.headers
    movies = plain.json()
    assert [m["id"] for m in movies] == [m.id for m in tmdb_library]
    assert movies[0] == movie_resource(tmdb_library[0], [], local_covers=True)
    size = len(plain.content) / len(movies)
    assert 3000 < size < 4200  # Radarr sends about 3.6 KB per movie
    assert radarr_server.movie_list_bytes == len(plain.content)
    with httpx.stream(
        "GET",
        radarr_server.url + "/api/v3/movie",
        headers={"X-Api-Key": radarr_server.config.api_key, "Accept-Encoding": "gzip"},
    ) as zipped:
        assert zipped.headers["Content-Encoding"] == "gzip"
        raw = b"".join(zipped.iter_raw())
    assert gzip.decompress(raw) == plain.content and len(raw) < len(plain.content) / 3


def test_exclude_local_covers_and_tmdb_id(radarr_server, tmdb_library):
    movie = tmdb_library[7]
    local = call(radarr_server, "GET", "/api/v3/movie", params={"tmdbId": movie.tmdb_id}).json()
    remote = call(
        radarr_server,
        "GET",
        "/api/v3/movie",
        params={"tmdbId": movie.tmdb_id, "excludeLocalCovers": "true"},
    ).json()
    assert [m["id"] for m in local] == [m["id"] for m in remote] == [movie.id]
    assert local[0]["images"][0]["url"].startswith(f"/MediaCover/{movie.id}/poster.jpg")
    assert all(i["url"] == i["remoteUrl"] for i in remote[0]["images"])
    assert call(radarr_server, "GET", "/api/v3/movie", params={"tmdbId": 1}).json() == []
    assert call(radarr_server, "GET", "/api/v3/movie", params={"tmdbId": "x"}).status_code == 400


def test_tag_creation_follows_radarr_6(radarr_server):
    post = lambda label: call(radarr_server, "POST", "/api/v3/tag", json={"label": label})  # noqa: E731
    created = post("KAI-Film-Noir")
    assert created.status_code == 201 and created.json() == {"id": 1, "label": "kai-film-noir"}
    assert post("kai-film-noir").json() == {"id": 1, "label": "kai-film-noir"}
    assert post("KAI-Film-Noir").status_code == 409  # lowercased, it hits the unique label
    rejected = post("film noir")
    assert rejected.status_code == 400
    [error] = rejected.json()
    assert error["propertyName"] == "Label"
    assert error["errorMessage"] == "Allowed characters a-z, 0-9 and -"
    assert post("").json()[0]["errorMessage"] == "'Label' must not be empty."
    assert call(radarr_server, "GET", "/api/v3/tag").json() == [{"id": 1, "label": "kai-film-noir"}]
    bodies = [r.body for r in radarr_server.requests() if r.method == "POST"]
    assert json.loads(bodies[0]) == {"label": "KAI-Film-Noir"}


def test_editor_applies_tags_and_answers_202_with_the_movies(radarr_server):
    noir = radarr_server.set_tags("kai-noir", [1, 2])
    heist = radarr_server.set_tags("kai-heist", [])

    def edit(ids, tags, apply):
        body = {"movieIds": ids, "tags": tags, "applyTags": apply}
        return call(radarr_server, "PUT", "/api/v3/movie/editor", json=body)

    answer = edit([2, 3, 99_999], [heist], "add")
    assert answer.status_code == 202
    assert [(m["id"], m["tags"]) for m in answer.json()] == [(2, [noir, heist]), (3, [heist])]
    assert radarr_server.tags_by_label() == {"kai-noir": {1, 2}, "kai-heist": {2, 3}}
    edit([2], [noir], "remove")
    edit([1], [heist], "replace")
    assert radarr_server.tags_by_label() == {"kai-noir": set(), "kai-heist": {1, 2, 3}}
    detail = call(radarr_server, "GET", "/api/v3/tag/detail").json()
    assert [(d["label"], d["movieIds"]) for d in detail] == [
        ("kai-noir", []),
        ("kai-heist", [1, 2, 3]),
    ]
    assert edit("x", [1], "add").status_code == 400
    assert edit([1], [1], "merge").status_code == 400
    put = next(r for r in radarr_server.requests() if r.method == "PUT")
    assert json.loads(put.body)["movieIds"] == [2, 3, 99_999] and put.status == 202


def test_url_base_and_unknown_paths(make_radarr_server):
    server = make_radarr_server(url_base="radarr/")
    assert server.url.endswith(f":{server.port}/radarr")
    assert call(server, "GET", "/api/v3/tag").status_code == 200
    assert call(server, "GET", "/api/v3/nothing").status_code == 404
    root = httpx.get(server.url.removesuffix("/radarr") + "/api/v3/tag")
    assert root.status_code == 200 and root.headers["Content-Type"].startswith("text/html")
    assert call(server, "GET", "/api/v3/system/status").json()["urlBase"] == "/radarr"


def test_scripted_and_random_faults(make_radarr_server):
    server = make_radarr_server()
    server.fail_next(2, 503, endpoint="tag_list")
    assert call(server, "GET", "/api/v3/health").status_code == 200
    assert [call(server, "GET", "/api/v3/tag").status_code for _ in range(3)] == [503, 503, 200]
    broken = make_radarr_server(faults={"500": 1.0})
    answer = call(broken, "GET", "/api/v3/tag")
    assert answer.status_code == 500 and "message" in answer.json()
    assert broken.counters.faults == {"500": 1}


def test_synth_serve_starts_the_radarr_stand_in(monkeypatch):
    started = []

    def serve(servers, *, announce=None, stop=None):
        for server in servers:
            with server:
                started.append(server)
                announce(server)

    monkeypatch.setattr("synthetic.servers.base.serve_until_signal", serve)
    result = CliRunner().invoke(cli, ["synth", "serve", "--radarr", "--radarr-size", "7"])
    assert result.exit_code == 0, result.output
    line = json.loads(result.output)
    assert line["name"] == "radarr" and line["url"].startswith("http://127.0.0.1:")
    assert len(started[0].movies) == 7 and line["api_key"] == started[0].config.api_key


@pytest.mark.parametrize("flags", [[], ["--radarr-size", "5"]])
def test_synth_serve_needs_a_stand_in(flags):
    result = CliRunner().invoke(cli, ["synth", "serve", *flags])
    assert result.exit_code == 2 and "--radarr" in result.output
