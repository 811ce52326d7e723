"""The HTTP layer Radarr's and Sonarr's clients share: requests, retries, error wording, the
streamed list cutter, tags."""

from core.clients.arr.client import TAG_RULE, ArrClient, check_label
from core.clients.arr.models import Tag

__all__ = ["TAG_RULE", "ArrClient", "Tag", "check_label"]
