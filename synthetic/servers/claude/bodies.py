"""Request bodies in, JSON bodies out, and the API version a request asks for."""

from __future__ import annotations

import json

from aiohttp import web

from synthetic.servers.claude.errors import ApiError, invalid

LATEST_VERSION = "2026-10-21"
_dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def json_response(body: dict) -> web.Response:
    return web.Response(body=_dumps(body).encode(), content_type="application/json")


def version(request: web.Request) -> str:
    return request.headers.get("anthropic-version", LATEST_VERSION)


async def read_json(request: web.Request, limit: int) -> object:
    """The JSON body, read past aiohttp's 1 MB default (the API takes 32 MB, batches 256 MB)."""
    if (request.content_length or 0) > limit:
        raise ApiError(
            413, "request_too_large", f"Request exceeds the maximum size of {limit} bytes"
        )
    raw = await request.content.read()
    if len(raw) > limit:
        raise ApiError(
            413, "request_too_large", f"Request exceeds the maximum size of {limit} bytes"
        )
    try:
        return json.loads(raw)
    except ValueError:
        raise invalid(
            "There was an error parsing the body of your request: not valid JSON"
        ) from None
