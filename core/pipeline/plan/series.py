"""What a TV series is sent as, and so what its fingerprint covers.

A series item (type ``series``) is judged from its stored metadata, whichever source wrote it:
Sonarr (:mod:`core.pipeline.source.sonarr`) or a folder of episodes matched to TMDB TV. The
metadata keys read are ``title``, ``year`` (first aired), ``genres``, ``overview``, ``network``,
``status``, ``seasons`` (regular seasons), ``original_language`` and ``certification``; any may
be missing. What is sent is what is fingerprinted, so a new season, a series that ended or a new
network re-judges the series, and nothing else does (ratings and episode counts are not sent).
"""

from __future__ import annotations

from core.clients.claude.wire import WireMovie, series_details

#: The metadata keys a series is judged on (and re-judged when they change).
SERIES_FIELDS = (
    "title",
    "year",
    "genres",
    "overview",
    "network",
    "status",
    "seasons",
    "original_language",
    "certification",
)


def series_wire(meta: dict, title: str | None, year: int | None) -> WireMovie:
    """The line a series is sent as: its facts go in the keywords field."""
    seasons = meta.get("seasons")
    return WireMovie(
        mid="",
        title=meta.get("title") or title or "",
        year=meta.get("year") or year,
        genres=tuple(g for g in meta.get("genres") or () if g),
        overview=meta.get("overview") or "",
        keywords=series_details(
            meta.get("network"),
            meta.get("status"),
            seasons if isinstance(seasons, int) else None,
            meta.get("original_language"),
            meta.get("certification"),
        ),
    )
