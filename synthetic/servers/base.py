"""Run stand-in HTTP servers on 127.0.0.1, in the background or in the foreground.

Tests and benchmarks must never touch the internet, yet the production clients should be measured
as they run in production: over real sockets, against real wire formats. So every outside service
(TMDB, Radarr, Claude) has a stand-in, a ``StandInServer`` subclass that builds an aiohttp app and
runs it in a background thread with its own event loop, bound to the loopback interface only.
Synchronous tests, benchmarks and ``reelscale synth serve`` (``serve_until_signal``) drive it the
same way. The traffic shaping all stand-ins share (``Traffic`` and its parts) lives in
``synthetic.servers.traffic`` and is re-exported here.
"""

from __future__ import annotations

import asyncio
import signal
import socket
import threading
from collections.abc import Callable, Iterable
from typing import Self

from aiohttp import web

from synthetic.servers.traffic import (
    GENERIC_FAULTS,
    NO_LATENCY,
    SECRET_PARAMS,
    Counters,
    FaultInjector,
    Handler,
    Latency,
    RateLimit,
    RequestLog,
    RequestRecord,
    TokenBucket,
    Traffic,
    TrafficSettings,
    get_time_scale,
    redact_query,
    set_time_scale,
)

__all__ = [
    "GENERIC_FAULTS",
    "HOST",
    "NO_LATENCY",
    "SECRET_PARAMS",
    "Counters",
    "FaultInjector",
    "Handler",
    "Latency",
    "RateLimit",
    "RequestLog",
    "RequestRecord",
    "StandInServer",
    "TokenBucket",
    "Traffic",
    "TrafficSettings",
    "get_time_scale",
    "redact_query",
    "serve_until_signal",
    "set_time_scale",
]

HOST = "127.0.0.1"


class StandInServer:
    """An aiohttp app on 127.0.0.1, served from a background thread with its own event loop.

    Subclasses set ``name``, pass a ``Traffic`` to ``__init__`` (its middleware runs first) and
    implement ``setup_app(app)`` to add routes and their own middlewares. ``counters``,
    ``requests()`` and ``reset_counters()`` read the traffic's request log.

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
            thread = threading.Thread(
                target=self._serve,
                args=(loop, app, sock, ready, errors),
                name=f"{self.name}-stand-in",
                daemon=True,
            )
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

    def _serve(
        self,
        loop: asyncio.AbstractEventLoop,
        app: web.Application,
        sock: socket.socket,
        ready: threading.Event,
        errors: list[BaseException],
    ) -> None:
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


def serve_until_signal(
    servers: Iterable[StandInServer],
    *,
    announce: Callable[[StandInServer], None] | None = None,
    stop: threading.Event | None = None,
) -> None:
    """Start ``servers``, run in the foreground until SIGINT/SIGTERM (or ``stop``), stop them.

    Must be called from the main thread (it installs signal handlers, restored on return).
    """
    stop = stop or threading.Event()
    previous = {
        sig: signal.signal(sig, lambda *_: stop.set()) for sig in (signal.SIGINT, signal.SIGTERM)
    }
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
