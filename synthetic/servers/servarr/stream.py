"""Write a JSON array of resources as it is generated: the Radarr and Sonarr stand-ins' lists.

Radarr and Sonarr build ``GET /api/v3/movie`` and ``/series`` in memory and send them in one
piece; to serve 100k movies or series without holding them, the stand-ins write ``[r,r,...]`` in
pieces of about ``WRITE_BYTES``, gzipped when the client accepts it, chunked. A "truncate" fault
drops the connection halfway.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Iterable

from aiohttp import web

from synthetic.servers.servarr.errors import dumps

WRITE_BYTES = 64 * 1024


async def stream_array(
    request: web.Request,
    items: Iterable[object],
    resource: Callable[[object], dict],
    *,
    status: int = 200,
    cut_at: int | None = None,
    on_total: Callable[[int], None] | None = None,
) -> tuple[web.StreamResponse, int]:
    """Send ``[resource(item), ...]``; the response and the JSON bytes written (before gzip).

    :param cut_at: abort the connection before this element (a "truncate" fault).
    :param on_total: told the whole array's size before its last bytes go out, so a client that
        has read the body never sees the count of a list still being noted.
    """
    response = web.StreamResponse(status=status)
    response.content_type = "application/json"
    response.charset = "utf-8"
    gzip = "gzip" in request.headers.get("Accept-Encoding", "").lower()
    compressor = zlib.compressobj(1, zlib.DEFLATED, 31) if gzip else None
    if gzip:
        response.headers["Content-Encoding"] = "gzip"
        response.headers["Vary"] = "Accept-Encoding"
    response.enable_chunked_encoding()
    await response.prepare(request)

    async def write(data: bytes) -> None:
        await response.write(compressor.compress(data) if compressor is not None else data)

    parts: list[bytes] = [b"["]
    pending = total = 0
    for n, item in enumerate(items):
        if n == cut_at:
            await write(b"".join(parts))
            if compressor is not None:
                await response.write(compressor.flush(zlib.Z_SYNC_FLUSH))
            if request.transport is not None:
                request.transport.abort()
            return response, total
        data = (b"," if n else b"") + dumps(resource(item)).encode()
        parts.append(data)
        pending += len(data)
        if pending >= WRITE_BYTES:
            total += pending
            await write(b"".join(parts))
            parts, pending = [], 0
    parts.append(b"]")
    total += pending + 2
    if on_total is not None:
        on_total(total)
    await write(b"".join(parts))
    if compressor is not None:
        await response.write(compressor.flush())
    await response.write_eof()
    return response, total
