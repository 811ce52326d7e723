"""Validate a Messages request body the way the API does, and measure it.

The stand-in has to refuse what the real API refuses (a client bug must fail here, not in
production): unknown models (404), missing or mistyped fields, sampling parameters that API version
2026-10-21 removed, more than four cache breakpoints, a 1-hour breakpoint after a 5-minute one,
assistant prefill on the 5.5 models, forced tool use on Sonnet 5.5, prompts over the context window
(all 400). Every content block type the API accepts is read (``synthetic.servers.claude.content``).
Limits per model are from the model overview pages (max output 128K, context 1M; Haiku 4.5: 64K,
200K). The same parser serves ``/v1/messages``,
``/v1/messages/count_tokens`` and each request inside a batch (where a failure becomes an
``errored`` result).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from synthetic.servers.claude.content import (
    IMAGE_TOKENS,
    Part,
    check_tool_choice,
    last_user_text,
    message_parts,
    system_parts,
    tool_parts,
)
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
    max_output: int = 128_000
    context_window: int = 1_000_000
    prefill: bool = True
    forced_tools: bool = True


MODELS: dict[str, ModelSpec] = {
    m.name: m
    for m in (
        ModelSpec("claude-haiku-5-5", 512, prefill=False),
        ModelSpec("claude-sonnet-5-5", 512, prefill=False, forced_tools=False),
        ModelSpec("claude-haiku-4-5", 4096, max_output=64_000, context_window=200_000),
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
    stream: bool = False
    schema: dict | None = None
    tool: dict | None = None


def parse_request(
    body: object, *, version: str, count_only: bool = False, in_batch: bool = False
) -> ParsedRequest:
    """Validate ``body`` (a decoded JSON value); raise ``ApiError`` as the API would."""
    if not isinstance(body, dict):
        raise invalid("Request body must be a JSON object")
    if version >= SAMPLING_REMOVED_IN:
        for name in ("temperature", "top_p", "top_k"):
            if name in body:
                raise invalid(f"{name}: not supported from anthropic-version {SAMPLING_REMOVED_IN}")
    model = _model(body.get("model"))
    max_tokens = 0 if count_only else _max_tokens(body.get("max_tokens"), model)
    stream = body.get("stream", False)
    if not isinstance(stream, bool):
        raise invalid("stream: Input should be a valid boolean")
    if stream and in_batch:
        raise invalid("stream: streaming is not supported for requests in a message batch")
    _check_thinking(body.get("thinking"), max_tokens)
    schema = _check_output_config(body.get("output_config"))
    tools = body.get("tools")
    parts = tool_parts(tools)
    check_tool_choice(
        body.get("tool_choice"), tools, forced_allowed=model.forced_tools, model=model.name
    )
    parts += system_parts(body.get("system"))
    messages = body.get("messages")
    parts += message_parts(messages)
    if messages[-1]["role"] == "assistant" and not model.prefill:
        raise invalid(
            f"{model.name} does not support assistant message prefill; "
            "the conversation must end with a user message"
        )
    top = body.get("cache_control")
    if top is not None:
        parts[-1] = parts[-1]._replace(control=top)
    total, breakpoints, digest = _measure(parts, [model.name, tools, body.get("output_config")])
    if total > model.context_window:
        raise invalid(f"prompt is too long: {total} tokens > {model.context_window} maximum")
    return ParsedRequest(
        model,
        max_tokens,
        total,
        breakpoints,
        "\n".join(p.text for p in parts if p.where == "system"),
        last_user_text(messages),
        digest,
        stream=stream,
        schema=schema,
        tool=_forced_tool(body.get("tool_choice"), tools),
    )


def _measure(parts: list[Part], context: list) -> tuple[int, tuple[Breakpoint, ...], bytes]:
    """Tokens, cache breakpoints (each with the hash of the prefix it closes) and the digest."""
    marked = [p for p in parts if p.control is not None]
    if len(marked) > MAX_BREAKPOINTS:
        raise invalid(
            f"A maximum of {MAX_BREAKPOINTS} blocks with cache_control may be provided. "
            f"Found {len(marked)}."
        )
    hasher = hashlib.blake2b(digest_size=16)
    hasher.update(json.dumps(context, sort_keys=True, default=str).encode())
    total = 0
    breakpoints: list[Breakpoint] = []
    seen_5m = False
    for part in parts:
        total += IMAGE_TOKENS if part.image else count_tokens(part.text)
        hasher.update(f"{part.where}:{len(part.text)}:".encode())
        hasher.update(part.text.encode())
        if part.control is not None:
            ttl = _ttl(part.control)
            if ttl == "1h" and seen_5m:
                raise invalid("cache_control: a ttl='1h' entry must not come after a ttl='5m' one")
            seen_5m = seen_5m or ttl == "5m"
            breakpoints.append(Breakpoint(total, hasher.copy().digest(), ttl))
    return total, tuple(breakpoints), hasher.digest()


def _forced_tool(choice: object, tools: object) -> dict | None:
    """The tool a ``tool_choice`` of ``tool`` or ``any`` makes the model call (for ``any``: the
    first), else None."""
    if not isinstance(choice, dict) or choice.get("type") not in ("tool", "any"):
        return None
    for tool in tools or []:
        if choice["type"] == "any" or tool.get("name") == choice.get("name"):
            return tool
    return None


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


def _check_output_config(config: object) -> dict | None:
    """The ``output_config.format`` JSON schema, if any (effort and format checked)."""
    if config is None:
        return None
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
    return None if fmt is None else fmt["schema"]


def _ttl(control: object) -> str:
    if not isinstance(control, dict) or control.get("type") != "ephemeral":
        raise invalid("cache_control.type: Input should be 'ephemeral'")
    ttl = control.get("ttl", "5m")
    if ttl not in TTL_S:
        raise invalid("cache_control.ttl: Input should be '5m' or '1h'")
    return ttl
