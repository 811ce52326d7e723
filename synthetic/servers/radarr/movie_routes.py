"""The stand-in Radarr's single-movie routes: get, update, delete, add, look up, bulk delete.

These are what most Radarr clients use besides the list (pyarr, arrapi, Kometa-AI's per-movie
``GET`` + ``PUT /api/v3/movie/{id}``). They follow Radarr v6's ``MovieController`` and
``RestController``: ``PUT`` takes the full resource the client read (the id from the body, or from
the path when the body has none; ``PUT /api/v3/movie`` with the id in the body works too), copies
what ``Movie.ApplyChanges`` copies (path, quality profile, monitored, minimum availability, tags;
a field left out binds to its default, as in ASP.NET) and answers 202 Accepted with the stored
resource; ``POST`` answers 201 Created; ``DELETE`` answers 200 with no body.
"""

from __future__ import annotations

import json

from aiohttp import web

from synthetic.library.movies import Movie
from synthetic.servers.radarr import errors, records
from synthetic.servers.radarr.moviebook import AVAILABILITY, MovieBook
from synthetic.servers.servarr.tags import TagBook

PROFILE_IDS = frozenset(range(1, 7))  # the quality profiles of a fresh Radarr (records.PROFILES)
_dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
_EPOCH = "0001-01-01T00:00:00Z"  # .NET's DateTime.MinValue: a lookup result was never added


def query(request: web.Request, name: str) -> str | None:
    """A query parameter by name, ignoring case, as ASP.NET binds them (pyarr sends ``tmdbid``)."""
    wanted = name.lower()
    for key, value in request.query.items():
        if key.lower() == wanted:
            return value
    return None


def bad_flags(request: web.Request, *names: str) -> web.Response | None:
    """ASP.NET's 400 for the first boolean query parameter that is not a boolean, if any."""
    for name in names:
        value = query(request, name)
        if value is not None and value.lower() not in ("true", "false"):
            return errors.invalid_query(name, value)
    return None


async def read_object(request: web.Request, argument: str) -> dict | web.Response:
    """The JSON object in the body, or ASP.NET's binding failure for ``argument``."""
    raw = await request.read()
    try:
        body = json.loads(raw) if raw.strip() else None
    except ValueError as exc:
        return errors.not_bound(argument, f"The JSON value could not be converted: {exc}")
    if not isinstance(body, dict):
        return errors.not_bound(argument, "The JSON value could not be converted to a resource.")
    return body


def type_error(body: dict) -> str | None:
    """The first field whose JSON type cannot bind to ``MovieResource``'s."""
    kinds = {"id": int, "qualityProfileId": int, "tmdbId": int, "monitored": bool}
    for name, kind in kinds.items():
        value = body.get(name)
        if value is not None and type(value) is not kind:
            return name
    tags = body.get("tags")
    if tags is not None and not (isinstance(tags, list) and all(type(t) is int for t in tags)):
        return "tags"
    for name in ("path", "rootFolderPath", "title"):
        if body.get(name) is not None and not isinstance(body[name], str):
            return name
    availability = body.get("minimumAvailability")
    if availability is not None and availability not in AVAILABILITY:
        return "minimumAvailability"
    return None


def _profile_failure(body: dict) -> tuple[str, str, object, str] | None:
    profile = body.get("qualityProfileId", 0)
    if profile not in PROFILE_IDS:
        return ("QualityProfileId", "Quality Profile does not exist", profile, "PredicateValidator")
    return None


class MovieRoutes:
    """Handlers mixed into ``RadarrServer``; they need its ``book``, ``tagbook`` and ``url``."""

    book: MovieBook
    tagbook: TagBook

    def resource(self, movie: Movie, *, local_covers: bool = True) -> dict:
        """The stored movie as Radarr sends it: derived fields, the client's edits and tags."""
        body = records.movie_resource(
            movie, self.tagbook.tags_of(movie.id), local_covers=local_covers
        )
        edits = self.book.edits(movie.id)
        if edits:
            body.update(edits)
            if "hasFile" in edits:
                _drop_file(body)
        return body

    async def _movie_get(self, request: web.Request) -> web.Response:
        movie = self.book.get(int(request.match_info["id"]))
        if movie is None:
            return errors.not_found()
        return _json(self.resource(movie))

    async def _movie_put(self, request: web.Request) -> web.Response:
        body = await read_object(request, "moviesResource")
        if isinstance(body, web.Response):
            return body
        refused = bad_flags(request, "moveFiles")
        if refused is not None:
            return refused
        where = type_error(body)
        if where:
            return errors.unconvertible("moviesResource", where)
        movie_id = body.get("id") or int(request.match_info.get("id") or 0)
        failures = []
        if movie_id <= 0:
            failures.append(
                ("Id", "'Id' must be greater than '0'.", movie_id, "GreaterThanValidator")
            )
        if not body.get("path"):
            failures.append(
                ("Path", "'Path' must not be empty.", body.get("path"), "NotEmptyValidator")
            )
        profile = _profile_failure(body)
        if profile:
            failures.append(profile)
        if failures:
            return errors.failures(*failures)
        if self.book.get(movie_id) is None:
            return errors.model_not_found("Movie", movie_id)
        self._apply(movie_id, body)
        return _json(self.resource(self.book.get(movie_id)), status=202)

    def _apply(self, movie_id: int, body: dict) -> None:
        """``Movie.ApplyChanges``: what the resource says, its defaults where it says nothing."""
        self.book.edit(
            movie_id,
            {
                "monitored": body.get("monitored", False),
                "qualityProfileId": body["qualityProfileId"],
                "minimumAvailability": body.get("minimumAvailability", "tba"),
                "path": body["path"],
            },
        )
        self.tagbook.apply([movie_id], body.get("tags") or [], "replace")

    def _edit_in_bulk(self, movies: list[Movie], body: dict) -> None:
        """The editor's other fields (``MovieEditorController``): each one given, on every movie."""
        fields = {k: body.get(k) for k in ("monitored", "minimumAvailability")}
        if body.get("qualityProfileId") in PROFILE_IDS:
            fields["qualityProfileId"] = body["qualityProfileId"]
        root = body.get("rootFolderPath")
        for movie in movies:
            if root:
                name = records.folder_of(movie).rsplit("/", 1)[-1]
                fields["path"] = root.rstrip("/") + "/" + name
            self.book.edit(movie.id, fields)

    async def _movie_delete(self, request: web.Request) -> web.Response:
        movie_id = int(request.match_info["id"])
        refused = bad_flags(request, "deleteFiles", "addImportExclusion")
        if refused is not None:
            return refused
        if movie_id <= 0:
            return errors.bad_id(movie_id)
        if self.book.get(movie_id) is None:
            return errors.model_not_found("Movie", movie_id)
        self._forget(movie_id)
        return web.Response(status=200)

    def _forget(self, movie_id: int) -> None:
        self.book.remove(movie_id)
        self.tagbook.apply([movie_id], [], "replace")

    async def _movie_post(self, request: web.Request) -> web.Response:
        body = await read_object(request, "moviesResource")
        if isinstance(body, web.Response):
            return body
        where = type_error(body)
        if where:
            return errors.unconvertible("moviesResource", where)
        tmdb_id = body.get("tmdbId") or 0
        failures = []
        if not body.get("path") and not body.get("rootFolderPath"):
            failures.append(
                (
                    "RootFolderPath",
                    "'Root Folder Path' must not be empty.",
                    None,
                    "NotEmptyValidator",
                )
            )
        elif (
            body.get("rootFolderPath") and body["rootFolderPath"].rstrip("/") + "/" != records.ROOT
        ):
            failures.append(
                (
                    "RootFolderPath",
                    "Root Folder does not exist",
                    body["rootFolderPath"],
                    "RootFolderExistsValidator",
                )
            )
        profile = _profile_failure(body)
        if profile:
            failures.append(profile)
        if tmdb_id <= 0:
            failures.append(
                ("TmdbId", "'Tmdb Id' must not be empty.", tmdb_id, "NotEmptyValidator")
            )
        elif self.book.by_tmdb(tmdb_id) is not None:
            failures.append(
                ("TmdbId", "This movie has already been added", tmdb_id, "MovieExistsValidator")
            )
        if failures:
            return errors.failures(*failures)
        if self.book.outside(tmdb_id) is None:
            return errors.failures(("TmdbId", "A movie with this ID was not found.", tmdb_id, ""))
        movie = self.book.add(tmdb_id)
        folder = records.folder_of(movie)
        path = body.get("path") or folder
        self._apply(movie.id, {**body, "path": path})
        self.book.edit(movie.id, {"hasFile": False})
        return _json(self.resource(movie), status=201)

    async def _movie_lookup(self, request: web.Request) -> web.Response:
        term = query(request, "term")
        if not term:
            return _json([])
        return _json([self._lookup_resource(m) for m in self.book.lookup(term)])

    def _lookup_resource(self, movie: Movie) -> dict:
        """A lookup result: the library's resource when Radarr has the movie, else TMDB's data."""
        stored = self.book.by_tmdb(movie.tmdb_id)
        if stored is not None:
            body = self.resource(stored)
        else:
            body = records.movie_resource(movie, [], local_covers=False)
            _drop_file(body)
            for name in ("path", "rootFolderPath", "lastSearchTime"):
                body.pop(name, None)
            body.update(id=0, monitored=False, added=_EPOCH, qualityProfileId=0)
        body["folder"] = records.folder_of(movie).rsplit("/", 1)[-1]
        body["remotePoster"] = body["images"][0]["remoteUrl"]
        return body

    async def _editor_delete(self, request: web.Request) -> web.Response:
        body = await read_object(request, "resource")
        if isinstance(body, web.Response):
            return body
        ids = body.get("movieIds")
        if not isinstance(ids, list) or not all(type(i) is int for i in ids):
            return errors.unconvertible("resource", "movieIds")
        for movie_id in dict.fromkeys(ids):
            if self.book.get(movie_id) is not None:
                self._forget(movie_id)
        return web.Response(status=200)


def _drop_file(body: dict) -> None:
    """A movie Radarr has no file for: no ``movieFile``, nothing on disk."""
    body.pop("movieFile", None)
    body.update(hasFile=False, movieFileId=0, sizeOnDisk=0)
    body["statistics"] = {"movieFileCount": 0, "sizeOnDisk": 0, "releaseGroups": []}


def _json(body: object, status: int = 200) -> web.Response:
    return web.json_response(body, status=status, dumps=_dumps)
