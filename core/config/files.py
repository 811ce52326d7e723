"""Finding the config and reading its collections: a ``reelscale.toml``, a Kometa YAML file,
or a folder of Kometa files (searched like Kometa-AI does: every ``**/*.y*ml`` whose name does
not start with ``_`` or ``.``, in sorted order).

All problems of a config come in one :class:`~core.errors.ConfigError` (exit code 2), each as
``<file>:<line>: <what is wrong>; <what to do>``.
"""

from __future__ import annotations

import os
import warnings
from pathlib import Path

from core.config.collection import Collection
from core.config.collection_check import Seen, build
from core.config.entry import ConfigWarning, Problems
from core.config.kometa_blocks import read_kometa
from core.config.toml_entries import read_toml
from core.errors import ConfigError

DEFAULT_CONFIG = "reelscale.toml"
CONFIG_ENV = "REELSCALE_CONFIG"
DEFAULT_DB = "reelscale.db"
DB_ENV = "REELSCALE_DB"  # read by the CLI's --db option
YAML_SUFFIXES = (".yml", ".yaml")


def find_config(explicit: str | None, *, required: bool = True) -> Path | None:
    """The config to use: ``--config``, else ``$REELSCALE_CONFIG``, else ``./reelscale.toml``.

    A path that was named but does not exist is an error; with ``required=False`` no config at
    all gives ``None`` (settings then come from the environment and flags alone).
    """
    if explicit:
        path, origin = Path(explicit), "--config"
    elif os.environ.get(CONFIG_ENV):
        path, origin = Path(os.environ[CONFIG_ENV]), CONFIG_ENV
    else:
        path = Path(DEFAULT_CONFIG)
        if path.exists() or not required:
            return path if path.exists() else None
        raise ConfigError(
            f"{path}: no config in the current folder; create one with [[collection]] "
            "tables, pass --config PATH (a reelscale.toml, a Kometa YAML file or folder), "
            "or run 'reelscale synth collections -o reelscale.toml' for an example"
        )
    if not path.exists():
        raise ConfigError(f"{path}: config not found (from {origin}); check the path")
    return path


def load_collections(path: str | os.PathLike[str]) -> list[Collection]:
    """Read and check every collection under ``path``, by priority (highest first), then name.

    ``path`` is a ``.toml`` file, a Kometa ``.yml``/``.yaml`` file, or a folder of Kometa files.
    Raises one :class:`~core.errors.ConfigError` listing every problem found (the first line says
    how many when there are several); a Kometa file without blocks simply adds no collection.
    What Kometa-AI 0.5.7 reads and goes on after (a collection defined in two files, fields it
    does not know) and where its reading differs from the YAML's is a
    :class:`~core.config.entry.ConfigWarning` (``warnings.warn``; the CLI prints each as
    ``Warning: <file>:<line>: ...``).
    """
    problems = Problems()
    seen = Seen()
    collections: list[Collection] = []
    for file in _config_files(Path(path)):
        text = _read_text(file, problems)
        if text is None:
            continue
        reader = read_toml if file.suffix.lower() == ".toml" else read_kometa
        for entry in reader(str(file), text, problems):
            collection = build(entry, problems, seen)
            if collection is not None:
                collections.append(collection)
    for text in problems.warnings():
        warnings.warn(text, ConfigWarning, stacklevel=2)
    if error := problems.error():
        raise error
    return sorted(collections, key=lambda c: (-c.priority, c.name.casefold(), c.name))


def _config_files(path: Path) -> list[Path]:
    if path.is_dir():
        files = sorted(
            p
            for p in path.glob("**/*.y*ml")
            if p.suffix.lower() in YAML_SUFFIXES and p.is_file() and p.name[0] not in "_."
        )
        if not files:
            raise ConfigError(f"{path}: no .yml or .yaml files in this folder; check the path")
        return files
    if not path.exists():
        raise ConfigError(f"{path}: no such file or folder; check the path")
    if path.suffix.lower() not in (".toml", *YAML_SUFFIXES):
        raise ConfigError(
            f"{path}: not a config file reelscale reads; use a .toml file, a Kometa "
            ".yml/.yaml file or a folder of them"
        )
    return [path]


def _read_text(file: Path, problems: Problems) -> str | None:
    try:
        data = file.read_bytes()
    except OSError as exc:
        problems.add(
            str(file), 1, f"cannot read the file ({exc.strerror})", "check its permissions"
        )
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        problems.add(str(file), line, "the file is not valid UTF-8", "save it as UTF-8")
        return None
    return text.removeprefix("\ufeff").replace("\r\n", "\n")
