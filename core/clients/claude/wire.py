"""The wire format of a classification request and its answer, built to be cheap.

At list prices one Haiku 5.5 output token costs as much as five input tokens, and a library is
judged once per movie, so both directions are compact. One request judges a batch of movies
against every collection at once. Its parts, in cache order:

``system``  the stable prefix: instructions, then one line per collection, ``3 | Film Noir |
            <prompt on one line>``, marked with ``cache_control``. It is the same for every request
            of a run, so after the first request it is read from the cache.
``user``    the batch, one line per movie: ``m1|Title|1999|Genre,Genre|keyword,keyword|overview``
            (overview cut at a word boundary near ``OVERVIEW_CHARS``, at most ``MAX_KEYWORDS``).
            Ids are request-local (``m1..mN``), mapped back to items by the caller.

TV series go in requests of their own, in the same format: the instructions say they are series
(:data:`SERIES_INSTRUCTIONS`, a prefix cached apart from the movies'), and the keywords field holds
the series' facts instead (:func:`series_details`: network, status and seasons, original language,
certification), so a line reads ``m1|The Wire|2002|Crime,Drama|HBO,ended (5 seasons),English|...``

The answer, forced into :func:`answer_schema` through ``output_config``, is one string per movie:
``{"r":["m1","m2 3:9","m3 1:6 4:8"]}``: the id, then ``collection:confidence`` for each collection
the movie belongs to, or nearly belongs to, with the confidence in tenths (``3`` .. ``9``). A
collection not listed is a confident "no". About seven output tokens a movie; no reasoning text
unless asked for (``explain`` appends `` | reason`` to each string).

The stand-in Claude (``synthetic``) reads requests with :func:`parse_collections` and
:func:`parse_movies` and writes answers with :func:`render_answer`, so both sides share this one
definition.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

OVERVIEW_CHARS = 100
MAX_KEYWORDS = 4
LISTED_FROM = 0.3
ANSWER_HEAD, ANSWER_TAIL = '{"r":[', "]}"

INSTRUCTIONS = """\
You sort movies into a user's collections. Each line of the user message is one movie: \
id|title|year|genres|keywords|overview. Decide which of the collections below each movie belongs \
to, from what you know about the film and the data given. Judge every movie on its own; the other \
movies in the list do not matter.

Answer with one string per movie, in the order given, and nothing else: the movie id, then for \
each collection that fits, a space, the collection number, a colon and your confidence in tenths \
(9: certainly belongs, 7: probably, 5: unsure, 3: unlikely but possible). Leave out collections \
that clearly do not fit. A movie in no collection is just its id. Never skip a movie.
Example: {"r":["m1","m2 3:9","m3 1:6 4:8"]}

Collections (number | name | description):
"""

SERIES_INSTRUCTIONS = """\
You sort TV series into a user's collections. Each line of the user message is one series: \
id|title|first-aired year|genres|network,status and seasons,original language,certification|\
overview. Decide which of the collections below each series belongs to, from what you know about \
the show as a whole and the data given. Judge every series on its own; the other series in the \
list do not matter.

Answer with one string per series, in the order given, and nothing else: the series id, then for \
each collection that fits, a space, the collection number, a colon and your confidence in tenths \
(9: certainly belongs, 7: probably, 5: unsure, 3: unlikely but possible). Leave out collections \
that clearly do not fit. A series in no collection is just its id. Never skip a series.
Example: {"r":["m1","m2 3:9","m3 1:6 4:8"]}

Collections (number | name | description):
"""


@dataclass(frozen=True, slots=True)
class WireCollection:
    cid: str
    name: str
    prompt: str


@dataclass(frozen=True, slots=True)
class WireMovie:
    """One movie as sent: ``mid`` is request-local (m1..mN)."""

    mid: str
    title: str
    year: int | None
    genres: tuple[str, ...]
    overview: str
    keywords: tuple[str, ...]


def one_line(text: str) -> str:
    return " ".join(text.split())


def _field(text: str) -> str:
    return one_line(text).replace("|", "/")


def render_system(
    collections: Sequence[WireCollection], *, explain: bool = False, kind: str = "movies"
) -> str:
    """The system text: the instructions for ``kind`` (``movies`` or ``series``), then the
    collections, one line each."""
    lines = [SERIES_INSTRUCTIONS if kind == "series" else INSTRUCTIONS]
    lines.extend(f"{c.cid} | {one_line(c.name)} | {one_line(c.prompt)}" for c in collections)
    if explain:
        lines.append('\nAfter each movie\'s memberships add " | " and a reason of at most 8 words.')
    return "\n".join(lines)


def request_kind(system: str) -> str:
    """``series`` for a system text made with ``kind="series"``, else ``movies``."""
    return "series" if system.startswith(SERIES_INSTRUCTIONS[:40]) else "movies"


def series_details(
    network: str | None,
    status: str | None,
    seasons: int | None,
    language: str | None,
    certification: str | None,
) -> tuple[str, ...]:
    """A series' facts in the keywords field of its line: ``("HBO", "ended (5 seasons)",
    "English", "TV-MA")``, unknown ones left out; never more than ``MAX_KEYWORDS``.

    >>> series_details("HBO", "Ended", 5, "English", None)
    ('HBO', 'ended (5 seasons)', 'English')
    """
    count = f"{seasons} season" + ("s" if seasons != 1 else "") if seasons else ""
    run = status.lower() if status else ""
    if run and count:
        run = f"{run} ({count})"
    parts = (network, run or count, language, certification)
    return tuple(p for p in parts if p)


def render_movies(movies: Iterable[WireMovie]) -> str:
    return "\n".join(
        "|".join(
            (
                m.mid,
                _field(m.title),
                str(m.year or ""),
                ",".join(_field(g).replace(",", " ") for g in m.genres),
                ",".join(_field(k).replace(",", " ") for k in m.keywords[:MAX_KEYWORDS]),
                _field(trim(m.overview, OVERVIEW_CHARS)),
            )
        )
        for m in movies
    )


def trim(text: str, limit: int) -> str:
    """``text`` cut at a word boundary near ``limit`` characters."""
    text = one_line(text)
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit)
    return text[: cut if cut > limit // 2 else limit].rstrip(",;:") + "…"


def answer_schema(collection_ids: Sequence[str], *, explain: bool = False) -> dict:
    """JSON schema for ``output_config.format``: one string per movie."""
    return {
        "type": "object",
        "properties": {"r": {"type": "array", "items": {"type": "string"}}},
        "required": ["r"],
        "additionalProperties": False,
    }


def render_record(mid: str, memberships: Iterable[tuple[str, float]], why: str = "") -> str:
    """``"m3 1:6 4:8"`` from ``[("1", 0.62), ("4", 0.8)]`` (confidences below 0.3 left out)."""
    parts = [mid]
    for cid, p in memberships:
        tenths = min(9, round(p * 10))
        if tenths >= LISTED_FROM * 10:
            parts.append(f"{cid}:{tenths}")
    text = " ".join(parts)
    return f"{text} | {why}" if why else text


def render_answer(records: Sequence[str]) -> str:
    return ANSWER_HEAD + ",".join(json.dumps(r, ensure_ascii=False) for r in records) + ANSWER_TAIL


_MEMBERSHIP = re.compile(r"(\d+):(\d+)")


def parse_record(text: str) -> tuple[str, list[tuple[str, float]]] | None:
    """``("m3", [("1", 0.6), ("4", 0.8)])`` from ``"m3 1:6 4:8"``; None if there is no id.

    Lenient: tokens that are not ``number:digit`` are ignored, and so is a `` | reason``.
    """
    words = text.split("|", 1)[0].split()
    if not words:
        return None
    pairs = []
    for word in words[1:]:
        match = _MEMBERSHIP.fullmatch(word)
        if match:
            pairs.append((match.group(1), min(1.0, int(match.group(2)) / 10)))
    return words[0], pairs


_COLLECTION_LINE = re.compile(r"^(\d+) \| (.*?) \| (.*)$", re.MULTILINE)


def parse_collections(system: str) -> list[WireCollection]:
    """The collections listed in a system prompt made by :func:`render_system`."""
    return [WireCollection(*m.groups()) for m in _COLLECTION_LINE.finditer(system)]


def parse_movies(user: str) -> list[WireMovie]:
    """The movies of a user message made by :func:`render_movies` (bad lines are skipped)."""
    movies = []
    for line in user.splitlines():
        fields = line.split("|")
        if len(fields) != 6 or not fields[0]:
            continue
        mid, title, year, genres, keywords, overview = fields
        movies.append(
            WireMovie(
                mid,
                title,
                int(year) if year.isdigit() else None,
                tuple(g for g in genres.split(",") if g),
                overview,
                tuple(k for k in keywords.split(",") if k),
            )
        )
    return movies
