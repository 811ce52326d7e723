"""Sonarr's error answers, by the layer of Sonarr that produces them (Sonarr v4 shares Radarr's
``*.Http`` code, so the shapes are the Radarr stand-in's).

- ASP.NET's ``[ApiController]`` layer, before Sonarr's code runs: a body that does not bind
  (malformed JSON, a string where a number goes) or a query value of the wrong type is a 400
  ``ValidationProblemDetails`` (``application/problem+json``).
- FluentValidation (``RestController.ValidateResource``): a 400 whose body is the failure list.
- ``SonarrErrorPipeline``: an exception becomes an ``ErrorModel`` ``{message, description}``;
  ``ModelNotFoundException`` ("Series with ID 7 does not exist") a 404, ``BadRequestException``
  ("0 is not a valid ID") a 400, ``ModelConflictException``
  (a tag still in use) a 409, a failed unique constraint a 500.

Sources, in Sonarr's repository: ``src/Sonarr.Http/ErrorManagement/SonarrErrorPipeline.cs``,
``src/Sonarr.Http/REST/RestController.cs``,
``src/NzbDrone.Core/Datastore/ModelNotFoundException.cs``.
"""

from __future__ import annotations

from aiohttp import web

from synthetic.servers.servarr import errors as _servarr
from synthetic.servers.servarr.errors import (
    conflict,
    error_model,
    failures,
    model_not_found,
    not_bound,
    problem,
    unique_failed,
)
from synthetic.servers.servarr.errors import invalid_query as bad_query

__all__ = [
    "bad_id",
    "bad_query",
    "conflict",
    "error_model",
    "failures",
    "model_not_found",
    "not_bound",
    "problem",
    "unique_failed",
]


def bad_id(value: object) -> web.Response:
    """A PUT without a usable id (``RestController``'s ``BadRequestException``)."""
    return _servarr.bad_id(value, "Sonarr")
