"""The error answers of Radarr and Sonarr (one codebase: ``*.Http`` and ``NzbDrone.Core``), by
the layer that produces them.

- ASP.NET's ``[ApiController]`` layer, before the app's code runs: a body that does not bind
  (malformed JSON, a string where a number goes) or a query value of the wrong type is a 400
  ``ValidationProblemDetails``, and a controller's ``NotFound()`` a 404 ``ProblemDetails``; both
  ``application/problem+json``.
- FluentValidation (``RestController.ValidateResource``): a 400 whose body is the list of failures.
- ``RadarrErrorPipeline`` / ``SonarrErrorPipeline``: an exception becomes an ``ErrorModel``
  ``{message, description}``; ``ModelNotFoundException`` ("Movie with ID 7 does not exist") a
  404, ``BadRequestException`` ("0 is not a valid ID") a 400, ``ModelConflictException`` (a tag
  still in use) a 409, a failed unique constraint a 500.

Each app's module (``synthetic.servers.radarr.errors``, ``synthetic.servers.sonarr.errors``)
names its sources and binds the app's name where the answer carries it.
"""

from __future__ import annotations

import json
import secrets

from aiohttp import web

dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
_RFC = "https://tools.ietf.org/html/rfc9110#section-15.5."


def _trace_id() -> str:
    return f"00-{secrets.token_hex(16)}-{secrets.token_hex(8)}-00"


def problem(status: int, title: str, errors: dict[str, list[str]] | None = None) -> web.Response:
    """ASP.NET's ``ProblemDetails`` (``errors`` makes it a ``ValidationProblemDetails``)."""
    body: dict = {"type": _RFC + ("1" if status == 400 else "5"), "title": title, "status": status}
    if errors is not None:
        body["errors"] = errors
    body["traceId"] = _trace_id()
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


def unconvertible(argument: str, field: str) -> web.Response:
    """A field of the body has a JSON type its C# property cannot take."""
    return not_bound(argument, f"The JSON value could not be converted. Path: $.{field}")


def invalid_query(name: str, value: str) -> web.Response:
    """A query value that does not bind to the parameter's type."""
    errors = {name: [f"The value '{value}' is not valid."]}
    return problem(400, "One or more validation errors occurred.", errors)


def not_found() -> web.Response:
    return problem(404, "Not Found")


def failures(*items: tuple[str, str, object, str]) -> web.Response:
    """FluentValidation's 400: (property, message, attempted value, error code) per failure."""
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
        for name, message, value, code in items
    ]
    return web.json_response(body, status=400, dumps=dumps)


def error_model(status: int, message: str, description: str = "") -> web.Response:
    """The ``*ErrorPipeline``'s ``ErrorModel``: the exception's message and its text."""
    body = {"message": message, "description": description or message}
    return web.json_response(body, status=status, dumps=dumps)


def model_not_found(kind: str, model_id: int) -> web.Response:
    message = f"{kind} with ID {model_id} does not exist"
    return error_model(404, message, f"NzbDrone.Core.Datastore.ModelNotFoundException: {message}")


def bad_id(value: object, service: str) -> web.Response:
    """A request without a usable id (``RestController``'s ``BadRequestException``)."""
    message = f"{value if value is not None else 0} is not a valid ID"
    return error_model(400, message, f"{service}.Http.REST.BadRequestException: {message}")


def conflict(message: str) -> web.Response:
    return error_model(409, message, f"NzbDrone.Core.Datastore.ModelConflictException: {message}")


def unique_failed(message: str) -> web.Response:
    return error_model(500, message, f"System.Data.SQLite.SQLiteException: {message}")
