"""What the config readers hand to the validator, and how problems are collected.

The TOML reader and the Kometa-AI block reader only find fields and the lines they sit on;
:mod:`core.config.collection` checks the values, applies defaults and builds the collections. Both
formats therefore share one set of rules and one wording of messages. Problems are collected rather
than raised one at a time, so a user fixing a config sees every mistake in one run.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import NamedTuple

from core.errors import ConfigError


class Field(NamedTuple):
    """A value as found: ``key`` as the user wrote it (used in messages), ``line`` 1-based."""

    key: str
    value: object
    line: int


@dataclass(frozen=True, slots=True)
class Entry:
    """One collection definition as read, before validation.

    ``fields`` is keyed by reelscale's names (``genres_any`` even where the file says
    ``candidate_genres``). ``enabled_default`` differs per format, and ``tag_key`` is the name the
    user would write to set the tag (``tag`` in TOML, ``radarr_taglist`` in Kometa).
    """

    file: str
    line: int
    fields: dict[str, Field]
    enabled_default: bool
    tag_key: str
    kometa_ai_prompt_hash: str | None = None  # Kometa-AI's hash of this block's prompt


class ConfigWarning(UserWarning):
    """A config reelscale reads, but not the way the user may expect (Kometa-AI's leniencies)."""


@dataclass(slots=True)
class Problems:
    """Every problem found in a config, each one ``"<file>:<line>: <what>; <what to do>"``, and
    the warnings: things Kometa-AI goes on after, so reelscale goes on too, but says so."""

    found: list[tuple[str, int, ConfigError]] = field(default_factory=list)
    warned: list[tuple[str, int, str]] = field(default_factory=list)

    def add(self, file: str, line: int, what: str, fix: str) -> None:
        self.found.append((file, line, ConfigError(f"{file}:{line}: {what}; {fix}")))

    def warn(self, file: str, line: int, what: str, fix: str) -> None:
        self.warned.append((file, line, f"{file}:{line}: {what}; {fix}"))

    def warnings(self) -> list[str]:
        """The warnings in file and line order."""
        return [text for _, _, text in sorted(self.warned, key=lambda w: (w[0], w[1]))]

    def error(self) -> ConfigError | None:
        """One error listing all problems in file and line order (None when there are none)."""
        if not self.found:
            return None
        ordered = [e for _, _, e in sorted(self.found, key=lambda p: (p[0], p[1]))]
        if len(ordered) == 1:
            return ordered[0]
        return ConfigError(
            "\n".join([f"{len(ordered)} problems in the config:", *map(str, ordered)])
        )


def did_you_mean(key: str, known: Iterable[str], aliases: Mapping[str, str]) -> str:
    """The fix for an unknown key: the closest known key, else the list of known keys.

    Words of a key count too (``treshold`` finds ``confidence_threshold``). ``aliases`` maps names
    users bring from the other format (``candidate_genres`` in TOML, ``threshold``) to the key
    they meant; difflib alone misses those.
    """
    known = list(known)
    lowered = key.lower()
    if lowered in aliases:
        return f"did you mean {aliases[lowered]!r}?"
    by_word = {k: k for k in known}
    for k in known:
        for word in k.split("_"):
            by_word.setdefault(word, k)
    close = difflib.get_close_matches(lowered, by_word, n=1, cutoff=0.7)
    if close:
        return f"did you mean {by_word[close[0]]!r}?"
    return "the known keys are " + ", ".join(known)


def show(value: object) -> str:
    """A short rendering of a value for a message (never the whole of a long text)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return repr(value if len(value) <= 40 else value[:37] + "...")
    if isinstance(value, list | tuple):
        return "a list"
    if isinstance(value, dict):
        return "a table"
    if value is None:
        return "nothing"
    text = str(value)  # a number, or an odd YAML value (!!binary bytes, a !!set)
    return text if len(text) <= 40 else text[:37] + "..."
