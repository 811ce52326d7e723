"""What TMDB clients ask besides movie search and details, answered from the same library.

- ``/3/find/{external_id}?external_source=imdb_id``: the library's movie with that IMDb id, in
  ``movie_results`` (other result lists empty: the library holds movies only).
- ``/3/genre/movie/list``: TMDB's movie genres (``records.GENRE_IDS``).
- ``/3/configuration``: the image configuration clients build poster URLs from.
- The lists and searches of TMDB v3 it does not model (people, collections, companies,
  keywords, ``search/multi``, discover, trending, popular) are answered as TMDB answers when it
  has nothing (an empty page of results) and counted under an endpoint
  ``unmodelled:search.person`` (the path after ``/3/``); an id it does not know is TMDB's 404
  (status code 34). TV search and details are :mod:`synthetic.servers.tmdb.tv`'s.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Mapping

from aiohttp import web

from synthetic.library.movies import Movie
from synthetic.servers.tmdb import records

_dumps = functools.partial(json.dumps, ensure_ascii=False, separators=(",", ":"))
_EMPTY_PAGE = {"page": 1, "results": [], "total_pages": 1, "total_results": 0}
_FIND_LISTS = (
    "movie_results",
    "person_results",
    "tv_results",
    "tv_episode_results",
    "tv_season_results",
)
CONFIGURATION = {
    "images": {
        "base_url": "http://image.tmdb.org/t/p/",
        "secure_base_url": "https://image.tmdb.org/t/p/",
        "backdrop_sizes": ["w300", "w780", "w1280", "original"],
        "logo_sizes": ["w45", "w92", "w154", "w185", "w300", "w500", "original"],
        "poster_sizes": ["w92", "w154", "w185", "w342", "w500", "w780", "original"],
        "profile_sizes": ["w45", "w185", "h632", "original"],
        "still_sizes": ["w92", "w185", "w300", "original"],
    },
    "change_keys": ["adult", "genres", "images", "keywords", "overview", "release_dates", "title"],
}
# read-only v3 endpoints answered with an empty page of results: the library has nothing there
EMPTY_PAGES = (
    "/3/search/person",
    "/3/search/collection",
    "/3/search/company",
    "/3/search/keyword",
    "/3/search/multi",
    "/3/discover/movie",
    "/3/discover/tv",
    "/3/trending/{media}/{window}",
    "/3/movie/popular",
    "/3/movie/top_rated",
    "/3/movie/now_playing",
    "/3/movie/upcoming",
)


def _json(body: object) -> web.Response:
    return web.json_response(body, dumps=_dumps)


def _name(path: str) -> str:
    """``unmodelled:search.tv``: an aiohttp route name (identifiers separated by dots)."""
    return "unmodelled:" + ".".join(p.strip("{}") for p in path.strip("/").split("/")[1:])


def add_routes(
    app: web.Application,
    by_imdb: Mapping[str, Movie],
    popularity: Callable[[Movie], float],
    not_found: Callable[[], web.Response],
) -> None:
    """Register the find, genre, configuration and unmodelled routes (before the catch-all)."""

    async def find(request: web.Request) -> web.Response:
        source = request.query.get("external_source")
        if source is None:
            return not_found()
        body: dict = {name: [] for name in _FIND_LISTS}
        movie = by_imdb.get(request.match_info["external_id"]) if source == "imdb_id" else None
        if movie is not None:
            body["movie_results"] = [records.search_result(movie, popularity(movie))]
        return _json(body)

    async def genres(request: web.Request) -> web.Response:
        items = sorted(records.GENRE_IDS.items(), key=lambda kv: kv[0])
        return _json({"genres": [{"id": gid, "name": name} for name, gid in items]})

    async def configuration(request: web.Request) -> web.Response:
        return _json(CONFIGURATION)

    async def empty_page(request: web.Request) -> web.Response:
        return _json(_EMPTY_PAGE)

    add = app.router.add_get
    add("/3/find/{external_id}", find, name="find")
    add("/3/genre/movie/list", genres, name="genre_movie_list")
    add("/3/configuration", configuration, name="configuration")
    for path in EMPTY_PAGES:
        add(path, empty_page, name=_name(path))
