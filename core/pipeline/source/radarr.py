"""The Radarr source: mirror a Radarr library into the store's ``items``, incrementally.

Consumes ``RadarrClient.movies()`` (one streamed ``GET /api/v3/movie``) and writes one ``items``
row per movie through :func:`core.pipeline.source.arr.sync_arr`: source ``radarr``, type
``movie``, key = the Radarr movie id, already matched (Radarr knows the TMDB id), with the metadata
the classifier fingerprints (``title, year, genres, overview, keywords``) and the rest of what
Radarr says about the movie. Returns a :class:`RadarrSyncSummary`.
"""

from __future__ import annotations

from collections.abc import Callable

from core.clients.radarr import RadarrClient, RadarrMovie
from core.errors import RadarrError
from core.pipeline.source.arr import ArrKind, SyncSummary, dumps, sync_arr
from core.progress import NULL_REPORTER, Reporter
from core.store.arr_items import RADARR
from core.store.db import Store

RadarrSyncSummary = SyncSummary
STOPPED = "stopped on request while reading Radarr's list; nothing was removed"


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
    return movie.title, movie.year, movie.tmdb_id, dumps(metadata)


MOVIES = ArrKind(RADARR, "Radarr", "movie", "movies", "movies", row_fields, RadarrError)


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
    return sync_arr(
        store, client, MOVIES, reporter=reporter, batch_size=batch_size, should_stop=should_stop
    )
