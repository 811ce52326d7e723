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
import json
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field

from core.clients.tmdb.client import TMDBClient
from core.config.model import TMDBSettings
from core.pipeline.enrich.cache import ProviderCache
from core.pipeline.enrich.lookup import Lookup, Outcome, run_all, search_key
from core.pipeline.enrich.series import TVLookup
from core.progress import NULL_REPORTER, Reporter
from core.records import Problem, StageOutcome
from core.store.db import Store
from core.store.items import FileMovie, count_file_movies, file_movies, record_matches
from core.store.series import count_file_series, file_series

CHUNK = 400
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
    series: int = 0
    series_matched: int = 0
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


def enrich(
    store: Store,
    settings: TMDBSettings,
    *,
    cache: ProviderCache | None = None,
    reporter: Reporter = NULL_REPORTER,
    transport=None,
    should_stop: Callable[[], bool] = lambda: False,
) -> EnrichSummary:
    """Match every movie item in ``store`` to TMDB, then every folder series to TMDB TV
    (``settings.threshold`` the lowest match confidence kept); returns what happened
    (``stopped`` set when ``should_stop`` said so). ``items`` and ``matched`` count both;
    ``series`` and ``series_matched`` the series alone."""
    cache = cache or ProviderCache(store)
    return asyncio.run(_enrich(store, settings, cache, reporter, transport, should_stop))


async def _enrich(store, settings, cache, reporter, transport, should_stop) -> EnrichSummary:
    start = time.perf_counter()
    summary = EnrichSummary()
    hits0, misses0 = cache.stats.hits, cache.stats.misses
    reporter.start(_STAGE, total=count_file_movies(store) + count_file_series(store))
    async with TMDBClient(settings, transport=transport) as tmdb:
        movies = Lookup(cache, tmdb, settings.threshold)
        shows = TVLookup(cache, tmdb, settings.threshold)
        if await _pass(
            store, cache, movies, file_movies(store, CHUNK), summary, reporter, should_stop
        ):
            items, matched = summary.items, summary.matched
            await _pass(
                store, cache, shows, file_series(store, CHUNK), summary, reporter, should_stop
            )
            summary.series, summary.series_matched = (
                summary.items - items,
                summary.matched - matched,
            )
        summary.tmdb_requests, summary.retries = tmdb.requests, tmdb.retries
        summary.rate_limited = tmdb.rate_limited
    cache.flush()
    reporter.finish(_STAGE)
    summary.cache_hits = cache.stats.hits - hits0 + movies.shared + shows.shared
    summary.cache_misses = cache.stats.misses - misses0
    looked = summary.cache_hits + summary.cache_misses
    summary.hit_rate = round(summary.cache_hits / looked, 4) if looked else 1.0
    summary.seconds = round(time.perf_counter() - start, 3)
    return summary


async def _pass(store, cache, lookup: Lookup, chunks, summary, reporter, should_stop) -> bool:
    """Look up and record every item of ``chunks``; False when a stop request ended it."""
    for chunk in chunks:
        if should_stop():
            summary.stopped = STOPPED
            return False
        cache.warm(_expected_keys(chunk, lookup))
        outcomes = await run_all([lookup.one(item) for item in chunk], should_stop)
        _record(store, cache, outcomes, summary)
        reporter.advance(_STAGE, len(chunk), matched=summary.matched, requests=lookup.tmdb.requests)
        if len(outcomes) < len(chunk):
            summary.stopped = STOPPED
            return False
    return True


def _expected_keys(chunk: list[FileMovie], lookup: type[Lookup] | Lookup = Lookup):
    for item in chunk:
        if item.tmdb_id is not None or item.tmdb_hint is not None:
            yield f"{lookup.details_prefix}:{item.tmdb_id or item.tmdb_hint}"
        elif item.title:
            yield search_key(item.title, item.year, lookup.search_prefix)


def warm_keys(store: Store, cache: ProviderCache) -> tuple[int, int]:
    """Load the cache entries every movie item and folder series will ask for; returns (items,
    entries loaded)."""
    items = loaded = 0
    for lookup, chunks in (
        (Lookup, file_movies(store, CHUNK)),
        (TVLookup, file_series(store, CHUNK)),
    ):
        for chunk in chunks:
            items += len(chunk)
            loaded += cache.warm(_expected_keys(chunk, lookup))
    return items, loaded


def _record(store: Store, cache: ProviderCache, outcomes: list[Outcome], summary) -> None:
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
