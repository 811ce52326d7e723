"""The stand-in Claude answering Kometa-AI 0.5.7's own requests (its prompts and schema, copied
into tests/data from the release) from the same ground truth as reelscale's."""

import asyncio
import json
from pathlib import Path

import anthropic
import pytest

from core.clients.claude import wire
from synthetic.library.collection_defs import BY_NAME, COLLECTIONS
from synthetic.library.movies import Movie
from synthetic.servers.claude import peer
from synthetic.servers.claude.model import PERFECT
from synthetic.servers.claude.tokens import count_tokens

MODEL = "claude-haiku-5-5"
NOIR = BY_NAME["Film Noir"]
FIELDS = ["movie_id", "title", "reasoning", "include", "confidence"]
PEER = json.loads(
    (Path(__file__).parents[1] / "data/peers/kometa-ai-0.5.7/request.json").read_text()
)
SYSTEM_PROMPT = PEER["system"]


def collection_prompt(collection):
    """The peer's ``format_collection_prompt`` for ``collection`` (the copy is for Heist Movies)."""
    text = PEER["collection_prompt"].replace("Heist Movies", "\0").replace("Heist Movie", "\1")
    prompt = PEER["collection_prompt"].split("CRITERIA:\n", 1)[1].split("\n", 1)[0]
    text = text.replace(prompt, collection.prompt.strip())
    return text.replace("\0", collection.name).replace("\1", collection.name.rstrip("s"))


def movie_payload(movie):
    """The fields of the peer's ``format_movies_data`` that a Radarr movie fills."""
    data = {
        "movie_id": movie.id,
        "title": movie.title,
        "year": movie.year,
        "genres": list(movie.genres),
        "overview": movie.overview,
    }
    if movie.keywords:
        data["keywords"] = list(movie.keywords)
    data["tmdb_id"] = movie.tmdb_id
    return data


def request_params(collection, movies, *, model=MODEL):
    """``ClaudeClient.classify_movies``' request, block for block."""
    movies_data = json.dumps([movie_payload(m) for m in movies], indent=2)
    return {
        "model": model,
        "system": [{"type": "text", "text": SYSTEM_PROMPT, "cache_control": {"type": "ephemeral"}}],
        "messages": [
            {
                "role": "user",
                "content": [
                    {
                        "type": "text",
                        "text": collection_prompt(collection),
                        "cache_control": {"type": "ephemeral"},
                    },
                    {"type": "text", "text": f"MOVIES TO EVALUATE:\n{movies_data}"},
                ],
            }
        ],
        "max_tokens": PEER["max_tokens"],
        "output_config": {"format": {"type": "json_schema", "schema": PEER["schema"]}},
    }


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def body(movies, collection=NOIR, **extra):
    return {**request_params(collection, movies), **extra}


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
    sure_noes = 0
    for d in decisions:
        assert 0.0 <= d["confidence"] <= 1.0
        # The peer's membership_score: confidence is in the verdict, a clear "no" is sure.
        score = d["confidence"] if d["include"] else 1.0 - d["confidence"]
        assert d["include"] == (score >= 0.7)
        sure_noes += not d["include"] and d["confidence"] >= 0.85
        assert 25 <= len(d["reasoning"].split()) <= 50
        assert d["title"] in d["reasoning"] and "Film Noir" in d["reasoning"]
    assert sure_noes >= 0.8 * sum(not d["include"] for d in decisions)
    assert message.stop_reason == "end_turn"
    assert message.usage.output_tokens == count_tokens(message.content[0].text)
    assert server.counters.by_dialect == {"kometa-ai": 1}
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


def test_reelscale_requests_are_not_mistaken_for_the_peers(claude_library):
    movies = [
        wire.WireMovie("m1", m.title, m.year, tuple(m.genres), m.overview, ())
        for m in claude_library[:3]
    ]
    assert peer.read(wire.render_movies(movies)) is None
    payload = "MOVIES TO EVALUATE:\n" + json.dumps([movie_payload(claude_library[0])], indent=2)
    assert peer.read(payload) is None  # no collection named
    heist = collection_prompt(BY_NAME["Heist Movies"])
    assert peer.read(heist + '\nMOVIES TO EVALUATE:\n[{"title": "Heat"}]') is None  # no movie_id
    assert peer.read(heist + "\nMOVIES TO EVALUATE:\n[{") is None
    assert peer.read(heist + "\n" + payload).collection == "Heist Movies"


def test_streamed_like_the_peer_asks(make_claude_server, claude_library):
    """The peer calls ``messages.stream(...).get_final_message()``."""
    server = make_claude_server(accuracy=PERFECT)
    movies = claude_library[:30]

    async def go():
        async with (
            anthropic.AsyncAnthropic(
                base_url=server.url, api_key=server.config.api_key, max_retries=0
            ) as c,
            c.messages.stream(**body(movies)) as stream,
        ):
            return await stream.get_final_message()

    decisions = answer_of(asyncio.run(go()))["decisions"]
    assert [d["include"] for d in decisions] == ["film_noir" in m.traits for m in movies]
    assert server.counters.streamed == 1


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
