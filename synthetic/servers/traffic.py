"""Shape a stand-in's traffic like the real service's: rate limit, latency, faults, request log.

Every outside service reelscale talks to limits, delays and sometimes fails its requests, and the
production clients are only measured honestly if the stand-ins do the same. ``Traffic`` bundles
those behaviours into one aiohttp middleware that each stand-in (TMDB, Radarr, Claude) configures
with its own error bodies: a token-bucket rate limit answering 429 with ``Retry-After``, latency
(multiplied process-wide by the time scale, so tests can run at 0), injected faults, and a request
log whose counters the ``track_`` benchmarks read. Latency and faults draw from seeded
``random.Random`` instances: the same seed and request order give the same faults.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import os
import threading
import time
from collections import Counter, deque
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass
from random import Random
from types import MappingProxyType
from urllib.parse import urlencode

from aiohttp import web

GENERIC_FAULTS = frozenset({"timeout", "reset", "malformed"})
FAULT = web.RequestKey("fault", str)  # the extra fault a handler is asked to play
SECRET_PARAMS = frozenset({"api_key", "apikey", "key", "token", "access_token", "x-api-key"})

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

_time_scale = float(os.environ.get("REELSCALE_TIME_SCALE", "1"))


def get_time_scale() -> float:
    return _time_scale


def set_time_scale(scale: float) -> float:
    """Multiply every injected latency in this process by ``scale``; return the previous value."""
    global _time_scale
    if scale < 0:
        raise ValueError("time_scale must be >= 0")
    previous, _time_scale = _time_scale, float(scale)
    return previous


@dataclass(frozen=True, slots=True, kw_only=True)
class Latency:
    """Added before each answer: ``fixed_s`` plus a uniform draw from [0, ``jitter_s``)."""

    fixed_s: float = 0.0
    jitter_s: float = 0.0

    def __post_init__(self) -> None:
        if self.fixed_s < 0 or self.jitter_s < 0:
            raise ValueError("latency must be >= 0")

    def draw(self, rng: Random) -> float:
        if not (self.fixed_s or self.jitter_s):
            return 0.0
        return (self.fixed_s + rng.random() * self.jitter_s) * _time_scale


NO_LATENCY = Latency()


@dataclass(frozen=True, slots=True, kw_only=True)
class RateLimit:
    """At most ``requests`` per ``per_s`` seconds, refilled continuously (a token bucket)."""

    requests: int
    per_s: float

    def __post_init__(self) -> None:
        if self.requests < 1 or self.per_s <= 0:
            raise ValueError("rate limit needs requests >= 1 and per_s > 0")


class TokenBucket:
    """``take()`` returns 0.0 when a request may pass, else the seconds until one may."""

    __slots__ = ("_clock", "_rate", "_stamp", "_tokens", "capacity")

    def __init__(self, limit: RateLimit, clock: Callable[[], float] = time.monotonic):
        self.capacity = float(limit.requests)
        self._rate = limit.requests / limit.per_s
        self._clock = clock
        self._tokens = self.capacity
        self._stamp = clock()

    def take(self) -> float:
        now = self._clock()
        self._tokens = min(self.capacity, self._tokens + (now - self._stamp) * self._rate)
        self._stamp = now
        if self._tokens >= 1.0:
            self._tokens -= 1.0
            return 0.0
        return (1.0 - self._tokens) / self._rate


class FaultInjector:
    """Draws at most one fault kind per request, each with its configured probability.

    Kinds: an HTTP status ("500", "503", ...), ``GENERIC_FAULTS``, or a stand-in's own kinds
    (``extra_kinds``), which ``Traffic`` hands to the handler as ``request[FAULT]``.
    """

    __slots__ = ("_cumulative", "_rng", "rates")

    def __init__(self, rates: Mapping[str, float], seed: int, extra_kinds: Iterable[str] = ()):
        known = GENERIC_FAULTS | frozenset(extra_kinds)
        total = 0.0
        cumulative = []
        for kind, rate in rates.items():
            if kind not in known and not (kind.isdigit() and 400 <= int(kind) <= 599):
                raise ValueError(f"unknown fault kind {kind!r}")
            if not 0.0 <= rate <= 1.0:
                raise ValueError(f"fault rate for {kind!r} must be in [0, 1]")
            total += rate
            cumulative.append((total, kind))
        if total > 1.0 + 1e-9:
            raise ValueError("fault rates must sum to at most 1")
        self.rates = MappingProxyType(dict(rates))
        self._cumulative = tuple(cumulative)
        self._rng = Random(f"faults:{seed}")

    def draw(self) -> str | None:
        if not self._cumulative:
            return None
        x = self._rng.random()
        for bound, kind in self._cumulative:
            if x < bound:
                return kind
        return None


@dataclass(frozen=True, slots=True)
class RequestRecord:
    method: str
    path: str
    query: str  # secrets redacted
    endpoint: str
    status: int  # 0: the connection was dropped without an answer
    duration_s: float
    at: float  # time.time() when the request arrived
    fault: str | None


@dataclass(frozen=True, slots=True)
class Counters:
    total: int
    by_endpoint: Mapping[str, int]
    by_status: Mapping[int, int]
    rate_limited: int
    faults: Mapping[str, int]


class RequestLog:
    """Thread-safe: records are written on the server's loop and read from test threads."""

    __slots__ = ("_by_endpoint", "_by_status", "_faults", "_limited", "_lock", "_records")

    def __init__(self, maxlen: int = 10_000):
        self._lock = threading.Lock()
        self._records: deque[RequestRecord] = deque(maxlen=maxlen)
        self.reset()

    def reset(self) -> None:
        with self._lock:
            self._records.clear()
            self._by_endpoint: Counter[str] = Counter()
            self._by_status: Counter[int] = Counter()
            self._faults: Counter[str] = Counter()
            self._limited = 0

    def add(self, record: RequestRecord, *, rate_limited: bool = False) -> None:
        with self._lock:
            self._records.append(record)
            self._by_endpoint[record.endpoint] += 1
            self._by_status[record.status] += 1
            if record.fault is not None:
                self._faults[record.fault] += 1
            self._limited += rate_limited

    def records(self) -> list[RequestRecord]:
        with self._lock:
            return list(self._records)

    def counters(self) -> Counters:
        with self._lock:
            return Counters(
                sum(self._by_endpoint.values()),
                dict(self._by_endpoint),
                dict(self._by_status),
                self._limited,
                dict(self._faults),
            )


def redact_query(query: Mapping[str, str] | Iterable[tuple[str, str]]) -> str:
    items = query.items() if isinstance(query, Mapping) else query
    return urlencode([(k, "***" if k.lower() in SECRET_PARAMS else v) for k, v in items], safe="*")


def _json_error(status: int) -> web.Response:
    return web.json_response({"error": f"injected fault {status}"}, status=status)


def _json_rate_limited(retry_after: int) -> web.Response:
    return web.json_response({"error": "rate limit exceeded"}, status=429)


class _Dropped(Exception):
    """The connection was closed without an answer (a timeout or reset fault)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class TrafficSettings:
    """How a stand-in's traffic behaves. Faults are drawn from ``seed``; ``extra_fault_kinds`` are
    the stand-in's own (handed to its handler). ``error_response(status)`` and
    ``rate_limited_response(retry_after_s)`` build its error bodies; ``Retry-After`` is added to
    429s when the builder did not set it. A "timeout" fault holds its request for ``hang_s`` (or
    until the server stops), then drops it. The request log keeps the last ``log_size`` records.
    ``per_client`` gives each client address its own bucket (TMDB limits per IP).
    """

    rate_limit: RateLimit | None = None
    latency: Latency = NO_LATENCY
    faults: Mapping[str, float] | None = None
    seed: int = 0
    extra_fault_kinds: Iterable[str] = ()
    hang_s: float = 30.0
    error_response: Callable[[int], web.Response] = _json_error
    rate_limited_response: Callable[[int], web.Response] = _json_rate_limited
    log_size: int = 10_000
    per_client: bool = False


DEFAULT_TRAFFIC = TrafficSettings()


class Traffic:
    """Rate limit, latency, faults and the request log, as one aiohttp middleware."""

    def __init__(self, settings: TrafficSettings = DEFAULT_TRAFFIC):
        self.rate_limit = settings.rate_limit
        self.latency = settings.latency
        self.log = RequestLog(settings.log_size)
        self.hang_s = settings.hang_s
        self._bucket = TokenBucket(settings.rate_limit) if settings.rate_limit else None
        self._buckets: dict[str, TokenBucket] | None = {} if settings.per_client else None
        faults, seed = settings.faults or {}, settings.seed
        self._faults = FaultInjector(faults, seed, settings.extra_fault_kinds)
        self._latency_rng = Random(f"latency:{seed}")
        self._error_response = settings.error_response
        self._rate_limited_response = settings.rate_limited_response
        self._closing: asyncio.Event | None = None

    def release_hangs(self) -> None:
        """Let held "timeout" requests go (call on the server's loop)."""
        if self._closing is not None:
            self._closing.set()

    def reopen(self) -> None:
        self._closing = None

    @web.middleware
    async def middleware(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        arrived, started = time.time(), time.perf_counter()
        status, fault, limited = 0, None, False
        try:
            if self._bucket is not None and (wait := self._bucket_of(request).take()):
                limited = True
                response: web.StreamResponse = self._limited(wait)
            else:
                fault = self._faults.draw()
                response = await self._answer(request, handler, fault)
            status = response.status
            return response
        except web.HTTPException as exc:
            status = exc.status
            raise
        except _Dropped:
            if request.transport is not None:
                request.transport.abort()
            return web.Response(status=499)
        finally:
            route = request.match_info.route
            endpoint = route.name or (route.resource.canonical if route.resource else "unmatched")
            self.log.add(
                RequestRecord(
                    request.method,
                    request.path,
                    redact_query(request.query),
                    endpoint,
                    status,
                    time.perf_counter() - started,
                    arrived,
                    fault,
                ),
                rate_limited=limited,
            )

    def _bucket_of(self, request: web.Request) -> TokenBucket:
        if self._buckets is None or self.rate_limit is None:
            return self._bucket  # type: ignore[return-value]
        client = request.remote or ""
        bucket = self._buckets.get(client)
        if bucket is None:
            bucket = self._buckets[client] = TokenBucket(self.rate_limit)
        return bucket

    def _limited(self, wait: float) -> web.Response:
        retry_after = max(1, math.ceil(wait))
        response = self._rate_limited_response(retry_after)
        response.headers.setdefault("Retry-After", str(retry_after))
        return response

    async def _answer(
        self, request: web.Request, handler: Handler, fault: str | None
    ) -> web.StreamResponse:
        delay = self.latency.draw(self._latency_rng)
        if delay > 0:
            await asyncio.sleep(delay)
        if fault is None:
            return await handler(request)
        if fault.isdigit():
            response = self._error_response(int(fault))
            if response.status == 429:
                response.headers.setdefault("Retry-After", "1")
            return response
        if fault == "timeout":
            await self._hang()
            raise _Dropped
        if fault == "reset":
            raise _Dropped
        if fault == "malformed":
            return _truncated(await handler(request))
        request[FAULT] = fault
        return await handler(request)

    async def _hang(self) -> None:
        if self._closing is None:
            self._closing = asyncio.Event()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._closing.wait(), self.hang_s)


def _truncated(response: web.StreamResponse) -> web.StreamResponse:
    """Cut a buffered body in half: a JSON document cut anywhere inside stops parsing."""
    if isinstance(response, web.Response) and isinstance(response.body, bytes):
        body = response.body
        response.body = body[: len(body) // 2]
    return response
