"""The answer to a request the stand-in does not model: deterministic, valid, and cheap.

Any client has to be able to run against the stand-in, not only the two it models (reelscale's
and Kometa-AI's requests), so an unknown prompt is answered instead of refused: plain text, or
when the request asks for structured output (``output_config.format``) or forces a tool, the
smallest instance of the JSON schema (required properties only, the first ``enum`` value, zero,
false, empty string and list). The text names the request's digest, so the same request always
gets the same answer. The server counts these answers (``ClaudeCounters.by_dialect``).
"""

from __future__ import annotations

import json

_dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
_SCALARS = {"string": "", "integer": 0, "number": 0, "boolean": False, "null": None}


def text(digest: bytes, prompt_tokens: int) -> str:
    return (
        "This is the stand-in's fixed answer to a request it does not model "
        f"({prompt_tokens} prompt tokens, request {digest.hex()[:12]})."
    )


def instance(schema: object, depth: int = 0) -> object:
    """The smallest value ``schema`` accepts (for the JSON-schema subset the API supports)."""
    if not isinstance(schema, dict) or depth > 32:
        return None
    if "const" in schema:
        return schema["const"]
    if isinstance(schema.get("enum"), list) and schema["enum"]:
        return schema["enum"][0]
    for key in ("anyOf", "oneOf", "allOf"):
        if isinstance(schema.get(key), list) and schema[key]:
            return instance(schema[key][0], depth + 1)
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = kind[0] if kind else None
    if kind == "object" or (kind is None and "properties" in schema):
        props = schema.get("properties") or {}
        return {name: instance(props.get(name), depth + 1) for name in schema.get("required", [])}
    if kind == "array":
        return [instance(schema.get("items"), depth + 1)] * int(schema.get("minItems", 0))
    if kind == "string":
        return "x" * int(schema.get("minLength", 0))
    if kind in ("integer", "number"):
        return schema.get("minimum", 0)
    return _SCALARS.get(kind)


def json_text(schema: dict) -> str:
    return _dumps(instance(schema))
