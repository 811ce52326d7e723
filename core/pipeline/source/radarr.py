"""The Radarr source: mirror a Radarr library into the store's ``items``, incrementally.

Consumes ``RadarrClient.movies()`` (one streamed ``GET /api/v3/movie``) and writes one ``items``
row per movie: source ``radarr``, key = the Radarr movie id, already matched (Radarr knows the
TMDB id), with the metadata the classifier fingerprints (``title, year, genres, overview,
keywords``) and the rest of what Radarr says about the movie. Returns a
:class:`RadarrSyncSummary`.

Movies are written ``batch_size`` at a time, one transaction each; a row is only rewritten when
its content changed, so an unchanged library costs reads only. Keys seen go to a temporary table,
not a Python set, and at the end the radarr items not seen are deleted (their decisions
cascade). That only happens once the whole list arrived: a download that breaks off raises
before anything is removed, and an empty list while the store holds Radarr movies is refused.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field

from core.clients.radarr import RadarrClient, RadarrMovie
from core.errors import RadarrError
from core.progress import NULL_REPORTER, Reporter
from core.store.db import Store
from core.store.radarr_items import (
    count_radarr_items,
    delete_unseen_radarr_items,
    reset_seen_radarr_keys,
    upsert_radarr_items,
)

_STAGE = "radarr"
STOPPED = "stopped on request while reading Radarr's list; nothing was removed"
_dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


@dataclass(slots=True)
class RadarrSyncSummary:
    """What a sync saw and did. ``skipped``: list elements without a usable id; ``duplicates``:
    repeats of a movie id already read (the first copy is kept, wherever the batches are cut).
    ``as_dict`` is the ``--json`` output."""

    seen: int = 0
    added: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0
    skipped: int = 0
    duplicates: int = 0
    seconds: float = 0.0
    stopped: str | None = None
    skipped_examples: list[str] = field(default_factory=list)
    duplicate_examples: list[str] = field(default_factory=list)

    def duplicate(self, example: str, count: int = 1) -> None:
        self.duplicates += count
        if len(self.duplicate_examples) < 3:
            self.duplicate_examples.append(example)

    def as_dict(self) -> dict:
        return asdict(self)


def sync_library(
    store: Store,
    client: RadarrClient,
    *,
    reporter: Reporter = NULL_REPORTER,
    batch_size: int = 500,
    should_stop: Callable[[], bool] = lambda: False,
) -> RadarrSyncSummary:
    """Bring the store's radarr items in line with the library ``client`` reads.

    >>> with RadarrClient(config.radarr) as radarr:   # doctest: +SKIP
    ...     sync_library(store, radarr).as_dict()

    ``should_stop`` is asked between batches: once it says yes the download is closed, what was
    read is kept and nothing is removed (``stopped``).

    :raises RadarrError: Radarr failed (nothing is removed then), or sent an empty library.
    :raises StoreError: the store cannot be written.
    """
    start = time.perf_counter()
    summary = RadarrSyncSummary()
    reset_seen_radarr_keys(store)
    reporter.start(_STAGE)
    movies = client.movies()
    for batch in _batches(movies, batch_size):
        _write_batch(store, batch, summary)
        reporter.advance(
            _STAGE, len(batch), added=summary.added, updated=summary.updated, seen=summary.seen
        )
        if should_stop():
            movies.close()  # closes the download
            summary.stopped = STOPPED
            reset_seen_radarr_keys(store)
            summary.seconds = round(time.perf_counter() - start, 3)
            return summary
    summary.skipped += client.skipped
    summary.skipped_examples = client.skipped_examples
    if summary.seen == 0 and client.skipped:
        raise RadarrError(
            f"Radarr's movie list has {client.skipped:,} elements and none is a usable movie "
            f"(e.g. {'; '.join(summary.skipped_examples)}); nothing was changed. Check Radarr "
            "(System > Status), then run again"
        )
    summary.removed = _remove_unseen(store, summary)
    reset_seen_radarr_keys(store)
    reporter.finish(_STAGE)
    summary.seconds = round(time.perf_counter() - start, 3)
    return summary


def _batches(movies: Iterable[RadarrMovie], size: int) -> Iterator[list[RadarrMovie]]:
    batch: list[RadarrMovie] = []
    for movie in movies:
        batch.append(movie)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def row_fields(movie: RadarrMovie) -> tuple[str, int | None, int | None, str]:
    """``(title, year, tmdb_id, metadata JSON)`` as stored for ``movie``."""
    metadata = {
        "title": movie.title,
        "year": movie.year,
        "genres": list(movie.genres),
        "overview": movie.overview,
        "keywords": list(movie.keywords),
        "original_title": movie.original_title,
        "imdb_id": movie.imdb_id,
        "certification": movie.certification,
        "studio": movie.studio,
        "runtime": movie.runtime,
        "original_language": movie.original_language,
        "collection": movie.collection,
        "alternate_titles": list(movie.alternate_titles),
        "radarr_id": movie.id,
    }
    return movie.title, movie.year, movie.tmdb_id, _dumps(metadata)


def _write_batch(store: Store, batch: list[RadarrMovie], summary: RadarrSyncSummary) -> None:
    fresh: dict[str, tuple] = {}
    for movie in batch:
        key = str(movie.id)
        if key in fresh:
            summary.duplicate(f"id {key} ({movie.title!r} again)")
            continue
        fresh[key] = row_fields(movie)
    counts = upsert_radarr_items(store, fresh, time.time())
    if counts.repeats:
        summary.duplicate(f"id {', '.join(counts.repeated_keys)}", counts.repeats)
    summary.seen += counts.seen
    summary.added += counts.added
    summary.updated += counts.updated
    summary.unchanged += counts.unchanged


def _remove_unseen(store: Store, summary: RadarrSyncSummary) -> int:
    if summary.seen == 0:
        known = count_radarr_items(store)
        if known:
            raise RadarrError(
                f"Radarr sent an empty library, but the store holds {known:,} of its movies; "
                "nothing was removed. Check Radarr (System > Status), then run again"
            )
        return 0
    return delete_unseen_radarr_items(store)
