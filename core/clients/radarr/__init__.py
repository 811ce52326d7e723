"""The Radarr API v3 client: the library as a stream of ``RadarrMovie``, tags, bulk tag edits."""

from core.clients.radarr.client import TAG_RULE, RadarrClient, check_label
from core.clients.radarr.models import EditResult, FailedChunk, RadarrMovie, Tag, TagDetail
from core.clients.radarr.settings import KEY_ENV, URL_ENV, RadarrSettings

__all__ = [
    "KEY_ENV",
    "TAG_RULE",
    "URL_ENV",
    "EditResult",
    "FailedChunk",
    "RadarrClient",
    "RadarrMovie",
    "RadarrSettings",
    "Tag",
    "TagDetail",
    "check_label",
]
