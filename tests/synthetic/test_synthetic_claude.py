import asyncio
import json
import re

import anthropic
import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.clients.claude import wire
from synthetic.library.collection_defs import COLLECTIONS
from synthetic.library.movies import Movie
from synthetic.servers.claude.model import PERFECT, AccuracyModel, Truth, expected_accuracy
from synthetic.servers.claude.server import ClaudeConfig, ClaudeServer
from synthetic.servers.claude.tokens import chars_for, count_tokens
from synthetic.servers.traffic import set_time_scale

MODEL = "claude-haiku-5-5"
THRESHOLD = 0.7
COLS = [wire.WireCollection(f"{i + 1}", c.name, c.prompt) for i, c in enumerate(COLLECTIONS)]
TRAIT_OF = {f"{i + 1}": c.trait for i, c in enumerate(COLLECTIONS)}
SYSTEM = wire.render_system(COLS)  # about 440 tokens: below the 512-token cache minimum
BIG_SYSTEM = wire.render_system(
    [*COLS, wire.WireCollection("11", "Road Movies", "Journeys by car. " * 20)]
)
SCHEMA = wire.answer_schema([c.cid for c in COLS])
RFC3339 = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")


@pytest.fixture(autouse=True)
def _instant():
    previous = set_time_scale(0)
    yield
    set_time_scale(previous)


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def to_wire(movies):
    return [
        wire.WireMovie(f"m{i + 1}", m.title, m.year, tuple(m.genres), m.overview, tuple(m.keywords))
        for i, m in enumerate(movies)
    ]


def params(movies, *, system=SYSTEM, cache=None, max_tokens=8000, model=MODEL, **extra):
    block = {"type": "text", "text": system}
    if cache:
        block["cache_control"] = {"type": "ephemeral", **({"ttl": cache} if cache != "5m" else {})}
    return {
        "model": model,
        "max_tokens": max_tokens,
        "system": [block],
        "messages": [{"role": "user", "content": wire.render_movies(to_wire(movies))}],
        "thinking": {"type": "disabled"},
        "output_config": {"effort": "low", "format": {"type": "json_schema", "schema": SCHEMA}},
        **extra,
    }


def client(server, **options):
    return anthropic.AsyncAnthropic(
        base_url=server.url, api_key=server.config.api_key, max_retries=0, **options
    )


def create(server, **kwargs):
    async def go():
        async with client(server) as c:
            return await c.messages.create(**kwargs)

    return asyncio.run(go())


def expect_error(server, error_class, **kwargs):
    with pytest.raises(error_class) as info:
        create(server, **kwargs)
    return info.value


def decided(message):
    """{mid: set of traits at p >= THRESHOLD}."""
    (block,) = [b for b in message.content if b.type == "text"]
    records = [wire.parse_record(r) for r in json.loads(block.text)["r"]]
    return {mid: {TRAIT_OF[c] for c, p in pairs if p >= THRESHOLD} for mid, pairs in records}


def wrong_judgments(message, movies):
    got = decided(message)
    return sum(
        len(got[f"m{i + 1}"] ^ set(m.traits)) for i, m in enumerate(movies) if f"m{i + 1}" in got
    )


def raw(server, method, path, *, key=None, bearer=False, version="2026-10-21", **kwargs):
    key = server.config.api_key if key is None else key
    headers = {"authorization": f"Bearer {key}"} if bearer else {"x-api-key": key}
    if version:
        headers["anthropic-version"] = version
    with httpx.Client(trust_env=False, timeout=10) as http:
        return http.request(method, server.url + path, headers=headers, **kwargs)


def movie(mid, title, year, overview, traits):
    return Movie(mid, mid, f"tt{mid:07d}", title, title, year, ["Drama"], overview, 100, "PG",
                 "Studio", [], {}, "en", list(traits))  # fmt: skip


# -- messages: shape, ground truth, determinism -----------------------------------------------
def test_message_shape_and_exact_answers_at_error_rate_zero(make_claude_server, claude_library):
    server = make_claude_server(accuracy=PERFECT)
    movies = claude_library[:50]
    message = create(server, **params(movies))
    assert message.type == "message" and message.role == "assistant" and message.model == MODEL
    assert message.id.startswith("msg_") and message.stop_reason == "end_turn"
    assert message.stop_details is None and message.usage.service_tier == "standard"
    assert message.usage.output_tokens_details.thinking_tokens == 0
    got = decided(message)
    assert list(got) == [f"m{i + 1}" for i in range(50)]
    assert all(got[f"m{i + 1}"] == set(m.traits) for i, m in enumerate(movies))
    assert sum(len(m.traits) for m in movies) > 20
    text = message.content[0].text
    assert text == json.dumps(json.loads(text), separators=(",", ":"), ensure_ascii=False)
    assert message.usage.output_tokens == count_tokens(text)
    record = server.requests()[-1]
    assert (record.endpoint, record.status, record.movies, record.answered) == (
        "messages",
        200,
        50,
        50,
    )
    assert (record.judgments, record.flipped, record.output_tokens) == (500, 0, count_tokens(text))


def test_same_request_same_answer_even_concurrently(make_claude_server, claude_library):
    server = make_claude_server()
    body = params(claude_library[100:140])

    async def go():
        async with client(server) as c:
            return await asyncio.gather(*(c.messages.create(**body) for _ in range(8)))

    texts = {m.content[0].text for m in asyncio.run(go())}
    assert len(texts) == 1
    again = make_claude_server(seed=0)
    assert create(again, **body).content[0].text in texts
    other = make_claude_server(seed=7)
    assert create(other, **body).content[0].text not in texts


def test_unknown_movies_and_collections_are_members_of_nothing(make_claude_server, claude_library):
    server = make_claude_server(accuracy=PERFECT)
    stranger = movie(9, "A Film Nobody Made", 1999, "Nothing to see.", ["heist"])
    member = next(m for m in claude_library if "heist" in m.traits)
    system = wire.render_system([wire.WireCollection("1", "Road Movies", "Cars."), COLS[2]])
    message = create(server, **params([stranger, member], system=system))
    records = [wire.parse_record(r) for r in json.loads(message.content[0].text)["r"]]
    assert records[0] == ("m1", [])
    assert [c for c, _ in records[1][1]] == ["3"]
    assert server.counters.unknown_movies == 1 and server.counters.movies == 2


def test_same_title_and_year_told_apart_by_overview(make_claude_server):
    twins = [
        movie(1, "The Thing", 1982, "An Antarctic crew meets a shape-shifter.", ["cult_classic"]),
        movie(2, "The Thing", 1982, "A heist crew robs a casino in Reno.", ["heist"]),
    ]
    server = make_claude_server(twins, accuracy=PERFECT)
    got = decided(create(server, **params(list(reversed(twins)))))
    assert got == {"m1": {"heist"}, "m2": {"cult_classic"}}
    truth = Truth(twins)
    assert truth.find("THE THING!", None, "A heist crew robs a casino in Reno.").movie_id == 2
    assert truth.find("The Thing", 1983, "") is None


# -- accuracy model -----------------------------------------------------------------------------
def test_configured_accuracy_by_batch_size():
    assert 0.006 <= 1 - expected_accuracy(10) <= 0.008
    assert 0.015 <= 1 - expected_accuracy(50) <= 0.02
    assert 0.05 <= 1 - expected_accuracy(200) <= 0.06
    model = AccuracyModel()
    assert model.error_rate(200, 199) > model.error_rate(200, 0) > model.error_rate(10, 9)
    assert expected_accuracy(200, PERFECT) == 1.0


def test_errors_grow_with_batch_size(make_claude_server, claude_library):
    server = make_claude_server()
    movies = claude_library[:400]

    async def go(size):
        async with client(server) as c:
            chunks = [movies[k : k + size] for k in range(0, len(movies), size)]
            answers = await asyncio.gather(*(c.messages.create(**params(ch)) for ch in chunks))
        return sum(wrong_judgments(a, ch) for a, ch in zip(answers, chunks, strict=True))

    judgments = len(movies) * len(COLS)
    small, large = asyncio.run(go(10)) / judgments, asyncio.run(go(200)) / judgments
    assert small < 0.02 < large
    assert abs(small - (1 - expected_accuracy(10))) < 0.01
    assert abs(large - (1 - expected_accuracy(200))) < 0.02
    counters = server.counters
    assert counters.flipped == round((small + large) * judgments)
    assert counters.judgments == 2 * judgments


@given(
    st.lists(st.floats(0, 0.999999), min_size=3, max_size=3),
    st.booleans(),
    st.integers(1, 300),
    st.data(),
)
def test_confidences_separate_at_the_threshold(u, member, n, data):
    i = data.draw(st.integers(0, n - 1))
    model = AccuracyModel()
    p, wrong = model.judge(u, member, model.error_rate(n, i))
    says_member = p is not None and p >= THRESHOLD
    assert says_member == (member != wrong)
    assert p is None or 0.3 <= p <= 0.99


# -- tokens and the prompt cache ----------------------------------------------------------------
def test_count_tokens_matches_billed_input(claude_server, claude_library):
    body = params(claude_library[:20])

    async def go():
        async with client(claude_server) as c:
            counted = await c.messages.count_tokens(
                model=MODEL, system=body["system"], messages=body["messages"]
            )
            return counted, await c.messages.create(**body)

    counted, message = asyncio.run(go())
    expected = count_tokens(SYSTEM) + count_tokens(body["messages"][0]["content"])
    assert counted.input_tokens == expected == message.usage.input_tokens
    assert claude_server.counters.by_endpoint == {"count_tokens": 1, "messages": 1}


def test_cache_write_then_read_and_no_read_for_a_changed_prefix(make_claude_server, claude_library):
    clock = Clock()
    server = make_claude_server(clock=clock)
    prefix = count_tokens(BIG_SYSTEM)
    assert prefix >= 512
    first = create(server, **params(claude_library[:10], system=BIG_SYSTEM, cache="5m")).usage
    assert (first.cache_creation_input_tokens, first.cache_read_input_tokens) == (prefix, 0)
    assert first.cache_creation.ephemeral_5m_input_tokens == prefix
    second = create(server, **params(claude_library[:10], system=BIG_SYSTEM, cache="5m")).usage
    assert (second.cache_creation_input_tokens, second.cache_read_input_tokens) == (0, prefix)
    assert second.input_tokens == first.input_tokens
    changed = create(server, **params(claude_library[:10], system=BIG_SYSTEM + ".", cache="5m"))
    assert changed.usage.cache_read_input_tokens == 0
    assert changed.usage.cache_creation_input_tokens == count_tokens(BIG_SYSTEM + ".")
    clock.now += 301
    expired = create(server, **params(claude_library[:10], system=BIG_SYSTEM, cache="5m")).usage
    assert (expired.cache_read_input_tokens, expired.cache_creation_input_tokens) == (0, prefix)
    clock.now += 301
    long = create(server, **params(claude_library[:10], system=BIG_SYSTEM, cache="1h")).usage
    assert long.cache_creation.ephemeral_1h_input_tokens == prefix
    clock.now += 1800
    later = create(server, **params(claude_library[:5], system=BIG_SYSTEM, cache="1h")).usage
    assert later.cache_read_input_tokens == prefix
    counters = server.counters
    assert counters.cache_read_input_tokens == 2 * prefix
    assert counters.tokens["cache_creation_1h_input_tokens"] == prefix


def test_no_caching_below_the_model_minimum(claude_server, claude_library):
    tiny = wire.render_system(COLS[:1])[-600:]
    short = create(claude_server, **params(claude_library[:5], cache="5m", system=tiny)).usage
    assert count_tokens(tiny) < 512
    assert (short.cache_creation_input_tokens, short.cache_read_input_tokens) == (0, 0)
    haiku45 = params(claude_library[:5], system=BIG_SYSTEM, cache="5m", model="claude-haiku-4-5")
    for _ in range(2):
        usage = create(claude_server, **haiku45).usage
        assert (usage.cache_creation_input_tokens, usage.cache_read_input_tokens) == (0, 0)


# -- rate limits --------------------------------------------------------------------------------
def test_rpm_bucket_answers_429_until_refilled(make_claude_server, claude_library):
    clock = Clock()
    server = make_claude_server(clock=clock, rpm=2)
    body = params(claude_library[:3])
    assert (
        raw(server, "POST", "/v1/messages", json=body).headers[
            "anthropic-ratelimit-requests-remaining"
        ]
        == "1"
    )
    create(server, **body)
    error = expect_error(server, anthropic.RateLimitError, **body)
    headers = error.response.headers
    assert (headers["retry-after"], headers["retry-after-ms"]) == ("30", "30000")
    assert headers["anthropic-ratelimit-requests-limit"] == "2"
    assert headers["anthropic-ratelimit-requests-remaining"] == "0"
    assert RFC3339.fullmatch(headers["anthropic-ratelimit-requests-reset"])
    assert error.body["error"]["type"] == "rate_limit_error" and error.request_id.startswith("req_")
    assert error.body["request_id"] == error.request_id == headers["request-id"]
    clock.now += 30
    assert create(server, **body).stop_reason == "end_turn"
    assert server.counters.rate_limited == 1 and server.counters.by_status == {200: 3, 429: 1}


def test_input_bucket_ignores_cache_reads_and_output_bucket_overdraws(
    make_claude_server, claude_library
):
    clock = Clock()
    body = params(claude_library[:10], system=BIG_SYSTEM, cache="5m")
    user = count_tokens(body["messages"][0]["content"])
    total = count_tokens(BIG_SYSTEM) + user
    server = make_claude_server(clock=clock, itpm=total + user)
    create(server, **body)
    assert create(server, **body).usage.cache_read_input_tokens > 0
    error = expect_error(server, anthropic.RateLimitError, **body)
    assert "input tokens per minute" in error.message
    assert error.response.headers["anthropic-ratelimit-input-tokens-remaining"] == "0"

    out = make_claude_server(clock=clock, otpm=10)
    answer = create(out, **params(claude_library[:10]))
    assert answer.usage.output_tokens > 10
    error = expect_error(out, anthropic.RateLimitError, **params(claude_library[:10]))
    assert "output tokens per minute" in error.message
    clock.now += int(error.response.headers["retry-after"])
    create(out, **params(claude_library[:10]))


def test_time_scale_shortens_the_wait_and_the_sdk_retries(make_claude_server, claude_library):
    # One request per minute at 1/100 speed: a 600 ms window, wide enough for a slow machine.
    server = make_claude_server(rpm=1, time_scale=0.01)
    body = params(claude_library[:3])
    create(server, **body)
    error = expect_error(server, anthropic.RateLimitError, **body)
    assert 1 <= int(error.response.headers["retry-after-ms"]) <= 601

    async def retried():
        async with client(server).with_options(max_retries=3) as c:
            return await c.messages.create(**body)

    assert asyncio.run(retried()).stop_reason == "end_turn"
    assert server.counters.by_status[200] == 2


# -- faults -------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("kind", "error_class", "error_type"),
    [
        ("529", anthropic.OverloadedError, "overloaded_error"),
        ("500", anthropic.InternalServerError, "api_error"),
        ("spend_limit", anthropic.EnforcedSpendLimitReachedError, "rate_limit_error"),
    ],
)
def test_error_faults(make_claude_server, claude_library, kind, error_class, error_type):
    server = make_claude_server(faults={kind: 1.0})
    error = expect_error(server, error_class, **params(claude_library[:5]))
    assert error.status_code == int(kind) if kind.isdigit() else 429
    assert error.body["type"] == "error" and error.body["error"]["type"] == error_type
    assert "retry-after" not in error.response.headers
    assert server.counters.faults == {kind: 1}


def test_answer_faults(make_claude_server, claude_library):
    movies = claude_library[:40]
    answers = {
        kind: create(make_claude_server(faults={kind: 1.0}), **params(movies))
        for kind in ("malformed", "missing_ids", "truncate", "refusal")
    }
    with pytest.raises(ValueError):
        json.loads(answers["malformed"].content[0].text)
    assert answers["malformed"].stop_reason == "end_turn"
    missing = json.loads(answers["missing_ids"].content[0].text)["r"]
    assert 20 <= len(missing) < 40
    assert answers["truncate"].stop_reason == "max_tokens"
    with pytest.raises(ValueError):
        json.loads(answers["truncate"].content[0].text)
    refusal = answers["refusal"]
    assert (refusal.stop_reason, refusal.content) == ("refusal", [])
    assert refusal.stop_details.type == "refusal" and refusal.usage.input_tokens > 0


def test_spend_limit_after(make_claude_server, claude_library):
    server = make_claude_server(spend_limit_after=2)
    body = params(claude_library[:3])
    create(server, **body)
    create(server, **body)
    error = expect_error(server, anthropic.EnforcedSpendLimitReachedError, **body)
    assert error.error_code == "enforced_spend_limit_reached"
    assert "retry-after" not in error.response.headers

    async def batch():
        async with client(server) as c:
            await c.messages.batches.create(requests=[{"custom_id": "a", "params": body}])

    with pytest.raises(anthropic.EnforcedSpendLimitReachedError):
        asyncio.run(batch())


def test_max_tokens_truncates(claude_server, claude_library):
    message = create(claude_server, **params(claude_library[:50], max_tokens=50))
    assert message.stop_reason == "max_tokens" and message.usage.output_tokens == 50
    assert len(message.content[0].text) == chars_for(50)
    assert claude_server.requests()[-1].answered < 25


def test_config_rejects_unknown_faults():
    with pytest.raises(ValueError):
        ClaudeConfig(faults={"timeout": 0.1})
    with pytest.raises(ValueError):
        ClaudeConfig(faults={"flaky": 0.1})
    assert "api_key" not in repr(ClaudeConfig())


# -- validation and auth ------------------------------------------------------------------------
def test_unknown_model_and_bad_requests(claude_server, claude_library):
    error = expect_error(claude_server, anthropic.NotFoundError, **params([], model="claude-9"))
    assert error.body["error"] == {"type": "not_found_error", "message": "model: claude-9"}
    body = params(claude_library[:2])
    error = expect_error(
        claude_server, anthropic.BadRequestError, **body, extra_body={"temperature": 0}
    )
    assert error.body["error"]["type"] == "invalid_request_error"
    old = raw(
        claude_server, "POST", "/v1/messages", version="2023-06-01", json={**body, "top_k": 5}
    )
    assert old.status_code == 200
    too_many = raw(claude_server, "POST", "/v1/messages", json={**body, "max_tokens": 128_001})
    assert too_many.status_code == 400
    bad = raw(claude_server, "POST", "/v1/messages", content=b"{not json")
    assert bad.status_code == 400 and bad.json()["error"]["type"] == "invalid_request_error"
    marks = [{"type": "text", "text": "x", "cache_control": {"type": "ephemeral"}}] * 5
    five = {**body, "messages": [{"role": "user", "content": marks}]}
    assert "maximum of 4" in expect_error(claude_server, anthropic.BadRequestError, **five).message


def test_both_auth_headers_and_auth_errors(claude_server, claude_library):
    body = params(claude_library[:2])
    for bearer in (False, True):
        response = raw(claude_server, "POST", "/v1/messages", bearer=bearer, json=body)
        assert response.status_code == 200 and response.headers["request-id"].startswith("req_")
    denied = raw(claude_server, "POST", "/v1/messages", key="wrong", json=body)
    assert denied.status_code == 401
    assert denied.json() == {
        "type": "error",
        "error": {"type": "authentication_error", "message": "invalid x-api-key"},
        "request_id": denied.headers["request-id"],
    }
    unversioned = raw(claude_server, "POST", "/v1/messages", version=None, json=body)
    assert unversioned.status_code == 400
    assert raw(claude_server, "GET", "/v1/models").status_code == 404


# -- batches ------------------------------------------------------------------------------------
def test_batch_lifecycle(make_claude_server, claude_library):
    clock = Clock()
    server = make_claude_server(clock=clock, batch_processing_s=100, accuracy=PERFECT)
    good = {f"chunk-{k}": claude_library[k * 5 : k * 5 + 5] for k in range(3)}
    requests = [{"custom_id": cid, "params": params(ms)} for cid, ms in good.items()]
    requests.append({"custom_id": "broken", "params": {"model": MODEL, "messages": []}})

    async def go():
        async with client(server) as c:
            batch = await c.messages.batches.create(requests=requests)
            assert batch.processing_status == "in_progress" and batch.results_url is None
            assert batch.request_counts.processing == 4
            with pytest.raises(anthropic.AnthropicError, match="results_url"):
                await c.messages.batches.results(batch.id)
            assert [b.id async for b in c.messages.batches.list()] == [batch.id]
            clock.now += 100
            ended = await c.messages.batches.retrieve(batch.id)
            results = [r async for r in await c.messages.batches.results(batch.id)]
            return ended, results

    ended, results = asyncio.run(go())
    assert ended.processing_status == "ended" and ended.ended_at is not None
    counts = ended.request_counts
    assert (counts.succeeded, counts.errored, counts.processing) == (3, 1, 0)
    assert ended.results_url == f"{server.url}/v1/messages/batches/{ended.id}/results"
    by_id = {r.custom_id: r.result for r in results}
    assert set(by_id) == {*good, "broken"}
    assert by_id["broken"].type == "errored"
    assert by_id["broken"].error.error.type == "invalid_request_error"
    for cid, movies in good.items():
        message = by_id[cid].message
        assert message.usage.service_tier == "batch"
        assert decided(message) == {f"m{i + 1}": set(m.traits) for i, m in enumerate(movies)}
    items = [r for r in server.requests() if r.endpoint == "batch_request"]
    assert {(r.batch_id, r.custom_id) for r in items} == {(ended.id, c) for c in by_id}
    assert server.counters.movies == 15


def test_batch_cancel_and_delete(make_claude_server, claude_library):
    clock = Clock()
    server = make_claude_server(clock=clock, batch_processing_s=100)
    requests = [
        {"custom_id": f"r{k}", "params": params(claude_library[k : k + 2])} for k in range(10)
    ]

    async def go():
        async with client(server) as c:
            batch = await c.messages.batches.create(requests=requests)
            with pytest.raises(anthropic.BadRequestError):
                await c.messages.batches.delete(batch.id)
            clock.now += 30
            canceling = await c.messages.batches.cancel(batch.id)
            assert canceling.processing_status == "canceling"
            assert canceling.cancel_initiated_at is not None
            clock.now += 5
            ended = await c.messages.batches.retrieve(batch.id)
            types = [r.result.type async for r in await c.messages.batches.results(batch.id)]
            deleted = await c.messages.batches.delete(batch.id)
            with pytest.raises(anthropic.NotFoundError):
                await c.messages.batches.retrieve(batch.id)
            return ended, types, deleted

    ended, types, deleted = asyncio.run(go())
    assert ended.processing_status == "ended"
    assert (ended.request_counts.succeeded, ended.request_counts.canceled) == (3, 7)
    assert sorted(types) == ["canceled"] * 7 + ["succeeded"] * 3
    assert deleted.type == "message_batch_deleted"


def test_faults_inside_a_batch_are_errored_results(make_claude_server, claude_library):
    server = make_claude_server(faults={"529": 1.0})
    requests = [
        {"custom_id": f"r{k}", "params": params(claude_library[k : k + 2])} for k in range(3)
    ]

    async def go():
        async with client(server) as c:
            batch = await c.messages.batches.create(requests=requests)
            ended = await c.messages.batches.retrieve(batch.id)
            return ended, [r async for r in await c.messages.batches.results(batch.id)]

    ended, results = asyncio.run(go())
    assert ended.request_counts.errored == 3
    assert {r.result.error.error.type for r in results} == {"overloaded_error"}
    assert server.counters.faults == {"529": 3}


def test_batch_validation_and_listing(claude_server, claude_library):
    body = params(claude_library[:1])
    twice = raw(claude_server, "POST", "/v1/messages/batches", json={
        "requests": [{"custom_id": "a", "params": body}, {"custom_id": "a", "params": body}]
    })  # fmt: skip
    assert twice.status_code == 400 and "twice" in twice.json()["error"]["message"]

    async def go():
        async with client(claude_server) as c:
            ids = []
            for k in range(3):
                batch = await c.messages.batches.create(
                    requests=[{"custom_id": f"x{k}", "params": body}]
                )
                ids.append(batch.id)
            first = await c.messages.batches.list(limit=2)
            return ids, first, [b.id async for b in c.messages.batches.list(limit=2)]

    ids, first, every = asyncio.run(go())
    assert [b.id for b in first.data] == ids[:0:-1] and first.has_more
    assert every == ids[::-1]


def test_server_from_library_and_counters_reset(claude_library):
    with ClaudeServer.from_library(50, seed=1, accuracy=PERFECT) as server:
        assert server.truth.size == 50
        create(server, **params(claude_library[:5]))
        assert server.counters.total == 1 and server.counters.input_tokens > 0
        server.reset_counters()
        assert server.counters.total == 0 and server.requests() == []
