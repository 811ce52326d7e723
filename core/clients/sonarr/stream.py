"""Project Sonarr's series list (one JSON array, some 3 KB a series) into ``SonarrSeries``.

The array is cut into its elements as the bytes arrive by the same cutter the Radarr client uses
(:func:`core.clients.arr.stream.iter_elements`: one element decoded at a time with the C JSON
decoder), and each element is projected at once, so memory holds one network chunk and one
series whatever the library size.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from core.clients.arr.stream import MAX_INT, Skips, iter_elements
from core.clients.arr.stream import text as _text
from core.clients.sonarr.models import SonarrSeries


def iter_series(chunks: Iterable[bytes], skips: Skips | None = None) -> Iterator[SonarrSeries]:
    """Yield a ``SonarrSeries`` per usable element of the JSON array in ``chunks``.

    :raises core.clients.arr.stream.BadPayload: not an array, malformed, or cut short.
    """
    skips = skips if skips is not None else Skips()
    for position, element in enumerate(iter_elements(chunks), 1):
        series = project(element)
        if series is None:
            skips.add(position, element)
        else:
            yield series


def project(raw: object) -> SonarrSeries | None:
    """The ``SonarrSeries`` of one ``SeriesResource``; None when it has no usable id."""
    if not isinstance(raw, dict):
        return None
    series_id = raw.get("id")
    if type(series_id) is not int or not 0 < series_id <= MAX_INT:
        return None
    get = raw.get
    language = get("originalLanguage")
    return SonarrSeries(
        id=series_id,
        title=_text(get("title")) or "",
        year=_positive(get("year")),
        tvdb_id=_positive(get("tvdbId")),
        tmdb_id=_positive(get("tmdbId")),
        imdb_id=_text(get("imdbId")),
        genres=tuple(g for g in _list(get("genres")) if isinstance(g, str) and g),
        overview=_text(get("overview")) or "",
        network=_text(get("network")),
        status=_text(get("status")),
        seasons=_season_count(get("seasons"), get("statistics")),
        original_language=_text(language.get("name")) if isinstance(language, dict) else None,
        certification=_text(get("certification")),
        runtime=_positive(get("runtime")),
        series_type=_text(get("seriesType")),
        tags=tuple(t for t in _list(get("tags")) if type(t) is int),
    )


def _season_count(seasons: object, statistics: object) -> int:
    """Regular seasons: from the season list (season 0 holds specials), else the statistics."""
    if isinstance(seasons, list):
        return sum(
            1
            for s in seasons
            if isinstance(s, dict) and _positive(s.get("seasonNumber")) is not None
        )
    if isinstance(statistics, dict):
        return _positive(statistics.get("seasonCount")) or 0
    return 0


def _positive(value: object) -> int | None:
    return value if type(value) is int and 0 < value <= MAX_INT else None


def _list(value: object) -> list:
    return value if isinstance(value, list) else []
