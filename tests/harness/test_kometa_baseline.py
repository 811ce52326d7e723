"""The Kometa-AI baseline of the classify benchmark, against the stand-in Claude at time scale 0."""

import json
import math

import pytest

from benchmarks.harness.workloads.classify import fill_store
from benchmarks.harness.workloads.kometa_baseline import (
    DECISIONS_SCHEMA,
    load,
    movie_payload,
    request_params,
    run_baseline,
)
from core.clients.claude.pricing import Usage, cost
from synthetic.library.collection_defs import COLLECTIONS
from synthetic.servers.claude.server import PERFECT

N = 300
MODEL = "claude-haiku-5-5"


def run(server, movies, **options):
    return run_baseline(
        movies, COLLECTIONS, base_url=server.url, api_key=server.config.api_key, **options
    )


def test_one_pass_per_collection_decides_every_pair(make_claude_server, claude_library):
    server = make_claude_server()
    result = run(server, claude_library[:N])
    requests = len(COLLECTIONS) * math.ceil(N / 150)
    assert result["requests"] == requests == server.counters.by_endpoint["messages"]
    assert result["pairs"] == N * len(COLLECTIONS) and result["failed_requests"] == 0
    assert all(r.movies in (150,) and r.answered == r.movies for r in server.requests())
    assert result["cost_usd"] > 0
    tokens = server.counters.tokens
    assert result["input_tokens"] == tokens["input_tokens"]
    assert result["output_tokens"] == tokens["output_tokens"]
    assert result["cache_read_tokens"] == tokens["cache_read_input_tokens"] > 0
    billed = sum(
        cost(
            Usage(
                input=r.input_tokens,
                output=r.output_tokens,
                cache_write_5m=r.cache_creation_5m_input_tokens,
                cache_read=r.cache_read_input_tokens,
            ),
            MODEL,
        )
        for r in server.requests()
    )
    assert result["cost_usd"] == pytest.approx(billed, rel=1e-5)
    assert result["cost_per_1k_movies"] == pytest.approx(result["cost_usd"] / N * 1000, abs=1e-4)
    flipped = server.counters.flipped
    assert result["agreement_with_truth"] == pytest.approx(1 - flipped / result["pairs"])
    assert 0.9 < result["agreement_with_truth"] < 1.0


def test_agreement_is_exact_without_errors(make_claude_server, claude_library):
    server = make_claude_server(accuracy=PERFECT)
    result = run(server, claude_library[:40], batch_size=15, concurrency=3)
    assert result["requests"] == len(COLLECTIONS) * 3
    assert result["agreement_with_truth"] == 1.0 and result["pairs"] == 400


def test_store_sends_the_same_payload_as_the_movies(store, claude_library):
    fill_store(store, 50)
    assert load(store)[0] == load(claude_library[:50])[0]
    assert load(store)[1] == {}


def test_payload_and_request_are_kometa_ais():
    meta = {"title": "Heat", "year": 1995, "genres": ["Crime"], "runtime": 170, "keywords": [],
            "original_title": "Heat", "studio": "Forward Pass"}  # fmt: skip
    first = movie_payload(7, meta)
    assert first == {"movie_id": 7, "title": "Heat", "year": 1995, "genres": ["Crime"],
                     "overview": "", "studio": "Forward Pass", "runtime_minutes": 170}  # fmt: skip
    params = request_params(COLLECTIONS[0], [first], model=MODEL)
    assert [b["cache_control"] for b in params["system"]] == [{"type": "ephemeral"}] * 2
    assert "Collection: Film Noir" in params["system"][1]["text"]
    assert params["messages"][0]["content"] == json.dumps([first], indent=2)
    item = DECISIONS_SCHEMA["properties"]["decisions"]["items"]["properties"]
    assert list(item).index("reasoning") < list(item).index("include")
    assert params["output_config"]["format"]["schema"] is DECISIONS_SCHEMA
