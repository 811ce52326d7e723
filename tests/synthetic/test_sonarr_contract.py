"""Every route of the stand-in Sonarr, requested by the client and by hand, against Sonarr's
OpenAPI document (tests/data/specs/sonarr-openapi.json, the v3 API that Sonarr v4 serves).

Where the document and Sonarr disagree, the test says so (``UNDOCUMENTED``): Sonarr's
RestController answers a create with 201 and an update (``PUT /series/{id}``, ``PUT /tag/{id}``)
with 202 Accepted, the series editor with 202 and the edited series' full resources, while the
document lists a bare 200; and Sonarr writes a health check's ``wikiUrl`` (an ``HttpUri``) as a
string where the document draws an object.
"""

import copy
import json
from pathlib import Path

import httpx
import pytest
from openapi_contract import Contract, Recorder
from sonarr_fixtures import sonarr_settings

from core.clients.sonarr import SonarrClient

SPEC = json.loads((Path(__file__).parents[1] / "data/specs/sonarr-openapi.json").read_text())
SERIES = {"$ref": "#/components/schemas/SeriesResource"}
_HEALTH = copy.deepcopy(SPEC["components"]["schemas"]["HealthResource"])
_HEALTH["properties"]["wikiUrl"] = {"type": "string", "format": "uri"}
UNDOCUMENTED = {
    ("POST", "/api/v3/tag"): (201, "200", None),
    ("PUT", "/api/v3/tag/{id}"): (202, "200", None),
    ("PUT", "/api/v3/series/{id}"): (202, "200", None),
    ("PUT", "/api/v3/series/editor"): (202, "200", {"type": "array", "items": SERIES}),
    ("GET", "/api/v3/health"): (200, "200", {"type": "array", "items": _HEALTH}),
}


@pytest.mark.parametrize("url_base", ["", "/sonarr"])
def test_every_client_request_and_answer_follows_the_spec(make_sonarr_server, url_base):
    server = make_sonarr_server(url_base=url_base)
    server.set_tags("kai-anime", [4, 5])
    recorder = Recorder()
    with SonarrClient(sonarr_settings(server), transport=recorder) as client:
        assert client.ping() == "OK"
        client.system_status()
        client.health()
        assert sum(1 for _ in client.series()) == 300
        ids = client.ensure_tags(["KAI-Anime", "kai-sitcoms", "kai-true-crime"])
        client.tag_details()
        assert client.edit_tags(range(1, 151), [ids["kai-sitcoms"]], "add").ok
        assert client.edit_tags([4], [ids["KAI-Anime"]], "remove").ok
    seen = {(r.method, r.url.path.removeprefix(url_base)) for r, _ in recorder.exchanges}
    assert seen == {
        ("GET", "/ping"),
        ("GET", "/api/v3/system/status"),
        ("GET", "/api/v3/health"),
        ("GET", "/api/v3/series"),
        ("GET", "/api/v3/tag"),
        ("POST", "/api/v3/tag"),
        ("GET", "/api/v3/tag/detail"),
        ("PUT", "/api/v3/series/editor"),
    }
    contract = Contract(SPEC, UNDOCUMENTED, url_base)
    for request, response in recorder.exchanges:
        contract.check(request, response)


def test_every_other_route_follows_the_spec(sonarr_server):
    series = sonarr_server.series
    recorder = Recorder()
    key = {"X-Api-Key": sonarr_server.config.api_key}
    with httpx.Client(base_url=sonarr_server.url, headers=key, transport=recorder) as http:
        http.get("/api/v3/series", params={"includeSeasonImages": "true"})
        http.get("/api/v3/series", params={"tvdbId": series[9].tvdb_id})
        resource = http.get("/api/v3/series/10").json()
        http.get("/api/v3/series/11", params={"includeSeasonImages": "true"})
        http.get("/api/v3/series/lookup", params={"term": series[20].title})
        http.get("/api/v3/series/lookup", params={"term": f"tvdb:{series[21].tvdb_id}"})
        tag = http.post("/api/v3/tag", json={"label": "kai-a"}).json()
        http.post("/api/v3/tag", json={"label": "kai-a"})  # the same tag again
        http.get(f"/api/v3/tag/{tag['id']}")
        http.put(f"/api/v3/tag/{tag['id']}", json={"id": tag["id"], "label": "kai-b"})
        resource["tags"] = [tag["id"]]
        http.put("/api/v3/series/10", json=resource)
        editor = {"seriesIds": list(range(1, 80)), "tags": [tag["id"]], "applyTags": "replace"}
        http.put("/api/v3/series/editor", json=editor)
        http.get(f"/api/v3/tag/detail/{tag['id']}")
        http.put("/api/v3/series/editor", json={**editor, "applyTags": "remove"})
        http.delete(f"/api/v3/tag/{tag['id']}")
        for path in ("qualityprofile", "rootfolder", "languageprofile", "tag"):
            http.get(f"/api/v3/{path}")
        for path in ("qualityprofile/2", "rootfolder/1", "languageprofile/1"):
            http.get(f"/api/v3/{path}")
    assert len(recorder.exchanges) == 22
    assert all(r.status_code < 300 for _, r in recorder.exchanges)
    contract = Contract(SPEC, UNDOCUMENTED)
    for request, response in recorder.exchanges:
        contract.check(request, response)


def test_series_resources_are_full_size(sonarr_server):
    key = {"X-Api-Key": sonarr_server.config.api_key}
    body = httpx.get(f"{sonarr_server.url}/api/v3/series", headers=key).content
    per_series = len(body) / len(sonarr_server.series)
    assert per_series > 2_000  # a real Sonarr v4 series with seasons is 2-5 KB of JSON
    assert sonarr_server.series_list_bytes == len(body)


def test_the_contract_check_catches_what_sonarr_would_not_send():
    contract = Contract(SPEC)
    resource = {"id": 1, "title": "A", "status": "ended", "tags": [1]}
    contract.validate(resource, SERIES, "ok")
    for wrong in ({**resource, "movieIds": [1]}, {**resource, "status": "running"}, {"id": "1"}):
        with pytest.raises(AssertionError):
            contract.validate(wrong, SERIES, "wrong")
