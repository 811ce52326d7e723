"""What the stand-in Claude answers: the library's hidden traits, judged with a tunable error.

Ground truth: each movie of the served library is found by its normalised (title, year) — the
overview breaks ties between remakes — and each collection by its name in
``synthetic.library.collection_defs.BY_NAME``, which says which hidden trait it stands for. A movie
the library does not have, and a collection with an unknown name, is a member of nothing. A series
request (its instructions say so: :func:`core.clients.claude.wire.request_kind`) is answered the
same way from the served series library (:mod:`synthetic.library.series`) and its collections
(``SERIES_BY_NAME``), with the same accuracy model.

The accuracy model makes the batch size a real trade-off: bigger requests are cheaper per movie
(the cached prefix and the per-request overhead are shared), but each judgment is more likely to be
wrong, the more so the later the movie comes in the list (long contexts, long answers)::

    error(n, i) = base + n / 100 * (size_coef + position_coef * i / (n - 1))    i = 0 .. n-1

With the defaults a batch of 10 gets about 0.7 % of its judgments wrong, 50 about 1.7 %, 200 about
5.5 % (``expected_accuracy(n)`` gives 1 - the mean error exactly). Every draw is a hash of (seed,
movie, collection, n, i), not a shared random stream, so the same request always gets the same
answer however requests interleave. The confidences are shaped for a decision threshold anywhere
in (0.55, 0.6]: correct members get 0.75-0.99 (some 0.6-0.8, so a near-threshold recheck has
work), correct non-members are left out (sometimes listed at 0.3-0.55), a wrong judgment flips the
verdict (a member is left out or gets < 0.55; a non-member gets 0.72-0.9).
"""

from __future__ import annotations

import hashlib
import re
import struct
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from core.clients.claude.wire import WireCollection, WireMovie, one_line
from synthetic.library.collection_defs import BY_NAME
from synthetic.library.movies import Movie
from synthetic.library.series import SERIES_COLLECTIONS

_NON_WORD = re.compile(r"[\W_]+")
_U32 = float(1 << 32)
_THREE_U32 = struct.Struct("<3I").unpack
OVERVIEW_TAG_CHARS = 64
_BY_FOLDED_NAME = {name.casefold(): c for name, c in BY_NAME.items()}
SERIES_BY_NAME = {c.name.casefold(): c for c in SERIES_COLLECTIONS}


@dataclass(frozen=True, slots=True, kw_only=True)
class AccuracyModel:
    """Per-judgment error rate as a function of batch size and position, and the p shapes."""

    base: float = 0.0045
    size_coef: float = 0.015
    position_coef: float = 0.02
    max_error: float = 0.5
    near_threshold: float = 0.08
    listed_non_member: float = 0.05
    omit_missed: float = 0.5

    def __post_init__(self) -> None:
        for name in ("base", "size_coef", "position_coef"):
            if getattr(self, name) < 0:
                raise ValueError(f"{name} must be >= 0")
        for name in ("max_error", "near_threshold", "listed_non_member", "omit_missed"):
            if not 0.0 <= getattr(self, name) <= 1.0:
                raise ValueError(f"{name} must be in [0, 1]")

    def error_rate(self, n: int, i: int) -> float:
        """The chance that a judgment of the ``i``-th (0-based) of ``n`` movies is wrong."""
        position = i / (n - 1) if n > 1 else 0.0
        e = self.base + n / 100 * (self.size_coef + self.position_coef * position)
        return min(self.max_error, e)

    def expected_accuracy(self, n: int) -> float:
        """The expected share of right judgments in a request of ``n`` movies."""
        if n < 1:
            return 1.0
        return 1.0 - sum(self.error_rate(n, i) for i in range(n)) / n

    def judge(self, u: Sequence[float], member: bool, error: float) -> tuple[float | None, bool]:
        """(p, or None when left out; whether the verdict was flipped) from uniforms ``u``,
        for a judgment wrong with probability ``error``.

        Shaped for the default threshold 0.7 and answers in tenths: a right "yes" is >= 0.86,
        or for a ``near_threshold`` share 0.7-0.84 (so the client's recheck has work); a right
        "no" is left out or <= 0.54; a wrong verdict lands on the other side.
        """
        wrong = u[0] < error
        if member and not wrong:
            p = 0.7 + 0.14 * u[2] if u[1] < self.near_threshold else 0.86 + 0.13 * u[2]
        elif member:
            p = None if u[1] < self.omit_missed else 0.3 + 0.24 * u[2]
        elif not wrong:
            p = 0.3 + 0.24 * u[2] if u[1] < self.listed_non_member else None
        else:
            p = 0.75 + 0.15 * u[2]
        return (None if p is None else round(p, 2)), wrong


DEFAULT_ACCURACY = AccuracyModel()
PERFECT = AccuracyModel(base=0.0, size_coef=0.0, position_coef=0.0)


def expected_accuracy(n: int, model: AccuracyModel = DEFAULT_ACCURACY) -> float:
    """The configured share of right judgments for batches of ``n`` movies."""
    return model.expected_accuracy(n)


def normalise(title: str) -> str:
    """Casefolded words without accents or punctuation: how the client may have spelled it."""
    if not title.isascii():
        decomposed = unicodedata.normalize("NFKD", title)
        title = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _NON_WORD.sub(" ", title.casefold()).strip()


def _overview_tag(overview: str) -> int:
    """Tells remakes apart: the hash of the overview's first words, which every trim keeps."""
    return hash(one_line(overview[: 2 * OVERVIEW_TAG_CHARS])[:OVERVIEW_TAG_CHARS].rstrip("…"))


@dataclass(frozen=True, slots=True)
class Known:
    movie_id: int
    year: int
    traits: frozenset[str]
    overview_tag: int


class Truth:
    """The served library by normalised title (and original title); year and overview choose.

    Kept small (about 100 bytes a movie) because a benchmark may serve 300k movies in-process.
    """

    __slots__ = ("_index", "size")

    def __init__(self, movies: Iterable[Movie]):
        index: dict[str, Known | list[Known]] = {}
        shared: dict[frozenset[str], frozenset[str]] = {}
        size = 0
        for m in movies:
            traits = frozenset(m.traits)
            traits = shared.setdefault(traits, traits)
            known = Known(m.id, m.year, traits, _overview_tag(m.overview))
            size += 1
            title = normalise(m.title)
            original = getattr(m, "original_title", m.title)  # a Series has none
            titles = {title} if original == m.title else {title, normalise(original)}
            if m.title.endswith(f" ({m.year})"):  # Sonarr's "Bones (2007)"; its folder says "Bones"
                titles.add(title.removesuffix(f" {m.year}"))
            for key in titles:
                present = index.get(key)
                if present is None:
                    index[key] = known
                elif isinstance(present, list):
                    present.append(known)
                else:
                    index[key] = [present, known]
        self._index = index
        self.size = size

    def find(self, title: str, year: object, overview: str) -> Known | None:
        """The movie sent as (title, year, overview); ``None`` if the library has no such movie.

        Without a year, any year matches; among equals the overview decides, else the first.
        """
        present = self._index.get(normalise(title))
        if present is None:
            return None
        candidates = present if isinstance(present, list) else [present]
        if isinstance(year, int) and year:
            candidates = [k for k in candidates if k.year == year]
        if len(candidates) <= 1:
            return candidates[0] if candidates else None
        tag = _overview_tag(overview)
        return next((k for k in candidates if k.overview_tag == tag), candidates[0])


@dataclass(frozen=True, slots=True)
class Judged:
    """The answer records and what they cost the ground truth."""

    results: list[dict]
    unknown: int
    judgments: int
    flipped: int


def judge_all(
    truth: Truth,
    accuracy: AccuracyModel,
    seed: int,
    collections: Sequence[WireCollection],
    movies: Sequence[WireMovie],
    by_name: dict | None = None,
) -> Judged:
    """One ``{"id", "in"}`` record per movie (or series), in request order; ``by_name`` is the
    collections known by casefolded name (the movie collections unless given)."""
    n = len(movies)
    by_name = _BY_FOLDED_NAME if by_name is None else by_name
    known_collections = []
    for c in collections:
        synthetic = by_name.get(c.name.casefold())
        if synthetic is not None:
            known_collections.append((c.cid, c.name.casefold(), synthetic.trait))
    results: list[dict] = []
    unknown = judgments = flipped = 0
    for i, wm in enumerate(movies):
        found = truth.find(wm.title, wm.year, wm.overview)
        chosen: list[dict] = []
        if found is None:
            unknown += 1
        else:
            error = accuracy.error_rate(n, i)
            for cid, name, trait in known_collections:
                u = _uniforms(f"{seed}|{found.movie_id}|{name}|{n}|{i}")
                p, wrong = accuracy.judge(u, trait in found.traits, error)
                judgments += 1
                flipped += wrong
                if p is not None:
                    chosen.append({"c": cid, "p": p})
        results.append({"id": wm.mid, "in": chosen})
    return Judged(results, unknown, judgments, flipped)


def _uniforms(key: str) -> tuple[float, float, float]:
    """Three independent uniforms in [0, 1) from the hash of ``key``."""
    a, b, c = _THREE_U32(hashlib.blake2b(key.encode(), digest_size=12).digest())
    return a / _U32, b / _U32, c / _U32
