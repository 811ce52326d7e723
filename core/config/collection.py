"""The user's collections: what Claude judges movies against, and the Radarr tag that records it.

Two formats define collections, and a config path may name either, or a folder of Kometa files:

``reelscale.toml``  ``[[collection]]`` tables::

                        [[collection]]
                        name = "Film Noir"
                        prompt = "Crime stories in the noir tradition ..."
                        genres_any = ["Crime", "Thriller"]   # optional prefilters
                        year_max = 1965

                    Keys: ``name``, ``prompt`` (both required), ``tag``, ``confidence_threshold``,
                    ``enabled``, ``priority``, ``genres_any``, ``genres_none``, ``year_min``,
                    ``year_max``. Unknown keys are errors, so a typo never passes silently.
Kometa YAML         Kometa-AI's ``# === KOMETA-AI ===`` comment blocks above the collection keys
                    of ordinary Kometa files (:mod:`core.config.kometa_blocks`), so a Kometa-AI user
                    points reelscale at the existing config and keeps the same tags. A folder is
                    searched like Kometa-AI does: every ``**/*.y*ml`` whose name does not start
                    with ``_`` or ``.``, in sorted order.

Each format keeps its own default for ``enabled``: true in TOML (a table you write is meant to be
used), false in a Kometa-AI block (Kometa-AI's default, which its users rely on to park a block).

A collection's tag defaults to ``kai-<slug>`` with Kometa-AI's slug, so ``Film Noir`` is
``kai-film-noir`` in both tools; Radarr (v6) accepts only ``[a-z0-9-]`` and stores labels
lowercased, so tags are lowercased and checked against that rule here, before any request.

Every problem is reported as ``<file>:<line>: <what is wrong>; <what to do>``, and all problems of
a config come in one :class:`~core.errors.ConfigError` (exit code 2).
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from core.config.entry import Entry, Problems, show
from core.config.kometa_blocks import read_kometa
from core.config.toml_entries import read_toml
from core.errors import ConfigError

__all__ = [
    "CONFIG_ENV",
    "DEFAULT_CONFIG",
    "DEFAULT_THRESHOLD",
    "Collection",
    "find_config",
    "load_collections",
    "slugify",
]

DEFAULT_CONFIG = "reelscale.toml"
CONFIG_ENV = "REELSCALE_CONFIG"
DEFAULT_THRESHOLD = 0.7
TAG_PREFIX = "kai-"
TAG_RE = re.compile(r"[a-z0-9-]+\Z")
YAML_SUFFIXES = (".yml", ".yaml")


def slugify(name: str) -> str:
    """Kometa-AI's slug of a name: ``"Sci-Fi & Fantasy"`` → ``"sci-fi-fantasy"``.

    Lowercase, whitespace to ``-``, anything outside ``[a-z0-9-]`` dropped (accented letters too,
    exactly as Kometa-AI does, so the tags stay the same), runs of ``-`` collapsed, ends trimmed.
    """
    slug = re.sub(r"\s+", "-", name.lower())
    slug = re.sub(r"[^a-z0-9-]", "", slug)
    return re.sub(r"-+", "-", slug).strip("-")


def _genre_key(genre: str) -> str:
    return " ".join(genre.casefold().split())


@dataclass(frozen=True, slots=True, kw_only=True)
class Collection:
    """One collection: a prompt Claude judges movies against, and the Radarr tag of its members.

    ``slug`` is :func:`slugify` of the name (or, for a name without a-z/0-9, the tag without its
    ``kai-`` prefix), so it is never empty. ``source`` is ``file:line`` of the definition.

    >>> noir = Collection(name="Film Noir", slug="film-noir", prompt="Noir.", tag="kai-film-noir",
    ...                   genres_any=("Crime",), year_max=1965)
    >>> noir.applies_to(["crime", "Drama"], 1950), noir.applies_to(["Comedy"], 1950)
    (True, False)
    >>> noir.applies_to(None, None)   # nothing known: the prefilters let it through
    True
    """

    name: str
    slug: str
    prompt: str
    tag: str
    confidence_threshold: float = DEFAULT_THRESHOLD
    enabled: bool = True
    priority: int = 0
    genres_any: tuple[str, ...] = ()
    genres_none: tuple[str, ...] = ()
    year_min: int | None = None
    year_max: int | None = None
    source: str = ""
    _any: frozenset[str] = field(init=False, repr=False, compare=False)
    _none: frozenset[str] = field(init=False, repr=False, compare=False)
    _hash: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not TAG_RE.match(self.tag):
            raise ValueError(f"tag {self.tag!r} has characters other than a-z, 0-9 and '-'")
        if not 0 < self.confidence_threshold <= 1:
            raise ValueError(f"confidence_threshold {self.confidence_threshold} not in (0, 1]")
        if None not in (self.year_min, self.year_max) and self.year_min > self.year_max:
            raise ValueError(f"year_min {self.year_min} is after year_max {self.year_max}")
        object.__setattr__(self, "_any", frozenset(map(_genre_key, self.genres_any)))
        object.__setattr__(self, "_none", frozenset(map(_genre_key, self.genres_none)))
        digest = hashlib.sha256(self.prompt.encode("utf-8")).hexdigest()[:16]
        object.__setattr__(self, "_hash", digest)

    @property
    def prompt_hash(self) -> str:
        """First 16 hex digits of the prompt's SHA-256 (as Kometa-AI): a changed prompt re-judges.

        Prompts are stored stripped, so moving one between a YAML block and TOML, where trailing
        newlines differ, does not re-judge (and re-pay for) the whole library.
        """
        return self._hash

    def applies_to(self, genres: Sequence[str] | None, year: int | None) -> bool:
        """Whether the prefilters let a movie through to Claude; they fail open.

        Unknown data passes: no genres (``None`` or empty) passes the genre filters, no year
        (``None``, or 0, which Radarr reports for an unknown year) passes the year range. Genres
        compare case-insensitively; ``genres_any`` needs one in common, ``genres_none`` none.
        """
        if genres and (self._any or self._none):
            have = {_genre_key(g) for g in genres}
            if self._any and self._any.isdisjoint(have):
                return False
            if self._none and not self._none.isdisjoint(have):
                return False
        if year:
            if self.year_min is not None and year < self.year_min:
                return False
            if self.year_max is not None and year > self.year_max:
                return False
        return True

    def as_dict(self) -> dict:
        return {
            "name": self.name,
            "slug": self.slug,
            "tag": self.tag,
            "prompt": self.prompt,
            "prompt_hash": self.prompt_hash,
            "confidence_threshold": self.confidence_threshold,
            "enabled": self.enabled,
            "priority": self.priority,
            "genres_any": list(self.genres_any),
            "genres_none": list(self.genres_none),
            "year_min": self.year_min,
            "year_max": self.year_max,
            "source": self.source,
        }


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
    """
    problems = Problems()
    seen = _Seen()
    collections: list[Collection] = []
    for file in _config_files(Path(path)):
        text = _read_text(file, problems)
        if text is None:
            continue
        reader = read_toml if file.suffix.lower() == ".toml" else read_kometa
        for entry in reader(str(file), text, problems):
            collection = _build(entry, problems, seen)
            if collection is not None:
                collections.append(collection)
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


class _Invalid(Exception):
    def __init__(self, what: str, fix: str) -> None:
        self.what, self.fix = what, fix


def _build(entry: Entry, problems: Problems, seen: _Seen) -> Collection | None:
    """Check an entry's values and apply the defaults; None (and problems) if anything is wrong."""
    fields = entry.fields
    values: dict[str, object] = {}
    failed = False
    name = fields["name"].value if "name" in fields else None
    label = show(name.strip()) if isinstance(name, str) and name.strip() else "this collection"
    for key, fld in fields.items():
        try:
            values[key] = _CHECKS[key](fld.value)
        except _Invalid as exc:
            problems.add(entry.file, fld.line, f"{fld.key} of {label} {exc.what}", exc.fix)
            failed = True
    for key, what, fix in (
        ("name", "a collection has no name", 'add name = "..." to its table'),
        ("prompt", f"{label} has no prompt", "add one describing which movies belong in it"),
    ):
        if key not in fields:
            problems.add(entry.file, entry.line, what, fix)
            failed = True
    low, high = values.get("year_min"), values.get("year_max")
    if isinstance(low, int) and isinstance(high, int) and low > high:
        problems.add(
            entry.file,
            fields["year_min"].line,
            f"year_min {low} of {label} is after year_max {high}",
            "swap them",
        )
        failed = True
    slug = slugify(values["name"]) if "name" in values else ""
    if "name" in values and "tag" not in values and "tag" not in fields:
        if slug:
            values["tag"] = TAG_PREFIX + slug
        else:
            problems.add(
                entry.file,
                fields["name"].line,
                f"{label} has no letters a-z or digits to make a tag from",
                f"set {entry.tag_key} explicitly, e.g. kai-my-collection",
            )
            failed = True
    if not seen.unique(entry, values.get("name"), values.get("tag"), problems) or failed:
        return None
    values.setdefault("enabled", entry.enabled_default)
    return Collection(
        slug=slug or values["tag"].removeprefix(TAG_PREFIX) or values["tag"],
        source=f"{entry.file}:{entry.line}",
        **values,
    )


@dataclass(slots=True)
class _Seen:
    """Names (ignoring case) and tags already defined, so a second definition is reported.

    Checked even for entries with other problems, so one run shows every clash.
    """

    names: dict[str, Entry] = field(default_factory=dict)
    tags: dict[str, tuple[str, Entry]] = field(default_factory=dict)

    def unique(self, entry: Entry, name, tag, problems: Problems) -> bool:
        if name is not None:
            first = self.names.setdefault(_genre_key(name), entry)
            if first is not entry:
                what = (
                    f"collection {show(name)} is defined twice (first at {first.file}:{first.line})"
                )
                problems.add(entry.file, entry.line, what, "rename or delete one of them")
                return False
        if tag is not None and name is not None:
            first_name, first = self.tags.setdefault(tag, (name, entry))
            if first is not entry:
                what = (
                    f"tag {show(tag)} of {show(name)} is already used by {show(first_name)} "
                    f"({first.file}:{first.line})"
                )
                problems.add(entry.file, entry.line, what, "give one of them another tag")
                return False
        return True


def _text(value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise _Invalid(f"is {show(value)}", "write it as non-empty text")
    return value.strip()


def _name(value: object) -> str:
    text = _text(value)
    if "\n" in text:
        raise _Invalid("spans several lines", "keep the name on one line")
    return text


def _tag(value: object) -> str:
    tag = _text(value).lower()
    if not TAG_RE.match(tag):
        raise _Invalid(f"is {show(value)}, which Radarr rejects", "use only a-z, 0-9 and '-'")
    return tag


def _threshold(value: object) -> float:
    fix = "use a number above 0 and at most 1, e.g. 0.7"
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _Invalid(f"is {show(value)}, not a number", fix)
    if not 0 < value <= 1:
        raise _Invalid(f"is {value}, out of range", fix)
    return float(value)


def _flag(value: object) -> bool:
    if not isinstance(value, bool):
        raise _Invalid(f"is {show(value)}", "write true or false")
    return value


def _whole(example: int):
    def check(value: object) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise _Invalid(f"is {show(value)}, not a whole number", f"write one, e.g. {example}")
        return value

    return check


def _genres(value: object) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(g, str) and g.strip() for g in value):
        raise _Invalid(f"is {show(value)}", 'write a list of genre names, e.g. ["Crime", "Drama"]')
    return tuple(g.strip() for g in value)


_CHECKS = {
    "name": _name,
    "prompt": _text,
    "tag": _tag,
    "confidence_threshold": _threshold,
    "enabled": _flag,
    "priority": _whole(10),
    "genres_any": _genres,
    "genres_none": _genres,
    "year_min": _whole(1990),
    "year_max": _whole(1999),
}
