"""The Radarr and Sonarr stand-ins' request log: the shared record plus each POST's and PUT's body.

The ``Traffic`` middleware writes the log entry after the handler returned, and knows nothing of
bodies. The Radarr app's own middleware, which runs inside it, parks the body it read in a
context variable; aiohttp runs each request in a task of its own, so the value is seen by that
request's log entry only.

A streamed answer reaches the client before its handler returns, so a test reading the log
right after its last request could miss it: such requests are counted while they stream, and
``records()`` waits (briefly) until none is.
"""

from __future__ import annotations

import contextvars
import threading
from dataclasses import dataclass

from synthetic.servers.traffic import RequestLog, RequestRecord

_BODY: contextvars.ContextVar[bytes | None] = contextvars.ContextVar("radarr_body", default=None)
_STREAMING: contextvars.ContextVar[bool] = contextvars.ContextVar("radarr_stream", default=False)
SETTLE_S = 5.0


def note_body(body: bytes) -> None:
    """Attach ``body`` to the current request's log entry."""
    _BODY.set(body)


@dataclass(frozen=True, slots=True)
class RadarrRecord:
    """One request, as ``RequestRecord``; ``body`` is the raw request body of a POST or PUT."""

    method: str
    path: str
    query: str  # secrets redacted
    endpoint: str
    status: int
    duration_s: float
    at: float
    fault: str | None
    body: bytes | None


class RadarrLog(RequestLog):
    __slots__ = ("_idle", "_streaming")

    def __init__(self, maxlen: int = 10_000):
        super().__init__(maxlen)
        self._streaming = 0
        self._idle = threading.Condition(self._lock)

    def streaming(self) -> None:
        """The current request starts streaming its answer; its log entry is still to come."""
        with self._lock:
            self._streaming += 1
        _STREAMING.set(True)

    def records(self) -> list[RadarrRecord]:  # type: ignore[override]
        with self._idle:
            self._idle.wait_for(lambda: not self._streaming, SETTLE_S)
            return list(self._records)  # type: ignore[arg-type]

    def add(self, record: RequestRecord, *, rate_limited: bool = False) -> None:  # type: ignore[override]
        body = _BODY.get()
        _BODY.set(None)
        super().add(
            RadarrRecord(
                record.method,
                record.path,
                record.query,
                record.endpoint,
                record.status,
                record.duration_s,
                record.at,
                record.fault,
                body,
            ),
            rate_limited=rate_limited,
        )
        if _STREAMING.get():
            _STREAMING.set(False)
            with self._idle:
                self._streaming -= 1
                self._idle.notify_all()
