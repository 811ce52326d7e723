"""The stand-in Sonarr's behaviour: auth, URL base, streaming and gzip, faults, tag and editor
semantics, and Sonarr's answers to bad input (never a traceback)."""

import gzip
import json

import httpx
import pytest

from synthetic.servers.sonarr.server import SonarrServer


def _http(server, **headers) -> httpx.Client:
    key = {"X-Api-Key": server.config.api_key}
    return httpx.Client(base_url=server.url, headers={**key, **headers})


def test_the_key_is_needed_except_for_ping_and_the_ui(sonarr_server):
    url = sonarr_server.url
    assert httpx.get(f"{url}/api/v3/series").status_code == 401
    assert httpx.get(f"{url}/api/v3/tag", headers={"X-Api-Key": "0" * 32}).status_code == 401
    assert httpx.get(f"{url}/ping").json() == {"status": "OK"}
    ui = httpx.get(f"{url}/series/some-show")
    assert ui.status_code == 200 and "text/html" in ui.headers["content-type"]
    key = sonarr_server.config.api_key
    assert httpx.get(f"{url}/api/v3/tag", params={"apikey": key}).json() == []
    assert key not in repr(sonarr_server.config)


def test_url_base_and_unknown_api_paths(make_sonarr_server):
    server = make_sonarr_server(url_base="/sonarr/")
    assert server.url.endswith("/sonarr")
    with _http(server) as http:
        assert http.get("/api/v3/system/status").json()["urlBase"] == "/sonarr"
        missing = http.get("/api/v3/episodefile")
        assert missing.status_code == 404 and missing.json() == {"message": "NotFound"}


def test_the_series_list_streams_gzip_when_asked(sonarr_server):
    http = _http(sonarr_server, **{"Accept-Encoding": "gzip"})
    with http, http.stream("GET", "/api/v3/series") as response:
        assert response.headers["content-encoding"] == "gzip"
        assert response.headers["transfer-encoding"] == "chunked"
        raw = b"".join(response.iter_raw())
    series = json.loads(gzip.decompress(raw))
    assert [s["id"] for s in series] == list(range(1, 301))
    assert len(raw) < sonarr_server.series_list_bytes / 4


def test_a_truncate_fault_drops_the_list_halfway(make_sonarr_server):
    server = make_sonarr_server(faults={"truncate": 1.0})
    with _http(server) as http, pytest.raises(httpx.RemoteProtocolError):
        http.get("/api/v3/series")


def test_scripted_faults_hit_the_named_endpoint_only(sonarr_server):
    sonarr_server.fail_next(2, 503, endpoint="series_editor")
    with _http(sonarr_server) as http:
        assert http.get("/api/v3/tag").status_code == 200
        body = {"seriesIds": [1], "tags": [], "applyTags": "add"}
        assert [http.put("/api/v3/series/editor", json=body).status_code for _ in range(3)] == [
            503,
            503,
            202,
        ]
    assert sonarr_server.counters.by_status[503] == 2


def test_editor_add_remove_replace_and_the_request_log(sonarr_server):
    a = sonarr_server.set_tags("kai-a", [1, 2])
    b = sonarr_server.set_tags("kai-b", [2, 3])
    with _http(sonarr_server) as http:

        def edit(ids, tags, mode):
            body = {"seriesIds": ids, "tags": tags, "applyTags": mode}
            return http.put("/api/v3/series/editor", json=body)

        edited = edit([3, 4, 999], [a], "add")
        assert edited.status_code == 202 and [s["id"] for s in edited.json()] == [3, 4]
        assert [s["tags"] for s in edited.json()] == [sorted([a, b]), [a]]
        edit([1, 2], [a], "remove")
        edit([3], [b], "replace")
    assert sonarr_server.tags_by_label() == {"kai-a": {4}, "kai-b": {2, 3}}
    puts = [r for r in sonarr_server.requests() if r.method == "PUT"]
    assert json.loads(puts[0].body)["seriesIds"] == [3, 4, 999]


def test_tag_rules_are_sonarrs(sonarr_server):
    with _http(sonarr_server) as http:
        made = http.post("/api/v3/tag", json={"label": "KAI-Anime"})
        assert made.status_code == 201 and made.json()["label"] == "kai-anime"
        again = http.post("/api/v3/tag", json={"label": "kai-anime"})
        assert again.json() == made.json()
        refused = http.post("/api/v3/tag", json={"label": "kai anime"})
        assert refused.status_code == 400
        (failure,) = refused.json()
        assert failure["propertyName"] == "Label"
        assert failure["errorCode"] == "RegularExpressionValidator"
        taken = http.post("/api/v3/tag", json={"label": "Kai-Anime"})
        assert taken.status_code == 500 and "UNIQUE" in taken.json()["message"]


def test_bad_input_gets_sonarrs_error_bodies(sonarr_server):
    tag = sonarr_server.set_tags("kai-x", [7])
    with _http(sonarr_server) as http:
        missing = http.get("/api/v3/series/9999")
        assert missing.status_code == 404
        assert missing.json()["message"] == "Series with ID 9999 does not exist"
        assert http.get("/api/v3/tag/77").json()["message"] == "Tag with ID 77 does not exist"
        assert http.get("/api/v3/series/abc").status_code == 404
        in_use = http.delete(f"/api/v3/tag/{tag}")
        assert in_use.status_code == 409 and "still in use" in in_use.json()["message"]
        bad_query = http.get("/api/v3/series", params={"tvdbId": "x"})
        assert bad_query.status_code == 400
        assert bad_query.headers["content-type"].startswith("application/problem+json")
        assert bad_query.json()["errors"] == {"tvdbId": ["The value 'x' is not valid."]}
        for body in (b"{not json", b"[1, 2]", b'{"seriesIds": ["a"]}', b'{"applyTags": "x"}'):
            answer = http.put("/api/v3/series/editor", content=body)
            assert answer.status_code == 400 and answer.json()["status"] == 400
            assert "Traceback" not in answer.text


def test_series_put_replaces_tags_and_lookup_finds_by_title_and_ids(sonarr_server):
    target = sonarr_server.series[41]
    with _http(sonarr_server) as http:
        resource = http.get(f"/api/v3/series/{target.id}").json()
        resource["tags"] = [sonarr_server.set_tags("kai-y", [])]
        saved = http.put(f"/api/v3/series/{target.id}", json=resource)
        assert saved.status_code == 202 and saved.json()["tags"] == resource["tags"]
        by_title = http.get("/api/v3/series/lookup", params={"term": target.title}).json()
        assert by_title[0]["tvdbId"] == target.tvdb_id and by_title[0]["remotePoster"]
        for term in (f"tvdb:{target.tvdb_id}", f"tmdb:{target.tmdb_id}", f"imdb:{target.imdb_id}"):
            assert [
                s["id"] for s in http.get("/api/v3/series/lookup", params={"term": term}).json()
            ] == [target.id]
        assert http.get("/api/v3/series/lookup", params={"term": "tvdb:1"}).json() == []
    assert sonarr_server.tags_by_label() == {"kai-y": {target.id}}


def test_routes_match_in_any_case_and_puts_take_the_id_from_the_body(sonarr_server):
    with _http(sonarr_server) as http:
        assert http.get("/api/v3/qualityProfile/1").json()["name"] == "HD-1080p"
        assert http.get("/API/V3/Series/3").json()["id"] == 3
        resource = http.get("/api/v3/series/3").json()
        resource["tags"] = [sonarr_server.set_tags("kai-z", [])]
        assert http.put("/api/v3/series", json=resource).status_code == 202
        del resource["id"]
        no_id = http.put("/api/v3/series", json=resource)
        assert no_id.status_code == 400 and no_id.json()["message"] == "0 is not a valid ID"
        assert http.get("/api/v3/rootfolder/9").status_code == 404
    assert sonarr_server.tags_by_label() == {"kai-z": {3}}


def test_a_library_from_jsonl(tmp_path):
    from synthetic.library.series import write_series_jsonl

    path = tmp_path / "series.jsonl"
    write_series_jsonl(path, 20, 3)
    with SonarrServer(path) as server, _http(server) as http:
        assert len(http.get("/api/v3/series").json()) == 20
