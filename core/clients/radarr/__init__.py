"""The Radarr API v3 client: the library as a stream of ``RadarrMovie``, tags, bulk tag edits."""

from core.clients.radarr.client import KEY_ENV, TAG_RULE, URL_ENV, RadarrClient, check_label
from core.clients.radarr.models import EditResult, FailedChunk, RadarrMovie, Tag, TagDetail
from core.config.model import RadarrSettings

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
