"""Where settings come from: command-line flags > environment > the TOML file's tables > defaults.

Each layer returns the nested ``{section: {key: value}}`` it holds; :func:`merge` lays them over
each other and pydantic validates the result. The layers are kept (:class:`Origins`), so every
effective value can say where it came from, which ``config check`` shows and error messages use
("fix RADARR_URL", "fix reelscale.toml [run] batch_size").

Why not pydantic-settings' source loop: Kometa-AI's variables are flat names for nested fields
(``RADARR_URL`` for ``radarr.url``), which its environment source does not map, and it keeps no
provenance; what it would add over these few lines is its import, 1.3 MB of RSS in a run that
must stay under 100 MB (measured with ``reelscale bench numbers run`` at 10k movies).
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from pydantic.fields import FieldInfo

from core.config.model import SECTIONS
from core.config.toml_entries import Lines, decode_position
from core.errors import ConfigError

COLLECTION_TABLE = "collection"


def fields() -> Iterator[tuple[str, str, FieldInfo]]:
    """``(section, key, field)`` of every setting; ``key`` is the name used in TOML."""
    for section, model in SECTIONS.items():
        for name, info in model.model_fields.items():
            yield section, info.alias or name, info


def env_names(info: FieldInfo) -> list[str]:
    extra = info.json_schema_extra
    return list(extra.get("env", ())) if isinstance(extra, dict) else []


class EnvSource:
    """The environment variables Kometa-AI users set (``RADARR_URL``, ``CLAUDE_API_KEY``...):
    flat names declared on each field, the first one set (and not empty) wins."""

    def __init__(self, env: Mapping[str, str] | None = None) -> None:
        self.env = os.environ if env is None else env
        self.names: dict[tuple[str, str], str] = {}

    def __call__(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for section, key, info in fields():
            for name in env_names(info):
                raw = self.env.get(name)
                if raw not in (None, ""):
                    out.setdefault(section, {})[key] = raw
                    self.names[section, key] = name
                    break
        return out


class TomlSource:
    """The settings tables of ``reelscale.toml`` (``[radarr]``, ``[run]``...), with their lines.

    The ``[[collection]]`` tables are the collections' business
    (:mod:`core.config.collection`); a Kometa YAML config holds no settings.
    """

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.lines: Lines | None = None

    def __call__(self) -> dict[str, Any]:
        path = self.path
        if path is None or path.suffix.lower() != ".toml" or not path.is_file():
            return {}
        try:
            text = path.read_text(encoding="utf-8-sig")
            data = tomllib.loads(text)
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{path}: cannot read settings: {exc}") from exc
        except tomllib.TOMLDecodeError as exc:
            line, what = decode_position(exc, text)
            raise ConfigError(f"{path}:{line}: invalid TOML: {what}; fix the syntax there") from exc
        self.lines = Lines(text)
        data.pop(COLLECTION_TABLE, None)
        return data

    def line(self, section: str, key: str | None = None) -> int:
        if self.lines is None:
            return 1
        if key is None:
            return self.lines.top.get(section, 1)
        return self.lines.tables.get(section, {}).get(key, self.lines.top.get(section, 1))


def nest(flags: Mapping[str, Any]) -> dict[str, Any]:
    """``{"run.batch_size": 10}`` -> ``{"run": {"batch_size": 10}}``; ``None`` means not given."""
    out: dict[str, Any] = {}
    for dotted, value in flags.items():
        if value is not None:
            section, _, key = dotted.partition(".")
            out.setdefault(section, {})[key] = value
    return out


def merge(*layers: Mapping[str, Any]) -> dict[str, Any]:
    """The layers laid over each other, later ones winning key by key within a section."""
    out: dict[str, Any] = {}
    for layer in layers:
        for section, values in layer.items():
            if isinstance(values, Mapping) and isinstance(out.get(section), dict):
                out[section] = {**out[section], **values}
            else:
                out[section] = dict(values) if isinstance(values, Mapping) else values
    return out


class Origins:
    """The layers of one configuration, and where each effective value came from."""

    def __init__(self, flags: Mapping[str, Any], env: EnvSource, toml: TomlSource) -> None:
        self.flags = {k for k, v in flags.items() if v is not None}
        self.env = env
        self.toml = toml
        self.file_values = toml()
        self.env_values = env()
        self.merged = merge(self.file_values, self.env_values, nest(flags))

    def source(self, section: str, key: str) -> str:
        """``--flag``, ``env NAME``, ``FILE [section] key`` or ``default``."""
        if f"{section}.{key}" in self.flags:
            return "--" + key.replace("_", "-")
        if (section, key) in self.env.names:
            return "env " + self.env.names[section, key]
        if key in self.file_values.get(section, {}):
            return f"{self.toml.path} [{section}] {key}"
        return "default"

    def described(self, section: str, key: str) -> str:
        """Where to fix a setting: ``RADARR_URL``, ``reelscale.toml [radarr] url`` or the flag."""
        source = self.source(section, key)
        if source.startswith("env "):
            return source[4:]
        if source == "default":
            for s, k, info in fields():
                if (s, k) == (section, key):
                    names = env_names(info)
                    return names[0] if names else f"[{section}] {key}"
        return source

    def located(self, section: str, key: str | None) -> tuple[str, int]:
        """The file and line of a TOML value, for a message about it."""
        return str(self.toml.path), self.toml.line(section, key)
