"""The stand-in Sonarr's request handlers, over the server's series and tag book.

Bad input gets Sonarr's answers, never a traceback (:mod:`synthetic.servers.sonarr.errors`): a
``ValidationProblemDetails`` for a body or query value that does not bind, a FluentValidation
list for a bad tag label, an ``ErrorModel`` 404 for an unknown series or tag id, 409 for deleting
a tag in use, 500 for the unique-label constraint.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from aiohttp import web

from synthetic.servers.servarr.errors import dumps
from synthetic.servers.servarr.stream import stream_array
from synthetic.servers.sonarr import errors, records
from synthetic.servers.sonarr.tags import LabelRejected, LabelTaken, TagInUse, UnknownTag
from synthetic.servers.traffic import FAULT

if TYPE_CHECKING:
    from synthetic.library.series import Series
    from synthetic.servers.sonarr.server import SonarrServer

LOOKUP_LIMIT = 20


def _json(body: object, status: int = 200) -> web.Response:
    return web.json_response(body, status=status, dumps=dumps)


def _parse(raw: bytes) -> object:
    try:
        return json.loads(raw)
    except ValueError:
        return None


def _int_list(value: object) -> bool:
    return isinstance(value, list) and all(type(v) is int for v in value)


class Routes:
    """One method per route; ``server`` holds the library, the tag book and the counters."""

    def __init__(self, server: SonarrServer):
        self.server = server
        self.tags = server.tagbook

    def constant(self, body: object) -> Callable:
        async def handler(request: web.Request) -> web.Response:
            return _json(list(body) if isinstance(body, tuple) else body)

        return handler

    def one_of(self, rows: list[dict], kind: str) -> Callable:
        """``GET /api/v3/<kind>/{id}`` over a constant list of resources."""
        by_id = {row["id"]: row for row in rows}
        name = {"qualityprofile": "QualityProfile", "rootfolder": "RootFolder"}.get(kind, "Profile")

        async def handler(request: web.Request) -> web.Response:
            row_id = int(request.match_info["id"])
            if row_id not in by_id:
                return errors.model_not_found(name, row_id)
            return _json(by_id[row_id])

        return handler

    async def ping(self, request: web.Request) -> web.Response:
        return _json({"status": "OK"})

    async def status(self, request: web.Request) -> web.Response:
        return _json(records.system_status(self.server.config.url_base))

    # -- series ---------------------------------------------------------------------------------
    def _resource(self, images: bool) -> Callable[[Series], dict]:
        tags_of = self.tags.tags_of
        return lambda s: records.series_resource(s, tags_of(s.id), season_images=images)

    async def series_list(self, request: web.Request) -> web.StreamResponse:
        query = request.query
        images = query.get("includeSeasonImages", "false").lower() == "true"
        series: Iterable[Series] = self.server.series
        if "tvdbId" in query:
            try:
                found = self.server.by_tvdb(int(query["tvdbId"]))
            except ValueError:
                return errors.bad_query("tvdbId", query["tvdbId"])
            series = [found] if found else []
        full = "tvdbId" not in query
        cut = len(self.server.series) // 2 if request.get(FAULT) == "truncate" else None
        self.server.log.streaming()
        response, _ = await stream_array(
            request,
            series,
            self._resource(images),
            cut_at=cut if full else None,
            on_total=self.server.note_list_bytes if full else None,
        )
        return response

    async def series_get(self, request: web.Request) -> web.Response:
        sid = int(request.match_info["id"])
        series = self.server.lookup(sid)
        if series is None:
            return errors.model_not_found("Series", sid)
        images = request.query.get("includeSeasonImages", "false").lower() == "true"
        return _json(self._resource(images)(series))

    async def series_put(self, request: web.Request) -> web.Response:
        """Sonarr saves the posted resource (the id in the path, or only in the body, as
        ``[RestPutById]`` allows); here only its ``tags`` can change. 202 Accepted."""
        body = _parse(await request.read())
        if not isinstance(body, dict):
            return errors.not_bound("seriesResource", "The JSON value could not be converted.")
        sid = _id_of(request, body)
        if sid is None:
            return errors.bad_id(body.get("id"))
        series = self.server.lookup(sid)
        if series is None:
            return errors.model_not_found("Series", sid)
        tags = body.get("tags")
        if tags is not None:
            if not _int_list(tags):
                return errors.not_bound("seriesResource", "The JSON value could not be converted.")
            self.tags.apply([sid], tags, "replace")
        return _json(self._resource(False)(series), status=202)

    async def series_lookup(self, request: web.Request) -> web.Response:
        """Search by title, or ``tvdb:N`` / ``tmdb:N`` / ``imdb:ttN`` as Sonarr's lookup takes."""
        term = request.query.get("term", "").strip()
        if not term:
            return _json([])
        kind, _, value = term.partition(":")
        hits: list[Series]
        if value and kind.lower() in ("tvdb", "tmdb", "imdb"):
            field = {"tvdb": "tvdb_id", "tmdb": "tmdb_id", "imdb": "imdb_id"}[kind.lower()]
            wanted = value.strip() if field == "imdb_id" else _int_or_none(value)
            hits = [s for s in self.server.series if getattr(s, field) == wanted][:1]
        else:
            words = term.lower().split()
            hits = [s for s in self.server.series if all(w in s.title.lower() for w in words)]
            hits.sort(key=lambda s: (s.title.lower() != term.lower(), len(s.title)))
        tags_of = self.tags.tags_of
        return _json([records.lookup_resource(s, tags_of(s.id)) for s in hits[:LOOKUP_LIMIT]])

    async def editor(self, request: web.Request) -> web.StreamResponse:
        body = _parse(await request.read())
        if not isinstance(body, dict):
            return errors.not_bound("resource", "The JSON value could not be converted.")
        ids, tag_ids = body.get("seriesIds") or [], body.get("tags")
        mode = body.get("applyTags", "add")
        if not _int_list(ids) or (tag_ids is not None and not _int_list(tag_ids)):
            return errors.not_bound("resource", "The JSON value could not be converted.")
        if mode not in ("add", "remove", "replace"):
            return errors.not_bound("resource", "The JSON value could not be converted.")
        found = [s for i in dict.fromkeys(ids) if (s := self.server.lookup(i)) is not None]
        if tag_ids is not None:
            self.tags.apply((s.id for s in found), tag_ids, mode)
        # Sonarr answers 202 Accepted with the edited series; the spec documents a bare 200.
        self.server.log.streaming()
        response, _ = await stream_array(request, found, self._resource(False), status=202)
        return response

    # -- tags -----------------------------------------------------------------------------------
    async def tag_list(self, request: web.Request) -> web.Response:
        return _json([{"id": i, "label": label} for i, label in self.tags.tags()])

    async def tag_get(self, request: web.Request) -> web.Response:
        tag_id = int(request.match_info["id"])
        try:
            return _json({"id": tag_id, "label": self.tags.label_of(tag_id)})
        except UnknownTag:
            return errors.model_not_found("Tag", tag_id)

    async def tag_create(self, request: web.Request) -> web.Response:
        body = _parse(await request.read())
        label = body.get("label") if isinstance(body, dict) else None
        try:
            tag_id, stored = self.tags.add(label)
        except LabelRejected as exc:
            return _label_refused(label, exc)
        except LabelTaken as exc:
            return errors.unique_failed(str(exc))
        return _json({"id": tag_id, "label": stored}, status=201)

    async def tag_put(self, request: web.Request) -> web.Response:
        body = _parse(await request.read())
        if not isinstance(body, dict):
            return errors.not_bound("resource", "The JSON value could not be converted.")
        tag_id, label = _id_of(request, body), body.get("label")
        if tag_id is None:
            return errors.bad_id(body.get("id"))
        try:
            stored = self.tags.rename(tag_id, label)
        except UnknownTag:
            return errors.model_not_found("Tag", tag_id)
        except LabelRejected as exc:
            return _label_refused(label, exc)
        except LabelTaken as exc:
            return errors.unique_failed(str(exc))
        return _json({"id": tag_id, "label": stored}, status=202)

    async def tag_delete(self, request: web.Request) -> web.Response:
        tag_id = int(request.match_info["id"])
        try:
            self.tags.delete(tag_id)
        except UnknownTag:
            return errors.model_not_found("Tag", tag_id)
        except TagInUse as exc:
            return errors.conflict(str(exc))
        return web.Response(status=200)

    async def tag_details(self, request: web.Request) -> web.Response:
        return _json([_detail(i, label, ids) for i, label, ids in self.tags.details()])

    async def tag_detail(self, request: web.Request) -> web.Response:
        tag_id = int(request.match_info["id"])
        try:
            return _json(_detail(tag_id, self.tags.label_of(tag_id), self.tags.members_of(tag_id)))
        except UnknownTag:
            return errors.model_not_found("Tag", tag_id)


def _detail(tag_id: int, label: str, series_ids: list[int]) -> dict:
    empty: list[int] = []
    return {
        "id": tag_id,
        "label": label,
        "delayProfileIds": empty,
        "importListIds": empty,
        "notificationIds": empty,
        "restrictionIds": empty,
        "indexerIds": empty,
        "downloadClientIds": empty,
        "autoTagIds": empty,
        "seriesIds": series_ids,
    }


def _label_refused(label: object, exc: LabelRejected) -> web.Response:
    return errors.failures(("Label", str(exc), label, exc.code))


def _id_of(request: web.Request, body: dict) -> int | None:
    """The id of a PUT: the path's, else the body's; None when neither is a positive integer."""
    if "id" in request.match_info:
        return int(request.match_info["id"])
    value = body.get("id")
    return value if type(value) is int and value > 0 else None


def _int_or_none(text: str) -> int | None:
    try:
        return int(text)
    except ValueError:
        return None
