"""Plumbing both *arr clients share: retry signals, error wording, chunking, draining bodies."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterable, Iterator

import httpx

READ_CHUNK = 64 * 1024


class Retryable(Exception):
    """One attempt failed in a way worth another try; ``kind``: connect, timeout, status, io."""

    def __init__(self, kind: str, reason: str) -> None:
        super().__init__(reason)
        self.kind = kind


def chunks(ids: Iterable[int], size: int) -> Iterator[list[int]]:
    chunk: list[int] = []
    for movie_id in ids:
        chunk.append(movie_id)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def drain(response: httpx.Response) -> None:
    """Read and drop the body. The edit was accepted with the status; a body cut off is fine."""
    with contextlib.suppress(httpx.HTTPError):
        for _ in response.iter_raw(READ_CHUNK):
            pass


def int_tuple(value: object) -> tuple[int, ...]:
    if not isinstance(value, list):
        return ()
    return tuple(v for v in value if type(v) is int)


def describe(exc: Exception) -> str:
    name = type(exc).__name__
    return {
        "ConnectTimeout": "timed out connecting",
        "ReadTimeout": "timed out waiting for data",
        "WriteTimeout": "timed out sending",
        "PoolTimeout": "timed out waiting for a connection",
        "RemoteProtocolError": "the connection was closed mid-answer",
        "ReadError": "the connection broke",
        "DecodingError": "the compressed answer is corrupt",
    }.get(name, name)


def connect_reason(exc: httpx.ConnectError) -> str:
    text = str(exc).lower()
    if "refused" in text:
        return "connection refused"
    if any(s in text for s in ("name or service", "name resolution", "nodename", "getaddrinfo")):
        return "host not found"
    if "ssl" in text or "certificate" in text:
        return f"TLS failed ({str(exc)[:120]})"
    return f"cannot connect ({str(exc)[:120] or 'no detail'})"


def error_detail(response: httpx.Response) -> str:
    """The service's message from an error body: ``{"message"}`` or a validation failure list."""
    try:
        raw = response.read()[:4096]
        body = json.loads(raw)
    except (httpx.HTTPError, ValueError):
        return ""
    if isinstance(body, dict) and isinstance(body.get("message"), str):
        return body["message"][:200]
    if isinstance(body, list):
        messages = [e.get("errorMessage") for e in body if isinstance(e, dict)]
        return "; ".join(m for m in messages if isinstance(m, str))[:200]
    return ""
