"""The stand-in TMDB v3 API: movie search and details for the synthetic library.

reelscale's enrich stage matches parsed (title, year) pairs to TMDB through a rate-limited,
cached client. Measuring that client honestly needs TMDB's behaviour, not a mock: word search
that forgives accents and punctuation and returns every remake, the details shape with
``append_to_response``, v3 ``api_key`` and v4 Bearer auth, TMDB's error bodies (status codes 7,
34, 25) and its limit per client IP, answered beyond with 429 + ``Retry-After``.

The limit: TMDB dropped its 40 requests / 10 s on 16 December 2019; what remains is a ceiling
"somewhere in the 40 requests per second range" (2024 wording: "50"), answered with 429
(https://developer.themoviedb.org/docs/rate-limiting). The stand-in enforces 50 requests per
second per client address by default, as a token bucket holding one second of requests;
``rate_limit`` sets another rate, ``None`` none.

>>> with TMDBServer.from_library(500, seed=1) as tmdb:     # doctest: +SKIP
...     httpx.get(f"{tmdb.url}/3/search/movie",
...               params={"query": "Amelie", "api_key": tmdb.config.api_key}).json()
"""

from __future__ import annotations

import functools
import hmac
import json
import os
import re
import secrets
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from types import MappingProxyType

from aiohttp import web

from synthetic.library.movies import Movie, generate, read_jsonl
from synthetic.library.series import Series, generate_series
from synthetic.servers.base import StandInServer
from synthetic.servers.titlesearch import TitleIndex
from synthetic.servers.tmdb import extras, records, tv
from synthetic.servers.traffic import (
    NO_LATENCY,
    Handler,
    Latency,
    RateLimit,
    Traffic,
    TrafficSettings,
)

PAGE_SIZE = 20
MAX_PAGE = 500
DEFAULT_RATE_LIMIT = RateLimit(requests=50, per_s=1.0)

_ERRORS: dict[int, tuple[int, str]] = {
    400: (22, "Invalid page: Pages start at 1 and max at 500. They are expected to be an integer."),
    401: (7, "Invalid API key: You must be granted a valid key."),
    404: (34, "The resource you requested could not be found."),
    500: (11, "Internal error: Something went wrong, contact TMDB."),
    502: (43, "Couldn't connect to the backend server."),
    503: (9, "Service offline: This service is temporarily offline, try again later."),
    504: (24, "Your request to the backend server timed out. Try again."),
}
_LEADING_INT = re.compile(r"\d{1,10}")
_dumps = functools.partial(json.dumps, ensure_ascii=False, separators=(",", ":"))


def _test_api_key() -> str:
    return "standin-" + secrets.token_hex(16)


def _test_bearer_token() -> str:
    return "standin-v4-" + secrets.token_hex(32)


@dataclass(frozen=True, slots=True, kw_only=True)
class TMDBConfig:
    """How the stand-in behaves. Keys are random per config unless given, and never printed.

    ``faults`` maps a kind ("500", "503", "timeout", "reset", "malformed") to its rate;
    ``rate_limit`` applies per client IP, ``None`` means unlimited; ``seed`` seeds latency jitter
    and fault draws; the request log keeps the last ``log_size`` requests.
    """

    api_key: str = field(default_factory=_test_api_key, repr=False)
    bearer_token: str = field(default_factory=_test_bearer_token, repr=False)
    rate_limit: RateLimit | None = DEFAULT_RATE_LIMIT
    latency: Latency = NO_LATENCY
    faults: Mapping[str, float] = field(default_factory=dict)
    seed: int = 0
    port: int = 0
    hang_s: float = 30.0
    log_size: int = 10_000

    def __post_init__(self) -> None:
        object.__setattr__(self, "faults", MappingProxyType(dict(self.faults)))


def tmdb_error(
    status: int, *, limit: int = DEFAULT_RATE_LIMIT.requests, retry_after: int = 1
) -> web.Response:
    """TMDB's error body for an HTTP status: ``{"success", "status_code", "status_message"}``."""
    if status == 429:
        code, message = 25, f"Your request count (#) is over the allowed limit of ({limit})."
    else:
        code, message = _ERRORS.get(status, _ERRORS[500 if status >= 500 else 400])
    response = web.json_response(
        {"success": False, "status_code": code, "status_message": message},
        status=status,
        dumps=_dumps,
    )
    if status == 429:
        response.headers["Retry-After"] = str(retry_after)
    return response


class TMDBServer(StandInServer):
    """TMDB's ``/3/search/movie`` and ``/3/movie/{id}`` over a list of movies, and its TV routes
    (:mod:`synthetic.servers.tmdb.tv`) over a list of series, on 127.0.0.1.

    :param movies: ``Movie`` records, or the path of a JSONL file from ``write_jsonl``.
    :param series: ``Series`` records (``synthetic.library.series``) for the TV routes.
    :param config: a ``TMDBConfig``; keyword ``overrides`` replace its fields.

    Indexing happens here, once; ``start()`` then only binds the socket.
    """

    name = "tmdb"

    def __init__(
        self,
        movies: Iterable[Movie] | str | os.PathLike,
        config: TMDBConfig | None = None,
        *,
        series: Iterable[Series] = (),
        **overrides: object,
    ):
        self.tv = tv.TVCatalogue(series)
        self.config = cfg = replace(config, **overrides) if config else TMDBConfig(**overrides)
        if isinstance(movies, (str, os.PathLike)):
            movies = read_jsonl(movies)
        ranked = sorted(
            ((records.popularity(m), m) for m in movies), key=lambda pm: (-pm[0], pm[1].tmdb_id)
        )
        self._movies = [m for _, m in ranked]
        self._popularity = [p for p, _ in ranked]
        del ranked
        self._by_id = {m.tmdb_id: pos for pos, m in enumerate(self._movies)}
        self.index = TitleIndex(((m.title, m.original_title), m.year) for m in self._movies)
        limit = cfg.rate_limit.requests if cfg.rate_limit else DEFAULT_RATE_LIMIT.requests
        traffic = Traffic(
            TrafficSettings(
                rate_limit=cfg.rate_limit,
                latency=cfg.latency,
                faults=cfg.faults,
                seed=cfg.seed,
                hang_s=cfg.hang_s,
                error_response=functools.partial(tmdb_error, limit=limit),
                rate_limited_response=lambda retry_after: tmdb_error(
                    429, limit=limit, retry_after=retry_after
                ),
                log_size=cfg.log_size,
                per_client=True,
            )
        )
        super().__init__(port=cfg.port, traffic=traffic)

    @classmethod
    def from_library(
        cls,
        size: int,
        seed: int,
        config: TMDBConfig | None = None,
        *,
        series: int = 0,
        **overrides: object,
    ) -> TMDBServer:
        """Serve ``synthetic.library.movies.generate(size, seed)`` and, as TV,
        ``generate_series(series, seed)``."""
        return cls(generate(size, seed), config, series=generate_series(series, seed), **overrides)

    @property
    def movies(self) -> Sequence[Movie]:
        """The served movies, most popular first (the search tie-break order)."""
        return self._movies

    def movie(self, tmdb_id: int) -> Movie | None:
        pos = self._by_id.get(tmdb_id)
        return None if pos is None else self._movies[pos]

    def setup_app(self, app: web.Application) -> None:
        app.middlewares.append(self._authenticate)
        by_imdb = {m.imdb_id: m for m in self._movies}
        tv.add_routes(
            app,
            self.tv,
            json=_json,
            error=tmdb_error,
            position=_position_in,
            page_of=_page,
            year_of=_year,
        )
        extras.add_routes(app, by_imdb, records.popularity, lambda: tmdb_error(404))
        app.router.add_get("/3/search/movie", self._search, name="search_movie")
        app.router.add_get("/3/movie/{movie_id}", self._details, name="movie_details")
        for sub in records.APPENDERS:
            app.router.add_get(
                f"/3/movie/{{movie_id}}/{sub}",
                functools.partial(self._appendix, sub),
                name=f"movie_{sub}",
            )
        app.router.add_route("*", "/{tail:.*}", self._not_found, name="not_found")

    # -- auth -----------------------------------------------------------------------------------
    @web.middleware
    async def _authenticate(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        if self._authorized(request):
            return await handler(request)
        return tmdb_error(401)

    def _authorized(self, request: web.Request) -> bool:
        key = request.query.get("api_key")
        if key is not None and _same(key, self.config.api_key):
            return True
        scheme, _, token = request.headers.get("Authorization", "").partition(" ")
        return scheme.lower() == "bearer" and _same(token.strip(), self.config.bearer_token)

    # -- handlers -------------------------------------------------------------------------------
    async def _search(self, request: web.Request) -> web.Response:
        query = request.query
        page = _page(query.get("page"))
        if page is None:
            return tmdb_error(400)
        years = [
            y
            for y in (_year(query.get("year")), _year(query.get("primary_release_year")))
            if y is not None
        ]
        total, positions = self.index.search(
            query.get("query", ""), years=years, offset=(page - 1) * PAGE_SIZE, limit=PAGE_SIZE
        )
        movies, pops = self._movies, self._popularity
        return _json(
            {
                "page": page,
                "results": [records.search_result(movies[p], pops[p]) for p in positions],
                "total_pages": min(MAX_PAGE, max(1, -(-total // PAGE_SIZE))),
                "total_results": total,
            }
        )

    async def _details(self, request: web.Request) -> web.Response:
        pos = self._position(request.match_info["movie_id"])
        if pos is None:
            return tmdb_error(404)
        movie = self._movies[pos]
        body = records.details(movie, self._popularity[pos])
        for name in request.query.get("append_to_response", "").split(","):
            append = records.APPENDERS.get(name.strip())
            if append is not None:
                body[name.strip()] = append(movie)
        return _json(body)

    async def _appendix(self, sub: str, request: web.Request) -> web.Response:
        pos = self._position(request.match_info["movie_id"])
        if pos is None:
            return tmdb_error(404)
        movie = self._movies[pos]
        return _json({"id": movie.tmdb_id, **records.APPENDERS[sub](movie)})

    async def _not_found(self, request: web.Request) -> web.Response:
        return tmdb_error(404)

    def _position(self, movie_id: str) -> int | None:
        return _position_in(movie_id, self._by_id)


def _position_in(tmdb_id: str, by_id: dict[int, int]) -> int | None:
    """TMDB accepts "550" and slugs like "550-fight-club"."""
    match = _LEADING_INT.match(tmdb_id)
    if match is None or (match.end() < len(tmdb_id) and tmdb_id[match.end()] != "-"):
        return None
    return by_id.get(int(match.group()))


def _json(body: dict) -> web.Response:
    return web.json_response(body, dumps=_dumps)


def _same(given: str, expected: str) -> bool:
    return hmac.compare_digest(given.encode(), expected.encode())


def _page(value: str | None) -> int | None:
    if value is None:
        return 1
    try:
        page = int(value)
    except ValueError:
        return None
    return page if 1 <= page <= MAX_PAGE else None


def _year(value: str | None) -> int | None:
    """A usable year filter; TMDB ignores an empty or non-numeric one."""
    if value is None or not value.strip().isdigit():
        return None
    return int(value)
