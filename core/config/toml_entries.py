"""Collections from a ``reelscale.toml``: its ``[[collection]]`` tables, with their lines.

:mod:`tomllib` gives values but no positions, so a light line scan of the same text finds where
each ``[[collection]]`` table and each key in it starts; messages can then point at the line to
edit. The scan skips the inside of multi-line strings, so a prompt whose text looks like TOML does
not move the lines. Other top-level tables are left alone: they hold settings other than the
collections, read elsewhere. Only a near-miss of ``collection`` (``[[collections]]``) is reported,
because otherwise a typo there would silently leave the config without collections.
"""

from __future__ import annotations

import difflib
import re
import tomllib
from dataclasses import dataclass, field

from core.config.entry import Entry, Field, Problems, did_you_mean, show

TOML_KEYS = (
    "name",
    "prompt",
    "tag",
    "kind",
    "confidence_threshold",
    "enabled",
    "priority",
    "genres_any",
    "genres_none",
    "year_min",
    "year_max",
)
_ALIASES = {
    "threshold": "confidence_threshold",
    "candidate_genres": "genres_any",
    "genres": "genres_any",
    "candidate_exclude_genres": "genres_none",
    "exclude_genres": "genres_none",
    "candidate_year_min": "year_min",
    "candidate_year_max": "year_max",
    "radarr_taglist": "tag",
    "sonarr_taglist": "tag",
    "type": "kind",
    "media": "kind",
}
_ENTRY_HEADER = re.compile(r"""\s*\[\[\s*(collection|"collection"|'collection')\s*\]\]""")
_HEADER = re.compile(r"""\s*\[\[?\s*([A-Za-z0-9_-]+|"[^"]*"|'[^']*')""")
_KEY = re.compile(r"""\s*([A-Za-z0-9_-]+|"[^"]*"|'[^']*')\s*[=.]""")
_DECODE_AT = re.compile(r"(.*) \(at line (\d+), column (\d+)\)\Z", re.S)


def read_toml(file: str, text: str, problems: Problems) -> list[Entry]:
    """The ``[[collection]]`` entries of a TOML config; problems go to ``problems``."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line, what = decode_position(exc, text)
        problems.add(file, line, f"invalid TOML: {what}", "fix the syntax there")
        return []
    except RecursionError:
        problems.add(file, 1, "invalid TOML: nested too deeply", "flatten the nested arrays")
        return []
    lines = Lines(text)
    for key in data:
        if key != "collection" and difflib.get_close_matches(key.lower(), ["collection"], 1, 0.75):
            problems.add(
                file,
                lines.top.get(key, 1),
                f"unknown top-level key {show(key)}",
                "did you mean [[collection]]?",
            )
    raw = data.get("collection")
    if raw is None:
        return []
    where = lines.top.get("collection", 1)
    if not isinstance(raw, list):
        problems.add(
            file,
            where,
            "'collection' is a single table",
            "write each collection as a [[collection]] table (double brackets)",
        )
        return []
    entries = []
    for index, item in enumerate(raw):
        located = lines.entries[index] if index < len(lines.entries) else _Located(where)
        entry = _entry(file, index, item, located, problems)
        if entry is not None:
            entries.append(entry)
    return entries


def _entry(file: str, index: int, item: object, located: _Located, problems: Problems):
    """One ``[[collection]]`` table as an Entry; unknown keys are problems, with did-you-mean."""
    if not isinstance(item, dict):
        problems.add(
            file,
            located.line,
            f"collection {index + 1} is not a table",
            "write each collection as a [[collection]] table",
        )
        return None
    label = (
        f"collection {show(item['name'])}" if isinstance(item.get("name"), str) else "collection"
    )
    fields = {}
    for key, value in item.items():
        line = located.keys.get(key, located.line)
        if key in TOML_KEYS:
            fields[key] = Field(key, value, line)
        else:
            problems.add(
                file,
                line,
                f"unknown key {show(key)} in {label}",
                did_you_mean(key, TOML_KEYS, _ALIASES),
            )
    return Entry(file, located.line, fields, enabled_default=True, tag_key="tag")


def decode_position(exc: tomllib.TOMLDecodeError, text: str) -> tuple[int, str]:
    """Line and message of a TOML syntax error (``lineno`` exists only from Python 3.14)."""
    message = str(exc.args[0]) if exc.args else str(exc)
    m = _DECODE_AT.match(message)
    if m:
        return int(m[2]), f"{m[1]} (column {m[3]})"
    if message.endswith(" (at end of document)"):
        return text.count("\n") + 1, message.removesuffix(" (at end of document)")
    return getattr(exc, "lineno", None) or 1, message


@dataclass(slots=True)
class _Located:
    line: int
    keys: dict[str, int] = field(default_factory=dict)


class Lines:
    """Where top-level keys, tables and their keys start (first occurrence); ``tables`` has the
    keys of the settings tables (``[radarr]``...), ``entries`` those of each ``[[collection]]``."""

    def __init__(self, text: str) -> None:
        self.top: dict[str, int] = {}
        self.entries: list[_Located] = []
        self.tables: dict[str, dict[str, int]] = {}
        table: str | None = None
        name = ""
        open_string = None
        for n, line in enumerate(text.split("\n"), 1):
            if open_string is not None:
                end = line.find(open_string)
                if end < 0:
                    continue
                open_string = _opens_multiline(line[end + 3 :])
                continue
            if line.lstrip().startswith("["):
                header = _HEADER.match(line)
                name = _unquote(header[1]) if header else ""
                self.top.setdefault(name, n)
                table = "entry" if _ENTRY_HEADER.match(line) else "other"
                if table == "entry":
                    self.entries.append(_Located(n))
            elif key := _KEY.match(line):
                key_name = _unquote(key[1])
                if table is None:
                    self.top.setdefault(key_name, n)
                elif table == "entry":
                    self.entries[-1].keys.setdefault(key_name, n)
                else:
                    self.tables.setdefault(name, {}).setdefault(key_name, n)
            open_string = _opens_multiline(line)


def _unquote(key: str) -> str:
    return key[1:-1] if key[:1] in ('"', "'") else key


def _opens_multiline(line: str) -> str | None:
    """The delimiter of a multi-line string left open at the end of ``line``, if any."""
    i = 0
    while i < len(line):
        char = line[i]
        if char == "#":
            return None
        if line.startswith(('"""', "'''"), i):
            delimiter = line[i : i + 3]
            end = line.find(delimiter, i + 3)
            if end < 0:
                return delimiter
            i = end + 3
        elif char in "\"'":
            j = i + 1
            while j < len(line) and line[j] != char:
                j += 2 if char == '"' and line[j] == "\\" else 1
            i = j + 1
        else:
            i += 1
    return None
