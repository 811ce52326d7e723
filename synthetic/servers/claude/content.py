"""The prompt of a Messages request as the API reads it: tools, system, then messages.

Every part becomes a ``Part(where, text, cache_control)`` in cache-prefix order (tools, then
system, then messages), so one loop can count tokens and place cache breakpoints. Text blocks
count their text; any other content block the API accepts (images, documents, tool use and tool
results, thinking) counts its JSON, except an image, which the API bills by its pixels: about
1,600 tokens for a picture of about 1.15 megapixels, the size the vision docs recommend, is
taken for every image. Shapes are checked the way the API checks them, with its wording
(``messages.0.content.1.type: ...``); a block type the API does not know is a 400.
"""

from __future__ import annotations

import json
from typing import NamedTuple

from synthetic.servers.claude.errors import invalid

IMAGE_TOKENS = 1_600
USER_BLOCKS = frozenset({"text", "image", "document", "tool_result", "search_result"})
ASSISTANT_BLOCKS = frozenset(
    {"text", "tool_use", "thinking", "redacted_thinking", "server_tool_use", "web_search_result"}
)
TOOL_CHOICES = frozenset({"auto", "any", "tool", "none"})
_dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode


class Part(NamedTuple):
    """One block of the prompt: where it sits, the text it counts as, its ``cache_control``."""

    where: str
    text: str
    control: object
    image: bool = False


def tool_parts(tools: object) -> list[Part]:
    """The tool definitions, first in the cache prefix; each needs a name (and for a custom tool
    an ``input_schema`` object)."""
    if tools is None:
        return []
    if not isinstance(tools, list):
        raise invalid("tools: Input should be a valid list")
    parts, names = [], set()
    for i, tool in enumerate(tools):
        if not isinstance(tool, dict) or not isinstance(tool.get("name"), str) or not tool["name"]:
            raise invalid(f"tools.{i}.name: Field required")
        if tool["name"] in names:
            raise invalid(f"tools: Tool names must be unique. Duplicate name: {tool['name']}")
        names.add(tool["name"])
        custom = tool.get("type") in (None, "custom")
        if custom and not isinstance(tool.get("input_schema"), dict):
            raise invalid(f"tools.{i}.custom.input_schema: Field required")
        body = {k: v for k, v in tool.items() if k != "cache_control"}
        parts.append(Part("tools", _dumps(body), tool.get("cache_control")))
    return parts


def check_tool_choice(choice: object, tools: object, *, forced_allowed: bool, model: str) -> None:
    """``tool_choice`` must name a known type, a ``tool`` choice a defined tool."""
    if choice is None:
        return
    if not isinstance(choice, dict) or choice.get("type") not in TOOL_CHOICES:
        raise invalid(f"tool_choice.type: Input should be one of {sorted(TOOL_CHOICES)}")
    names = {t.get("name") for t in tools or [] if isinstance(t, dict)}
    kind = choice["type"]
    if kind in ("any", "tool") and not names:
        raise invalid("tool_choice: tool_choice may only be specified while providing tools")
    if kind == "tool" and choice.get("name") not in names:
        raise invalid(f"tool_choice.name: Tool '{choice.get('name')}' not found in tools")
    if kind in ("any", "tool") and not forced_allowed:
        raise invalid(
            f"tool_choice: forced tool use (type '{kind}') is not supported with {model}; "
            "use tool_choice auto or structured outputs (output_config.format)"
        )


def system_parts(system: object) -> list[Part]:
    if system is None or system == "":
        return []
    if isinstance(system, str):
        return [Part("system", system, None)]
    if not isinstance(system, list):
        raise invalid("system: Input should be a valid string or a list of text blocks")
    parts = []
    for j, block in enumerate(system):
        if not isinstance(block, dict) or block.get("type") != "text":
            raise invalid(f"system.{j}.type: Input should be 'text'")
        parts.append(Part("system", _text(block, f"system.{j}"), block.get("cache_control")))
    return parts


def message_parts(messages: object) -> list[Part]:
    if not isinstance(messages, list) or not messages:
        raise invalid("messages: Field required (a non-empty list)")
    parts = []
    for i, message in enumerate(messages):
        role = message.get("role") if isinstance(message, dict) else None
        if role not in ("user", "assistant"):
            raise invalid(f"messages.{i}.role: Input should be 'user' or 'assistant'")
        content = message.get("content")
        if isinstance(content, str):
            if not content and not (role == "assistant" and i == len(messages) - 1):
                raise invalid(f"messages.{i}: text content blocks must be non-empty")
            parts.append(Part(role, content, None))
        elif isinstance(content, list) and content:
            allowed = USER_BLOCKS if role == "user" else ASSISTANT_BLOCKS
            for j, block in enumerate(content):
                parts.append(_block(block, role, allowed, f"messages.{i}.content.{j}"))
        else:
            raise invalid(f"messages.{i}.content: Input should be a valid string or list")
    return parts


def last_user_text(messages: list[dict]) -> str:
    """The text blocks of the last message when it is the user's ("" otherwise)."""
    last = messages[-1]
    if last["role"] != "user":
        return ""
    content = last["content"]
    if isinstance(content, str):
        return content
    return "\n".join(b["text"] for b in content if b.get("type") == "text")


def _block(block: object, role: str, allowed: frozenset[str], where: str) -> Part:
    kind = block.get("type") if isinstance(block, dict) else None
    if kind not in allowed:
        raise invalid(
            f"{where}.type: Input tag '{kind}' found using 'type' does not match any of the "
            f"expected tags: {', '.join(sorted(allowed))}"
        )
    control = block.get("cache_control")
    if kind == "text":
        return Part(role, _text(block, where), control)
    if kind == "tool_use" and not (
        isinstance(block.get("id"), str) and isinstance(block.get("input"), dict)
    ):
        raise invalid(f"{where}.tool_use: id and input are required")
    if kind == "tool_result" and not isinstance(block.get("tool_use_id"), str):
        raise invalid(f"{where}.tool_result.tool_use_id: Field required")
    body = {k: v for k, v in block.items() if k != "cache_control"}
    return Part(role, "" if kind == "image" else _dumps(body), control, image=kind == "image")


def _text(block: dict, where: str) -> str:
    text = block.get("text")
    if not isinstance(text, str) or not text:
        raise invalid(f"{where}.text: text content blocks must be non-empty")
    return text
