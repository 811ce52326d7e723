"""Bad input to the Radarr stand-in gets Radarr's answer (400/404/409 with its body), never a
traceback or a 500: random bodies and ids against every route that takes them."""

import json

import httpx
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from synthetic.servers.radarr.server import RadarrServer

ROUTES = [
    ("PUT", "/api/v3/movie/3"),
    ("PUT", "/api/v3/movie"),
    ("POST", "/api/v3/movie"),
    ("PUT", "/api/v3/movie/editor"),
    ("DELETE", "/api/v3/movie/editor"),
    ("POST", "/api/v3/tag"),
    ("PUT", "/api/v3/tag/1"),
]
json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**40), 2**40) | st.text(max_size=12),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)
fields = st.sampled_from(
    [
        "id",
        "tags",
        "path",
        "qualityProfileId",
        "tmdbId",
        "monitored",
        "movieIds",
        "applyTags",
        "label",
        "minimumAvailability",
        "rootFolderPath",
        "title",
    ]
)
bodies = st.dictionaries(fields, json_values, max_size=5) | json_values


def _check(answer: httpx.Response) -> None:
    assert answer.status_code in (200, 201, 202, 400, 404, 409), answer.text[:300]
    if answer.content:
        json.loads(answer.content)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(route=st.sampled_from(ROUTES), body=bodies)
def test_random_bodies_get_radarr_errors(tmdb_library, route, body):
    with RadarrServer(tmdb_library[:20], catalogue=tmdb_library[20:40]) as server:
        server.set_tags("kai-a", [3])
        headers = {"X-Api-Key": server.config.api_key}
        method, path = route
        _check(httpx.request(method, server.url + path, json=body, headers=headers, timeout=10))


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    path=st.sampled_from(
        [
            "/api/v3/movie/{}",
            "/api/v3/tag/{}",
            "/api/v3/tag/detail/{}",
            "/api/v3/qualityprofile/{}",
            "/api/v3/rootfolder/{}",
        ]
    ),
    method=st.sampled_from(["GET", "DELETE"]),
    ident=st.integers(-5, 2**31) | st.text(alphabet="abc%20-", max_size=5),
    flag=st.sampled_from(["true", "false", "yes", "1", ""]),
)
@example(path="/api/v3/movie/{}", method="GET", ident="%0a", flag="")  # a newline in the id
def test_random_ids_and_flags(radarr_server, path, method, ident, flag):
    headers = {"X-Api-Key": radarr_server.config.api_key}
    params = {"deleteFiles": flag, "tmdbId": flag or "x"}
    url = radarr_server.url + path.format(ident)
    answer = httpx.request(method, url, headers=headers, params=params, timeout=10)
    if answer.status_code == 405:  # a method the route does not have, as in ASP.NET
        return
    _check(answer)
