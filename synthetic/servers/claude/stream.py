"""``"stream": true``: the finished message re-told as the API's server-sent events.

The event sequence is the one the Messages streaming docs describe and the SDK's
``MessageStream`` accumulates: ``message_start`` (the message with empty content, the input-side
usage and ``output_tokens: 1``), then per content block ``content_block_start``, (after the first)
``ping``, ``content_block_delta`` events (``text_delta`` for text, ``input_json_delta`` with
``partial_json`` for tool use), ``content_block_stop``; then ``message_delta`` with
``stop_reason``, ``stop_sequence`` and the final usage, and ``message_stop``. The message is
answered first (the engine has no partial answers), then paced: the first event after the
time to first token, the deltas spread over the output time, both times the global time scale.

An overload mid-stream (the ``stream_overload`` fault) is what the API sends when a stream is cut
after it started: an ``error`` event ``{"type": "error", "error": {"type": "overloaded_error",
"message": "Overloaded"}}`` in place of the rest, after a status 200.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator

from aiohttp import web

DELTAS_PER_BLOCK = 40
MIN_DELTA_CHARS = 64
OVERLOADED = {"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}}
_dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
_START_USAGE = (
    "input_tokens",
    "cache_creation_input_tokens",
    "cache_read_input_tokens",
    "cache_creation",
    "service_tier",
    "inference_geo",
)


def events(message: dict) -> Iterator[tuple[str, dict]]:
    """``(event name, data)`` for the whole message, in the order the API sends them."""
    usage = message["usage"]
    start_usage = {k: usage[k] for k in _START_USAGE if k in usage}
    start_usage["output_tokens"] = 1
    start = {**message, "content": [], "stop_reason": None, "stop_sequence": None}
    start["usage"] = start_usage
    start.pop("stop_details", None)
    yield "message_start", {"type": "message_start", "message": start}
    for index, block in enumerate(message["content"]):
        yield from _block(index, block)
    final = {k: usage[k] for k in ("input_tokens", "output_tokens") if k in usage}
    final["cache_creation_input_tokens"] = usage.get("cache_creation_input_tokens", 0)
    final["cache_read_input_tokens"] = usage.get("cache_read_input_tokens", 0)
    delta = {"stop_reason": message["stop_reason"], "stop_sequence": message["stop_sequence"]}
    if message.get("stop_details") is not None:
        delta["stop_details"] = message["stop_details"]
    yield "message_delta", {"type": "message_delta", "delta": delta, "usage": final}
    yield "message_stop", {"type": "message_stop"}


def _block(index: int, block: dict) -> Iterator[tuple[str, dict]]:
    if block["type"] == "tool_use":
        empty = {**block, "input": {}}
        whole, kind, key = _dumps(block["input"]), "input_json_delta", "partial_json"
    else:
        empty = {**block, "text": ""}
        whole, kind, key = block["text"], "text_delta", "text"
    started = {"type": "content_block_start", "index": index, "content_block": empty}
    yield "content_block_start", started
    if index == 0:
        yield "ping", {"type": "ping"}
    for piece in _pieces(whole):
        yield (
            "content_block_delta",
            {"type": "content_block_delta", "index": index, "delta": {"type": kind, key: piece}},
        )
    yield "content_block_stop", {"type": "content_block_stop", "index": index}


def _pieces(text: str) -> list[str]:
    size = max(MIN_DELTA_CHARS, -(-len(text) // DELTAS_PER_BLOCK))
    return [text[i : i + size] for i in range(0, len(text), size)] or [""]


def encode(name: str, data: dict) -> bytes:
    return f"event: {name}\ndata: {_dumps(data)}\n\n".encode()


async def send(
    request: web.Request,
    response: web.StreamResponse,
    message: dict,
    *,
    first_s: float,
    rest_s: float,
    overload: bool,
) -> None:
    """Write the events of ``message`` (the response is prepared here), the first after
    ``first_s`` and the deltas over ``rest_s``; with ``overload``, cut halfway with an error."""
    response.content_type = "text/event-stream"
    response.headers["Cache-Control"] = "no-cache"
    await response.prepare(request)
    sequence = list(events(message))
    deltas = sum(1 for name, _ in sequence if name == "content_block_delta") or 1
    cut = len(sequence) // 2 if overload else None
    if first_s > 0:
        await asyncio.sleep(first_s)
    for i, (name, data) in enumerate(sequence):
        if i == cut:
            await response.write(encode("error", OVERLOADED))
            break
        await response.write(encode(name, data))
        if name == "content_block_delta" and rest_s > 0:
            await asyncio.sleep(rest_s / deltas)
    await response.write_eof()
