"""The stand-in Sonarr v3 API (as Sonarr v4 serves it): series, tags and the series editor.

reelscale reads a Sonarr library in one ``GET /api/v3/series`` (no paging) and writes collections
back as tags through ``PUT /api/v3/series/editor``. The stand-in speaks Sonarr's wire format:
full ``SeriesResource`` objects shaped by the OpenAPI document (seasons with statistics, images,
alternate titles), the list streamed (gzipped when asked), tag labels validated and lowercased as
Sonarr v4 does, 201 for a created tag, 202 with the edited series for the editor and for
``PUT /series/{id}``, FluentValidation lists for bad input, 404/409 bodies as Sonarr writes them,
and ``X-Api-Key`` (or ``apikey``) on everything but ``/ping``. Series ids are the synthetic
library's ids (1..size).

>>> with SonarrServer.from_library(500, seed=1) as sonarr:     # doctest: +SKIP
...     httpx.get(f"{sonarr.url}/api/v3/series", headers={"X-Api-Key": sonarr.config.api_key})
"""

from __future__ import annotations

import hmac
import os
import re
import secrets
import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from types import MappingProxyType

from aiohttp import web

from synthetic.library.series import Series, generate_series, read_series_jsonl
from synthetic.servers.base import StandInServer
from synthetic.servers.radarr.log import RadarrLog, RadarrRecord, note_body
from synthetic.servers.sonarr import records
from synthetic.servers.sonarr.routes import Routes
from synthetic.servers.sonarr.stream import dumps
from synthetic.servers.sonarr.tags import SeriesTagBook
from synthetic.servers.traffic import NO_LATENCY, Handler, Latency, Traffic, TrafficSettings

_UI_PAGE = b"<!doctype html><html><head><title>Sonarr</title></head><body></body></html>"


def _test_api_key() -> str:
    return secrets.token_hex(16)  # Sonarr's keys are 32 hex digits


@dataclass(frozen=True, slots=True, kw_only=True)
class SonarrConfig:
    """How the stand-in behaves. The key is random per config unless given, and never printed.

    ``url_base`` is Sonarr's URL Base setting (``/sonarr``); ``faults`` maps a kind ("500",
    "503", "timeout", "reset", "malformed", "truncate") to its rate: "truncate" drops the
    connection halfway through a streamed series list.
    """

    api_key: str = field(default_factory=_test_api_key, repr=False)
    url_base: str = ""
    latency: Latency = NO_LATENCY
    faults: Mapping[str, float] = field(default_factory=dict)
    seed: int = 0
    port: int = 0
    hang_s: float = 30.0
    log_size: int = 10_000

    def __post_init__(self) -> None:
        object.__setattr__(self, "faults", MappingProxyType(dict(self.faults)))
        base = self.url_base.strip("/")
        object.__setattr__(self, "url_base", f"/{base}" if base else "")


def sonarr_error(status: int) -> web.Response:
    return web.json_response(records.error_body(status), status=status, dumps=dumps)


class SonarrServer(StandInServer):
    """Sonarr's series, tag and editor endpoints over a list of series, on 127.0.0.1.

    :param series: ``Series`` records, or the path of a JSONL file from ``write_series_jsonl``.
    :param config: a ``SonarrConfig``; keyword ``overrides`` replace its fields.
    """

    name = "sonarr"

    def __init__(
        self,
        series: Iterable[Series] | str | os.PathLike,
        config: SonarrConfig | None = None,
        **overrides: object,
    ):
        self.config = cfg = replace(config, **overrides) if config else SonarrConfig(**overrides)
        if isinstance(series, (str, os.PathLike)):
            series = read_series_jsonl(series)
        self._series = sorted(series, key=lambda s: s.id)
        self._by_id = {s.id: s for s in self._series}
        self._by_tvdb = {s.tvdb_id: s for s in self._series}
        self.tagbook = SeriesTagBook()
        self._scripted: list[list] = []  # [remaining, status, endpoint or None]
        self._script_lock = threading.Lock()
        self.series_list_bytes = 0  # JSON bytes of the last full series list, before gzip
        traffic = Traffic(
            TrafficSettings(
                latency=cfg.latency,
                faults=cfg.faults,
                seed=cfg.seed,
                hang_s=cfg.hang_s,
                extra_fault_kinds=("truncate",),
                error_response=sonarr_error,
                log_size=cfg.log_size,
            )
        )
        traffic.log = self.log = RadarrLog(cfg.log_size)
        super().__init__(port=cfg.port, traffic=traffic)

    @classmethod
    def from_library(
        cls, size: int, seed: int, config: SonarrConfig | None = None, **overrides: object
    ) -> SonarrServer:
        """Serve ``synthetic.library.series.generate_series(size, seed)``."""
        return cls(generate_series(size, seed), config, **overrides)

    @property
    def url(self) -> str:
        """The address a client is configured with: host, port and URL base."""
        return super().url + self.config.url_base

    @property
    def series(self) -> Sequence[Series]:
        return self._series

    # -- test hooks -----------------------------------------------------------------------------
    def requests(self) -> list[RadarrRecord]:  # type: ignore[override]
        """The request log; ``body`` holds the raw body of each POST and PUT."""
        return self.log.records()

    def tags_by_label(self) -> dict[str, set[int]]:
        """Every tag label and the ids of the series carrying it."""
        return self.tagbook.by_label()

    def set_tags(self, label: str, series_ids: Iterable[int]) -> int:
        """Make ``label`` (created lowercase if missing) tag exactly ``series_ids``; its id."""
        return self.tagbook.set_members(label, series_ids)

    def fail_next(self, count: int, status: int = 500, *, endpoint: str | None = None) -> None:
        """Answer the next ``count`` requests (to the named ``endpoint`` only, if given) with
        ``status``: deterministic faults, next to the random ones of ``config.faults``."""
        with self._script_lock:
            self._scripted.append([count, status, endpoint])

    def lookup(self, series_id: int) -> Series | None:
        return self._by_id.get(series_id)

    def by_tvdb(self, tvdb_id: int) -> Series | None:
        return self._by_tvdb.get(tvdb_id)

    def note_list_bytes(self, total: int) -> None:
        self.series_list_bytes = total

    # -- app ------------------------------------------------------------------------------------
    def setup_app(self, app: web.Application) -> None:
        app.middlewares.append(self._frame)
        routes = Routes(self)
        base = self.config.url_base

        def add(method: str, path: str, handler, name: str) -> None:
            _route(app, base, method, path, handler, name)

        add("GET", "/ping", routes.ping, "ping")
        add("GET", "/api/v3/system/status", routes.status, "system_status")
        add("GET", "/api/v3/health", routes.constant(records.HEALTH), "health")
        for name, rows in (
            ("qualityprofile", records.quality_profiles()),
            ("rootfolder", list(records.ROOT_FOLDERS)),
            ("languageprofile", records.language_profiles()),
        ):
            add("GET", f"/api/v3/{name}", routes.constant(rows), name)
            add("GET", f"/api/v3/{name}/{{id:\\d+}}", routes.one_of(rows, name), f"{name}_id")
        add("GET", "/api/v3/series", routes.series_list, "series_list")
        add("GET", "/api/v3/series/lookup", routes.series_lookup, "series_lookup")
        add("PUT", "/api/v3/series/editor", routes.editor, "series_editor")
        add("GET", "/api/v3/series/{id:\\d+}", routes.series_get, "series_get")
        add("PUT", "/api/v3/series/{id:\\d+}", routes.series_put, "series_put")
        add("PUT", "/api/v3/series", routes.series_put, "series_put_body")
        add("GET", "/api/v3/tag", routes.tag_list, "tag_list")
        add("POST", "/api/v3/tag", routes.tag_create, "tag_create")
        add("PUT", "/api/v3/tag", routes.tag_put, "tag_put_body")
        add("GET", "/api/v3/tag/detail", routes.tag_details, "tag_detail")
        add("GET", "/api/v3/tag/detail/{id:\\d+}", routes.tag_detail, "tag_detail_id")
        add("GET", "/api/v3/tag/{id:\\d+}", routes.tag_get, "tag_get")
        add("PUT", "/api/v3/tag/{id:\\d+}", routes.tag_put, "tag_put")
        add("DELETE", "/api/v3/tag/{id:\\d+}", routes.tag_delete, "tag_delete")
        app.router.add_route("*", "/{tail:.*}", self._elsewhere, name="not_found")

    @web.middleware
    async def _frame(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        """Body logging, API-key auth (not for /ping or the UI) and scripted faults."""
        if request.method in ("POST", "PUT"):
            note_body(await request.read())
        endpoint = request.match_info.route.name
        if endpoint not in ("ping", "not_found") and not self._authorized(request):
            return web.Response(status=401)
        status = self._scripted_fault(endpoint)
        if status is not None:
            return sonarr_error(status)
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
        """An unknown API path is a 404; any other path gets the web UI's page, as in Sonarr."""
        if request.path.startswith(f"{self.config.url_base}/api/"):
            return web.json_response({"message": "NotFound"}, status=404, dumps=dumps)
        return web.Response(body=_UI_PAGE, content_type="text/html")


def _route(app: web.Application, base: str, method: str, path: str, handler, name: str) -> None:
    """Add a route whose literal segments match in any case, as ASP.NET's routing does (arrapi
    asks for ``qualityProfile/1``)."""
    parts = []
    for n, part in enumerate(path.strip("/").split("/")):
        literal = not part.startswith("{") and any(c.isalpha() for c in part)
        parts.append(f"{{s{n}:(?i:{re.escape(part)})}}" if literal else part)
    app.router.add_route(method, base + "/" + "/".join(parts), handler, name=name)
