"""Run stand-in HTTP servers on 127.0.0.1 and shape their traffic like the real services.

Tests and benchmarks must never touch the internet, yet the production clients should be measured
as they run in production: over real sockets, against real wire formats. So every outside service
(TMDB, Radarr, Claude) has a stand-in, a ``StandInServer`` subclass that builds an aiohttp app and
runs it in a background thread with its own event loop, bound to the loopback interface only.
Synchronous tests, benchmarks and ``reelscale synth serve`` (``serve_until_signal``) all drive it
the same way.

``Traffic`` gives a stand-in what every real service has and a client must survive: a token-bucket
rate limit answering 429 with ``Retry-After``, latency (scaled process-wide by ``time_scale`` so
tests can run at 0), injected faults, and a request log whose counters the ``track_`` benchmarks
read. Latency and faults draw from seeded ``random.Random`` instances: the same seed and request
order give the same faults.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import os
import signal
import socket
import threading
import time
from collections import Counter, deque
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass
from random import Random
from types import MappingProxyType
from typing import Self
from urllib.parse import urlencode

from aiohttp import web

HOST = "127.0.0.1"
GENERIC_FAULTS = frozenset({"timeout", "reset", "malformed"})
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
    (``extra_kinds``), which ``Traffic`` hands to the handler as ``request["fault"]``.
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
            return Counters(sum(self._by_endpoint.values()), dict(self._by_endpoint),
                            dict(self._by_status), self._limited, dict(self._faults))


def redact_query(query: Mapping[str, str] | Iterable[tuple[str, str]]) -> str:
    items = query.items() if isinstance(query, Mapping) else query
    return urlencode([(k, "***" if k.lower() in SECRET_PARAMS else v) for k, v in items], safe="*")


def _json_error(status: int) -> web.Response:
    return web.json_response({"error": f"injected fault {status}"}, status=status)


def _json_rate_limited(retry_after: int) -> web.Response:
    return web.json_response({"error": "rate limit exceeded"}, status=429)


class _Dropped(Exception):
    """The connection was closed without an answer (a timeout or reset fault)."""


class Traffic:
    """Rate limit, latency, faults and the request log, as one aiohttp middleware.

    ``error_response(status)`` and ``rate_limited_response(retry_after_s)`` build the stand-in's
    own error bodies; ``Retry-After`` is added to 429s when the builder did not set it. A
    "timeout" fault holds the request for ``hang_s`` (or until the server stops), then drops it.
    """

    def __init__(self, *, rate_limit: RateLimit | None = None, latency: Latency = NO_LATENCY,
                 faults: Mapping[str, float] | None = None, seed: int = 0,
                 extra_fault_kinds: Iterable[str] = (), hang_s: float = 30.0,
                 error_response: Callable[[int], web.Response] = _json_error,
                 rate_limited_response: Callable[[int], web.Response] = _json_rate_limited,
                 log_size: int = 10_000):
        self.rate_limit = rate_limit
        self.latency = latency
        self.log = RequestLog(log_size)
        self.hang_s = hang_s
        self._bucket = TokenBucket(rate_limit) if rate_limit else None
        self._faults = FaultInjector(faults or {}, seed, extra_fault_kinds)
        self._latency_rng = Random(f"latency:{seed}")
        self._error_response = error_response
        self._rate_limited_response = rate_limited_response
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
            if self._bucket is not None and (wait := self._bucket.take()):
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
            self.log.add(RequestRecord(request.method, request.path, redact_query(request.query),
                                       endpoint, status, time.perf_counter() - started, arrived,
                                       fault), rate_limited=limited)

    def _limited(self, wait: float) -> web.Response:
        retry_after = max(1, math.ceil(wait))
        response = self._rate_limited_response(retry_after)
        response.headers.setdefault("Retry-After", str(retry_after))
        return response

    async def _answer(self, request: web.Request, handler: Handler,
                      fault: str | None) -> web.StreamResponse:
        delay = self.latency.draw(self._latency_rng)
        if delay > 0:
            await asyncio.sleep(delay)
        if fault is None:
            return await handler(request)
        if fault.isdigit():
            return self._error_response(int(fault))
        if fault == "timeout":
            await self._hang()
            raise _Dropped
        if fault == "reset":
            raise _Dropped
        if fault == "malformed":
            return _truncated(await handler(request))
        request["fault"] = fault
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


class StandInServer:
    """An aiohttp app on 127.0.0.1, served from a background thread with its own event loop.

    Subclasses set ``name``, optionally ``self.traffic`` (its middleware runs first), and
    implement ``setup_app(app)`` to add routes and their own middlewares.

    >>> with MyStandIn() as server:          # doctest: +SKIP
    ...     httpx.get(server.url + "/ping")
    """

    name = "stand-in"
    shutdown_timeout_s = 2.0

    def __init__(self, *, port: int = 0, traffic: Traffic | None = None):
        self.traffic = traffic
        self._requested_port = port
        self._port: int | None = None
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    def setup_app(self, app: web.Application) -> None:
        raise NotImplementedError

    @property
    def port(self) -> int:
        if self._port is None:
            raise RuntimeError(f"{self.name} stand-in is not running")
        return self._port

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    @property
    def running(self) -> bool:
        return self._thread is not None

    def start(self) -> Self:
        """Bind, serve, and return once the server accepts connections (no-op if running)."""
        with self._lock:
            if self._thread is not None:
                return self
            app = web.Application(middlewares=[self.traffic.middleware] if self.traffic else [])
            self.setup_app(app)
            if self.traffic:
                self.traffic.reopen()
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            try:
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                sock.bind((HOST, self._requested_port))
            except OSError:
                sock.close()
                raise
            loop = asyncio.new_event_loop()
            ready = threading.Event()
            errors: list[BaseException] = []
            thread = threading.Thread(target=self._serve, args=(loop, app, sock, ready, errors),
                                      name=f"{self.name}-stand-in", daemon=True)
            thread.start()
            ready.wait()
            if errors:
                thread.join()
                raise errors[0]
            self._port = sock.getsockname()[1]
            self._loop, self._thread = loop, thread
            return self

    def stop(self, timeout: float = 10.0) -> None:
        """Stop serving and join the thread; safe to call twice or before ``start()``."""
        with self._lock:
            thread, loop = self._thread, self._loop
            if thread is None or loop is None:
                return
            loop.call_soon_threadsafe(self._begin_stop, loop)
            thread.join(timeout)
            self._thread = self._loop = None
            self._port = None

    @property
    def counters(self) -> Counters:
        return self._log().counters()

    def requests(self) -> list[RequestRecord]:
        """The most recent requests (up to the log size), oldest first."""
        return self._log().records()

    def reset_counters(self) -> None:
        self._log().reset()

    def _log(self) -> RequestLog:
        if self.traffic is None:
            raise RuntimeError(f"{self.name} stand-in has no traffic log")
        return self.traffic.log

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def _begin_stop(self, loop: asyncio.AbstractEventLoop) -> None:
        if self.traffic:
            self.traffic.release_hangs()
        loop.stop()

    def _serve(self, loop: asyncio.AbstractEventLoop, app: web.Application, sock: socket.socket,
               ready: threading.Event, errors: list[BaseException]) -> None:
        asyncio.set_event_loop(loop)
        runner = web.AppRunner(app, access_log=None, shutdown_timeout=self.shutdown_timeout_s)
        try:
            loop.run_until_complete(runner.setup())
            loop.run_until_complete(web.SockSite(runner, sock).start())
        except BaseException as exc:
            errors.append(exc)
            sock.close()
            loop.close()
            ready.set()
            return
        loop.call_soon(ready.set)
        try:
            loop.run_forever()
        finally:
            loop.run_until_complete(runner.cleanup())
            pending = asyncio.all_tasks(loop)
            for task in pending:
                task.cancel()
            loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
            loop.run_until_complete(loop.shutdown_asyncgens())
            loop.close()


def serve_until_signal(servers: Iterable[StandInServer], *,
                       announce: Callable[[StandInServer], None] | None = None,
                       stop: threading.Event | None = None) -> None:
    """Start ``servers``, run in the foreground until SIGINT/SIGTERM (or ``stop``), stop them.

    Must be called from the main thread (it installs signal handlers, restored on return).
    """
    stop = stop or threading.Event()
    previous = {sig: signal.signal(sig, lambda *_: stop.set())
                for sig in (signal.SIGINT, signal.SIGTERM)}
    started: list[StandInServer] = []
    try:
        for server in servers:
            started.append(server.start())
            if announce:
                announce(server)
        while not stop.wait(0.2):
            pass
    finally:
        for server in reversed(started):
            server.stop()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
