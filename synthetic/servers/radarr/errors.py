"""Radarr's error answers, by the layer of Radarr that produces them.

- ASP.NET's ``[ApiController]`` layer, before Radarr's code runs: a body that does not bind
  (malformed JSON, a string where a number goes) is a 400 ``ValidationProblemDetails``, and a
  controller's ``NotFound()`` (``GET /api/v3/movie/{id}`` of an unknown id) is a 404
  ``ProblemDetails``; both ``application/problem+json``.
- FluentValidation (``RestController.ValidateResource``): a 400 whose body is the list of failures.
- ``RadarrErrorPipeline``: an exception becomes an ``ErrorModel`` ``{message, description}``;
  ``ModelNotFoundException`` ("Movie with ID 7 does not exist") a 404, ``BadRequestException``
  ("0 is not a valid ID") a 400, ``ModelConflictException`` (a tag still in use) a 409.

Sources, in Radarr's repository: ``src/Radarr.Http/ErrorManagement/RadarrErrorPipeline.cs``,
``src/Radarr.Http/REST/RestController.cs``,
``src/NzbDrone.Core/Datastore/ModelNotFoundException.cs``.
"""

from __future__ import annotations

from aiohttp import web

from synthetic.servers.servarr import errors as _servarr
from synthetic.servers.servarr.errors import (
    error_model,
    failures,
    invalid_query,
    model_not_found,
    not_bound,
    not_found,
    problem,
    unconvertible,
)

__all__ = [
    "bad_id",
    "error_model",
    "failures",
    "invalid_query",
    "model_not_found",
    "not_bound",
    "not_found",
    "problem",
    "unconvertible",
]


def bad_id(model_id: int) -> web.Response:
    return _servarr.bad_id(model_id, "Radarr")
