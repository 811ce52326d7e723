"""The user's collections: what Claude judges movies against, and the Radarr tag that records it.

Two formats define collections, and a config path may name either, or a folder of Kometa files:

``reelscale.toml``  ``[[collection]]`` tables::

                        [[collection]]
                        name = "Film Noir"
                        prompt = "Crime stories in the noir tradition ..."
                        genres_any = ["Crime", "Thriller"]   # optional prefilters
                        year_max = 1965

                    Keys: ``name``, ``prompt`` (both required), ``tag``, ``kind``,
                    ``confidence_threshold``, ``enabled``, ``priority``, ``genres_any``,
                    ``genres_none``, ``year_min``, ``year_max``. Unknown keys are errors, so a
                    typo never passes silently.
Kometa YAML         Kometa-AI's ``# === KOMETA-AI ===`` comment blocks above the collection keys
                    of ordinary Kometa files (:mod:`core.config.kometa_blocks`), so a Kometa-AI user
                    points reelscale at the existing config and keeps the same tags. A folder is
                    searched like Kometa-AI does: every ``**/*.y*ml`` whose name does not start
                    with ``_`` or ``.``, in sorted order.

Each format keeps its own default for ``enabled``: true in TOML (a table you write is meant to be
used), false in a Kometa-AI block (Kometa-AI's default, which its users rely on to park a block).

A collection's ``kind`` says what it holds: ``movies`` (the default, so every config written
before series existed keeps its meaning), ``series`` or ``both``. Movies (from Radarr or a movie
folder) are judged only against collections whose kind covers movies, series (from Sonarr or a
show folder) only against those covering series; a ``both`` collection keeps one tag in Radarr
and Sonarr alike. In a Kometa file a collection collected with ``sonarr_taglist`` is a series
collection (:mod:`core.config.kometa_blocks`).

A collection's tag defaults to ``kai-<slug>`` with Kometa-AI's slug, so ``Film Noir`` is
``kai-film-noir`` in both tools; Radarr (v6) accepts only ``[a-z0-9-]`` and stores labels
lowercased, so tags are lowercased and checked against that rule here, before any request.

Reading and checking the definitions is :mod:`core.config.files` and
:mod:`core.config.collection_check`.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from core.errors import UsageError

__all__ = ["DEFAULT_THRESHOLD", "KINDS", "Collection", "select", "slugify"]

DEFAULT_THRESHOLD = 0.7
KINDS = ("movies", "series", "both")
"""What a collection may hold; an item's kind is ``movies`` or ``series``."""
TAG_PREFIX = "kai-"
TAG_RE = re.compile(r"[a-z0-9-]+\Z")


def slugify(name: str) -> str:
    """Kometa-AI's slug of a name: ``"Sci-Fi & Fantasy"`` → ``"sci-fi-fantasy"``.

    Lowercase, whitespace to ``-``, anything outside ``[a-z0-9-]`` dropped (accented letters too,
    exactly as Kometa-AI does, so the tags stay the same), runs of ``-`` collapsed, ends trimmed.
    """
    slug = re.sub(r"\s+", "-", name.lower())
    slug = re.sub(r"[^a-z0-9-]", "", slug)
    return re.sub(r"-+", "-", slug).strip("-")


def genre_key(genre: str) -> str:
    return " ".join(genre.casefold().split())


@dataclass(frozen=True, slots=True, kw_only=True)
class Collection:
    """One collection: a prompt Claude judges movies against, and the Radarr tag of its members.

    ``slug`` is :func:`slugify` of the name (or, for a name without a-z/0-9, the tag without its
    ``kai-`` prefix), so it is never empty. ``source`` is ``file:line`` of the definition.
    ``kometa_ai_prompt_hash`` (Kometa-AI blocks only) is the prompt hash Kometa-AI 0.5.7 stores
    for this collection, which ``reelscale import kometa-ai`` compares with its decisions.

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
    kind: str = "movies"
    confidence_threshold: float = DEFAULT_THRESHOLD
    enabled: bool = True
    priority: int = 0
    genres_any: tuple[str, ...] = ()
    genres_none: tuple[str, ...] = ()
    year_min: int | None = None
    year_max: int | None = None
    source: str = ""
    kometa_ai_prompt_hash: str | None = field(default=None, repr=False, compare=False)
    _any: frozenset[str] = field(init=False, repr=False, compare=False)
    _none: frozenset[str] = field(init=False, repr=False, compare=False)
    _hash: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not TAG_RE.match(self.tag):
            raise ValueError(f"tag {self.tag!r} has characters other than a-z, 0-9 and '-'")
        if self.kind not in KINDS:
            raise ValueError(f"kind {self.kind!r} is not one of {', '.join(KINDS)}")
        if not 0 < self.confidence_threshold <= 1:
            raise ValueError(f"confidence_threshold {self.confidence_threshold} not in (0, 1]")
        if None not in (self.year_min, self.year_max) and self.year_min > self.year_max:
            raise ValueError(f"year_min {self.year_min} is after year_max {self.year_max}")
        object.__setattr__(self, "_any", frozenset(map(genre_key, self.genres_any)))
        object.__setattr__(self, "_none", frozenset(map(genre_key, self.genres_none)))
        digest = hashlib.sha256(self.prompt.encode("utf-8")).hexdigest()[:16]
        object.__setattr__(self, "_hash", digest)

    @property
    def prompt_hash(self) -> str:
        """First 16 hex digits of the prompt's SHA-256 (as Kometa-AI): a changed prompt re-judges.

        Prompts are stored stripped, so moving one between a YAML block and TOML, where trailing
        newlines differ, does not re-judge (and re-pay for) the whole library.
        """
        return self._hash

    def covers(self, kind: str) -> bool:
        """Whether items of ``kind`` (``movies`` or ``series``) are judged for this collection.

        >>> Collection(name="Cop shows", slug="cop-shows", prompt=".", tag="kai-cop-shows",
        ...            kind="series").covers("movies")
        False
        """
        return self.kind == "both" or self.kind == kind

    def applies_to(self, genres: Sequence[str] | None, year: int | None) -> bool:
        """Whether the prefilters let a movie through to Claude; they fail open.

        Unknown data passes: no genres (``None`` or empty) passes the genre filters, no year
        (``None``, or 0, which Radarr reports for an unknown year) passes the year range. Genres
        compare case-insensitively; ``genres_any`` needs one in common, ``genres_none`` none.
        """
        if genres and (self._any or self._none):
            have = {genre_key(g) for g in genres}
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
            "kind": self.kind,
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


def of_kind(collections: Sequence[Collection], kind: str) -> list[Collection]:
    """The collections judged for items of ``kind`` (``movies`` or ``series``), in order."""
    return [c for c in collections if c.covers(kind)]


def select(collections: Sequence[Collection], only: str | None) -> list[Collection]:
    """The enabled collections, or the one named by ``--collection``."""
    enabled = [c for c in collections if c.enabled]
    if only is None:
        return enabled
    chosen = [c for c in enabled if c.name == only or c.tag == only]
    if not chosen:
        known = ", ".join(c.name for c in enabled) or "none"
        raise UsageError(f"no enabled collection named {only!r}; known: {known}")
    return chosen
