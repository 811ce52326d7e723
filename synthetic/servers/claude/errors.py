"""The API's error answers: ``{"type": "error", "error": {"type", "message"}, "request_id"}``.

Each HTTP status has its ``error.type`` (400 ``invalid_request_error`` ... 529
``overloaded_error``); the SDK picks its exception class from the status and, for an exhausted
spend cap, from ``error.details.error_code``. Handlers raise ``ApiError``; the server's middleware
turns it into the response, adding ``request-id`` and the rate-limit headers.
"""

from __future__ import annotations

import json

from aiohttp import web

ERROR_TYPES = {
    400: "invalid_request_error",
    401: "authentication_error",
    402: "billing_error",
    403: "permission_error",
    404: "not_found_error",
    408: "timeout_error",
    409: "conflict_error",
    413: "request_too_large",
    429: "rate_limit_error",
    500: "api_error",
    504: "timeout_error",
    529: "overloaded_error",
}
SPEND_LIMIT_MESSAGE = (
    "You have reached your specified API usage limits. You will regain access on the first "
    "day of next month. Your monthly API usage threshold has been reached."
)
_REASONS = {529: "Overloaded"}
_dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


class ApiError(Exception):
    """An error answer: HTTP status, ``error.type``, message, optional details and headers."""

    def __init__(
        self,
        status: int,
        kind: str,
        message: str,
        *,
        details: dict | None = None,
        headers: dict[str, str] | None = None,
    ):
        super().__init__(message)
        self.status, self.kind, self.message = status, kind, message
        self.details = details
        self.headers = headers or {}

    def body(self, request_id: str | None) -> dict:
        error: dict = {"type": self.kind, "message": self.message}
        if self.details is not None:
            error["details"] = self.details
        return {"type": "error", "error": error, "request_id": request_id}


def invalid(message: str) -> ApiError:
    return ApiError(400, "invalid_request_error", message)


def status_error(status: int, message: str) -> ApiError:
    """The error of an HTTP status as the API words it (an injected fault, an unknown route)."""
    kind = ERROR_TYPES.get(status, "api_error" if status >= 500 else "invalid_request_error")
    if status == 529:
        message = "Overloaded"
    headers = {"retry-after": "1", "retry-after-ms": "1000"} if status == 429 else None
    return ApiError(status, kind, message, headers=headers)


def spend_limit_error() -> ApiError:
    """The 429 of an exhausted spend cap: retrying cannot help, so no ``retry-after``."""
    return ApiError(
        429,
        "rate_limit_error",
        SPEND_LIMIT_MESSAGE,
        details={"error_code": "enforced_spend_limit_reached"},
    )


def error_response(err: ApiError, request_id: str) -> web.Response:
    response = web.Response(
        body=_dumps(err.body(request_id)).encode(),
        status=err.status,
        reason=_REASONS.get(err.status),
        content_type="application/json",
    )
    response.headers.update(err.headers)
    return response
