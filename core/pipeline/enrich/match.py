"""Pick the TMDB candidate a parsed (title, year) refers to, with a confidence.

Titles are compared after normalisation (case, accents, punctuation and ``&`` folded away, as
scene names lose them) with rapidfuzz's normalised similarity, against the title, the original
title and any alternative titles. The year weighs in: exact 1.0, one year off 0.9 (release
dates differ between countries), unknown 0.9, anything else 0.5. When another candidate fits as
well (a remake and no year in the name, or two films sharing title and year), the match is
ambiguous and its confidence is cut, so it falls below the threshold and stays unmatched rather
than guessed.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz.distance import Indel

_NON_WORD = re.compile(r"[\W_]+")
_APOSTROPHES = re.compile(r"['’`´]")


@dataclass(slots=True, frozen=True)
class Candidate:
    """The part of a TMDB search result that matching and the cache need."""

    id: int
    title: str
    original_title: str
    year: int | None
    popularity: float

    @classmethod
    def from_search_result(cls, result: dict) -> Candidate:
        date = result.get("release_date") or ""
        return cls(
            id=int(result["id"]),
            title=str(result.get("title") or ""),
            original_title=str(result.get("original_title") or ""),
            year=int(date[:4]) if date[:4].isdigit() else None,
            popularity=float(result.get("popularity") or 0.0),
        )

    def as_list(self) -> list:
        return [self.id, self.title, self.original_title, self.year, self.popularity]

    @classmethod
    def from_list(cls, values: list) -> Candidate:
        return cls(*values)


@dataclass(slots=True, frozen=True)
class Match:
    tmdb_id: int
    confidence: float


@lru_cache(maxsize=65536)
def normalise(title: str) -> str:
    """``"Amélie & Léon: Part 2"`` -> ``"amelie and leon part 2"``; letters of other scripts are
    kept (``"Брат"`` -> ``"брат"``), so a Cyrillic or CJK title neither matches every other one
    nor shares its search-cache key with the Latin part of its name."""
    text = unicodedata.normalize("NFKD", title)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    text = _APOSTROPHES.sub("", text.replace("&", " and "))
    return _NON_WORD.sub(" ", text).strip()


def similarity(a: str, b: str) -> float:
    return Indel.normalized_similarity(normalise(a), normalise(b))


def _year_factor(wanted: int | None, found: int | None) -> float:
    if wanted is None or found is None:
        return 0.9
    gap = abs(wanted - found)
    return 1.0 if gap == 0 else 0.9 if gap == 1 else 0.5


def best_match(
    title: str,
    year: int | None,
    candidates: list[Candidate],
    *,
    threshold: float,
) -> tuple[Match | None, float]:
    """The matching candidate (or None below ``threshold``) and the best confidence seen."""
    if not candidates or not title:
        return None, 0.0
    scored = []
    for c in candidates:
        sim = max(similarity(title, c.title), similarity(title, c.original_title or c.title))
        scored.append((sim * _year_factor(year, c.year), sim, c.popularity, c))
    scored.sort(key=lambda s: (s[0], s[2]), reverse=True)
    confidence, _, _, best = scored[0]
    if any(conf >= confidence - 0.02 and c.id != best.id for conf, _, _, c in scored[1:]):
        confidence *= 0.7
    confidence = round(confidence, 4)
    if confidence < threshold:
        return None, confidence
    return Match(best.id, confidence), confidence
