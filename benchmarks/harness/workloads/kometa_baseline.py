"""The baseline for reelscale's classify benchmark: the same library judged Kometa-AI's way.

Kometa-AI (tikibozo/kometa-ai 0.5.7), reelscale's closest peer, judges one collection per pass, 150
movies per request, sequentially; each request carries a film-expert system prompt and the
collection's prompt (both with ``cache_control`` since its #17), the movies as ``json.dumps(...,
indent=2)`` with every field it has, and asks through structured outputs for a ``reasoning``
sentence before each ``include``. reelscale's claim is that judging all collections at once in a
compact format is much cheaper; this module makes that a measured ratio by sending Kometa-AI's
requests through the same stand-in Claude (``synthetic.servers.claude.kometa`` answers them from the
same ground truth, accuracy, token and cache models) and pricing them with reelscale's own
``core.clients.claude.pricing``.

The prompts are reconstructed from the research notes (their rules, fields and cache breakpoints
are Kometa-AI's; their exact wording is not known), and the stand-in writes its answer as compact
JSON. Where the notes leave a choice open, this errs on the cheap side so the ratio is not inflated:
``original_title`` is sent only when it differs from ``title``, and the ratings Kometa-AI reads
from Radarr (``imdb_rating``, ``rotten_tomatoes_pct``) are left out, since reelscale's store has
none. Kometa-AI streams (``messages.stream``); the stand-in does not, so ``messages.create`` is
used with an explicit timeout, which changes nothing in the tokens billed.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Iterable, Mapping, Sequence

import anthropic

from core.clients.claude.pricing import Usage, cost
from core.store.db import Store
from synthetic.library.collection_defs import BY_NAME
from synthetic.library.movies import Movie

DEFAULT_BATCH_SIZE = 150
DEFAULT_THRESHOLD = 0.7
MAX_TOKENS = 32_000
REQUEST_TIMEOUT_S = 600.0
CACHE = {"type": "ephemeral"}

SYSTEM_PROMPT = """\
You are a film expert helping to organise a personal movie library into curated collections. \
You will be given the definition of one collection and a list of movies from the library as \
JSON. For every movie in the list, decide whether it belongs in the collection.

Rules:
1. Judge each movie on its own merits. Do not let the other movies in the list, or their order, \
influence your decision about any movie.
2. Think first, then decide. Write your reasoning for a movie before you give its verdict, and \
make the verdict follow from the reasoning.
3. Give a confidence between 0 and 1 for each decision: how sure you are that the movie belongs \
in the collection. 0.9 or higher means the movie is a clear, defining example; around 0.5 means \
the evidence is mixed; 0.1 or lower means it clearly does not belong.
4. Use what you know about each film as well as the metadata provided: title, year, genres, \
overview and, where given, keywords, certification, original language, ratings, studio and \
runtime.
5. Keywords come from community tagging. They are signals, not verdicts: a keyword that matches \
the collection's theme is evidence to weigh, not proof, and a missing keyword is not evidence \
against.
6. If a movie has a previous_decision, that decision stands unless you see a clear reason to \
change it. Do not flip a decision over a marginal difference in judgment.
7. Include a movie only if it strongly or primarily matches the collection's criteria. A film \
that merely touches on the theme, or has a single scene that fits, does not belong.
8. Return exactly one decision for every movie in the list, with its movie_id and title exactly \
as given. Never skip a movie and never invent one.
9. Keep each reasoning to one or two sentences that name the specific evidence for your decision.

Respond only with JSON that matches the required schema."""

COLLECTION_PROMPT = """\
Collection: {name}
Confidence threshold: {threshold}

Criteria:
{prompt}

Include a movie only if it strongly and primarily matches these criteria; set include to true \
only when your confidence is at least {threshold}. Return a decision for every movie, with \
collection_name "{name}"."""

DECISIONS_SCHEMA = {
    "type": "object",
    "properties": {
        "collection_name": {"type": "string"},
        "decisions": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "movie_id": {"type": "integer"},
                    "title": {"type": "string"},
                    "reasoning": {"type": "string"},
                    "include": {"type": "boolean"},
                    "confidence": {"type": "number"},
                },
                "required": ["movie_id", "title", "reasoning", "include", "confidence"],
                "additionalProperties": False,
            },
        },
    },
    "required": ["collection_name", "decisions"],
    "additionalProperties": False,
}

# Kometa-AI's optional fields, in its order, from reelscale's metadata keys.
_OPTIONAL = (
    ("keywords", "keywords"),
    ("certification", "certification"),
    ("original_language", "original_language"),
    ("imdb_id", "imdb_id"),
    ("tmdb_id", "tmdb_id"),
    ("studio", "studio"),
    ("runtime_minutes", "runtime"),
    ("original_title", "original_title"),
)


def movie_payload(movie_id: int, meta: Mapping) -> dict:
    """One movie as Kometa-AI sends it: the five fields always, the others when present."""
    out = {
        "movie_id": movie_id,
        "title": meta.get("title") or "",
        "year": meta.get("year"),
        "genres": list(meta.get("genres") or ()),
        "overview": meta.get("overview") or "",
    }
    for key, source in _OPTIONAL:
        value = meta.get(source)
        if key == "original_title" and value == out["title"]:
            continue
        if value not in (None, "", [], 0):
            out[key] = list(value) if isinstance(value, (list, tuple)) else value
    return out


def load(store_or_movies: Store | Iterable[Movie]) -> tuple[list[dict], dict[int, set[str]]]:
    """Payloads sorted by id (Kometa-AI sorts before batching) and the traits of each movie.

    A ``Store`` has no traits (reelscale never sees the truth), so its traits map is empty.
    """
    if isinstance(store_or_movies, Store):
        rows = store_or_movies.conn.execute(
            "SELECT id, title, year, metadata FROM items WHERE type = 'movie' ORDER BY id"
        )
        payloads = []
        for item_id, title, year, raw in rows:
            meta = {"title": title, "year": year, **(json.loads(raw) if raw else {})}
            payloads.append(movie_payload(item_id, meta))
        return payloads, {}
    movies = sorted(store_or_movies, key=lambda m: m.id)
    payloads = [movie_payload(m.id, m.as_dict()) for m in movies]
    return payloads, {m.id: set(m.traits) for m in movies}


def request_params(collection, batch: Sequence[dict], *, model: str) -> dict:
    """The Messages request body for one batch of one collection (no SDK-only options)."""
    threshold = getattr(collection, "confidence_threshold", DEFAULT_THRESHOLD)
    block = COLLECTION_PROMPT.format(
        name=collection.name, prompt=collection.prompt.strip(), threshold=threshold
    )
    return {
        "model": model,
        "max_tokens": MAX_TOKENS,
        "system": [
            {"type": "text", "text": SYSTEM_PROMPT, "cache_control": CACHE},
            {"type": "text", "text": block, "cache_control": CACHE},
        ],
        "messages": [{"role": "user", "content": json.dumps(list(batch), indent=2)}],
        "output_config": {"format": {"type": "json_schema", "schema": DECISIONS_SCHEMA}},
    }


def decisions_of(message) -> dict[object, bool]:
    """``{movie_id: include}`` from an answer; empty if it is not Kometa-AI's JSON."""
    text = "".join(b.text for b in message.content if b.type == "text")
    try:
        answer = json.loads(text)
        return {d["movie_id"]: d["include"] is True for d in answer["decisions"]}
    except (ValueError, KeyError, TypeError):
        return {}


async def run_baseline_async(
    store_or_movies: Store | Iterable[Movie],
    collections: Sequence,
    *,
    base_url: str,
    api_key: str,
    model: str = "claude-haiku-5-5",
    batch_size: int = DEFAULT_BATCH_SIZE,
    concurrency: int = 1,
    truth: Mapping[int, Iterable[str]] | None = None,
) -> dict:
    """:func:`run_baseline` inside a running event loop."""
    if batch_size < 1 or concurrency < 1:
        raise ValueError("batch_size and concurrency must be >= 1")
    payloads, traits = load(store_or_movies)
    if truth is not None:
        traits = {k: set(v) for k, v in truth.items()}
    jobs = [
        (c, payloads[k : k + batch_size])
        for c in collections
        for k in range(0, len(payloads), batch_size)
    ]
    usage, dollars, failed = Usage(), 0.0, 0
    decided: dict[tuple[str, object], bool] = {}
    gate = asyncio.Semaphore(concurrency)
    started = time.perf_counter()

    async def judge(client: anthropic.AsyncAnthropic, collection, batch: list[dict]) -> None:
        nonlocal usage, dollars, failed
        async with gate:
            body = request_params(collection, batch, model=model)
            message = await client.messages.create(**body, timeout=REQUEST_TIMEOUT_S)
        used = Usage.from_response(message.usage)
        usage += used
        dollars += cost(used, model)
        if message.stop_reason == "max_tokens":
            raise RuntimeError(
                f"{collection.name}: answer cut at max_tokens; reduce batch_size ({batch_size})"
            )
        sent = {m["movie_id"] for m in batch}
        got = {k: v for k, v in decisions_of(message).items() if k in sent}
        failed += not got
        decided.update(((collection.name, k), v) for k, v in got.items())

    async with anthropic.AsyncAnthropic(
        base_url=base_url, api_key=api_key, max_retries=5
    ) as client:
        await asyncio.gather(*(judge(client, c, b) for c, b in jobs))
    agree = None
    if traits:
        trait_of = {c.name: BY_NAME[c.name].trait for c in collections if c.name in BY_NAME}
        scored = [
            include == (trait_of[name] in traits.get(mid, ()))
            for (name, mid), include in decided.items()
            if name in trait_of
        ]
        agree = sum(scored) / len(scored) if scored else None
    return {
        "requests": len(jobs),
        "input_tokens": usage.input,
        "output_tokens": usage.output,
        "cache_read_tokens": usage.cache_read,
        "cache_write_tokens": usage.cache_write_5m + usage.cache_write_1h,
        "cost_usd": round(dollars, 6),
        "pairs": len(decided),
        "cost_per_1k_movies": round(dollars / len(payloads) * 1000, 6) if payloads else 0.0,
        "agreement_with_truth": agree,
        "movies": len(payloads),
        "collections": len(collections),
        "failed_requests": failed,
        "seconds": round(time.perf_counter() - started, 3),
    }


def run_baseline(
    store_or_movies: Store | Iterable[Movie],
    collections: Sequence,
    *,
    base_url: str,
    api_key: str,
    model: str = "claude-haiku-5-5",
    batch_size: int = DEFAULT_BATCH_SIZE,
    concurrency: int = 1,
    truth: Mapping[int, Iterable[str]] | None = None,
) -> dict:
    """Judge every movie against every collection Kometa-AI's way; usage, cost and agreement.

    ``collections`` are ``synthetic.library.collection_defs.COLLECTIONS`` (or anything with
    ``name``, ``prompt`` and optionally ``confidence_threshold``). Requests go one at a time unless
    ``concurrency`` > 1, each priced at list prices (sync). ``agreement_with_truth`` is the share of
    decided pairs whose ``include`` equals the hidden trait; it needs ``Movie`` records or, for a
    ``Store``, ``truth`` (``{movie_id: traits}``), else it is None.
    """
    return asyncio.run(
        run_baseline_async(
            store_or_movies,
            collections,
            base_url=base_url,
            api_key=api_key,
            model=model,
            batch_size=batch_size,
            concurrency=concurrency,
            truth=truth,
        )
    )
