"""The Sonarr API v3 client: the library as a stream of ``SonarrSeries``, tags, bulk tag edits."""

from core.clients.arr.models import Tag
from core.clients.sonarr.client import KEY_ENV, TAG_RULE, URL_ENV, SonarrClient, check_label
from core.clients.sonarr.models import (
    FailedSeriesChunk,
    SeriesEditResult,
    SeriesTagDetail,
    SonarrSeries,
)
from core.config.model import SonarrSettings

__all__ = [
    "KEY_ENV",
    "TAG_RULE",
    "URL_ENV",
    "FailedSeriesChunk",
    "SeriesEditResult",
    "SeriesTagDetail",
    "SonarrClient",
    "SonarrSeries",
    "SonarrSettings",
    "Tag",
    "check_label",
]
