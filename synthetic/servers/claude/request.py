"""Validate a Messages request body the way the API does, and measure it.

The stand-in has to refuse what the real API refuses (a client bug must fail here, not in
production): unknown models (404), missing or mistyped fields, sampling parameters that API version
2026-10-21 removed, more than four cache breakpoints, a 1-hour breakpoint after a 5-minute one,
assistant prefill on the 5.5 models, prompts over the context window (all 400). Only text content
is supported, which is all reelscale sends. The same parser serves ``/v1/messages``,
``/v1/messages/count_tokens`` and each request inside a batch (where a failure becomes an
``errored`` result).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from synthetic.servers.claude.errors import ApiError, invalid
from synthetic.servers.claude.tokens import TTL_S, Breakpoint, count_tokens

SAMPLING_REMOVED_IN = "2026-10-21"
MAX_BREAKPOINTS = 4
THINKING_TYPES = frozenset({"adaptive", "enabled", "disabled", "between_tools"})
EFFORTS = frozenset({"low", "medium", "high", "xhigh", "max"})


@dataclass(frozen=True, slots=True)
class ModelSpec:
    name: str
    min_cacheable: int
    max_output: int = 64_000
    context_window: int = 200_000
    prefill: bool = True


MODELS: dict[str, ModelSpec] = {
    m.name: m
    for m in (
        ModelSpec("claude-haiku-5-5", 512, prefill=False),
        ModelSpec("claude-sonnet-5-5", 512, prefill=False),
        ModelSpec("claude-haiku-4-5", 4096),
        ModelSpec("claude-sonnet-5", 1024),
    )
}


@dataclass(frozen=True, slots=True)
class ParsedRequest:
    """A valid request, measured: tokens, cache breakpoints, and the text the answer needs."""

    model: ModelSpec
    max_tokens: int
    total_tokens: int
    breakpoints: tuple[Breakpoint, ...]
    system_text: str
    user_text: str
    digest: bytes


def parse_request(body: object, *, version: str, count_only: bool = False) -> ParsedRequest:
    """Validate ``body`` (a decoded JSON value); raise ``ApiError`` as the API would."""
    if not isinstance(body, dict):
        raise invalid("Request body must be a JSON object")
    if version >= SAMPLING_REMOVED_IN:
        for name in ("temperature", "top_p", "top_k"):
            if name in body:
                raise invalid(f"{name}: not supported from anthropic-version {SAMPLING_REMOVED_IN}")
    model = _model(body.get("model"))
    max_tokens = 0 if count_only else _max_tokens(body.get("max_tokens"), model)
    if not count_only and body.get("stream"):
        raise invalid("stream: streaming is not supported by the stand-in")
    _check_thinking(body.get("thinking"), max_tokens)
    _check_output_config(body.get("output_config"))
    hasher = hashlib.blake2b(digest_size=16)
    context = [model.name, body.get("tools"), body.get("output_config")]
    hasher.update(json.dumps(context, sort_keys=True, default=str).encode())
    blocks = _blocks(body)
    if blocks[-1][0] == "assistant" and not model.prefill:
        raise invalid(
            f"{model.name} does not support assistant message prefill; "
            "the conversation must end with a user message"
        )
    top = body.get("cache_control")
    if top is not None:
        blocks[-1] = (blocks[-1][0], blocks[-1][1], top)
    marked = [b for b in blocks if b[2] is not None]
    if len(marked) > MAX_BREAKPOINTS:
        raise invalid(
            f"A maximum of {MAX_BREAKPOINTS} blocks with cache_control may be provided. "
            f"Found {len(marked)}."
        )
    total = 0
    breakpoints: list[Breakpoint] = []
    system_parts: list[str] = []
    seen_5m = False
    for where, text, control in blocks:
        total += count_tokens(text)
        hasher.update(f"{where}:{len(text)}:".encode())
        hasher.update(text.encode())
        if where == "system":
            system_parts.append(text)
        if control is not None:
            ttl = _ttl(control)
            if ttl == "1h" and seen_5m:
                raise invalid("cache_control: a ttl='1h' entry must not come after a ttl='5m' one")
            seen_5m = seen_5m or ttl == "5m"
            breakpoints.append(Breakpoint(total, hasher.copy().digest(), ttl))
    if total > model.context_window:
        raise invalid(f"prompt is too long: {total} tokens > {model.context_window} maximum")
    return ParsedRequest(
        model,
        max_tokens,
        total,
        tuple(breakpoints),
        "\n".join(system_parts),
        _last_user_text(body["messages"]),
        hasher.digest(),
    )


def _model(name: object) -> ModelSpec:
    if not isinstance(name, str):
        raise invalid("model: Field required")
    spec = MODELS.get(name)
    if spec is None:
        raise ApiError(404, "not_found_error", f"model: {name}")
    return spec


def _max_tokens(value: object, model: ModelSpec) -> int:
    if value is None:
        raise invalid("max_tokens: Field required")
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise invalid("max_tokens: Input should be a positive integer")
    if value > model.max_output:
        raise invalid(
            f"max_tokens: {value} > {model.max_output}, which is the maximum allowed number "
            f"of output tokens for {model.name}"
        )
    return value


def _check_thinking(thinking: object, max_tokens: int) -> None:
    if thinking is None:
        return
    if not isinstance(thinking, dict) or thinking.get("type") not in THINKING_TYPES:
        raise invalid(f"thinking.type: Input should be one of {sorted(THINKING_TYPES)}")
    if thinking["type"] == "enabled":
        budget = thinking.get("budget_tokens")
        if not isinstance(budget, int) or budget < 1024:
            raise invalid("thinking.budget_tokens: Input should be an integer >= 1024")
        if max_tokens and budget >= max_tokens:
            raise invalid("max_tokens must be greater than thinking.budget_tokens")


def _check_output_config(config: object) -> None:
    if config is None:
        return
    if not isinstance(config, dict):
        raise invalid("output_config: Input should be an object")
    effort = config.get("effort")
    if effort is not None and effort not in EFFORTS:
        raise invalid(f"output_config.effort: Input should be one of {sorted(EFFORTS)}")
    fmt = config.get("format")
    if fmt is not None and (
        not isinstance(fmt, dict)
        or fmt.get("type") != "json_schema"
        or not isinstance(fmt.get("schema"), dict)
    ):
        raise invalid("output_config.format: expected {'type': 'json_schema', 'schema': {...}}")


def _ttl(control: object) -> str:
    if not isinstance(control, dict) or control.get("type") != "ephemeral":
        raise invalid("cache_control.type: Input should be 'ephemeral'")
    ttl = control.get("ttl", "5m")
    if ttl not in TTL_S:
        raise invalid("cache_control.ttl: Input should be '5m' or '1h'")
    return ttl


def _blocks(body: dict) -> list[tuple[str, str, object]]:
    """(where, text, cache_control) for every text block, in cache-prefix order."""
    blocks: list[tuple[str, str, object]] = []
    system = body.get("system")
    if isinstance(system, str):
        if system:
            blocks.append(("system", system, None))
    elif isinstance(system, list):
        blocks.extend(("system", *_text_block(b, f"system.{j}")) for j, b in enumerate(system))
    elif system is not None:
        raise invalid("system: Input should be a string or a list of text blocks")
    messages = body.get("messages")
    if not isinstance(messages, list) or not messages:
        raise invalid("messages: Field required (a non-empty list)")
    for i, message in enumerate(messages):
        if not isinstance(message, dict) or message.get("role") not in ("user", "assistant"):
            raise invalid(f"messages.{i}.role: Input should be 'user' or 'assistant'")
        content, role = message.get("content"), message["role"]
        if isinstance(content, str):
            if not content:
                raise invalid(f"messages.{i}: text content blocks must be non-empty")
            blocks.append((role, content, None))
        elif isinstance(content, list) and content:
            blocks.extend(
                (role, *_text_block(b, f"messages.{i}.content.{j}")) for j, b in enumerate(content)
            )
        else:
            raise invalid(f"messages.{i}.content: Input should be a string or a list of blocks")
    return blocks


def _text_block(block: object, where: str) -> tuple[str, object]:
    if not isinstance(block, dict) or block.get("type") != "text":
        kind = block.get("type") if isinstance(block, dict) else type(block).__name__
        raise invalid(f"{where}.type: only text blocks are supported by the stand-in, not {kind!r}")
    text = block.get("text")
    if not isinstance(text, str) or not text:
        raise invalid(f"{where}.text: text content blocks must be non-empty strings")
    return text, block.get("cache_control")


def _last_user_text(messages: list[dict]) -> str:
    if messages[-1]["role"] != "user":
        return ""
    content = messages[-1]["content"]
    if isinstance(content, str):
        return content
    return "\n".join(b["text"] for b in content)
