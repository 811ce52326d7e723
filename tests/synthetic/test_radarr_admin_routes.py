"""The Radarr stand-in's tag CRUD, tag details, quality profiles and root folders."""

import httpx


def call(server, method, path, **kwargs) -> httpx.Response:
    headers = {"X-Api-Key": server.config.api_key}
    return httpx.request(method, server.url + path, headers=headers, timeout=10, **kwargs)


def test_tag_read_update_delete(radarr_server):
    noir = call(radarr_server, "POST", "/api/v3/tag", json={"label": "kai-noir"}).json()["id"]
    spare = call(radarr_server, "POST", "/api/v3/tag", json={"label": "spare"}).json()["id"]
    assert call(radarr_server, "GET", f"/api/v3/tag/{noir}").json() == {
        "id": noir,
        "label": "kai-noir",
    }
    renamed = call(radarr_server, "PUT", f"/api/v3/tag/{noir}", json={"label": "KAI-Film-Noir"})
    assert renamed.status_code == 202 and renamed.json() == {"id": noir, "label": "kai-film-noir"}
    body = {"id": spare, "label": "kai-film-noir"}
    assert call(radarr_server, "PUT", "/api/v3/tag", json=body).status_code == 409
    assert call(radarr_server, "PUT", f"/api/v3/tag/{noir}", json={"label": "a b"}).json()[0][
        "errorMessage"
    ] == ("Allowed characters a-z, 0-9 and -")
    assert call(radarr_server, "PUT", "/api/v3/tag/99", json={"label": "x"}).status_code == 404
    assert call(radarr_server, "DELETE", f"/api/v3/tag/{spare}").status_code == 200
    assert call(radarr_server, "GET", f"/api/v3/tag/{spare}").status_code == 404
    assert call(radarr_server, "DELETE", f"/api/v3/tag/{spare}").status_code == 404
    assert radarr_server.tags_by_label() == {"kai-film-noir": set()}


def test_a_tag_in_use_cannot_be_deleted(radarr_server):
    tag = radarr_server.set_tags("kai-heist", [3, 4])
    refused = call(radarr_server, "DELETE", f"/api/v3/tag/{tag}")
    assert refused.status_code == 409
    assert refused.json()["message"] == (
        f"Tag with ID {tag} 'kai-heist' cannot be deleted since it's still in use"
    )
    detail = call(radarr_server, "GET", f"/api/v3/tag/detail/{tag}").json()
    assert detail["movieIds"] == [3, 4] and detail["label"] == "kai-heist"
    assert call(radarr_server, "GET", "/api/v3/tag/detail/77").status_code == 404


def test_quality_profiles_and_root_folder(radarr_server):
    profiles = call(radarr_server, "GET", "/api/v3/qualityprofile").json()
    assert [p["name"] for p in profiles] == [
        "Any",
        "SD",
        "HD-720p",
        "HD-1080p",
        "Ultra-HD",
        "HD - 720p/1080p",
    ]
    used = {m["qualityProfileId"] for m in call(radarr_server, "GET", "/api/v3/movie").json()}
    assert used <= {p["id"] for p in profiles}
    hd = call(radarr_server, "GET", "/api/v3/qualityProfile/4").json()  # arrapi's spelling
    allowed = {i["quality"]["name"] for i in hd["items"] if i["allowed"]}
    assert "Bluray-1080p" in allowed and "Bluray-2160p" not in allowed
    assert call(radarr_server, "GET", "/api/v3/qualityprofile/9").status_code == 404
    (root,) = call(radarr_server, "GET", "/api/v3/rootFolder").json()
    assert root["path"] == "/movies/" and root["accessible"] is True
    assert call(radarr_server, "GET", "/api/v3/rootfolder/1").json() == root
