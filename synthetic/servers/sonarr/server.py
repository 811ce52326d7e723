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

import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from types import MappingProxyType

from aiohttp import web

from synthetic.library.series import Series, generate_series, read_series_jsonl
from synthetic.servers.servarr.errors import dumps
from synthetic.servers.servarr.records import error_body
from synthetic.servers.servarr.server import ServarrServer, random_api_key, route, url_base
from synthetic.servers.sonarr import records
from synthetic.servers.sonarr.routes import Routes
from synthetic.servers.sonarr.tags import SeriesTagBook
from synthetic.servers.traffic import NO_LATENCY, Latency

_UI_PAGE = b"<!doctype html><html><head><title>Sonarr</title></head><body></body></html>"


@dataclass(frozen=True, slots=True, kw_only=True)
class SonarrConfig:
    """How the stand-in behaves. The key is random per config unless given, and never printed.

    ``url_base`` is Sonarr's URL Base setting (``/sonarr``); ``faults`` maps a kind ("500",
    "503", "timeout", "reset", "malformed", "truncate") to its rate: "truncate" drops the
    connection halfway through a streamed series list.
    """

    api_key: str = field(default_factory=random_api_key, repr=False)
    url_base: str = ""
    latency: Latency = NO_LATENCY
    faults: Mapping[str, float] = field(default_factory=dict)
    seed: int = 0
    port: int = 0
    hang_s: float = 30.0
    log_size: int = 10_000

    def __post_init__(self) -> None:
        object.__setattr__(self, "faults", MappingProxyType(dict(self.faults)))
        object.__setattr__(self, "url_base", url_base(self.url_base))


def sonarr_error(status: int) -> web.Response:
    return web.json_response(error_body(status), status=status, dumps=dumps)


class SonarrServer(ServarrServer):
    """Sonarr's series, tag and editor endpoints over a list of series, on 127.0.0.1.

    :param series: ``Series`` records, or the path of a JSONL file from ``write_series_jsonl``.
    :param config: a ``SonarrConfig``; keyword ``overrides`` replace its fields.
    """

    name = "sonarr"
    UI_PAGE = _UI_PAGE
    config: SonarrConfig
    tagbook: SeriesTagBook

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
        self.series_list_bytes = 0  # JSON bytes of the last full series list, before gzip
        super().__init__(cfg, sonarr_error, SeriesTagBook())

    @classmethod
    def from_library(
        cls, size: int, seed: int, config: SonarrConfig | None = None, **overrides: object
    ) -> SonarrServer:
        """Serve ``synthetic.library.series.generate_series(size, seed)``."""
        return cls(generate_series(size, seed), config, **overrides)

    @property
    def series(self) -> Sequence[Series]:
        return self._series

    # -- test hooks -----------------------------------------------------------------------------
    def set_tags(self, label: str, series_ids: Iterable[int]) -> int:
        """Make ``label`` (created lowercase if missing) tag exactly ``series_ids``; its id."""
        return self.tagbook.set_members(label, series_ids)

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
            route(app, base, method, path, handler, name)

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
        app.router.add_route("*", "/{tail:(?s:.*)}", self._elsewhere, name="not_found")
