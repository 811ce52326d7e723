"""Every setting reelscale has, defined once: type, default, environment variables and help.

A setting lives in a section (``[radarr]``, ``[claude]``, ...), which is both the TOML table of
``reelscale.toml`` and the object a client or stage receives (``RadarrClient(config.radarr)``).
The environment variable names are the ones Kometa-AI users already set in their containers
(``RADARR_URL``, ``CLAUDE_API_KEY``, ``SMTP_SERVER``, ``SCHEDULE_INTERVAL``, ...), declared next
to the field they fill, so :mod:`core.config.sources` finds them without a second table.

Secrets are :class:`~pydantic.SecretStr` (API keys, the SMTP password) or
:class:`~core.config.secret_url.SecretUrl` (URLs, which may carry ``user:password@``): printing,
``repr``, logging and validation errors show them masked (``hide_input_in_errors``); the value is
revealed only where a request header or connection is made.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, SecretStr, field_validator

from core.config.secret_url import SecretTargetUrl, SecretUrl, check_http_url

DEFAULT_MODEL = "claude-haiku-5-5"


def setting(default: Any = None, *env: str, help: str = "", **constraints: Any) -> Any:
    """A field with its environment variables (first wins) and a one-line help."""
    return Field(default, description=help, json_schema_extra={"env": list(env)}, **constraints)


def env_name(section: type[BaseModel], field: str) -> str:
    """The first environment variable of a setting, for messages that say what to set."""
    extra = section.model_fields[field].json_schema_extra
    return extra["env"][0] if isinstance(extra, dict) and extra.get("env") else field


def _not_bool(value: Any) -> Any:
    """TOML's ``true`` is not the number 1; pydantic's lax mode would take it as one."""
    if isinstance(value, bool):
        raise ValueError("is true/false, not a number")
    return value


def _comma_list(value: Any) -> Any:
    if isinstance(value, str):
        return tuple(part.strip() for part in value.split(",") if part.strip())
    return value


# Apprise URLs in one string: split at whitespace, and at a comma only where the next URL starts
# (``mailto://...?to=a@x.org,b@x.org`` keeps its comma).
_URL_SEPARATOR = re.compile(r"\s+|,\s*(?=[A-Za-z][A-Za-z0-9+.-]*://)")


def _url_list(value: Any) -> Any:
    if isinstance(value, str):
        return tuple(part for part in _URL_SEPARATOR.split(value.strip()) if part)
    return value


SOURCES = ("radarr", "sonarr", "files")


def _sources(value: Any) -> Any:
    """``"radarr,sonarr"`` (flag, environment) or ``["radarr", "sonarr"]`` (TOML): the servers
    one run reads, in that order, each named once; ``files`` only alone."""
    value = _comma_list(value)
    if isinstance(value, list | tuple):
        value = tuple(dict.fromkeys(str(v).strip().lower() for v in value))
        if not value:
            raise ValueError("names no source; use radarr, sonarr, radarr,sonarr or files")
        if "files" in value and len(value) > 1:
            raise ValueError(
                "combines files with a server; a run reads a folder or the servers, not both"
            )
    return value


Whole = Annotated[int, BeforeValidator(_not_bool)]
Number = Annotated[float, BeforeValidator(_not_bool)]
Names = Annotated[tuple[str, ...], BeforeValidator(_comma_list)]
TargetUrls = Annotated[tuple[SecretTargetUrl, ...], BeforeValidator(_url_list)]
Sources = Annotated[tuple[Literal["radarr", "sonarr", "files"], ...], BeforeValidator(_sources)]


class Section(BaseModel):
    """A table of settings: frozen, and strict about unknown keys (a typo is an error)."""

    model_config = ConfigDict(frozen=True, extra="forbid", hide_input_in_errors=True)


class RadarrSettings(Section):
    """How to reach Radarr. ``url`` may carry a URL base path (``http://host:7878/radarr``).

    ``retries`` are attempts after the first; ``backoff`` is the first wait between them, which
    then doubles (up to 30 s); ``chunk_size`` movie ids go in one editor request.
    """

    url: SecretUrl | None = setting(None, "RADARR_URL", help="Radarr's address")
    api_key: SecretStr | None = setting(None, "RADARR_API_KEY", help="Settings > General > API Key")
    list_timeout: Number = setting(300.0, "RADARR_LIST_TIMEOUT", help="library list (s)", gt=0)
    timeout: Number = setting(30.0, "RADARR_TIMEOUT", help="other requests (s)", gt=0)
    chunk_size: Whole = setting(100, "RADARR_CHUNK_SIZE", help="movies per editor PUT", ge=1)
    retries: Whole = setting(4, help="attempts after the first", ge=0)
    backoff: Number = setting(0.5, help="first wait between attempts (s)", ge=0)

    @field_validator("url")
    @classmethod
    def check_url(cls, url: SecretUrl | None) -> SecretUrl | None:
        return check_http_url(url)


class SonarrSettings(Section):
    """How to reach Sonarr (v3 or v4): as ``[radarr]``, for series; ``chunk_size`` series ids go
    in one editor request."""

    url: SecretUrl | None = setting(None, "SONARR_URL", help="Sonarr's address")
    api_key: SecretStr | None = setting(None, "SONARR_API_KEY", help="Settings > General > API Key")
    list_timeout: Number = setting(300.0, "SONARR_LIST_TIMEOUT", help="series list (s)", gt=0)
    timeout: Number = setting(30.0, "SONARR_TIMEOUT", help="other requests (s)", gt=0)
    chunk_size: Whole = setting(100, "SONARR_CHUNK_SIZE", help="series per editor PUT", ge=1)
    retries: Whole = setting(4, help="attempts after the first", ge=0)
    backoff: Number = setting(0.5, help="first wait between attempts (s)", ge=0)

    @field_validator("url")
    @classmethod
    def check_url(cls, url: SecretUrl | None) -> SecretUrl | None:
        return check_http_url(url)


class ClaudeSettings(Section):
    api_key: SecretStr | None = setting(None, "ANTHROPIC_API_KEY", "CLAUDE_API_KEY")
    base_url: SecretUrl | None = setting(None, "ANTHROPIC_BASE_URL", help="API address")
    model: str = setting(DEFAULT_MODEL, "CLAUDE_MODEL", min_length=1)
    concurrency: Whole = setting(8, "CLAUDE_CONCURRENCY", help="requests in flight", ge=1, le=64)
    max_retries: Whole = setting(4, help="the SDK's retries of 429, 529 and 5xx", ge=0)
    timeout: Number = setting(600.0, help="one request (s)", gt=0)

    @field_validator("base_url")
    @classmethod
    def check_url(cls, url: SecretUrl | None) -> SecretUrl | None:
        return check_http_url(url)


class TMDBSettings(Section):
    """TMDB: ``token`` (v4 read access token, preferred) or ``api_key`` (v3 key)."""

    api_key: SecretStr | None = setting(None, "TMDB_API_KEY")
    token: SecretStr | None = setting(None, "TMDB_TOKEN")
    url: SecretUrl = setting(SecretUrl("https://api.themoviedb.org"), "TMDB_URL")
    # TMDB's only published limit since 16 Dec 2019: "somewhere in the 40 requests per second
    # range", answered with 429 beyond (developer.themoviedb.org/docs/rate-limiting; "50" in its
    # 2024 wording). 48/s: the top of that range, under the 50 of 2024; a 429 is retried after
    # its ``Retry-After``.
    rate: Whole = setting(48, "TMDB_RATE", help="requests per `per_seconds`", ge=1)
    per_seconds: Number = setting(1.0, help="window of the rate limit (s)", gt=0)
    concurrency: Whole = setting(8, "TMDB_CONCURRENCY", help="requests in flight", ge=1)
    timeout: Number = setting(20.0, help="one request (s)", gt=0)
    attempts: Whole = setting(5, help="tries per request", ge=1)
    language: str = setting("en-US", help="language of titles and overviews")
    threshold: Number = setting(0.8, help="lowest match confidence kept", ge=0, le=1)

    @field_validator("url")
    @classmethod
    def check_url(cls, url: SecretUrl) -> SecretUrl:
        return check_http_url(url)


class RunSettings(Section):
    """One run. ``source`` is ``radarr``, ``sonarr``, both (``radarr,sonarr``: one run, one lock,
    one summary; a TOML list works too) or ``files``; unset, it is every server whose URL is set,
    else files. Movies are judged for the collections of kind movies (or both), series for those
    of kind series (or both)."""

    source: Sources | None = setting(
        None,
        "REELSCALE_SOURCE",
        help="radarr, sonarr, radarr,sonarr or files (default: the servers whose URL is set)",
    )
    library: str | None = setting(None, "REELSCALE_LIBRARY", help="folder of movie files")
    kometa_file: str | None = setting(None, "REELSCALE_KOMETA_FILE", help="collection file")
    kometa_series_file: str | None = setting(
        None, "REELSCALE_KOMETA_SERIES_FILE", help="Sonarr collection file (sonarr_taglist)"
    )
    batch_size: Whole = setting(25, "BATCH_SIZE", help="movies per Claude request", ge=1, le=500)
    mode: Literal["sync", "batch", "auto"] = setting("sync", "CLAUDE_MODE")
    max_items: Whole | None = setting(
        None, "MAX_EVALS_PER_RUN", help="movies per run (0: no cap, as in Kometa-AI)", ge=0
    )
    max_cost: Number | None = setting(None, "MAX_COST_PER_RUN", help="dollars per run", ge=0)
    explain: bool = setting(False, help="ask for a short reason per movie (costs output)")

    @field_validator("max_items")
    @classmethod
    def _zero_is_no_cap(cls, value: int | None) -> int | None:
        """``MAX_EVALS_PER_RUN=0`` is Kometa-AI's default and means no cap there: a container
        switched over with it set must not judge nothing. ``MAX_COST_PER_RUN=0`` sends nothing."""
        return value or None


class SMTPSettings(Section):
    model_config = ConfigDict(populate_by_name=True)

    server: str | None = setting(None, "SMTP_SERVER", "SMTP_HOST")
    port: Whole | None = setting(None, "SMTP_PORT", help="25, 587 or 465 by security", ge=1)
    security: Literal["plain", "starttls", "ssl"] = setting("starttls", "SMTP_SECURITY")
    username: str | None = setting(None, "SMTP_USERNAME", "SMTP_USER")
    password: SecretStr | None = setting(None, "SMTP_PASSWORD")
    sender: str | None = Field(
        None, alias="from", json_schema_extra={"env": ["NOTIFICATION_FROM", "SMTP_FROM"]}
    )
    reply_to: str | None = setting(None, "NOTIFICATION_REPLY_TO")
    recipients: Names = setting((), "NOTIFICATION_RECIPIENTS", help="addresses, comma-separated")
    trigger: Literal["changes", "errors", "always"] = setting(
        "changes", "NOTIFICATION_TRIGGER", help="on changes (and errors), errors only, always"
    )
    timeout: Number = setting(30.0, help="SMTP connection (s)", gt=0)


class NotifySettings(Section):
    """Notifications through Apprise (https://github.com/caronc/apprise/wiki): one URL per
    target (``discord://webhook_id/token``, ``tgram://bot_token/chat_id``, ``ntfys://topic``,
    ``gotify://host/token``, ``slack://...``), sent the run summary the email carries, on the
    email's trigger unless ``trigger`` is set. In TOML a list; in the environment separated by
    spaces or commas."""

    urls: TargetUrls = setting(
        (), "APPRISE_URLS", "NOTIFICATION_URLS", help="Apprise URLs, one per target"
    )
    trigger: Literal["changes", "errors", "always"] | None = setting(
        None, "APPRISE_TRIGGER", help="as the email's (NOTIFICATION_TRIGGER) when unset"
    )
    timeout: Number = setting(10.0, help="connect and read timeout per target (s)", gt=0)


class ScheduleSettings(Section):
    interval: str | None = setting(None, "SCHEDULE_INTERVAL", help="1h, 1d, 1w, 1mo or cron")
    start_time: str | None = setting(None, "SCHEDULE_START_TIME", help="HH:MM")
    timezone: str | None = setting(None, "TZ", help="UTC when unset")


SECTIONS: dict[str, type[Section]] = {
    "radarr": RadarrSettings,
    "sonarr": SonarrSettings,
    "claude": ClaudeSettings,
    "tmdb": TMDBSettings,
    "run": RunSettings,
    "smtp": SMTPSettings,
    "notify": NotifySettings,
    "schedule": ScheduleSettings,
}
