"""The Sonarr source: mirror a Sonarr library into the store's ``items``, incrementally.

Consumes ``SonarrClient.series()`` (one streamed ``GET /api/v3/series``) and writes one ``items``
row per series through :func:`core.pipeline.source.arr.sync_arr`, exactly as the Radarr source
does for movies: source ``sonarr``, type ``series``, key = the Sonarr series id, ``tmdb_id`` the
series' TMDB TV id (when Sonarr knows it). The metadata holds what the series prompt and its
fingerprint use (:mod:`core.pipeline.plan.series`: title, year, genres, overview, network, status,
seasons, original language, certification) and the ids Kometa lists need (tvdb, tmdb, imdb).

A series from a folder of episode files comes in as the same kind of row (type ``series``,
the same metadata keys), so the planner and the classifier never ask where it came from.
"""

from __future__ import annotations

from collections.abc import Callable

from core.clients.sonarr import SonarrClient, SonarrSeries
from core.errors import SonarrError
from core.pipeline.source.arr import ArrKind, SyncSummary, dumps, sync_arr
from core.progress import NULL_REPORTER, Reporter
from core.store.arr_items import SONARR
from core.store.db import Store


def series_row(series: SonarrSeries) -> tuple[str, int | None, int | None, str]:
    """``(title, year, tmdb_id, metadata JSON)`` as stored for ``series``."""
    metadata = {
        "title": series.title,
        "year": series.year,
        "genres": list(series.genres),
        "overview": series.overview,
        "network": series.network,
        "status": series.status,
        "seasons": series.seasons,
        "original_language": series.original_language,
        "certification": series.certification,
        "runtime": series.runtime,
        "series_type": series.series_type,
        "tvdb_id": series.tvdb_id,
        "imdb_id": series.imdb_id,
        "sonarr_id": series.id,
    }
    return series.title, series.year, series.tmdb_id, dumps(metadata)


SERIES = ArrKind(SONARR, "Sonarr", "series", "series", "series", series_row, SonarrError)


def sync_series(
    store: Store,
    client: SonarrClient,
    *,
    reporter: Reporter = NULL_REPORTER,
    batch_size: int = 500,
    should_stop: Callable[[], bool] = lambda: False,
) -> SyncSummary:
    """Bring the store's sonarr items in line with the series ``client`` lists.

    >>> with SonarrClient(config.sonarr) as sonarr:   # doctest: +SKIP
    ...     sync_series(store, sonarr).as_dict()

    :raises SonarrError: Sonarr failed (nothing is removed then), or sent an empty library.
    :raises StoreError: the store cannot be written.
    """
    return sync_arr(
        store, client, SERIES, reporter=reporter, batch_size=batch_size, should_stop=should_stop
    )
