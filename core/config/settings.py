"""Settings for a production run: command-line flags, then environment variables, then the
config file's tables, then defaults, with the source of every value kept.

The environment variables are the ones Kometa-AI users already set in their containers
(``RADARR_URL``, ``SMTP_SERVER``, ``SCHEDULE_INTERVAL``, ...); the same settings can live in the
``reelscale.toml`` next to the ``[[collection]]`` tables, as ``[radarr]``, ``[claude]``,
``[smtp]``, ``[schedule]`` and ``[run]`` tables. ``reelscale config check`` shows where each value
came from, with secrets masked.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from core.errors import ConfigError


@dataclass(frozen=True, slots=True)
class Spec:
    """One setting: its ``section.key`` in the TOML file, its env variables, type and default."""

    key: str
    env: tuple[str, ...]
    kind: type = str
    default: Any = None
    secret: bool = False
    choices: tuple[str, ...] = ()
    help: str = ""


SPECS: tuple[Spec, ...] = (
    Spec("radarr.url", ("RADARR_URL",), help="Radarr's base URL, e.g. http://radarr:7878"),
    Spec("radarr.api_key", ("RADARR_API_KEY",), secret=True, help="Settings > General > API Key"),
    Spec("radarr.list_timeout", ("RADARR_LIST_TIMEOUT",), float, 300.0, help="library list (s)"),
    Spec("radarr.timeout", ("RADARR_TIMEOUT",), float, 30.0, help="other Radarr requests (s)"),
    Spec("radarr.chunk_size", ("RADARR_CHUNK_SIZE",), int, 100, help="movies per editor PUT"),
    Spec("claude.api_key", ("ANTHROPIC_API_KEY", "CLAUDE_API_KEY"), secret=True),
    Spec("claude.base_url", ("ANTHROPIC_BASE_URL",)),
    Spec("claude.model", ("CLAUDE_MODEL",)),
    Spec("claude.concurrency", ("CLAUDE_CONCURRENCY",), int, 8, help="requests in flight"),
    Spec("tmdb.api_key", ("TMDB_API_KEY",), secret=True),
    Spec("tmdb.token", ("TMDB_TOKEN",), secret=True),
    Spec("tmdb.url", ("TMDB_URL",)),
    Spec("tmdb.rate", ("TMDB_RATE",), int, 40, help="requests per 10 s"),
    Spec("tmdb.concurrency", ("TMDB_CONCURRENCY",), int, 8, help="requests in flight"),
    Spec("run.source", ("REELSCALE_SOURCE",), choices=("radarr", "files")),
    Spec("run.library", ("REELSCALE_LIBRARY",), help="folder of movie files (files source)"),
    Spec("run.kometa_file", ("REELSCALE_KOMETA_FILE",), help="collection file written by a run"),
    Spec("run.batch_size", ("BATCH_SIZE",), int, 25),
    Spec("run.mode", ("CLAUDE_MODE",), str, "sync", choices=("sync", "batch", "auto")),
    Spec("run.max_items", ("MAX_EVALS_PER_RUN",), int),
    Spec("run.max_cost", ("MAX_COST_PER_RUN",), float),
    Spec("smtp.server", ("SMTP_SERVER", "SMTP_HOST")),
    Spec("smtp.port", ("SMTP_PORT",), int),
    Spec(
        "smtp.security", ("SMTP_SECURITY",), str, "starttls", choices=("plain", "starttls", "ssl")
    ),
    Spec("smtp.username", ("SMTP_USERNAME", "SMTP_USER")),
    Spec("smtp.password", ("SMTP_PASSWORD",), secret=True),
    Spec("smtp.from", ("NOTIFICATION_FROM", "SMTP_FROM")),
    Spec("smtp.reply_to", ("NOTIFICATION_REPLY_TO",)),
    Spec("smtp.recipients", ("NOTIFICATION_RECIPIENTS",), list, ()),
    Spec(
        "smtp.trigger",
        ("NOTIFICATION_TRIGGER",),
        str,
        "changes",
        choices=("changes", "errors", "always"),
        help="when to send: on changes (and errors), errors only, always",
    ),
    Spec("schedule.interval", ("SCHEDULE_INTERVAL",), help="1h, 1d, 1w, 1mo or a cron expression"),
    Spec("schedule.start_time", ("SCHEDULE_START_TIME",), help="HH:MM"),
    Spec("schedule.timezone", ("TZ",)),
)
BY_KEY = {s.key: s for s in SPECS}


@dataclass(frozen=True, slots=True)
class Value:
    spec: Spec
    value: Any
    source: str  # "--flag", "env NAME", "FILE [section] key" or "default"

    @property
    def shown(self) -> str:
        """The value for people: secrets masked, keeping the last 4 characters of long ones."""
        if self.value is None or self.value == ():
            return "-"
        if isinstance(self.value, tuple):
            return ", ".join(self.value)
        if self.spec.secret:
            text = str(self.value)
            return "****" + text[-4:] if len(text) >= 16 else "****"
        return str(self.value)


@dataclass(frozen=True, slots=True)
class Settings:
    values: Mapping[str, Value]

    def __getitem__(self, key: str) -> Any:
        return self.values[key].value

    def source(self, key: str) -> str:
        return self.values[key].source

    def described(self, key: str) -> str:
        """``RADARR_URL`` or ``reelscale.toml [radarr] url``: where to fix a setting."""
        value = self.values[key]
        if value.source.startswith("env "):
            return value.source[4:]
        if value.source in ("default", "--"):
            return value.spec.env[0] if value.spec.env else value.spec.key
        return value.source

    def with_flags(self, **flags: Any) -> Settings:
        """Command-line values win; a ``None`` flag means not given."""
        values = dict(self.values)
        for key, flag in flags.items():
            if flag is not None:
                spec = BY_KEY[key]
                values[key] = Value(spec, _convert(spec, flag, "--"), "--")
        return Settings(values)

    def as_dict(self) -> dict[str, dict[str, str]]:
        """Every setting, masked, with its source: what ``config check --json`` prints."""
        return {k: {"value": v.shown, "source": v.source} for k, v in self.values.items()}


def load_settings(config: Path | None = None, env: Mapping[str, str] = os.environ) -> Settings:
    """Resolve every setting from ``env`` and the TOML ``config`` (YAML configs hold none)."""
    tables: dict = {}
    if config is not None and config.is_file() and config.suffix.lower() == ".toml":
        try:
            tables = tomllib.loads(config.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise ConfigError(f"{config}: cannot read settings: {exc}") from exc
    values = {}
    for spec in SPECS:
        values[spec.key] = _resolve(spec, env, tables, config)
    return Settings(values)


def _resolve(spec: Spec, env: Mapping[str, str], tables: dict, config: Path | None) -> Value:
    for name in spec.env:
        raw = env.get(name)
        if raw not in (None, ""):
            return Value(spec, _convert(spec, raw, f"environment variable {name}"), f"env {name}")
    section, _, key = spec.key.partition(".")
    table = tables.get(section)
    if isinstance(table, dict) and key in table:
        where = f"{config} [{section}] {key}"
        return Value(spec, _convert(spec, table[key], where), where)
    return Value(spec, spec.default, "default")


def _convert(spec: Spec, raw: Any, where: str) -> Any:
    try:
        if spec.kind is list:
            items = raw.split(",") if isinstance(raw, str) else list(raw)
            value: Any = tuple(str(i).strip() for i in items if str(i).strip())
        elif spec.kind is int:
            if isinstance(raw, bool) or (isinstance(raw, float) and not raw.is_integer()):
                raise ValueError
            value = int(raw)
        elif spec.kind is float:
            if isinstance(raw, bool):
                raise ValueError
            value = float(raw)
        else:
            if not isinstance(raw, str | int | float) or isinstance(raw, bool):
                raise ValueError
            value = str(raw).strip()
    except (TypeError, ValueError):
        kind = {int: "a whole number", float: "a number", list: "a list"}.get(spec.kind, "text")
        raise ConfigError(f"{where}: {raw!r} is not {kind}; fix {spec.key}") from None
    if spec.choices and value not in spec.choices:
        raise ConfigError(
            f"{where}: {value!r} is not one of {', '.join(spec.choices)}; fix {spec.key}"
        )
    if spec.kind in (int, float) and value < 0:
        raise ConfigError(f"{where}: {value} must not be negative; fix {spec.key}")
    return value
