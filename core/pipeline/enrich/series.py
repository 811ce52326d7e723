"""Folder series matched on TMDB's TV endpoints: one search and one details request per series.

The grouping step (:mod:`core.pipeline.source.series`) leaves one ``series`` item per show; the
enrich stage runs :class:`TVLookup` over them after the movies, through the same provider cache
and the same candidate resolution (an ambiguous match stays unmatched), so a rerun sends no
request. Episodes are never looked up: a show with 300 episode files costs what one movie does.

The TV search (https://developer.themoviedb.org/reference/search-tv) filters by
``first_air_date_year``; its results carry ``name``, ``original_name`` and ``first_air_date``
where a movie's carry ``title``, ``original_title`` and ``release_date``. The details
(https://developer.themoviedb.org/reference/tv-series-details) are asked with
``append_to_response=external_ids,content_ratings``, which adds the TVDB and IMDb ids and the
US rating (``TV-14``; https://developer.themoviedb.org/reference/tv-series-content-ratings) in the
same request. The metadata keeps the keys the series prompt reads
(:mod:`core.pipeline.plan.series`: ``network``, ``seasons``, ``certification``, ...).
"""

from __future__ import annotations

from core.pipeline.enrich.lookup import Lookup
from core.pipeline.enrich.match import Candidate

__all__ = ["TVLookup", "compact_tv_details", "tv_candidate"]


def tv_candidate(result: dict) -> Candidate:
    """The part of a ``/3/search/tv`` result matching needs."""
    date = result.get("first_air_date") or ""
    return Candidate(
        id=int(result["id"]),
        title=str(result.get("name") or ""),
        original_title=str(result.get("original_name") or ""),
        year=int(date[:4]) if date[:4].isdigit() else None,
        popularity=float(result.get("popularity") or 0.0),
    )


def compact_tv_details(raw: dict) -> dict:
    """The fields of a ``/3/tv/{id}`` answer the prompt and the Kometa file use."""
    date = raw.get("first_air_date") or ""
    external = raw.get("external_ids") or {}
    networks = [n.get("name") for n in raw.get("networks") or [] if isinstance(n, dict)]
    runtimes = raw.get("episode_run_time") or []
    ratings = (raw.get("content_ratings") or {}).get("results") or []
    us = [r.get("rating") for r in ratings if isinstance(r, dict) and r.get("iso_3166_1") == "US"]
    return {
        "tmdb_id": raw.get("id"),
        "tvdb_id": external.get("tvdb_id") if isinstance(external, dict) else None,
        "imdb_id": external.get("imdb_id") if isinstance(external, dict) else None,
        "title": raw.get("name"),
        "original_title": raw.get("original_name"),
        "year": int(date[:4]) if date[:4].isdigit() else None,
        "genres": [g.get("name") for g in raw.get("genres") or [] if isinstance(g, dict)],
        "overview": raw.get("overview") or "",
        "network": networks[0] if networks else None,
        "networks": networks,
        "status": raw.get("status"),
        "type": raw.get("type"),
        "seasons": raw.get("number_of_seasons"),
        "episodes": raw.get("number_of_episodes"),
        "runtime": runtimes[0] if runtimes else None,
        "original_language": raw.get("original_language"),
        "certification": us[0] if us and us[0] else None,
    }


class TVLookup(Lookup):
    """A folder series looked up with TMDB's TV search and details, cached under ``search-tv:``
    and ``tv:`` keys (apart from the movies' ``search:`` and ``details:``: ids of movies and
    shows overlap)."""

    search_prefix = "search-tv"
    details_prefix = "tv"

    async def fetch_search(self, title: str, year: int | None) -> list | None:
        results = await self.tmdb.search_tv(title, year)
        return [tv_candidate(r).as_list() for r in results] or None

    async def fetch_details(self, tmdb_id: int) -> dict | None:
        raw = await self.tmdb.tv_details(tmdb_id)
        return compact_tv_details(raw) if raw is not None else None
