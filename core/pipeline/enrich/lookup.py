"""Looking items up on TMDB through the provider cache: what the enrich stage does per item.

:class:`Lookup` resolves one item (a movie, or with :class:`~core.pipeline.enrich.series.TVKind`
a folder series): a stored match re-checks its cached details, a TMDB id hint skips the search,
otherwise the title (and its other candidates, :mod:`core.titles`) is searched by year, then
without it. Every lookup goes through the cache, and concurrent lookups of one entry share one
request, so a run sends exactly one request per entry missing from the cache. :func:`run_all`
runs a chunk's lookups concurrently and cancels them on a stop request or rejected credentials.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from dataclasses import dataclass

from core.clients.tmdb.client import TMDBClient
from core.errors import ProviderAuthError, ProviderError
from core.pipeline.enrich.cache import MISSING, ProviderCache
from core.pipeline.enrich.match import Candidate, Match, best_match, normalise
from core.store.items import FileMovie
from core.titles import candidates

STOP_POLL_S = 0.1


@dataclass(slots=True)
class Outcome:
    item_id: int
    status: str
    tmdb_id: int | None = None
    confidence: float | None = None
    metadata: dict | None = None
    error: str | None = None
    changed: bool = True


class _Stopped(Exception):
    """Raised by the stop watcher inside the task group: the lookups left are cancelled."""


async def run_all(coroutines: list, should_stop: Callable[[], bool]) -> list[Outcome]:
    """Run them concurrently; the outcomes of those that finished. On a fatal error (rejected
    credentials) or a stop request the others are cancelled and awaited first."""
    tasks: list[asyncio.Task] = []
    try:
        async with asyncio.TaskGroup() as group:
            tasks = [group.create_task(c) for c in coroutines]
            group.create_task(_watch(tasks, should_stop))
    except* ProviderAuthError as errors:
        raise errors.exceptions[0] from None
    except* _Stopped:
        pass
    return [t.result() for t in tasks if t.done() and not t.cancelled()]


async def _watch(tasks: list[asyncio.Task], should_stop: Callable[[], bool]) -> None:
    """Look at the stop flag every ``STOP_POLL_S`` until the lookups are done (one wake-up per
    interval, whatever their number)."""
    done = asyncio.Event()
    left = len(tasks)

    def finished(_task) -> None:
        nonlocal left
        left -= 1
        if not left:
            done.set()

    for task in tasks:
        task.add_done_callback(finished)
    if not tasks:
        return
    while not done.is_set():
        if should_stop():
            raise _Stopped
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(done.wait(), STOP_POLL_S)


def search_key(title: str, year: int | None, prefix: str = "search") -> str:
    return f"{prefix}:{normalise(title)}|{year or ''}"


class Lookup:
    """One item's lookups, through the cache, with in-flight requests shared.

    Items looked up concurrently often need the same entry (two files of one movie, remakes
    searched without a year): the second waits for the first one's request instead of sending its
    own, and counts as a hit. So a run sends exactly one request per entry missing from the cache,
    and its counters do not depend on timing.

    A subclass looks up something else (TV series) by overriding the two ``fetch_`` methods and
    the cache key prefixes.
    """

    search_prefix = "search"
    details_prefix = "details"

    def __init__(self, cache: ProviderCache, tmdb: TMDBClient, threshold: float) -> None:
        self.cache, self.tmdb, self.threshold = cache, tmdb, threshold
        self._inflight: dict[str, asyncio.Task] = {}
        self.shared = 0

    async def one(self, item: FileMovie) -> Outcome:
        try:
            return await self._one(item)
        except ProviderAuthError:
            raise
        except ProviderError as exc:
            return Outcome(item.id, "error", item.tmdb_id, item.confidence, error=str(exc))

    async def _one(self, item: FileMovie) -> Outcome:
        if item.tmdb_id is not None:
            details, source = await self._details(item.tmdb_id)
            if details is not None:
                return Outcome(
                    item.id,
                    "matched",
                    item.tmdb_id,
                    item.confidence,
                    details,
                    changed=source != "cache",
                )
        elif item.tmdb_hint is not None:
            details, _ = await self._details(item.tmdb_hint)
            if details is not None:
                return Outcome(item.id, "matched", item.tmdb_hint, 1.0, details)
        if not item.title:
            return Outcome(item.id, "unmatched", changed=item.status != "unmatched")
        match, confidence = await self._resolve(item.title, item.year)
        if match is None:
            return Outcome(
                item.id, "unmatched", confidence=confidence, changed=item.status != "unmatched"
            )
        details, _ = await self._details(match.tmdb_id)
        if details is None:
            return Outcome(item.id, "unmatched", confidence=confidence)
        return Outcome(item.id, "matched", match.tmdb_id, match.confidence, details)

    async def _resolve(self, title: str, year: int | None) -> tuple[Match | None, float]:
        """The title's match; else the one film its other candidates (``core.titles``: each side
        of "Original / English", each script, without a prefix) agree on. When two of them match
        different films the item stays unmatched rather than guessed."""
        match, confidence = await self._match(title, year)
        if match is not None:
            return match, confidence
        found: dict[int, Match] = {}
        for other in candidates(title)[1:]:
            alt, alt_confidence = await self._match(other, year)
            confidence = max(confidence, alt_confidence)
            if alt is not None:
                found.setdefault(alt.tmdb_id, alt)
        return (next(iter(found.values())) if len(found) == 1 else None), confidence

    async def _match(self, title: str, year: int | None) -> tuple[Match | None, float]:
        """Search by title and year; without a confident match, once more without the year (its
        results also cover the year +-1)."""
        found = await self._search(title, year)
        match, confidence = best_match(title, year, found, threshold=self.threshold)
        if match is None and year is not None:
            found = await self._search(title, None)
            match, confidence = best_match(title, year, found, threshold=self.threshold)
        return match, confidence

    async def fetch_search(self, title: str, year: int | None) -> list | None:
        """The search's candidates as cached (lists), None for no result."""
        results = await self.tmdb.search(title, year)
        return [Candidate.from_search_result(r).as_list() for r in results] or None

    async def fetch_details(self, tmdb_id: int) -> dict | None:
        """The details as cached (:func:`compact_details`), None for an unknown id."""
        raw = await self.tmdb.details(tmdb_id)
        return compact_details(raw) if raw is not None else None

    async def _search(self, title: str, year: int | None) -> list[Candidate]:
        found, _ = await self._cached(
            search_key(title, year, self.search_prefix), lambda: self.fetch_search(title, year)
        )
        return [Candidate.from_list(c) for c in found or ()]

    async def _details(self, tmdb_id: int) -> tuple[dict | None, str]:
        return await self._cached(
            f"{self.details_prefix}:{tmdb_id}", lambda: self.fetch_details(tmdb_id)
        )

    async def _cached(self, key: str, fetch) -> tuple[object, str]:
        """The value for ``key`` and where it came from: cache, shared (in flight) or fetched."""
        pending = self._inflight.get(key)
        if pending is not None:
            self.shared += 1
            return await pending, "shared"
        value = self.cache.get(key)
        if value is not MISSING:
            return value, "cache"
        self._inflight[key] = task = asyncio.ensure_future(fetch())
        try:
            value = await task
        finally:
            del self._inflight[key]
        self.cache.put(key, value)
        return value, "fetched"


def compact_details(raw: dict) -> dict:
    """The fields of a TMDB details answer that classification and export use."""
    date = raw.get("release_date") or ""
    companies = raw.get("production_companies") or []
    collection = raw.get("belongs_to_collection") or {}
    return {
        "tmdb_id": raw.get("id"),
        "imdb_id": raw.get("imdb_id"),
        "title": raw.get("title"),
        "original_title": raw.get("original_title"),
        "year": int(date[:4]) if date[:4].isdigit() else None,
        "genres": [g.get("name") for g in raw.get("genres") or [] if isinstance(g, dict)],
        "overview": raw.get("overview") or "",
        "runtime": raw.get("runtime"),
        "original_language": raw.get("original_language"),
        "certification": _certification(raw),
        "keywords": [
            k.get("name")
            for k in (raw.get("keywords") or {}).get("keywords") or []
            if isinstance(k, dict)
        ],
        "collection": collection.get("name") if isinstance(collection, dict) else None,
        "studio": companies[0].get("name")
        if companies and isinstance(companies[0], dict)
        else None,
    }


def _certification(raw: dict) -> str | None:
    for country in (raw.get("release_dates") or {}).get("results") or []:
        if isinstance(country, dict) and country.get("iso_3166_1") == "US":
            for release in country.get("release_dates") or []:
                if isinstance(release, dict) and release.get("certification"):
                    return release["certification"]
    return None
