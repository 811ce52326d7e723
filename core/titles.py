"""Ranked title candidates of a parsed release name: the title first, then the titles it may hold.

A release name often carries more than one title: ``Original / English (2020)``,
``Original.English.2020`` (a Cyrillic or CJK title beside its Latin one), ``Title AKA Other``,
or ``Prefix - Title`` where the parser cannot tell a site or group prefix from a title segment.
The parser keeps the title as written (Radarr's convention, and what the corpora expect); the
enrich stage tries these candidates against TMDB in order, keeps the one that matches, and leaves
the item unmatched when two candidates match different films. Nothing here runs while parsing:
candidates are derived from the title string (the store keeps only the title), so the scan's hot
path does not pay for them. It sits below both the source (``Release.titles``) and the enrich
stage, which the pipeline's layers keep apart.

>>> candidates("Енола Голмс / Enola Holmes")
('Енола Голмс / Enola Holmes', 'Enola Holmes', 'Енола Голмс')
>>> candidates("Брат Brother")
('Брат Brother', 'Brother', 'Брат')
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

__all__ = ["candidates"]

_ALTERNATIVES = re.compile(r"\s+[/|]\s+|\s+(?i:aka|a\.k\.a\.?)\s+")
_SEGMENT = re.compile(r"\s+-\s+")
_WORD = re.compile(r"\S+")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")


def _latin(word: str) -> bool | None:
    """True for a word in Latin letters, False for one in another script, None without letters."""
    for ch in word:
        if ch.isalpha():
            return ch.isascii() or unicodedata.name(ch, "").startswith("LATIN")
    return None


def _by_script(title: str) -> list[str]:
    """ "Брат Brother" -> ["Brother", "Брат"]: the Latin words and the others, when both occur
    as runs (digits and punctuation go with the run they sit in)."""
    words = _WORD.findall(title)
    latin, other, last = [], [], None
    for word in words:
        kind = _latin(word)
        kind = last if kind is None else kind
        (latin if kind else other).append(word)
        last = kind
    if not latin or not other or not any(_latin(w) for w in latin):
        return []
    return [" ".join(latin), " ".join(other)]


def _ranked(parts: list[str]) -> list[str]:
    """Latin-script parts first (TMDB's search covers translated titles best in them)."""
    return sorted(parts, key=lambda p: not _latin(p.lstrip("([")))


@lru_cache(maxsize=4096)
def candidates(title: str) -> tuple[str, ...]:
    """The title, then each side of a bilingual or AKA split, each script's run of words, the
    title without (then only) its first `` - `` segment, and its joined words apart
    ("WandererSilence"); duplicates and empty parts dropped."""
    found = [title]
    parts = [p.strip() for p in _ALTERNATIVES.split(title)]
    if len(parts) > 1:
        found += _ranked(parts)
    for part in list(found):
        found += _by_script(part)
    segments = _SEGMENT.split(title, maxsplit=1)
    if len(segments) == 2:
        found += [segments[1], segments[0]]
    if _CAMEL.search(title):
        found.append(_CAMEL.sub(" ", title))  # "WandererSilence": a "/" or spaces dropped
    out: list[str] = []
    for c in found:
        c = c.strip(" -/|")
        if c and c not in out:
            out.append(c)
    return tuple(out)
