"""The wire format of a classification request and its answer.

One request judges a batch of movies against every applicable collection at once. Its parts, in
cache order:

``system``  the stable prefix (instructions, then one line per collection:
            ``c3 | Film Noir | <prompt on one line>``), marked with ``cache_control``. It is the
            same for every request of a run, so after the first request it is read from the cache.
``user``    the batch: one compact JSON object per line, ``{"id": "m1", "t": title, "y": year,
            "g": [genres], "o": overview (trimmed), "k": [keywords]}``. Ids are request-local
            (``m1..mN``) and mapped back to item ids by the caller.

The answer is forced into :func:`answer_schema` through ``output_config``: one record per movie,
``{"id": "m1", "in": [{"c": "c3", "p": 0.92}]}``, listing each collection the movie belongs to, or
nearly belongs to (``p`` >= 0.3), with a confidence. A collection not listed is a confident "no".
No reasoning text unless asked for (``explain``): output tokens cost five times input tokens.

The stand-in Claude (``synthetic``) reads requests with :func:`parse_collections` and
:func:`parse_movies`, so both sides share this one definition.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

OVERVIEW_CHARS = 300
MAX_KEYWORDS = 8
LISTED_FROM = 0.3

INSTRUCTIONS = """\
You sort movies into a user's collections. For each movie in the user message (one JSON object \
per line: id, title "t", year "y", genres "g", overview "o", keywords "k"), decide which of the \
collections below it belongs to. Judge every movie on its own, from what you know about it and \
the data given; the other movies in the list do not matter.

Answer with one record per movie id, in the order given, and no other text. In "in", list every \
collection whose description fits the movie with a confidence "p" from 0.3 to 1.0 (1.0: certainly \
belongs; 0.7: probably; 0.5: unsure). Leave out collections that clearly do not fit. Use the \
collection ids (c1, c2, ...), not their names. Never skip a movie: a movie in no collection gets \
"in": [].

Collections (id | name | description):
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


def render_system(collections: Sequence[WireCollection], *, explain: bool = False) -> str:
    lines = [INSTRUCTIONS]
    lines.extend(f"{c.cid} | {one_line(c.name)} | {one_line(c.prompt)}" for c in collections)
    if explain:
        lines.append('\nAlso give each record a short "why" (at most 12 words).')
    return "\n".join(lines)


def render_movies(movies: Iterable[WireMovie]) -> str:
    out = []
    for m in movies:
        record: dict = {"id": m.mid, "t": m.title}
        if m.year:
            record["y"] = m.year
        if m.genres:
            record["g"] = list(m.genres)
        if m.overview:
            record["o"] = trim(m.overview, OVERVIEW_CHARS)
        if m.keywords:
            record["k"] = list(m.keywords[:MAX_KEYWORDS])
        out.append(json.dumps(record, ensure_ascii=False, separators=(",", ":")))
    return "\n".join(out)


def trim(text: str, limit: int) -> str:
    """``text`` cut at a word boundary near ``limit`` characters."""
    text = one_line(text)
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit)
    return text[: cut if cut > limit // 2 else limit].rstrip(",;:") + "…"


def answer_schema(collection_ids: Sequence[str], *, explain: bool = False) -> dict:
    """JSON schema for ``output_config.format``: one record per movie id."""
    record = {
        "type": "object",
        "properties": {
            "id": {"type": "string"},
            "in": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "c": {"type": "string", "enum": list(collection_ids)},
                        "p": {"type": "number"},
                    },
                    "required": ["c", "p"],
                    "additionalProperties": False,
                },
            },
        },
        "required": ["id", "in"],
        "additionalProperties": False,
    }
    if explain:
        record["properties"]["why"] = {"type": "string"}
        record["required"].append("why")
    return {
        "type": "object",
        "properties": {"results": {"type": "array", "items": record}},
        "required": ["results"],
        "additionalProperties": False,
    }


_COLLECTION_LINE = re.compile(r"^(c\d+) \| (.*?) \| (.*)$", re.MULTILINE)


def parse_collections(system: str) -> list[WireCollection]:
    """The collections listed in a system prompt made by :func:`render_system`."""
    return [WireCollection(*m.groups()) for m in _COLLECTION_LINE.finditer(system)]


def parse_movies(user: str) -> list[WireMovie]:
    """The movies of a user message made by :func:`render_movies` (bad lines are skipped)."""
    movies = []
    for line in user.splitlines():
        try:
            r = json.loads(line)
            movies.append(
                WireMovie(
                    str(r["id"]),
                    str(r.get("t", "")),
                    r.get("y"),
                    tuple(r.get("g", ())),
                    str(r.get("o", "")),
                    tuple(r.get("k", ())),
                )
            )
        except (ValueError, KeyError, TypeError, AttributeError):
            continue
    return movies
