"""Kometa-AI's dialect for the stand-in Claude: one collection per request, movies as JSON.

The benchmark compares reelscale's classify strategy with that of its closest peer, Kometa-AI
(``benchmarks.harness.workloads.kometa_baseline``). The comparison is only fair if both are answered
by the same ground truth, accuracy model, token model, prompt cache and limits, so this module does
no judging of its own: it reads a Kometa-AI request, hands the movies to ``judge_all`` and writes
the verdicts in Kometa-AI's structured-output schema.

A Kometa-AI request is recognised by its content, as a model would read it: the user message is a
JSON array of movie objects, each with a ``movie_id`` (Kometa-AI sends ``json.dumps(movies,
indent=2)``), and the system prompt names one collection on a ``Collection: <name>`` line (after
Kometa-AI's film-expert rules). reelscale's user message is pipe-separated lines, never a JSON
array, so the two dialects cannot be mistaken for each other.

The answer is ``{"collection_name": ..., "decisions": [{"movie_id", "title", "reasoning",
"include", "confidence"}]}`` with one decision per movie, in request order. ``include`` is the
accuracy model's verdict (its confidences are shaped around 0.7, Kometa-AI's default threshold)
and ``reasoning`` a deterministic sentence of about 25-40 words built from the movie's title,
genres and keywords: reasoning is most of what Kometa-AI pays for in output tokens, so the
stand-in must write as much of it as a model would. Answer faults (``malformed``,
``missing_ids``, ``truncate``, ``refusal``) and ``max_tokens`` shape the text as they do for
reelscale's dialect.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from core.clients.claude.wire import WireCollection, WireMovie
from synthetic.servers.claude.model import AccuracyModel, Truth, _uniforms, judge_all
from synthetic.servers.claude.tokens import chars_for, count_tokens

COLLECTION_LINE = re.compile(r"^Collection(?: name)?:[ \t]*(\S.*?)[ \t]*$", re.MULTILINE)
VERDICT_AT = 0.7
_dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode

_INCLUDE = (
    "{title} ({year}) is {a_genres} film{about}. Its premise and tone sit squarely within "
    "{collection}, matching the core criteria rather than touching on them, so it belongs.",
    "As {a_genres} picture{about}, {title} fits {collection} well: the defining elements are "
    "central to the story, not incidental, so inclusion is well supported.",
    "The overview of {title} and its {genres} genres point clearly to {collection}; the "
    "defining traits drive the plot rather than decorate it, which justifies including it.",
)
_EXCLUDE = (
    "{title} ({year}) is {a_genres} film{about}. Nothing in its premise or tone is central to "
    "{collection}; any overlap is incidental, so it does not strongly or primarily match.",
    "Although {title} is {a_genres} story{about}, nothing in the overview suggests that the "
    "defining elements of {collection} drive the plot, so it is excluded.",
    "{title} reads as {a_genres} movie{about}; it lacks the core qualities {collection} asks "
    "for, and neither keywords nor overview suggest otherwise, so it is not a fit.",
)


@dataclass(frozen=True, slots=True)
class KometaRequest:
    """One collection and the movie objects as sent (``movie_id``, ``title``, ...)."""

    collection: str
    movies: list[dict]


class Reply(NamedTuple):
    """The answer text (None for a refusal) and what it cost the ground truth."""

    text: str | None
    stop: str
    answered: int
    unknown: int
    judgments: int
    flipped: int


def read(system_text: str, user_text: str) -> KometaRequest | None:
    """The request if it is in Kometa-AI's dialect, else None (the cheap checks come first)."""
    text = user_text.lstrip()
    if not text.startswith("["):
        return None
    match = COLLECTION_LINE.search(system_text)
    if match is None:
        return None
    try:
        movies, _ = json.JSONDecoder().raw_decode(text)
    except ValueError:
        return None
    if not isinstance(movies, list) or not all(
        isinstance(m, dict) and "movie_id" in m for m in movies
    ):
        return None
    return KometaRequest(match.group(1), movies)


def answer(
    request: KometaRequest,
    *,
    truth: Truth,
    accuracy: AccuracyModel,
    seed: int,
    fault: str | None,
    max_tokens: int,
    drop: Callable[[list[dict]], list[dict]],
    malformed_prefix: str,
) -> Reply:
    """Judge and write the answer; ``drop`` removes records for the ``missing_ids`` fault."""
    if fault == "refusal":
        return Reply(None, "refusal", 0, 0, 0, 0)
    name = request.collection
    sent = [_wire(str(i), m) for i, m in enumerate(request.movies)]
    judged = judge_all(truth, accuracy, seed, [WireCollection("1", name, "")], sent)
    decisions = [
        _decision(movie, wm, record["in"][0]["p"] if record["in"] else None, name, seed)
        for movie, wm, record in zip(request.movies, sent, judged.results, strict=True)
    ]
    if fault == "missing_ids":
        decisions = drop(decisions)
    head = '{"collection_name":' + _dumps(name) + ',"decisions":['
    parts = [_dumps(d) for d in decisions]
    text = head + ",".join(parts) + "]}"
    if fault == "malformed":
        text = malformed_prefix + text[:-2]
    limit = max_tokens
    if fault == "truncate":
        limit = min(limit, max(1, count_tokens(text) // 2))
    stop = "end_turn"
    if count_tokens(text) > limit:
        text, stop = text[: chars_for(limit)], "max_tokens"
    offset = len(malformed_prefix) if fault == "malformed" else 0
    answered = _whole(len(head), parts, len(text) - offset)
    return Reply(text, stop, answered, judged.unknown, judged.judgments, judged.flipped)


def reasoning(
    title: str,
    year: object,
    genres: Sequence[str],
    keywords: Sequence[str],
    collection: str,
    include: bool,
    pick: float,
) -> str:
    """A one-sentence justification of the verdict, as a model writes it before ``include``."""
    templates = _INCLUDE if include else _EXCLUDE
    template = templates[min(len(templates) - 1, int(pick * len(templates)))]
    named = [g.lower() for g in genres[:2]] or ["drama"]
    genre_text = named[0] if len(named) == 1 else ", ".join(named[:-1]) + " and " + named[-1]
    article = "an" if genre_text[0] in "aeiou" else "a"
    about = ""
    if keywords:
        about = " about " + (" and ".join(keywords[:2]) if len(keywords) > 1 else keywords[0])
    return template.format(
        title=title or "This movie",
        year=year if isinstance(year, int) and year else "year unknown",
        genres=genre_text,
        a_genres=f"{article} {genre_text}",
        about=about,
        collection=collection,
    )


def _wire(mid: str, movie: dict) -> WireMovie:
    """The fields the ground truth looks a movie up by; anything mistyped counts as absent."""
    title, overview, year = movie.get("title"), movie.get("overview"), movie.get("year")
    return WireMovie(
        mid,
        title if isinstance(title, str) else "",
        year if isinstance(year, int) and not isinstance(year, bool) else None,
        _strings(movie.get("genres")),
        overview if isinstance(overview, str) else "",
        _strings(movie.get("keywords")),
    )


def _strings(value: object) -> tuple[str, ...]:
    if not isinstance(value, list):
        return ()
    return tuple(v for v in value if isinstance(v, str) and v)


def _decision(movie: dict, wm: WireMovie, p: float | None, collection: str, seed: int) -> dict:
    """One decision in Kometa-AI's field order: ``reasoning`` before ``include``."""
    u = _uniforms(f"{seed}|kometa|{movie['movie_id']}|{collection.casefold()}")
    include = p is not None and p >= VERDICT_AT
    confidence = p if p is not None else round(0.05 + 0.2 * u[0], 2)
    return {
        "movie_id": movie["movie_id"],
        "title": wm.title,
        "reasoning": reasoning(
            wm.title, wm.year, wm.genres, wm.keywords, collection, include, u[1]
        ),
        "include": include,
        "confidence": confidence,
    }


def _whole(head: int, parts: Sequence[str], length: int) -> int:
    """How many decisions end within the first ``length`` characters of the answer."""
    end, count = head, 0
    for part in parts:
        end += len(part) + (count > 0)
        if end > length:
            break
        count += 1
    return count
