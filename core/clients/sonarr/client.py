"""Sonarr API v3 client (Sonarr v3 and v4): the series list in one streamed request, tag
membership, and bulk tag edits.

Synchronous over one ``httpx.Client``, built like :class:`core.clients.radarr.RadarrClient`. The
key goes in the ``X-Api-Key`` header only, never in a URL. Every request is retried with
exponential backoff (tenacity) on 5xx, 429, timeouts and connection errors; a 4xx is final. Tag
edits are idempotent (add or remove a tag), so retrying a PUT that may have been applied is safe.

``GET /api/v3/series`` has no paging and Sonarr builds it in full before it answers, so it gets
its own read timeout (``list_timeout_s``) and is parsed as it arrives, projected to
``SonarrSeries`` one element at a time. Membership comes from ``GET /api/v3/tag/detail``
(``seriesIds`` per tag), writes go through ``PUT /api/v3/series/editor`` ``chunk_size`` ids at a
time; the editor answers with the edited series' full resources, drained unread.

Wrong settings are :class:`SonarrConfigError` (exit 2) naming ``SONARR_URL`` or
``SONARR_API_KEY``; everything else that goes wrong is :class:`SonarrError`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import httpx

from core.clients.arr.client import TAG_RULE, ArrClient, key_help
from core.clients.arr.client import check_label as _check_label
from core.clients.arr.wire import int_tuple
from core.clients.sonarr.models import (
    FailedSeriesChunk,
    SeriesEditResult,
    SeriesTagDetail,
    SonarrSeries,
)
from core.clients.sonarr.stream import iter_series
from core.config.model import SonarrSettings, env_name
from core.errors import SonarrConfigError, SonarrError

URL_ENV = env_name(SonarrSettings, "url")
KEY_ENV = env_name(SonarrSettings, "api_key")
LIST_TIMEOUT_ENV = env_name(SonarrSettings, "list_timeout")
KEY_HELP = key_help(KEY_ENV)
__all__ = ["KEY_ENV", "KEY_HELP", "TAG_RULE", "URL_ENV", "SonarrClient", "check_label"]


class SonarrClient(ArrClient):
    """``with SonarrClient(settings) as sonarr: for series in sonarr.series(): ...``.

    Counters: ``requests`` (logical requests), ``attempts`` (HTTP requests sent, retries
    included), ``writes`` (logical POSTs and PUTs) and ``skipped`` (elements of the last series
    list without a usable id).

    :param transport: an httpx transport for tests (``httpx.MockTransport``).
    """

    SERVICE = "Sonarr"
    ERROR = SonarrError
    CONFIG_ERROR = SonarrConfigError
    URL_ENV, KEY_ENV, LIST_TIMEOUT_ENV = URL_ENV, KEY_ENV, LIST_TIMEOUT_ENV
    EXAMPLE_URL, TABLE = "http://sonarr:8989", "sonarr"
    LIST_NOUN, ITEMS_NOUN, SECONDS_FORMAT = "series list", "series", ".0f"
    settings: SonarrSettings

    def __init__(self, settings: SonarrSettings, *, transport: httpx.BaseTransport | None = None):
        super().__init__(settings, transport=transport)

    def series(self) -> Iterator[SonarrSeries]:
        """Every series of the library, parsed as the one ``GET /api/v3/series`` answer streams in.

        Elements without a usable id are skipped and counted in ``skipped``.
        """
        return self._stream_list("/api/v3/series", iter_series)

    def tag_details(self) -> list[SeriesTagDetail]:
        """Every tag with the ids of the series carrying it: membership without the library."""
        return [
            SeriesTagDetail(i, label, int_tuple(raw.get("seriesIds")))
            for i, label, raw in self._tag_rows("/api/v3/tag/detail")
        ]

    def edit_tags(
        self, series_ids: Iterable[int], tag_ids: Iterable[int], apply: str
    ) -> SeriesEditResult:
        """Add or remove tags on series: ``PUT /api/v3/series/editor``, ``chunk_size`` ids a time.

        Only the given tags change (``applyTags`` add or remove, never replace), so tags other
        tools set on the same series are left alone. A chunk that still fails after the retries is
        recorded in ``SeriesEditResult.failed`` and the others go on; only wrong settings (401,
        nothing answering) raise.
        """
        if apply not in ("add", "remove"):
            raise ValueError(f"apply must be 'add' or 'remove', not {apply!r}")
        result = SeriesEditResult(apply, tuple(dict.fromkeys(tag_ids)))
        return self._edit(
            "/api/v3/series/editor", "seriesIds", series_ids, result, FailedSeriesChunk
        )


def check_label(label: str) -> str:
    """``label`` lowercased, as Sonarr stores it; ConfigError unless it is ``[a-z0-9-]+``."""
    return _check_label(label, "Sonarr")
