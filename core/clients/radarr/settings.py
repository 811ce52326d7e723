"""How to reach Radarr: its URL (with any URL base) and API key, timeouts, retries, chunking."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit, urlunsplit

from core.errors import RadarrConfigError

URL_ENV, KEY_ENV = "RADARR_URL", "RADARR_API_KEY"
KEY_HELP = f"check {KEY_ENV} (Settings > General > Security > API Key)"


@dataclass(frozen=True, slots=True, kw_only=True)
class RadarrSettings:
    """How to reach Radarr. ``url`` may carry a URL base path (``http://host:7878/radarr``).

    ``retries`` are attempts after the first; ``backoff_s`` is the first wait between them, which
    then doubles (up to 30 s); ``chunk_size`` movie ids go in one editor request.
    """

    url: str
    api_key: str = field(repr=False)
    list_timeout_s: float = 300.0
    timeout_s: float = 30.0
    retries: int = 4
    chunk_size: int = 100
    backoff_s: float = 0.5

    def __post_init__(self) -> None:
        parts = urlsplit(self.url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise RadarrConfigError(
                f"{URL_ENV} {shown_url(self.url)!r} is not an http(s) URL; "
                "use e.g. http://localhost:7878"
            )
        if not self.api_key:
            raise RadarrConfigError(f"{KEY_ENV} is empty; {KEY_HELP}")
        if self.chunk_size < 1 or self.retries < 0:
            raise ValueError("chunk_size must be >= 1 and retries >= 0")

    @classmethod
    def from_env(cls, env: Mapping[str, str] = os.environ, **overrides) -> RadarrSettings:
        """Settings from ``RADARR_URL`` and ``RADARR_API_KEY``; ``overrides`` win when not None."""
        values = {"url": env.get(URL_ENV) or None, "api_key": env.get(KEY_ENV) or None}
        values.update({k: v for k, v in overrides.items() if v is not None})
        if not values["url"]:
            raise RadarrConfigError(f"{URL_ENV} is not set; set it to your Radarr's address")
        if not values["api_key"]:
            raise RadarrConfigError(f"{KEY_ENV} is not set; {KEY_HELP}")
        return cls(**values)


def shown_url(url: str) -> str:
    """``url`` fit for a message: no user info, query or fragment."""
    try:
        parts = urlsplit(url)
        netloc = parts.netloc.rpartition("@")[2]
        return urlunsplit((parts.scheme, netloc, parts.path, "", ""))
    except ValueError:
        return "<unparsable URL>"
