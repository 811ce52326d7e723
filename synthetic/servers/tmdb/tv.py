"""TMDB v3's TV routes over the synthetic series library: search, details, external ids, genres.

- ``GET /3/search/tv?query=&first_air_date_year=&page=``: a page of TV search results;
- ``GET /3/tv/{series_id}`` (``append_to_response=external_ids`` adds the TVDB and IMDb ids);
- ``GET /3/tv/{series_id}/external_ids``, ``GET /3/tv/{series_id}/content_ratings`` (both also
  taken by ``append_to_response``);
- ``GET /3/genre/tv/list``: TMDB's TV genres.

Shapes follow TMDB's API reference (https://developer.themoviedb.org/reference/search-tv,
https://developer.themoviedb.org/reference/tv-series-details,
https://developer.themoviedb.org/reference/tv-series-external-ids): search results carry
``name``/``original_name``/``first_air_date``/``origin_country`` where a movie has ``title``/
``release_date``; details add ``networks``, ``number_of_seasons``, ``number_of_episodes``,
``seasons`` (season 0 holds specials), ``status`` ("Returning Series", "Ended", "In Production")
and ``type`` ("Scripted", "Miniseries", "Reality", "Documentary"). The library's genres are
Sonarr's (TheTVDB's) names; TMDB files TV under its own, coarser list (``TV_GENRE_IDS``), so each
is mapped to TMDB's ("Science Fiction" -> "Sci-Fi & Fantasy", "Children" -> "Kids") or dropped
where TMDB's TV list has none (Horror, Romance, Thriller, History). A Sonarr title that carries
its year to stay unique (``"Show (2019)"``) is named without it, as TMDB does.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from aiohttp import web

from synthetic.library.series import Series
from synthetic.servers.titlesearch import TitleIndex
from synthetic.servers.tmdb.records import LANGUAGES, _image_path, _mix, _name_id

TV_GENRE_IDS: dict[str, int] = {
    "Action & Adventure": 10759,
    "Animation": 16,
    "Comedy": 35,
    "Crime": 80,
    "Documentary": 99,
    "Drama": 18,
    "Family": 10751,
    "Kids": 10762,
    "Mystery": 9648,
    "News": 10763,
    "Reality": 10764,
    "Sci-Fi & Fantasy": 10765,
    "Soap": 10766,
    "Talk": 10767,
    "War & Politics": 10768,
    "Western": 37,
}
_FROM_SONARR = {
    "Action": "Action & Adventure",
    "Adventure": "Action & Adventure",
    "Animation": "Animation",
    "Anime": "Animation",
    "Children": "Kids",
    "Comedy": "Comedy",
    "Crime": "Crime",
    "Documentary": "Documentary",
    "Drama": "Drama",
    "Family": "Family",
    "Fantasy": "Sci-Fi & Fantasy",
    "Game Show": "Reality",
    "Mystery": "Mystery",
    "Reality": "Reality",
    "Science Fiction": "Sci-Fi & Fantasy",
    "Soap": "Soap",
    "War": "War & Politics",
    "Western": "Western",
}
_STATUS = {"continuing": "Returning Series", "ended": "Ended", "upcoming": "In Production"}
_DATED = re.compile(r" \((?:19|20)\d\d(?:, [A-Z]{2})?\)$")
PAGE_SIZE = 20


def tv_name(series: Series) -> str:
    """The name TMDB shows: without the ``(2019)`` Sonarr adds to tell same-named shows apart."""
    return _DATED.sub("", series.title)


def tv_genres(series: Series) -> list[dict]:
    names = dict.fromkeys(_FROM_SONARR[g] for g in series.genres if g in _FROM_SONARR)
    return [{"id": TV_GENRE_IDS[n], "name": n} for n in names]


def _tmdb_type(series: Series) -> str:
    traits = series.traits
    if "miniseries" in traits:
        return "Miniseries"
    if "reality_competition" in traits:
        return "Reality"
    if "true_crime" in traits:
        return "Documentary"
    return "Scripted"


def first_air_date(series: Series) -> str:
    h = _mix(series.tmdb_id ^ 0x7F4A7C15)
    return f"{series.year:04d}-{1 + h % 12:02d}-{1 + (h >> 8) % 28:02d}"


def popularity(series: Series) -> float:
    recency = 1.0 + max(0, series.year - 2015) * 0.2
    return round(0.6 + series.votes**0.8 / 20 * recency + _mix(series.tmdb_id) % 1000 / 400, 3)


def _country(series: Series) -> tuple[str, str, str, str]:
    lang = series.original_language
    return LANGUAGES.get(lang, (lang, lang, "US", "United States of America"))


def search_result(series: Series, pop: float) -> dict:
    name = tv_name(series)
    return {
        "adult": False,
        "backdrop_path": _image_path(series.tmdb_id * 2 + 1),
        "genre_ids": [g["id"] for g in tv_genres(series)],
        "id": series.tmdb_id,
        "origin_country": [_country(series)[2]],
        "original_language": series.original_language,
        "original_name": name,
        "overview": series.overview,
        "popularity": pop,
        "poster_path": _image_path(series.tmdb_id * 2),
        "first_air_date": first_air_date(series),
        "name": name,
        "vote_average": series.rating,
        "vote_count": series.votes,
    }


def external_ids(series: Series) -> dict:
    return {
        "imdb_id": series.imdb_id,
        "freebase_mid": None,
        "freebase_id": None,
        "tvdb_id": series.tvdb_id,
        "tvrage_id": None,
        "wikidata_id": None,
        "facebook_id": None,
        "instagram_id": None,
        "twitter_id": None,
    }


def content_ratings(series: Series) -> dict:
    """TMDB's ``content_ratings``: the US rating (Sonarr's certification), as TMDB lists it."""
    return {
        "results": [
            {"descriptors": [], "iso_3166_1": "US", "rating": series.certification},
        ]
    }


def _seasons(series: Series) -> list[dict]:
    start = int(first_air_date(series)[:4])
    out = [
        {
            "air_date": f"{start + n - 1:04d}{first_air_date(series)[4:]}",
            "episode_count": series.episodes_per_season,
            "id": 100_000 + _mix(series.tmdb_id * 64 + n) % 9_000_000,
            "name": f"Season {n}",
            "overview": "",
            "poster_path": _image_path(series.tmdb_id * 64 + n),
            "season_number": n,
            "vote_average": 0.0,
        }
        for n in range(1, series.seasons + 1)
    ]
    return out


def details(series: Series, pop: float) -> dict:
    english, native, country, country_name = _country(series)
    name = tv_name(series)
    network_id = _name_id(series.network, 8_000)
    ended = series.status == "ended"
    last = int(first_air_date(series)[:4]) + max(0, series.seasons - 1)
    return {
        "adult": False,
        "backdrop_path": _image_path(series.tmdb_id * 2 + 1),
        "created_by": [],
        "episode_run_time": [series.runtime],
        "first_air_date": first_air_date(series),
        "genres": tv_genres(series),
        "homepage": "",
        "id": series.tmdb_id,
        "in_production": not ended,
        "languages": [series.original_language],
        "last_air_date": f"{last:04d}{first_air_date(series)[4:]}",
        "last_episode_to_air": None,
        "name": name,
        "next_episode_to_air": None,
        "networks": [
            {
                "id": network_id,
                "logo_path": _image_path(network_id).replace(".jpg", ".png"),
                "name": series.network,
                "origin_country": country,
            }
        ],
        "number_of_episodes": series.seasons * series.episodes_per_season,
        "number_of_seasons": series.seasons,
        "origin_country": [country],
        "original_language": series.original_language,
        "original_name": name,
        "overview": series.overview,
        "popularity": pop,
        "poster_path": _image_path(series.tmdb_id * 2),
        "production_companies": [],
        "production_countries": [{"iso_3166_1": country, "name": country_name}],
        "seasons": _seasons(series),
        "spoken_languages": [
            {"english_name": english, "iso_639_1": series.original_language, "name": native}
        ],
        "status": _STATUS.get(series.status, "Ended"),
        "tagline": "",
        "type": _tmdb_type(series),
        "vote_average": series.rating,
        "vote_count": series.votes,
    }


class TVCatalogue:
    """The served series, most popular first, with their title index."""

    def __init__(self, series: Iterable[Series]) -> None:
        ranked = sorted(((popularity(s), s) for s in series), key=lambda p: (-p[0], p[1].tmdb_id))
        self.series = [s for _, s in ranked]
        self.popularity = [p for p, _ in ranked]
        self.by_id = {s.tmdb_id: pos for pos, s in enumerate(self.series)}
        self.index = TitleIndex(((tv_name(s),), s.year) for s in self.series)

    def __len__(self) -> int:
        return len(self.series)


@dataclass(frozen=True, slots=True)
class _Routes:
    """The TV handlers; the helpers are the movie routes' (JSON, errors, ids, pages, years)."""

    catalogue: TVCatalogue
    json: Callable[[dict], web.Response]
    error: Callable[[int], web.Response]
    position: Callable[[str, dict], int | None]
    page_of: Callable[[str | None], int | None]
    year_of: Callable[[str | None], int | None]

    async def search(self, request: web.Request) -> web.Response:
        query, catalogue = request.query, self.catalogue
        page = self.page_of(query.get("page"))
        if page is None:
            return self.error(400)
        year = self.year_of(query.get("first_air_date_year"))
        total, positions = catalogue.index.search(
            query.get("query", ""),
            years=[year] if year is not None else [],
            offset=(page - 1) * PAGE_SIZE,
            limit=PAGE_SIZE,
        )
        shows, pops = catalogue.series, catalogue.popularity
        return self.json(
            {
                "page": page,
                "results": [search_result(shows[p], pops[p]) for p in positions],
                "total_pages": min(500, max(1, -(-total // PAGE_SIZE))),
                "total_results": total,
            }
        )

    def _show(self, request: web.Request) -> tuple[int, Series] | None:
        pos = self.position(request.match_info["series_id"], self.catalogue.by_id)
        return None if pos is None else (pos, self.catalogue.series[pos])

    async def details(self, request: web.Request) -> web.Response:
        found = self._show(request)
        if found is None:
            return self.error(404)
        pos, show = found
        body = details(show, self.catalogue.popularity[pos])
        appended = {n.strip() for n in request.query.get("append_to_response", "").split(",")}
        for name, append in (("external_ids", external_ids), ("content_ratings", content_ratings)):
            if name in appended:
                body[name] = append(show)
        return self.json(body)

    async def external_ids(self, request: web.Request) -> web.Response:
        found = self._show(request)
        if found is None:
            return self.error(404)
        return self.json({"id": found[1].tmdb_id, **external_ids(found[1])})

    async def content_ratings(self, request: web.Request) -> web.Response:
        found = self._show(request)
        if found is None:
            return self.error(404)
        return self.json({"id": found[1].tmdb_id, **content_ratings(found[1])})

    async def genres(self, request: web.Request) -> web.Response:
        items = sorted(TV_GENRE_IDS.items())
        return self.json({"genres": [{"id": gid, "name": name} for name, gid in items]})


def add_routes(app: web.Application, catalogue: TVCatalogue, **helpers) -> None:
    """Register the TV routes (before the catch-all); ``helpers`` are :class:`_Routes`' fields
    besides the catalogue: the movie routes' ``json``, ``error``, ``position``, ``page_of`` and
    ``year_of``."""
    routes = _Routes(catalogue, **helpers)
    add = app.router.add_get
    add("/3/search/tv", routes.search, name="search_tv")
    add("/3/tv/{series_id}", routes.details, name="tv_details")
    add("/3/tv/{series_id}/external_ids", routes.external_ids, name="tv_external_ids")
    add("/3/tv/{series_id}/content_ratings", routes.content_ratings, name="tv_content_ratings")
    add("/3/genre/tv/list", routes.genres, name="genre_tv_list")
