"""What the Radarr and Sonarr stand-ins share around their routes: the traffic and request log,
API-key auth (``X-Api-Key`` or ``apikey``, not for ``/ping`` or the UI), scripted faults, the
web UI's page for any other path, and routes that match in any case as ASP.NET's do."""

from __future__ import annotations

import hmac
import re
import secrets
import threading
from collections.abc import Callable
from typing import ClassVar, Protocol

from aiohttp import web

from synthetic.servers.base import StandInServer
from synthetic.servers.servarr.errors import dumps
from synthetic.servers.servarr.log import RadarrLog, RadarrRecord, note_body
from synthetic.servers.servarr.tags import TagBook
from synthetic.servers.traffic import Handler, Latency, Traffic, TrafficSettings


def random_api_key() -> str:
    return secrets.token_hex(16)  # Radarr's and Sonarr's keys are 32 hex digits


def url_base(value: str) -> str:
    """The URL Base setting as the app keeps it: ``/radarr``, or empty."""
    base = value.strip("/")
    return f"/{base}" if base else ""


class ServarrConfig(Protocol):
    api_key: str
    url_base: str
    latency: Latency
    faults: object
    seed: int
    port: int
    hang_s: float
    log_size: int


class ServarrServer(StandInServer):
    """A stand-in *arr app: a subclass sets ``name``, ``UI_PAGE`` and ``BODY_METHODS``, calls
    ``super().__init__(config, error_response, tagbook)`` and adds its routes with ``route``."""

    UI_PAGE: ClassVar[bytes]
    BODY_METHODS: ClassVar[tuple[str, ...]] = ("POST", "PUT")  # whose bodies the log keeps
    config: ServarrConfig

    def __init__(
        self,
        config: ServarrConfig,
        error_response: Callable[[int], web.Response],
        tagbook: TagBook,
    ) -> None:
        self._error_response = error_response
        self.tagbook = tagbook
        self._scripted: list[list] = []  # [remaining, status, endpoint or None]
        self._script_lock = threading.Lock()
        traffic = Traffic(
            TrafficSettings(
                latency=config.latency,
                faults=config.faults,
                seed=config.seed,
                hang_s=config.hang_s,
                extra_fault_kinds=("truncate",),
                error_response=error_response,
                log_size=config.log_size,
            )
        )
        traffic.log = self.log = RadarrLog(config.log_size)
        super().__init__(port=config.port, traffic=traffic)

    @property
    def url(self) -> str:
        """The address a client is configured with: host, port and URL base."""
        return super().url + self.config.url_base

    # -- test hooks -----------------------------------------------------------------------------
    def requests(self) -> list[RadarrRecord]:  # type: ignore[override]
        """The request log; ``body`` holds the raw body of each request that has one."""
        return self.log.records()

    def tags_by_label(self) -> dict[str, set[int]]:
        """Every tag label and the ids of the records carrying it."""
        return self.tagbook.by_label()

    def fail_next(self, count: int, status: int = 500, *, endpoint: str | None = None) -> None:
        """Answer the next ``count`` requests (to the named ``endpoint`` only, if given) with
        ``status``: deterministic faults, next to the random ones of ``config.faults``."""
        with self._script_lock:
            self._scripted.append([count, status, endpoint])

    # -- app ------------------------------------------------------------------------------------
    @web.middleware
    async def _frame(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        """Body logging, API-key auth (not for /ping or the UI) and scripted faults."""
        if request.method in self.BODY_METHODS:
            note_body(await request.read())
        endpoint = request.match_info.route.name
        if endpoint not in ("ping", "not_found") and not self._authorized(request):
            return web.Response(status=401)
        status = self._scripted_fault(endpoint)
        if status is not None:
            return self._error_response(status)
        return await handler(request)

    def _authorized(self, request: web.Request) -> bool:
        key = request.headers.get("X-Api-Key") or request.query.get("apikey")
        return key is not None and hmac.compare_digest(key.encode(), self.config.api_key.encode())

    def _scripted_fault(self, endpoint: str | None) -> int | None:
        with self._script_lock:
            for entry in self._scripted:
                if entry[2] is None or entry[2] == endpoint:
                    entry[0] -= 1
                    if entry[0] <= 0:
                        self._scripted.remove(entry)
                    return entry[1]
        return None

    async def _elsewhere(self, request: web.Request) -> web.Response:
        """An unknown API path is a 404; any other path gets the web UI's page, as in the app."""
        if request.path.startswith(f"{self.config.url_base}/api/"):
            return web.json_response({"message": "NotFound"}, status=404, dumps=dumps)
        return web.Response(body=self.UI_PAGE, content_type="text/html")


def route(app: web.Application, base: str, method: str, path: str, handler, name: str) -> None:
    """Add a route whose literal segments match in any case, as ASP.NET's routing does (arrapi
    asks for ``qualityProfile/1`` and ``rootFolder``)."""
    parts = []
    for n, part in enumerate(path.strip("/").split("/")):
        literal = not part.startswith("{") and any(c.isalpha() for c in part)
        parts.append(f"{{s{n}:(?i:{re.escape(part)})}}" if literal else part)
    app.router.add_route(method, base + "/" + "/".join(parts), handler, name=name)
