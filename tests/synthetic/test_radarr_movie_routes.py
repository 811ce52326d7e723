"""The Radarr stand-in's single-movie routes: GET/PUT/DELETE /api/v3/movie/{id}, ?tmdbId=, POST,
lookup and the bulk delete, with Radarr's answers to bad input."""

import httpx
import pytest

from synthetic.servers.radarr.records import movie_resource


def call(server, method, path, **kwargs) -> httpx.Response:
    headers = {"X-Api-Key": server.config.api_key, **kwargs.pop("headers", {})}
    return httpx.request(method, server.url + path, headers=headers, timeout=10, **kwargs)


def test_get_one_movie_is_the_full_resource_of_the_list(radarr_server, tmdb_library):
    radarr_server.set_tags("kai-noir", [7])
    one = call(radarr_server, "GET", "/api/v3/movie/7")
    assert one.status_code == 200
    assert one.json() == movie_resource(tmdb_library[6], [1])
    assert len(one.content) > 2_500  # a full MovieResource, not a summary
    listed = call(radarr_server, "GET", "/api/v3/movie", params={"tmdbId": tmdb_library[6].tmdb_id})
    assert listed.json() == [one.json()]
    pyarr_style = call(radarr_server, "GET", "/api/v3/movie", params={"tmdbid": 1})
    assert pyarr_style.json() == []  # query names bind ignoring case, as in ASP.NET


def test_get_unknown_movie_is_asp_net_not_found(radarr_server):
    answer = call(radarr_server, "GET", "/api/v3/movie/99999")
    assert answer.status_code == 404
    assert answer.headers["Content-Type"].startswith("application/problem+json")
    body = answer.json()
    assert body["status"] == 404 and body["title"] == "Not Found" and body["traceId"]
    assert call(radarr_server, "GET", "/api/v3/movie/abc").status_code == 404


def test_put_takes_back_the_full_resource_and_replaces_its_tags(radarr_server):
    noir = radarr_server.set_tags("kai-noir", [3])
    heist = radarr_server.set_tags("kai-heist", [])
    resource = call(radarr_server, "GET", "/api/v3/movie/3").json()
    resource["tags"] = [heist]
    resource["monitored"] = False
    answer = call(radarr_server, "PUT", "/api/v3/movie/3", json=resource)
    assert answer.status_code == 202
    stored = answer.json()
    assert stored["tags"] == [heist] and stored["monitored"] is False
    assert stored == call(radarr_server, "GET", "/api/v3/movie/3").json()
    assert radarr_server.tags_by_label() == {"kai-noir": set(), "kai-heist": {3}}
    listed = call(radarr_server, "GET", "/api/v3/movie").json()
    assert listed[2]["tags"] == [heist] and listed[2]["monitored"] is False
    assert noir != heist


def test_put_without_an_id_in_the_path_or_body(radarr_server):
    resource = call(radarr_server, "GET", "/api/v3/movie/4").json()
    resource["tags"] = [radarr_server.set_tags("kai-a", [])]
    assert call(radarr_server, "PUT", "/api/v3/movie", json=resource).status_code == 202
    del resource["id"]
    assert call(radarr_server, "PUT", "/api/v3/movie/4", json=resource).status_code == 202
    assert radarr_server.tags_by_label() == {"kai-a": {4}}


def test_put_of_a_partial_body_binds_defaults_as_radarr_does(radarr_server):
    """Kometa-AI sends a partial resource; what it leaves out takes the C# default."""
    partial = {"id": 5, "title": "x", "monitored": True, "qualityProfileId": 1}
    partial |= {"path": "/movies/X (2001)", "tags": []}
    stored = call(radarr_server, "PUT", "/api/v3/movie/5", json=partial).json()
    assert stored["minimumAvailability"] == "tba" and stored["path"] == "/movies/X (2001)"
    assert stored["title"] != "x"  # metadata is Radarr's, not the client's


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"id": 6, "qualityProfileId": 1, "tags": []}, "Path"),
        ({"id": 6, "qualityProfileId": 99, "path": "/movies/a", "tags": []}, "QualityProfileId"),
    ],
)
def test_put_validation_failures_are_fluent_validation_lists(radarr_server, body, field):
    answer = call(radarr_server, "PUT", "/api/v3/movie/6", json=body)
    assert answer.status_code == 400
    assert [f["propertyName"] for f in answer.json()] == [field]
    assert answer.json()[0]["severity"] == "error"


@pytest.mark.parametrize(
    "content",
    [b"{not json", b"[1, 2]", b'{"id": "six", "path": "/m"}', b'{"id": 6, "tags": ["a"]}'],
)
def test_put_body_that_does_not_bind_is_a_problem_details_400(radarr_server, content):
    headers = {"Content-Type": "application/json"}
    answer = call(radarr_server, "PUT", "/api/v3/movie/6", content=content, headers=headers)
    assert answer.status_code == 400
    assert answer.headers["Content-Type"].startswith("application/problem+json")
    assert answer.json()["title"] == "One or more validation errors occurred."


def test_put_of_an_unknown_movie_is_model_not_found(radarr_server):
    body = {"id": 99999, "qualityProfileId": 1, "path": "/movies/a", "tags": []}
    answer = call(radarr_server, "PUT", "/api/v3/movie/99999", json=body)
    assert answer.status_code == 404
    assert answer.json()["message"] == "Movie with ID 99999 does not exist"


def test_delete_forgets_the_movie_and_its_tags(radarr_server, tmdb_library):
    radarr_server.set_tags("kai-noir", [8, 9])
    answer = call(radarr_server, "DELETE", "/api/v3/movie/8", params={"deleteFiles": "true"})
    assert answer.status_code == 200 and answer.content == b""
    assert call(radarr_server, "GET", "/api/v3/movie/8").status_code == 404
    assert radarr_server.tags_by_label() == {"kai-noir": {9}}
    assert len(call(radarr_server, "GET", "/api/v3/movie").json()) == len(tmdb_library) - 1
    again = call(radarr_server, "DELETE", "/api/v3/movie/8")
    assert again.status_code == 404 and again.json()["message"].startswith("Movie with ID 8")
    assert call(radarr_server, "DELETE", "/api/v3/movie/0").json()["message"] == (
        "0 is not a valid ID"
    )


def test_bulk_delete_through_the_editor(radarr_server):
    answer = call(radarr_server, "DELETE", "/api/v3/movie/editor", json={"movieIds": [1, 2, 777]})
    assert answer.status_code == 200
    assert [m.id for m in radarr_server.movies[:2]] == [3, 4]
    assert (
        call(radarr_server, "DELETE", "/api/v3/movie/editor", json={"movieIds": "x"}).status_code
        == 400
    )


def test_lookup_and_add_from_the_catalogue(make_radarr_server, tmdb_library):
    server = make_radarr_server(tmdb_library[:400], catalogue=tmdb_library[400:])
    outside = tmdb_library[450]
    found = call(server, "GET", "/api/v3/movie/lookup", params={"term": f"tmdb:{outside.tmdb_id}"})
    (result,) = found.json()
    assert result["id"] == 0 and result["hasFile"] is False and "movieFile" not in result
    assert result["folder"] and result["remotePoster"].startswith("https://")
    by_title = call(server, "GET", "/api/v3/movie/lookup", params={"term": outside.title}).json()
    assert outside.tmdb_id in [m["tmdbId"] for m in by_title]
    inside = call(
        server, "GET", "/api/v3/movie/lookup", params={"term": f"tmdb:{tmdb_library[0].tmdb_id}"}
    )
    assert inside.json()[0]["id"] == 1
    tag = server.set_tags("kai-new", [])
    body = result | {"rootFolderPath": "/movies/", "qualityProfileId": 4, "tags": [tag]}
    body |= {"monitored": True, "addOptions": {"searchForMovie": False}}
    added = call(server, "POST", "/api/v3/movie", json=body)
    assert added.status_code == 201
    movie = added.json()
    assert movie["id"] == 401 and movie["tmdbId"] == outside.tmdb_id and movie["tags"] == [tag]
    assert movie["path"].startswith("/movies/") and movie["hasFile"] is False
    assert call(server, "GET", "/api/v3/movie/401").json() == movie
    twice = call(server, "POST", "/api/v3/movie", json=body)
    assert twice.status_code == 400
    assert twice.json()[0]["errorMessage"] == "This movie has already been added"
    unknown = call(server, "POST", "/api/v3/movie", json=body | {"tmdbId": 1})
    assert unknown.json()[0]["errorMessage"] == "A movie with this ID was not found."
    no_root = {k: v for k, v in body.items() if k not in ("rootFolderPath", "path")}
    assert call(server, "POST", "/api/v3/movie", json=no_root).json()[0]["propertyName"] == (
        "RootFolderPath"
    )


def test_routes_ignore_case_as_asp_net_does(radarr_server):
    assert call(radarr_server, "GET", "/api/v3/Movie/1").status_code == 200
    assert call(radarr_server, "GET", "/api/V3/TAG").status_code == 200
