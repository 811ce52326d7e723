"""The stand-in Radarr v3 API: the library, tags and the bulk editor for the synthetic library.

reelscale reads a Radarr library in one ``GET /api/v3/movie`` (no paging, ~3.6 KB of JSON per
movie) and writes collections back as tags through ``PUT /api/v3/movie/editor``. Measuring that
honestly needs Radarr's wire format and its habits: full ``MovieResource`` objects shaped by the
OpenAPI document, the list streamed (and gzipped when asked) rather than built in memory, tag
labels validated and lowercased as Radarr v6 does, the editor answering 202 with the edited
movies' full resources, and ``X-Api-Key`` (or ``apikey``) on everything but ``/ping``. Movie ids
are the synthetic library's ids (1..size).

>>> with RadarrServer.from_library(500, seed=1) as radarr:     # doctest: +SKIP
...     httpx.get(f"{radarr.url}/api/v3/tag", headers={"X-Api-Key": radarr.config.api_key})
"""

from __future__ import annotations

import functools
import keyword
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from types import MappingProxyType

from aiohttp import web

from synthetic.library.movies import Movie, generate, read_jsonl
from synthetic.servers.radarr import errors
from synthetic.servers.radarr.admin_routes import AdminRoutes, api_operations, unmodelled
from synthetic.servers.radarr.movie_routes import MovieRoutes, read_object, type_error
from synthetic.servers.radarr.movie_routes import query as query_value
from synthetic.servers.radarr.moviebook import MovieBook
from synthetic.servers.servarr.errors import dumps as _dumps
from synthetic.servers.servarr.records import error_body
from synthetic.servers.servarr.server import ServarrServer, random_api_key, url_base
from synthetic.servers.servarr.server import route as route_any_case
from synthetic.servers.servarr.stream import stream_array
from synthetic.servers.servarr.tags import TagBook
from synthetic.servers.traffic import (
    FAULT,
    NO_LATENCY,
    Handler,
    Latency,
)

ID = "{id:-?\\d+}"  # Radarr's ``{id:int}`` route constraint; another id is no route (404)
_UI_PAGE = b"<!doctype html><html><head><title>Radarr</title></head><body></body></html>"


@dataclass(frozen=True, slots=True, kw_only=True)
class RadarrConfig:
    """How the stand-in behaves. The key is random per config unless given, and never printed.

    ``url_base`` is Radarr's URL Base setting (``/radarr``); ``faults`` maps a kind ("500",
    "503", "timeout", "reset", "malformed", "truncate") to its rate: "malformed" cuts a buffered
    answer in half, "truncate" drops the connection halfway through a streamed movie list.
    ``keywords=False`` serves movies without ``keywords``, like Radarr before 5.24.
    """

    api_key: str = field(default_factory=random_api_key, repr=False)
    url_base: str = ""
    latency: Latency = NO_LATENCY
    faults: Mapping[str, float] = field(default_factory=dict)
    seed: int = 0
    port: int = 0
    hang_s: float = 30.0
    keywords: bool = True
    log_size: int = 10_000

    def __post_init__(self) -> None:
        object.__setattr__(self, "faults", MappingProxyType(dict(self.faults)))
        object.__setattr__(self, "url_base", url_base(self.url_base))


def radarr_error(status: int) -> web.Response:
    return web.json_response(error_body(status), status=status, dumps=_dumps)


class RadarrServer(MovieRoutes, AdminRoutes, ServarrServer):
    """Radarr's movie, tag and editor endpoints over a list of movies, on 127.0.0.1.

    :param movies: ``Movie`` records, or the path of a JSONL file from ``write_jsonl``.
    :param config: a ``RadarrConfig``; keyword ``overrides`` replace its fields.
    :param catalogue: movies "TMDB" knows beyond the library, for lookup and ``POST``.
    """

    name = "radarr"
    UI_PAGE = _UI_PAGE
    BODY_METHODS = ("POST", "PUT", "DELETE")
    config: RadarrConfig
    tagbook: TagBook

    def __init__(
        self,
        movies: Iterable[Movie] | str | os.PathLike,
        config: RadarrConfig | None = None,
        *,
        catalogue: Iterable[Movie] = (),
        **overrides: object,
    ):
        self.config = cfg = replace(config, **overrides) if config else RadarrConfig(**overrides)
        if isinstance(movies, (str, os.PathLike)):
            movies = read_jsonl(movies)
        self.book = MovieBook(movies, catalogue)
        self.movie_list_bytes = 0  # JSON bytes of the last movie list served, before gzip
        super().__init__(cfg, radarr_error, TagBook())

    @classmethod
    def from_library(
        cls, size: int, seed: int, config: RadarrConfig | None = None, **overrides: object
    ) -> RadarrServer:
        """Serve ``synthetic.library.movies.generate(size, seed)``."""
        return cls(generate(size, seed), config, **overrides)

    @property
    def movies(self) -> Sequence[Movie]:
        return self.book.movies

    # -- test hooks -----------------------------------------------------------------------------
    def unmodelled(self) -> dict[str, int]:
        """Requests to operations of Radarr's API the stand-in answers without modelling them."""
        counts = self.counters.by_endpoint
        return {name: n for name, n in counts.items() if name.startswith("unmodelled:")}

    def set_tags(self, label: str, movie_ids: Iterable[int]) -> int:
        """Make ``label`` (created lowercase if missing) tag exactly ``movie_ids``; its id."""
        return self.tagbook.set_members(label, movie_ids)

    def put_movie(self, movie: Movie) -> None:
        """Add ``movie``, or replace the one with its id."""
        self.book.put(movie)

    def remove_movie(self, movie_id: int) -> None:
        """Delete the movie with this id from the library."""
        self.book.remove(movie_id)

    # -- app ------------------------------------------------------------------------------------
    def setup_app(self, app: web.Application) -> None:
        app.middlewares.append(self._frame)
        base = self.config.url_base
        modelled: set[tuple[str, str]] = set()

        def route(method: str, path: str, handler: Handler, name: str) -> None:
            modelled.add((method, path.replace(ID, "{id}")))
            route_any_case(app, base, method, path, handler, name)

        route("GET", "/ping", self._ping, "ping")
        route("GET", "/api/v3/system/status", self._status, "system_status")
        route("GET", "/api/v3/health", self._health, "health")
        route("GET", "/api/v3/movie", self._movie_list, "movie_list")
        route("POST", "/api/v3/movie", self._movie_post, "movie_post")
        route("PUT", "/api/v3/movie", self._movie_put, "movie_put")
        route("PUT", "/api/v3/movie/editor", self._editor, "movie_editor")
        route("DELETE", "/api/v3/movie/editor", self._editor_delete, "movie_editor_delete")
        route("GET", "/api/v3/movie/lookup", self._movie_lookup, "movie_lookup")
        route("GET", f"/api/v3/movie/{ID}", self._movie_get, "movie_get")
        route("PUT", f"/api/v3/movie/{ID}", self._movie_put, "movie_put_id")
        route("DELETE", f"/api/v3/movie/{ID}", self._movie_delete, "movie_delete")
        route("GET", "/api/v3/tag", self._tag_list, "tag_list")
        route("POST", "/api/v3/tag", self._tag_create, "tag_create")
        route("PUT", "/api/v3/tag", self._tag_update, "tag_update")
        route("GET", "/api/v3/tag/detail", self._tag_detail, "tag_detail")
        route("GET", f"/api/v3/tag/detail/{ID}", self._tag_detail_one, "tag_detail_one")
        route("GET", f"/api/v3/tag/{ID}", self._tag_get, "tag_get")
        route("PUT", f"/api/v3/tag/{ID}", self._tag_update, "tag_update_id")
        route("DELETE", f"/api/v3/tag/{ID}", self._tag_delete, "tag_delete")
        route("GET", "/api/v3/qualityprofile", self._profiles, "qualityprofile_list")
        route("GET", f"/api/v3/qualityprofile/{ID}", self._profile, "qualityprofile_get")
        route("GET", "/api/v3/rootfolder", self._root_folders, "rootfolder_list")
        route("GET", f"/api/v3/rootfolder/{ID}", self._root_folder, "rootfolder_get")
        for method, path, kind in api_operations():
            if (method, path) not in modelled:
                template = path.replace("{id}", ID)
                handler = functools.partial(unmodelled, kind)
                route(method, template, handler, _unmodelled_name(method, path))
        app.router.add_route("*", "/{tail:(?s:.*)}", self._elsewhere, name="not_found")

    # -- handlers -------------------------------------------------------------------------------
    async def _movie_list(self, request: web.Request) -> web.StreamResponse:
        query = request.query
        local = query.get("excludeLocalCovers", "false").lower() != "true"
        movies: Sequence[Movie] = self.book.movies
        tmdb_id = query_value(request, "tmdbId")
        if tmdb_id is not None:
            try:
                found = self.book.by_tmdb(int(tmdb_id))
            except ValueError:
                return errors.invalid_query("tmdbId", tmdb_id)
            movies = [found] if found else []
        return await self._stream_movies(request, movies, local, status=200, count=True)

    async def _editor(self, request: web.Request) -> web.StreamResponse:
        body = await read_object(request, "resource")
        if isinstance(body, web.Response):
            return body
        ids, tag_ids = body.get("movieIds") or [], body.get("tags")
        mode = body.get("applyTags", "add")
        if not _int_list(ids):
            return errors.unconvertible("resource", "movieIds")
        if tag_ids is not None and not _int_list(tag_ids):
            return errors.unconvertible("resource", "tags")
        if mode not in ("add", "remove", "replace"):
            return errors.unconvertible("resource", "applyTags")
        where = type_error(body)
        if where:
            return errors.unconvertible("resource", where)
        found = (self.book.get(i) for i in dict.fromkeys(ids))
        movies = [m for m in found if m is not None]
        if tag_ids is not None:
            self.tagbook.apply((m.id for m in movies), tag_ids, mode)
        self._edit_in_bulk(movies, body)
        # Radarr answers 202 Accepted with the edited movies; the spec documents a bare 200.
        return await self._stream_movies(request, movies, True, status=202)

    # -- the streamed movie list ----------------------------------------------------------------
    async def _stream_movies(
        self,
        request: web.Request,
        movies: Sequence[Movie],
        local_covers: bool,
        *,
        status: int,
        count: bool = False,
    ) -> web.StreamResponse:
        """Write ``[movie,movie,...]`` as it is generated, gzipped when the client accepts it."""
        resource = functools.partial(self.resource, local_covers=local_covers)
        if not self.config.keywords:
            resource = functools.partial(_without_keywords, resource)
        cut_at = len(movies) // 2 if request.get(FAULT) == "truncate" else None
        self.log.streaming()
        response, _ = await stream_array(
            request,
            movies,
            resource,
            status=status,
            cut_at=cut_at,
            on_total=self._note_list_bytes if count else None,
        )
        return response

    def _note_list_bytes(self, total: int) -> None:
        self.movie_list_bytes = total


def _without_keywords(resource: Callable[[Movie], dict], movie: Movie) -> dict:
    """A ``MovieResource`` as Radarr before 5.24 sends it, without ``keywords``."""
    body = resource(movie)
    del body["keywords"]
    return body


def _unmodelled_name(method: str, path: str) -> str:
    """``unmodelled:GET:api.v3.calendar``: aiohttp wants identifiers, and no keyword."""
    parts = (p.strip("{}") for p in path.strip("/").split("/"))
    return f"unmodelled:{method}:" + ".".join(p + "_" if keyword.iskeyword(p) else p for p in parts)


def _int_list(value: object) -> bool:
    return isinstance(value, list) and all(type(v) is int for v in value)
