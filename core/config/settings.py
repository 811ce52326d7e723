"""The one frozen configuration of a reelscale command, built once in the CLI and passed down.

    config = load_config(find_config(None), {"run.batch_size": 10}, collections=True)
    RadarrClient(config.radarr); config.run.batch_size; config.collections

Layers, highest first: command-line flags, environment variables (Kometa-AI's names), the
``[radarr]``, ``[claude]``, ``[tmdb]``, ``[run]``, ``[smtp]``, ``[notify]`` and ``[schedule]``
tables of ``reelscale.toml``, the defaults of :mod:`core.config.model`. Nothing outside this
package reads the environment for a setting. Every problem is a
:class:`~core.errors.ConfigError` (exit 2) naming where the value came from and what to do;
secrets are never shown.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, PrivateAttr, SecretStr, ValidationError

from core.config.collection import Collection
from core.config.entry import did_you_mean, show
from core.config.files import load_collections
from core.config.model import (
    SECTIONS,
    ClaudeSettings,
    NotifySettings,
    RadarrSettings,
    RunSettings,
    ScheduleSettings,
    SMTPSettings,
    SonarrSettings,
    TMDBSettings,
)
from core.config.secret_url import SecretUrl
from core.config.sources import EnvSource, Origins, TomlSource, fields
from core.errors import ConfigError


class Config(BaseModel):
    """Everything a command needs to know: the settings sections and the collections."""

    model_config = ConfigDict(
        frozen=True, extra="forbid", hide_input_in_errors=True, arbitrary_types_allowed=True
    )

    file: Path | None = None
    collections: tuple[Collection, ...] = ()
    radarr: RadarrSettings = RadarrSettings()
    sonarr: SonarrSettings = SonarrSettings()
    claude: ClaudeSettings = ClaudeSettings()
    tmdb: TMDBSettings = TMDBSettings()
    run: RunSettings = RunSettings()
    smtp: SMTPSettings = SMTPSettings()
    notify: NotifySettings = NotifySettings()
    schedule: ScheduleSettings = ScheduleSettings()
    _origins: Origins | None = PrivateAttr(None)

    @property
    def sources(self) -> tuple[str, ...]:
        """The library sources of a run, in order: ``run.source``, else every server whose URL
        is set (Radarr, then Sonarr), else files."""
        if self.run.source:
            return self.run.source
        servers = tuple(name for name in ("radarr", "sonarr") if getattr(self, name).url)
        return servers or ("files",)

    @property
    def source(self) -> str:
        """The sources as one word: ``radarr``, ``sonarr``, ``radarr,sonarr`` or ``files``."""
        return ",".join(self.sources)

    def where(self, key: str) -> str:
        """Where to fix ``section.key``: ``RADARR_URL``, ``FILE [radarr] url`` or ``--flag``."""
        section, _, name = key.partition(".")
        if self._origins is None:
            return key
        return self._origins.described(section, name)

    def shown(self) -> dict[str, dict[str, str]]:
        """Every setting, masked, with its source: what ``config check`` prints."""
        rows = {}
        for section, key, _info in fields():
            value = getattr(getattr(self, section), _attribute(section, key))
            source = self._origins.source(section, key) if self._origins else "default"
            rows[f"{section}.{key}"] = {"value": mask(value), "source": source}
        return rows


def _attribute(section: str, key: str) -> str:
    for name, info in SECTIONS[section].model_fields.items():
        if (info.alias or name) == key:
            return name
    return key


def mask(value: Any) -> str:
    """A value for people: secrets masked (long keys keep their last 4 characters)."""
    if value is None or value == ():
        return "-"
    if isinstance(value, SecretUrl):
        return str(value)
    if isinstance(value, SecretStr):
        text = value.get_secret_value()
        return "****" + text[-4:] if len(text) >= 16 else "****"
    if isinstance(value, tuple):
        return ", ".join(map(str, value))
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def load_config(
    path: Path | None, flags: Mapping[str, Any] | None = None, *, collections: bool = False
) -> Config:
    """The configuration from ``path`` (TOML or Kometa YAML, may be None), the environment and
    ``flags`` (``{"run.batch_size": 10}``, ``None`` = not given); with ``collections``, the
    collections defined at ``path`` too."""
    flags = dict(flags or {})
    origins = Origins(flags, EnvSource(), TomlSource(path))
    found = tuple(load_collections(path)) if collections and path is not None else ()
    try:
        config = Config(file=path, collections=found, **origins.merged)
    except ValidationError as exc:
        raise ConfigError(describe(exc, origins)) from None
    config._origins = origins
    return config


_PLAIN = {
    "int_parsing": "is not a whole number",
    "int_type": "is not a whole number",
    "int_from_float": "is not a whole number",
    "float_parsing": "is not a number",
    "float_type": "is not a number",
    "string_type": "is not text",
    "bool_parsing": "is not true or false",
    "bool_type": "is not true or false",
    "tuple_type": "is not a list",
}


def describe(exc: ValidationError, origins: Origins) -> str:
    """One ConfigError message for all of a validation's problems, secrets left out."""
    problems = sorted(_problem(error, origins) for error in exc.errors(include_url=False))
    if len(problems) == 1:
        return problems[0][1]
    return "\n".join([f"{len(problems)} problems in the config:", *(p for _, p in problems)])


def _problem(error: Mapping[str, Any], origins: Origins) -> tuple[tuple[str, int], str]:
    """``((file, line), message)``; values from the environment or flags sort first."""
    loc = [str(part) for part in error["loc"]]
    kind = error["type"]
    if len(loc) == 1:
        at = origins.located(loc[0], None)
        if kind == "extra_forbidden":
            fix = did_you_mean(loc[0], SECTIONS, {"collections": "[[collection]]"})
            return at, f"{at[0]}:{at[1]}: unknown table [{loc[0]}]; {fix}"
        return at, f"{at[0]}:{at[1]}: [{loc[0]}] must be a table of settings; write it as one"
    section, key = loc[0], loc[1]
    at = origins.located(section, key)
    if kind == "extra_forbidden":
        fix = did_you_mean(key, [k for s, k, _ in fields() if s == section], {})
        return at, f"{at[0]}:{at[1]}: unknown key {key!r} in [{section}]; {fix}"
    what = _PLAIN.get(kind) or str(error["msg"]).removeprefix("Value error, ")
    what = what.replace("Input should be", "should be")
    shown = "" if _secret(section, key) or "input" not in error else f"{show(error['input'])} "
    source = origins.source(section, key)
    if source.startswith("env "):
        return ("", 0), f"environment variable {source[4:]}: {shown}{what}; fix {source[4:]}"
    if source.startswith("--"):
        return ("", 0), f"{source}: {shown}{what}; fix the option"
    if source == "default":
        return ("", 0), f"{section}.{key}: {what}"
    return at, f"{at[0]}:{at[1]}: [{section}] {key} {shown}{what}; fix it there"


def _secret(section: str, key: str) -> bool:
    info = SECTIONS[section].model_fields.get(_attribute(section, key))
    return info is not None and "Secret" in str(info.annotation)
