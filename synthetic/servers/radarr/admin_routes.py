"""The stand-in Radarr's tags, quality profiles, root folder and system routes.

Tags follow Radarr v6's ``TagController`` / ``TagService``: create answers 201 with the tag (or
the existing one when the label exists exactly), update answers 202 and lowercases, a label that
exists in another case fails the unique index (``RadarrErrorPipeline``: a ``SQLiteException``
"constraint failed" on a POST or PUT is a 409 carrying only its message), deleting a tag a movie
still carries is a 409 ``ModelConflictException``, and an unknown id on a GET is ASP.NET's
``NotFound()``.
"""

from __future__ import annotations

import functools
import json
from importlib import resources

from aiohttp import web

from synthetic.servers.radarr import errors, profiles, records
from synthetic.servers.radarr.movie_routes import read_object
from synthetic.servers.servarr.tags import LabelRejected, LabelTaken, TagBook, TagInUse

_dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def _detail(tag_id: int, label: str, movie_ids: list[int]) -> dict:
    empty: list[int] = []
    return {
        "id": tag_id,
        "label": label,
        "delayProfileIds": empty,
        "importListIds": empty,
        "notificationIds": empty,
        "releaseProfileIds": empty,
        "indexerIds": empty,
        "downloadClientIds": empty,
        "autoTagIds": empty,
        "movieIds": movie_ids,
    }


def _label_failure(label: object, exc: LabelRejected) -> web.Response:
    return web.json_response(
        records.validation_error(label, str(exc), exc.code), status=400, dumps=_dumps
    )


def _conflict(exc: Exception) -> web.Response:
    return web.json_response({"message": str(exc)}, status=409, dumps=_dumps)


@functools.cache
def api_operations() -> tuple[tuple[str, str, str], ...]:
    """(method, path, answer kind) of each operation of Radarr's v3 API (api_operations.txt)."""
    text = resources.files(__package__).joinpath("api_operations.txt").read_text("utf-8")
    rows = (line.split() for line in text.splitlines() if line and not line.startswith("#"))
    return tuple((m, p, k) for m, p, k in rows)


class AdminRoutes:
    """Handlers mixed into ``RadarrServer``; they need its ``tagbook`` and ``config``."""

    tagbook: TagBook

    async def _ping(self, request: web.Request) -> web.Response:
        return _json({"status": "OK"})

    async def _status(self, request: web.Request) -> web.Response:
        return _json(records.system_status(self.config.url_base))  # type: ignore[attr-defined]

    async def _health(self, request: web.Request) -> web.Response:
        return _json(list(records.HEALTH))

    async def _profiles(self, request: web.Request) -> web.Response:
        return _json(profiles.quality_profiles())

    async def _profile(self, request: web.Request) -> web.Response:
        found = profiles.quality_profile(int(request.match_info["id"]))
        return errors.not_found() if found is None else _json(found)

    async def _root_folders(self, request: web.Request) -> web.Response:
        return _json(profiles.root_folders())

    async def _root_folder(self, request: web.Request) -> web.Response:
        wanted = int(request.match_info["id"])
        found = [f for f in profiles.root_folders() if f["id"] == wanted]
        return _json(found[0]) if found else errors.not_found()

    async def _tag_list(self, request: web.Request) -> web.Response:
        return _json([{"id": i, "label": label} for i, label in self.tagbook.tags()])

    async def _tag_get(self, request: web.Request) -> web.Response:
        tag_id = int(request.match_info["id"])
        label = self.tagbook.label(tag_id)
        return errors.not_found() if label is None else _json({"id": tag_id, "label": label})

    async def _tag_create(self, request: web.Request) -> web.Response:
        body = await read_object(request, "resource")
        if isinstance(body, web.Response):
            return body
        label = body.get("label")
        try:
            tag_id, stored = self.tagbook.add(label)
        except LabelRejected as exc:
            return _label_failure(label, exc)
        except LabelTaken as exc:
            return _conflict(exc)
        return _json({"id": tag_id, "label": stored}, status=201)

    async def _tag_update(self, request: web.Request) -> web.Response:
        body = await read_object(request, "resource")
        if isinstance(body, web.Response):
            return body
        tag_id = body.get("id") or int(request.match_info.get("id") or 0)
        if type(tag_id) is not int:
            return errors.unconvertible("resource", "id")
        label = body.get("label")
        try:
            if tag_id <= 0:
                raise LabelRejected("'Id' must be greater than '0'.", "GreaterThanValidator")
            stored = self.tagbook.rename(tag_id, label)
        except LabelRejected as exc:
            return _label_failure(label, exc)
        except LabelTaken as exc:
            return _conflict(exc)
        except KeyError:
            return errors.model_not_found("Tag", tag_id)
        return _json({"id": tag_id, "label": stored}, status=202)

    async def _tag_delete(self, request: web.Request) -> web.Response:
        tag_id = int(request.match_info["id"])
        if tag_id <= 0:
            return errors.bad_id(tag_id)
        try:
            self.tagbook.delete(tag_id)
        except KeyError:
            return errors.model_not_found("Tag", tag_id)
        except TagInUse as exc:
            return errors.error_model(409, str(exc))
        return web.Response(status=200)

    async def _tag_detail(self, request: web.Request) -> web.Response:
        return _json([_detail(*d) for d in self.tagbook.details()])

    async def _tag_detail_one(self, request: web.Request) -> web.Response:
        tag_id = int(request.match_info["id"])
        found = [d for d in self.tagbook.details() if d[0] == tag_id]
        return _json(_detail(*found[0])) if found else errors.not_found()


async def unmodelled(kind: str, request: web.Request) -> web.Response:
    """An operation of Radarr's API the stand-in does not model: answered with the least it can
    honestly say (an empty list, the object the client sent or an empty one, or no body), so a
    client carries on; each is counted under its own endpoint, ``unmodelled:METHOD:path``."""
    if kind == "array":
        return _json([])
    if kind == "object":
        raw = await request.read()
        try:
            body = json.loads(raw) if raw.strip() else {}
        except ValueError:
            return errors.not_bound("resource", "The JSON value could not be converted.")
        return _json(body if isinstance(body, dict) else {})
    return web.Response(status=200)


def _json(body: object, status: int = 200) -> web.Response:
    return web.json_response(body, status=status, dumps=_dumps)
