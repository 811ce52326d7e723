"""The Claude Messages API through the official SDK: settings, pacing, sending, failures.

One ``AsyncAnthropic`` client per pass (:func:`open_client`), whose own retries handle 429, 529
and 5xx (nothing here re-implements them). :class:`Pacer` holds requests back while the
``anthropic-ratelimit-*`` headers say the next one would be refused, so a steady state draws no
429. :func:`failure` sorts what the SDK raises after its retries into what the caller does next:
stop the run (a rejected key, a spend limit, billing), try the batch again, or count it as failed.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass

from core.clients.claude.sdk import load_sdk
from core.config.model import ClaudeSettings, env_name
from core.errors import ConfigError

KEY_ENV = env_name(ClaudeSettings, "api_key")
SPEND_LIMIT = "enforced_spend_limit_reached"
#: Why a pass stops when Claude answers 401: a setting to fix, not a run to resume.
KEY_REJECTED = "Claude rejected the API key (401); check ANTHROPIC_API_KEY"


@dataclass(frozen=True, slots=True, kw_only=True)
class MessagesSettings:
    """What the classify stage sends with: the ``[claude]`` settings, movies per request, and
    whether to ask for a reason per movie. The key is revealed only for the SDK client."""

    claude: ClaudeSettings
    batch_size: int
    explain: bool = False

    def __post_init__(self) -> None:
        if self.claude.api_key is None or not self.claude.api_key.get_secret_value():
            raise ConfigError(f"{KEY_ENV} is not set; export your Claude API key")
        if self.batch_size < 1:
            raise ConfigError("--batch-size must be at least 1")

    @property
    def model(self) -> str:
        return self.claude.model

    @property
    def concurrency(self) -> int:
        return self.claude.concurrency

    def client_options(self) -> dict:
        """The SDK client's keyword arguments (the key among them)."""
        base_url = self.claude.base_url
        return {
            "api_key": self.claude.api_key.get_secret_value(),
            "base_url": base_url.get_secret_value() if base_url else None,
            "max_retries": self.claude.max_retries,
            "timeout": self.claude.timeout,
        }


def open_client(settings: MessagesSettings):
    """An ``AsyncAnthropic`` client (use it as an async context manager); loads the SDK."""
    return load_sdk().AsyncAnthropic(**settings.client_options())


class Pacer:
    """Holds requests back while the rate-limit headers say the next one would be refused.

    The buckets refill continuously (``limit`` per minute), so the wait for a deficit ``d`` is
    ``d / limit`` minutes, not the time until the bucket is full.
    """

    def __init__(self) -> None:
        self.remaining: dict[str, float] = {}
        self.limit: dict[str, float] = {}
        self.seen_at = 0.0

    def update(self, headers) -> None:
        for kind in ("requests", "input-tokens", "output-tokens"):
            remaining = headers.get(f"anthropic-ratelimit-{kind}-remaining")
            limit = headers.get(f"anthropic-ratelimit-{kind}-limit")
            if remaining is not None and limit is not None:
                try:
                    self.remaining[kind], self.limit[kind] = float(remaining), float(limit)
                except ValueError:
                    continue
        self.seen_at = time.monotonic()

    def delay(self, needs: dict[str, float]) -> float:
        elapsed = time.monotonic() - self.seen_at
        wait = 0.0
        for kind, need in needs.items():
            if kind not in self.limit or self.limit[kind] <= 0:
                continue
            per_s = self.limit[kind] / 60.0
            have = self.remaining[kind] + elapsed * per_s
            if have < need:
                wait = max(wait, (need - have) / per_s)
        return wait

    async def wait(self, needs: dict[str, float]) -> None:
        delay = self.delay(needs)
        if delay > 0:
            await asyncio.sleep(delay)
        for kind, need in needs.items():
            if kind in self.remaining:
                self.remaining[kind] -= need


async def send(client, request: dict) -> tuple[object, int]:
    """``messages.create`` as a raw response, and how often the SDK retried it.

    A failure after the SDK's retries is raised with ``retries_taken`` set on the exception.
    """
    try:
        raw = await client.messages.with_raw_response.create(**request)
    except Exception as exc:
        exc.retries_taken = _retries_taken(exc)  # type: ignore[attr-defined]
        raise
    return raw, raw.retries_taken


def _retries_taken(exc: Exception) -> int:
    """How often the SDK retried before giving up: its last attempt's retry-count header."""
    request = getattr(exc, "request", None)
    try:
        return int(request.headers.get("x-stainless-retry-count", 0)) if request else 0
    except (AttributeError, ValueError):
        return 0


@dataclass(frozen=True, slots=True)
class Failure:
    """What a failed request means: ``stop`` the run (with why), ``retry`` it, or it ``failed``."""

    action: str  # "stop" | "retry" | "failed"
    cause: str


def failure(exc: Exception) -> Failure | None:
    """How to treat an exception the SDK raised after its retries; None if it is not the SDK's."""
    anthropic = load_sdk()
    if isinstance(exc, anthropic.AuthenticationError):
        return Failure("stop", KEY_REJECTED)
    if isinstance(exc, anthropic.RateLimitError):
        spend_limits = (
            anthropic.EnforcedSpendLimitReachedError,
            anthropic.ContractSpendLimitReachedError,
            anthropic.LinkedOrganizationSpendLimitReachedError,
        )
        if isinstance(exc, spend_limits) or _error_code(exc) == SPEND_LIMIT:
            return Failure(
                "stop",
                "the Claude spend limit is reached; raise it in the Console, then rerun: "
                "committed decisions are kept and not paid again",
            )
        return Failure("retry", "rate limited beyond the SDK's retries")
    if isinstance(exc, anthropic.APIStatusError):
        if isinstance(exc, anthropic.PaymentRequiredError) or _error_type(exc) == "billing_error":
            return Failure(
                "stop",
                "Claude refused on billing grounds (402); check the account's billing, then rerun",
            )
        return Failure("failed", f"Claude error {exc.status_code} after retries")
    if isinstance(exc, anthropic.APIConnectionError):
        return Failure("failed", "connection to Claude failed after retries")
    return None


def _error_body(exc) -> dict:
    body = exc.body if isinstance(exc.body, dict) else {}
    error = body.get("error", body)
    return error if isinstance(error, dict) else {}


def _error_code(exc) -> str | None:
    details = _error_body(exc).get("details")
    return details.get("error_code") if isinstance(details, dict) else None


def _error_type(exc) -> str | None:
    return _error_body(exc).get("type")
