"""The enrich stage: match scanned movie items to TMDB and record their metadata.

Consumes the movie items in the store (parsed title and year), looks each up through the provider
cache and, on a miss, the TMDB client; writes ``tmdb_id``, the match confidence and the metadata
the classifier needs (genres, overview, keywords, ...) back to the item. Items from Radarr carry
Radarr's own metadata and are left alone.

Per item: a matched item only checks that its ``details`` entry is still cached (a hit costs
nothing; an expired entry is fetched again). A name that carries its TMDB id (Radarr's
``[tmdbid-603]``, Plex's ``{tmdb-603}``) is looked up by that id, no search needed. An unmatched
item searches by title and year; when
that finds no confident match, one search without the year follows, whose results also cover the
year +-1 fallback (one request instead of three). Empty results are cached as negative results
with their short TTL, so an unmatched title is not searched again on every run.

Errors from TMDB (5xx beyond the retries, malformed JSON) leave that item unmatched with the error
recorded and counted; the run goes on. Rejected credentials stop the run.

A stop request (``should_stop``, set by SIGINT/SIGTERM) is noticed within ``STOP_POLL_S``: the
lookups still waiting or in flight are cancelled, the items already settled are recorded and every
entry fetched so far stays in the cache, so the next run resumes without asking TMDB again.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field

from core.clients.tmdb.client import TMDBClient
from core.config.model import TMDBSettings
from core.errors import ProviderAuthError, ProviderError
from core.pipeline.enrich.cache import MISSING, ProviderCache
from core.pipeline.enrich.match import Candidate, Match, best_match, normalise
from core.progress import NULL_REPORTER, Reporter
from core.records import Problem, StageOutcome
from core.store.db import Store
from core.store.items import FileMovie, count_file_movies, file_movies, record_matches
from core.titles import candidates

CHUNK = 400
STOP_POLL_S = 0.1
STOPPED = "stopped on request; the next run takes up what is left"
_STAGE = "enrich"


@dataclass(slots=True)
class EnrichSummary:
    """``as_dict`` is the ``--json`` output of ``reelscale enrich``.

    ``cache_hits`` counts lookups answered without a request of their own (from either cache
    tier, or by a request already in flight for the same entry); ``cache_misses`` counts the
    lookups that sent one. ``hit_rate`` is hits / (hits + misses).
    """

    items: int = 0
    matched: int = 0
    unmatched: int = 0
    errors: int = 0
    cache_hits: int = 0
    cache_misses: int = 0
    hit_rate: float = 0.0
    tmdb_requests: int = 0
    retries: int = 0
    rate_limited: int = 0
    updated: int = 0
    seconds: float = 0.0
    stopped: str | None = None
    error_details: list[dict] = field(default_factory=list)

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass(slots=True)
class _Outcome:
    item_id: int
    status: str
    tmdb_id: int | None = None
    confidence: float | None = None
    metadata: dict | None = None
    error: str | None = None
    changed: bool = True


def enrich(
    store: Store,
    settings: TMDBSettings,
    *,
    cache: ProviderCache | None = None,
    reporter: Reporter = NULL_REPORTER,
    transport=None,
    should_stop: Callable[[], bool] = lambda: False,
) -> EnrichSummary:
    """Match every movie item in ``store`` to TMDB (``settings.threshold`` the lowest match
    confidence kept); returns what happened (``stopped`` set when ``should_stop`` said so)."""
    cache = cache or ProviderCache(store)
    return asyncio.run(_enrich(store, settings, cache, reporter, transport, should_stop))


async def _enrich(store, settings, cache, reporter, transport, should_stop) -> EnrichSummary:
    start = time.perf_counter()
    summary = EnrichSummary()
    hits0, misses0 = cache.stats.hits, cache.stats.misses
    reporter.start(_STAGE, total=count_file_movies(store))
    async with TMDBClient(settings, transport=transport) as tmdb:
        lookup = _Lookup(cache, tmdb, settings.threshold)
        for chunk in file_movies(store, CHUNK):
            if should_stop():
                summary.stopped = STOPPED
                break
            cache.warm(_expected_keys(chunk))
            outcomes = await _all([lookup.one(item) for item in chunk], should_stop)
            _record(store, cache, outcomes, summary)
            reporter.advance(_STAGE, len(chunk), matched=summary.matched, requests=tmdb.requests)
            if len(outcomes) < len(chunk):
                summary.stopped = STOPPED
                break
        summary.tmdb_requests, summary.retries = tmdb.requests, tmdb.retries
        summary.rate_limited = tmdb.rate_limited
    cache.flush()
    reporter.finish(_STAGE)
    summary.cache_hits = cache.stats.hits - hits0 + lookup.shared
    summary.cache_misses = cache.stats.misses - misses0
    looked = summary.cache_hits + summary.cache_misses
    summary.hit_rate = round(summary.cache_hits / looked, 4) if looked else 1.0
    summary.seconds = round(time.perf_counter() - start, 3)
    return summary


class _Stopped(Exception):
    """Raised by the stop watcher inside the task group: the lookups left are cancelled."""


async def _all(coroutines: list, should_stop: Callable[[], bool]) -> list[_Outcome]:
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


def _expected_keys(chunk: list[FileMovie]):
    for item in chunk:
        if item.tmdb_id is not None or item.tmdb_hint is not None:
            yield f"details:{item.tmdb_id or item.tmdb_hint}"
        elif item.title:
            yield search_key(item.title, item.year)


def warm_keys(store: Store, cache: ProviderCache) -> tuple[int, int]:
    """Load the cache entries every movie item will ask for; returns (items, entries loaded)."""
    items = loaded = 0
    for chunk in file_movies(store, CHUNK):
        items += len(chunk)
        loaded += cache.warm(_expected_keys(chunk))
    return items, loaded


def search_key(title: str, year: int | None) -> str:
    return f"search:{normalise(title)}|{year or ''}"


class _Lookup:
    """One item's lookups, through the cache, with in-flight requests shared.

    Items looked up concurrently often need the same entry (two files of one movie, remakes
    searched without a year): the second waits for the first one's request instead of sending its
    own, and counts as a hit. So a run sends exactly one request per entry missing from the cache,
    and its counters do not depend on timing.
    """

    def __init__(self, cache: ProviderCache, tmdb: TMDBClient, threshold: float) -> None:
        self.cache, self.tmdb, self.threshold = cache, tmdb, threshold
        self._inflight: dict[str, asyncio.Task] = {}
        self.shared = 0

    async def one(self, item: FileMovie) -> _Outcome:
        try:
            return await self._one(item)
        except ProviderAuthError:
            raise
        except ProviderError as exc:
            return _Outcome(item.id, "error", item.tmdb_id, item.confidence, error=str(exc))

    async def _one(self, item: FileMovie) -> _Outcome:
        if item.tmdb_id is not None:
            details, source = await self._details(item.tmdb_id)
            if details is not None:
                return _Outcome(
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
                return _Outcome(item.id, "matched", item.tmdb_hint, 1.0, details)
        if not item.title:
            return _Outcome(item.id, "unmatched", changed=item.status != "unmatched")
        match, confidence = await self._resolve(item.title, item.year)
        if match is None:
            return _Outcome(
                item.id, "unmatched", confidence=confidence, changed=item.status != "unmatched"
            )
        details, _ = await self._details(match.tmdb_id)
        if details is None:
            return _Outcome(item.id, "unmatched", confidence=confidence)
        return _Outcome(item.id, "matched", match.tmdb_id, match.confidence, details)

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

    async def _search(self, title: str, year: int | None) -> list[Candidate]:
        async def fetch() -> list | None:
            results = await self.tmdb.search(title, year)
            return [Candidate.from_search_result(r).as_list() for r in results] or None

        found, _ = await self._cached(search_key(title, year), fetch)
        return [Candidate.from_list(c) for c in found or ()]

    async def _details(self, tmdb_id: int) -> tuple[dict | None, str]:
        async def fetch() -> dict | None:
            raw = await self.tmdb.details(tmdb_id)
            return compact_details(raw) if raw is not None else None

        return await self._cached(f"details:{tmdb_id}", fetch)

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


def _record(store: Store, cache: ProviderCache, outcomes: list[_Outcome], summary) -> None:
    now = time.time()
    updates = []
    for o in outcomes:
        summary.items += 1
        if o.status == "matched":
            summary.matched += 1
        elif o.status == "error":
            summary.errors += 1
            summary.unmatched += 1
            if len(summary.error_details) < 20:
                summary.error_details.append({"item": o.item_id, "error": o.error})
        else:
            summary.unmatched += 1
        if o.changed:
            keep = o.status == "error" or (o.status == "matched" and o.metadata is None)
            metadata = json.dumps(o.metadata, ensure_ascii=False) if o.metadata else None
            updates.append(
                (o.tmdb_id, o.confidence, o.status, o.error, keep, metadata, now, o.item_id)
            )
    summary.updated += len(updates)
    record_matches(store, updates)
    cache.flush()


class EnrichStep:
    """The enrich stage as the pipeline drives it (a folder library only: Radarr's movies come
    matched)."""

    name = "enrich"

    def __init__(self, settings: TMDBSettings) -> None:
        self.settings = settings

    def run(self, ctx) -> StageOutcome:
        summary = enrich(
            ctx.store, self.settings, reporter=ctx.reporter, should_stop=ctx.should_stop
        )
        outcome = StageOutcome(
            requests=summary.tmdb_requests,
            retries={"tmdb": summary.retries},
            stopped=summary.stopped,
        )
        if summary.errors:
            outcome.problems.append(Problem("TMDB lookups that failed", summary.errors))
        return outcome
