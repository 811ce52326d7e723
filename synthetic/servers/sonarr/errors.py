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

import secrets

from aiohttp import web

from synthetic.servers.sonarr.stream import dumps

_RFC = "https://tools.ietf.org/html/rfc9110#section-15.5."


def problem(status: int, title: str, errors: dict[str, list[str]] | None = None) -> web.Response:
    """ASP.NET's ``ProblemDetails`` (``errors`` makes it a ``ValidationProblemDetails``)."""
    body: dict = {"type": _RFC + ("1" if status == 400 else "5"), "title": title, "status": status}
    if errors is not None:
        body["errors"] = errors
    body["traceId"] = f"00-{secrets.token_hex(16)}-{secrets.token_hex(8)}-00"
    return web.Response(
        text=dumps(body), status=status, content_type="application/problem+json", charset="utf-8"
    )


def not_bound(argument: str, detail: str) -> web.Response:
    """The body could not be read as the action's argument (``[ApiController]``'s automatic 400)."""
    return problem(
        400,
        "One or more validation errors occurred.",
        {argument: [f"The {argument} field is required."], "$": [detail]},
    )


def bad_query(name: str, value: str) -> web.Response:
    """A query value that does not convert to the parameter's type."""
    return problem(
        400,
        "One or more validation errors occurred.",
        {name: [f"The value '{value}' is not valid."]},
    )


def failures(name: str, message: str, value: object, code: str) -> web.Response:
    """FluentValidation's 400: the list of failures (one here)."""
    body = [
        {
            "propertyName": name,
            "errorMessage": message,
            "attemptedValue": value,
            "severity": "error",
            "errorCode": code,
            "formattedMessageArguments": [],
            "formattedMessagePlaceholderValues": {"propertyName": name, "propertyValue": value},
        }
    ]
    return web.json_response(body, status=400, dumps=dumps)


def error_model(status: int, message: str, description: str = "") -> web.Response:
    """``SonarrErrorPipeline``'s ``ErrorModel``: the exception's message and its text."""
    body = {"message": message, "description": description or message}
    return web.json_response(body, status=status, dumps=dumps)


def model_not_found(kind: str, model_id: int) -> web.Response:
    message = f"{kind} with ID {model_id} does not exist"
    return error_model(404, message, f"NzbDrone.Core.Datastore.ModelNotFoundException: {message}")


def bad_id(value: object) -> web.Response:
    """A PUT without a usable id (``RestController``'s ``BadRequestException``)."""
    message = f"{value if value is not None else 0} is not a valid ID"
    return error_model(400, message, f"Sonarr.Http.REST.BadRequestException: {message}")


def conflict(message: str) -> web.Response:
    return error_model(409, message, f"NzbDrone.Core.Datastore.ModelConflictException: {message}")


def unique_failed(message: str) -> web.Response:
    return error_model(500, message, f"System.Data.SQLite.SQLiteException: {message}")
