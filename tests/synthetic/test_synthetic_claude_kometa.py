"""The stand-in Claude answering Kometa-AI's dialect (one collection, movies as a JSON array)."""

import asyncio
import json

import anthropic
import pytest

from benchmarks.harness.workloads.kometa_baseline import (
    SYSTEM_PROMPT,
    load,
    movie_payload,
    request_params,
)
from core.clients.claude import wire
from synthetic.library.collection_defs import BY_NAME, COLLECTIONS
from synthetic.library.movies import Movie
from synthetic.servers.claude import kometa
from synthetic.servers.claude.model import PERFECT
from synthetic.servers.claude.tokens import count_tokens

MODEL = "claude-haiku-5-5"
NOIR = BY_NAME["Film Noir"]
FIELDS = ["movie_id", "title", "reasoning", "include", "confidence"]


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def body(movies, collection=NOIR, **extra):
    return {**request_params(collection, load(movies)[0], model=MODEL), **extra}


def create(server, params):
    async def go():
        async with anthropic.AsyncAnthropic(
            base_url=server.url, api_key=server.config.api_key, max_retries=0
        ) as c:
            return await c.messages.create(**params, timeout=60)

    return asyncio.run(go())


def answer_of(message):
    (block,) = [b for b in message.content if b.type == "text"]
    return json.loads(block.text)


def test_decisions_follow_the_truth_in_kometa_schema(make_claude_server, claude_library):
    server = make_claude_server(accuracy=PERFECT)
    movies = claude_library[:60]
    message = create(server, body(movies))
    answer = answer_of(message)
    assert answer["collection_name"] == "Film Noir"
    decisions = answer["decisions"]
    assert [d["movie_id"] for d in decisions] == [m.id for m in movies]
    assert all(list(d) == FIELDS for d in decisions)
    assert [d["title"] for d in decisions] == [m.title for m in movies]
    assert [d["include"] for d in decisions] == ["film_noir" in m.traits for m in movies]
    assert any(d["include"] for d in decisions)
    for d in decisions:
        assert 0.0 <= d["confidence"] <= 1.0
        assert d["include"] == (d["confidence"] >= 0.7)
        assert 25 <= len(d["reasoning"].split()) <= 50
        assert d["title"] in d["reasoning"] and "Film Noir" in d["reasoning"]
    assert message.stop_reason == "end_turn"
    assert message.usage.output_tokens == count_tokens(message.content[0].text)
    record = server.requests()[-1]
    assert (record.movies, record.answered, record.judgments, record.flipped) == (60, 60, 60, 0)


def test_reasoning_is_what_kometa_pays_for(make_claude_server, claude_library):
    """About 25-40 words a movie: several times reelscale's ~7 output tokens a movie."""
    server = make_claude_server()
    message = create(server, body(claude_library[:150]))
    per_movie = message.usage.output_tokens / 150
    assert 60 < per_movie < 140
    words = [len(d["reasoning"].split()) for d in answer_of(message)["decisions"]]
    assert 25 <= sum(words) / len(words) <= 40


def test_answers_are_deterministic_per_seed(make_claude_server, claude_library):
    params = body(claude_library[200:260], BY_NAME["Cult Classics"])
    first = create(make_claude_server(seed=3), params).content[0].text
    assert create(make_claude_server(seed=3), params).content[0].text == first
    assert create(make_claude_server(seed=4), params).content[0].text != first


def test_errors_come_from_the_shared_accuracy_model(make_claude_server, claude_library):
    server = make_claude_server()
    movies = claude_library[:150]
    wrong = 0
    for collection in COLLECTIONS:
        decisions = answer_of(create(server, body(movies, collection)))["decisions"]
        for d, m in zip(decisions, movies, strict=True):
            wrong += d["include"] != (collection.trait in m.traits)
    assert wrong == server.counters.flipped > 0
    assert server.counters.judgments == 150 * len(COLLECTIONS)
    assert wrong / server.counters.judgments < 0.08


def test_unknown_movies_and_collections_are_left_out(make_claude_server, claude_library):
    server = make_claude_server(accuracy=PERFECT)
    heist = next(m for m in claude_library if "heist" in m.traits)
    title = "A Film Nobody Made"
    stranger = Movie(10**6, 1, "tt0000001", title, title, 1999, ["Crime"], "A robbery.", 90, "R",
                     "Studio", [], {}, "en", ["heist"])  # fmt: skip
    decisions = answer_of(create(server, body([heist, stranger], BY_NAME["Heist Movies"])))
    assert [d["include"] for d in decisions["decisions"]] == [True, False]
    assert server.counters.unknown_movies == 1
    road = type(NOIR)("Road Movies", "road", "Journeys by car.")
    decisions = answer_of(create(server, body([heist], road)))["decisions"]
    assert [d["include"] for d in decisions] == [False]
    assert server.requests()[-1].judgments == 0


def test_reelscale_requests_are_not_mistaken_for_kometa(claude_library):
    movies = [
        wire.WireMovie("m1", m.title, m.year, tuple(m.genres), m.overview, ())
        for m in claude_library[:3]
    ]
    system = wire.render_system([wire.WireCollection("1", "Film Noir", NOIR.prompt)])
    assert kometa.read(system, wire.render_movies(movies)) is None
    payload = json.dumps([movie_payload(1, {"title": "Heat", "year": 1995})], indent=2)
    assert kometa.read(SYSTEM_PROMPT, payload) is None  # no collection named
    assert kometa.read("Collection: Heat", '[{"title": "Heat"}]') is None  # no movie_id
    assert kometa.read("Collection: Film Noir\n", payload).collection == "Film Noir"


def test_cache_reads_the_system_and_collection_blocks(make_claude_server, claude_library):
    server = make_claude_server(clock=Clock())
    first = create(server, body(claude_library[:20])).usage
    assert first.cache_read_input_tokens == 0 and first.cache_creation_input_tokens > 512
    again = create(server, body(claude_library[20:40])).usage
    assert again.cache_read_input_tokens == first.cache_creation_input_tokens
    assert again.cache_creation_input_tokens == 0
    other = create(server, body(claude_library[:20], BY_NAME["Time Travel"])).usage
    system_only = count_tokens(SYSTEM_PROMPT)
    assert other.cache_read_input_tokens == system_only
    assert 0 < other.cache_creation_input_tokens < first.cache_creation_input_tokens


@pytest.mark.parametrize("kind", ["missing_ids", "truncate", "malformed", "refusal"])
def test_answer_faults(make_claude_server, claude_library, kind):
    server = make_claude_server(faults={kind: 1.0})
    message = create(server, body(claude_library[:40]))
    record = server.requests()[-1]
    if kind == "refusal":
        assert message.stop_reason == "refusal" and message.content == []
        return
    text = message.content[0].text
    if kind == "missing_ids":
        assert 0 < len(json.loads(text)["decisions"]) == record.answered < 40
    elif kind == "truncate":
        assert message.stop_reason == "max_tokens"
        assert 0 < record.answered < 40
        with pytest.raises(ValueError):
            json.loads(text)
    else:
        assert text.startswith("Here are the results:") and record.answered == 40
        with pytest.raises(ValueError):
            json.loads(text)


def test_max_tokens_cuts_the_answer(make_claude_server, claude_library):
    server = make_claude_server()
    message = create(server, body(claude_library[:40], max_tokens=1000))
    assert message.stop_reason == "max_tokens" and message.usage.output_tokens == 1000
    assert 0 < server.requests()[-1].answered < 40


def test_kometa_requests_inside_a_message_batch(make_claude_server, claude_library):
    server = make_claude_server(accuracy=PERFECT)
    movies = claude_library[:10]
    requests = [{"custom_id": c.trait, "params": body(movies, c)} for c in COLLECTIONS[:3]]

    async def go():
        async with anthropic.AsyncAnthropic(
            base_url=server.url, api_key=server.config.api_key, max_retries=0
        ) as c:
            batch = await c.messages.batches.create(requests=requests)
            return [r async for r in await c.messages.batches.results(batch.id)]

    for result in asyncio.run(go()):
        decisions = answer_of(result.result.message)["decisions"]
        want = [result.custom_id in m.traits for m in movies]
        assert [d["include"] for d in decisions] == want
