"""Kometa-AI 0.5.7's requests, read and answered from the same ground truth as reelscale's.

The harness runs the real peer, unmodified, against this stand-in (``reelscale bench peer``), so
the stand-in has to read the requests that client actually sends (``kometa_ai/claude/client.py``
and ``prompts.py`` of the release): a generic film-expert system prompt, then one user message of
two text blocks, the collection prompt (``I need you to categorize movies for the "<name>"
collection.`` ... ``The minimum confidence threshold for inclusion is <t>.``) and ``MOVIES TO
EVALUATE:`` followed by ``json.dumps(movies, indent=2)``, objects with ``movie_id``, ``title``,
``year``, ``genres``, ``overview`` and optional fields. It asks for structured output
(``output_config.format``) in its ``DECISIONS_SCHEMA``.

No judging happens here: the movies go to ``judge_all`` with the collection's name, as
reelscale's requests do, so both tools meet the same truth, accuracy, token, cache and latency
models. The answer is ``{"collection_name", "decisions": [{"movie_id", "title", "reasoning",
"include", "confidence"}]}``, one decision per movie in request order, with the peer's semantics
(``processor.membership_score``): ``confidence`` is the confidence in the stated verdict, so a
clear "no" is ``include: false`` with a high confidence, and a doubtful one (the accuracy model
listed the movie below the line) ``include: false`` at 1 - p. ``reasoning`` is a deterministic
sentence of 25-40 words from the title, genres and keywords: it is most of what the peer pays for
in output tokens. ``previous_decision`` fields are read as movie data and do not anchor the
verdict (the peer applies its own status-quo rule on its side). Answer faults and ``max_tokens``
shape the text as they do for reelscale's requests.
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

COLLECTION = re.compile(r'I need you to categorize movies for the "(.+?)" collection\.')
MOVIES_HEAD = "MOVIES TO EVALUATE:\n"
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
class PeerRequest:
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


def read(user_text: str) -> PeerRequest | None:
    """The request if it is Kometa-AI's, else None (the cheap checks come first)."""
    at = user_text.find(MOVIES_HEAD)
    if at < 0:
        return None
    name = COLLECTION.search(user_text, 0, at)
    if name is None:
        return None
    try:
        movies = json.loads(user_text[at + len(MOVIES_HEAD) :])
    except ValueError:
        return None
    if not isinstance(movies, list) or not all(
        isinstance(m, dict) and "movie_id" in m for m in movies
    ):
        return None
    return PeerRequest(name.group(1), movies)


def answer(
    request: PeerRequest,
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
        _decision(movie, wm, record["in"][0]["p"] if record["in"] else None, name, seed=seed)
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


def _decision(movie: dict, wm: WireMovie, p: float | None, collection: str, *, seed: int) -> dict:
    """One decision in Kometa-AI's field order (``reasoning`` before ``include``); confidence is
    in the verdict: a movie left out (a clear no) gets 0.85-0.98, one listed below the line 1 - p.
    """
    u = _uniforms(f"{seed}|kometa-ai|{movie['movie_id']}|{collection.casefold()}")
    # The accuracy model shapes p around 0.7, the peer's default threshold, whatever the prompt's.
    include = p is not None and p >= VERDICT_AT
    sure = round(0.85 + 0.13 * u[0], 2)
    confidence = sure if p is None else round(p if include else 1.0 - p, 2)
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
