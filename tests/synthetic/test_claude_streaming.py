"""The Claude stand-in through the official SDK's streaming helpers, its validation, and the
requests of clients it does not model."""

import json

import anthropic
import httpx
import pytest

from core.clients.claude import wire
from synthetic.library.collection_defs import COLLECTIONS

MODEL = "claude-haiku-5-5"
COLS = [wire.WireCollection(f"{i + 1}", c.name, c.prompt) for i, c in enumerate(COLLECTIONS)]
SCHEMA = wire.answer_schema([c.cid for c in COLS])
WEATHER = {
    "name": "get_weather",
    "description": "Current weather for a city.",
    "input_schema": {
        "type": "object",
        "properties": {"city": {"type": "string"}, "unit": {"enum": ["c", "f"]}},
        "required": ["city", "unit"],
    },
}
HELLO = [{"role": "user", "content": "Say hello."}]


def sdk(server, **options):
    return anthropic.Anthropic(
        base_url=server.url, api_key=server.config.api_key, max_retries=0, **options
    )


def reelscale_request(movies, **extra):
    wm = [
        wire.WireMovie(f"m{i + 1}", m.title, m.year, tuple(m.genres), m.overview, tuple(m.keywords))
        for i, m in enumerate(movies)
    ]
    return {
        "model": MODEL,
        "max_tokens": 8000,
        "system": [{"type": "text", "text": wire.render_system(COLS)}],
        "messages": [{"role": "user", "content": wire.render_movies(wm)}],
        "output_config": {"format": {"type": "json_schema", "schema": SCHEMA}},
        **extra,
    }


def sse(server, body):
    """The raw event names of a streamed answer."""
    headers = {
        "x-api-key": server.config.api_key,
        "anthropic-version": "2026-10-21",
        "content-type": "application/json",
    }
    with httpx.Client(trust_env=False, timeout=10) as http:
        response = http.post(server.url + "/v1/messages", headers=headers, json=body)
    assert response.headers["content-type"].startswith("text/event-stream")
    names = [line[7:] for line in response.text.splitlines() if line.startswith("event: ")]
    datas = [
        json.loads(line[6:]) for line in response.text.splitlines() if line.startswith("data: ")
    ]
    return names, datas


def test_stream_helpers_give_the_same_message_as_create(claude_server, claude_library):
    body = reelscale_request(claude_library[:20])
    with sdk(claude_server) as client:
        whole = client.messages.create(**body)
        with client.messages.stream(**body) as stream:
            pieces = list(stream.text_stream)
            final = stream.get_final_message()
    assert "".join(pieces) == final.content[0].text == whole.content[0].text
    assert len(pieces) > 1
    assert (
        final.stop_reason == "end_turn" and final.usage.output_tokens == whole.usage.output_tokens
    )
    assert final.usage.input_tokens == whole.usage.input_tokens
    assert len(json.loads(final.content[0].text)["r"]) > 0
    counters = claude_server.counters
    assert counters.streamed == 1 and counters.by_dialect == {"reelscale": 2}


def test_event_sequence_is_the_apis(claude_server, claude_library):
    names, datas = sse(claude_server, {**reelscale_request(claude_library[:5]), "stream": True})
    assert names[:3] == ["message_start", "content_block_start", "ping"]
    assert names[-3:] == ["content_block_stop", "message_delta", "message_stop"]
    assert set(names[3:-3]) == {"content_block_delta"}
    start, delta = datas[0]["message"], datas[-2]
    assert start["content"] == [] and start["stop_reason"] is None
    assert start["usage"]["input_tokens"] > 0 and start["usage"]["output_tokens"] == 1
    assert delta["delta"]["stop_reason"] == "end_turn" and delta["usage"]["output_tokens"] > 1
    assert datas[3]["delta"]["type"] == "text_delta"


def test_create_stream_true_yields_raw_events(claude_server):
    with sdk(claude_server) as client:
        events = list(
            client.messages.create(model=MODEL, max_tokens=200, messages=HELLO, stream=True)
        )
    kinds = [e.type for e in events]
    assert kinds[0] == "message_start" and kinds[-1] == "message_stop"
    text = "".join(e.delta.text for e in events if e.type == "content_block_delta")
    assert "does not model" in text


def test_tool_use_streams_input_json(claude_server):
    choice = {"type": "tool", "name": "get_weather"}
    with sdk(claude_server) as client:
        with client.messages.stream(
            model=MODEL, max_tokens=200, messages=HELLO, tools=[WEATHER], tool_choice=choice
        ) as stream:
            final = stream.get_final_message()
        again = client.messages.create(
            model=MODEL, max_tokens=200, messages=HELLO, tools=[WEATHER], tool_choice=choice
        )
    (block,) = final.content
    assert block.type == "tool_use" and block.name == "get_weather"
    assert block.input == {"city": "", "unit": "c"} == again.content[0].input
    assert final.stop_reason == "tool_use"
    _, datas = sse(
        claude_server,
        {"model": MODEL, "max_tokens": 200, "messages": HELLO, "tools": [WEATHER],
         "tool_choice": choice, "stream": True},
    )  # fmt: skip
    assert {d["delta"]["type"] for d in datas if d["type"] == "content_block_delta"} == {
        "input_json_delta"
    }


def test_structured_output_of_an_unknown_prompt_follows_its_schema(claude_server):
    schema = {
        "type": "object",
        "properties": {"answer": {"type": "string"}, "n": {"type": "integer"}},
        "required": ["answer", "n"],
        "additionalProperties": False,
    }
    fmt = {"format": {"type": "json_schema", "schema": schema}}
    with (
        sdk(claude_server) as client,
        client.messages.stream(
            model=MODEL, max_tokens=100, messages=HELLO, output_config=fmt
        ) as stream,
    ):
        text = "".join(stream.text_stream)
    assert json.loads(text) == {"answer": "", "n": 0}
    assert claude_server.counters.by_dialect == {"unmodelled": 1}


def test_unknown_prompt_gets_the_same_plain_answer(claude_server):
    with sdk(claude_server) as client:
        one = client.messages.create(model=MODEL, max_tokens=100, messages=HELLO)
        two = client.messages.create(model=MODEL, max_tokens=100, messages=HELLO)
        short = client.messages.create(model=MODEL, max_tokens=3, messages=HELLO)
    assert one.content[0].text == two.content[0].text
    assert one.stop_reason == "end_turn" and short.stop_reason == "max_tokens"
    assert short.usage.output_tokens == 3


def test_overload_mid_stream_is_an_error_event(make_claude_server, claude_library):
    server = make_claude_server(faults={"stream_overload": 1.0})
    body = reelscale_request(claude_library[:20])
    names, datas = sse(server, {**body, "stream": True})
    assert names[0] == "message_start" and names[-1] == "error"
    assert datas[-1] == {
        "type": "error",
        "error": {"type": "overloaded_error", "message": "Overloaded"},
    }
    with sdk(server) as client:
        with pytest.raises(anthropic.APIStatusError) as info, client.messages.stream(**body) as s:
            s.get_final_message()
        assert "overloaded_error" in str(info.value)
        with pytest.raises(anthropic.InternalServerError) as plain:
            client.messages.create(**body)
    assert plain.value.status_code == 529


@pytest.mark.parametrize(
    ("change", "status", "kind", "words"),
    [
        ({"max_tokens": None}, 400, "invalid_request_error", "max_tokens: Field required"),
        ({"max_tokens": 128_001}, 400, "invalid_request_error", "maximum allowed"),
        ({"model": "claude-9"}, 404, "not_found_error", "model: claude-9"),
        ({"messages": []}, 400, "invalid_request_error", "messages"),
        ({"stream": "yes"}, 400, "invalid_request_error", "stream"),
        (
            {"messages": [{"role": "user", "content": [{"type": "video", "url": "x"}]}]},
            400,
            "invalid_request_error",
            "messages.0.content.0.type",
        ),
        (
            {"tools": [WEATHER], "tool_choice": {"type": "tool", "name": "nope"}},
            400,
            "invalid_request_error",
            "nope",
        ),
    ],
)
def test_validation_errors_have_the_apis_shape(claude_server, change, status, kind, words):
    body = {"model": MODEL, "max_tokens": 100, "messages": HELLO, "stream": True, **change}
    body = {k: v for k, v in body.items() if v is not None}
    headers = {"x-api-key": claude_server.config.api_key, "anthropic-version": "2026-10-21"}
    with httpx.Client(trust_env=False, timeout=10) as http:
        response = http.post(claude_server.url + "/v1/messages", headers=headers, json=body)
        assert response.status_code == status
        error = response.json()
        assert error["type"] == "error" and error["error"]["type"] == kind
        assert words in error["error"]["message"]
        assert error["request_id"] == response.headers["request-id"]
        no_version = http.post(
            claude_server.url + "/v1/messages",
            headers={"x-api-key": claude_server.config.api_key},
            json=body,
        )
    assert no_version.status_code == 400
    assert "anthropic-version" in no_version.json()["error"]["message"]
