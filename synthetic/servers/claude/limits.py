"""RPM / ITPM / OTPM token buckets on a clock that the global time scale speeds up.

The Messages API limits requests, input tokens and output tokens per minute with token buckets
that refill continuously. Input tokens are charged on admission (uncached input plus cache writes;
cache reads are free), output tokens after the answer, so one long answer can overdraw the output
bucket and the next request waits until it has refilled. A refused request gets 429 with
``retry-after`` (whole seconds, rounded up) and ``retry-after-ms``; every response reports the
buckets in ``anthropic-ratelimit-*`` headers, reset times in RFC 3339.

Latency and batch processing are multiplied by the global time scale; the buckets refill on the
same scaled clock (``ScaledClock``), so a benchmark at scale 0.01 sees the same limits relative to
its latency as production does, and the waits it is told are real seconds. At scale 0 time runs
infinitely fast and no limit binds: tests that want a 429 use a small scale or inject a clock.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from synthetic.servers.traffic import get_time_scale

_INSTANT = 1e9


class ScaledClock:
    """Model seconds: real seconds divided by the time scale in force while they passed."""

    __slots__ = ("_last", "_now", "_real")

    def __init__(self, real: Callable[[], float] = time.monotonic):
        self._real = real
        self._last = real()
        self._now = 0.0

    def __call__(self) -> float:
        real = self._real()
        elapsed, self._last = max(0.0, real - self._last), real
        scale = get_time_scale()
        self._now += elapsed / scale if scale > 0 else _INSTANT
        return self._now

    @staticmethod
    def to_real(seconds: float) -> float:
        return seconds * get_time_scale()


class InjectedClock:
    """A test's clock, used as is: its seconds are both model and real seconds."""

    __slots__ = ("_clock",)

    def __init__(self, clock: Callable[[], float]):
        self._clock = clock

    def __call__(self) -> float:
        return self._clock()

    @staticmethod
    def to_real(seconds: float) -> float:
        return seconds


Clock = ScaledClock | InjectedClock


class Bucket:
    """``capacity`` per minute, refilled continuously; the level may go below zero."""

    __slots__ = ("capacity", "level", "rate", "stamp")

    def __init__(self, per_minute: int, now: float):
        if per_minute < 1:
            raise ValueError("rate limits must be >= 1 per minute")
        self.capacity = float(per_minute)
        self.rate = per_minute / 60.0
        self.level = self.capacity
        self.stamp = now

    def refill(self, now: float) -> None:
        if now > self.stamp:
            self.level = min(self.capacity, self.level + (now - self.stamp) * self.rate)
            self.stamp = now

    def wait(self, need: float) -> float:
        """Seconds until ``need`` (at most a full bucket) is available; 0 if it is now."""
        need = min(need, self.capacity)
        return 0.0 if self.level >= need else (need - self.level) / self.rate

    def until_full(self) -> float:
        return max(0.0, self.capacity - self.level) / self.rate


@dataclass(frozen=True, slots=True)
class Refusal:
    wait_s: float
    limit: str
    per_minute: int


_LABELS = {"requests": "requests", "input-tokens": "input tokens", "output-tokens": "output tokens"}


class RateLimiter:
    """The three buckets; a ``None`` limit is unlimited and reported in no header."""

    __slots__ = ("_buckets", "_clock")

    def __init__(self, rpm: int | None, itpm: int | None, otpm: int | None, clock: Clock):
        self._clock = clock
        now = clock()
        self._buckets = {
            name: Bucket(limit, now)
            for name, limit in (("requests", rpm), ("input-tokens", itpm), ("output-tokens", otpm))
            if limit is not None
        }

    def admit(self, input_tokens: int) -> Refusal | None:
        """Charge one request and ``input_tokens``, or say how long to wait (charging nothing)."""
        if not self._buckets:
            return None
        self._refill()
        need = {"requests": 1, "input-tokens": input_tokens, "output-tokens": 1}
        waits = [(b.wait(need[name]), name) for name, b in self._buckets.items()]
        wait, name = max(waits)
        if wait > 0:
            return Refusal(self._clock.to_real(wait), name, int(self._buckets[name].capacity))
        for key in ("requests", "input-tokens"):
            if key in self._buckets:
                self._buckets[key].level -= need[key]
        return None

    def charge_output(self, tokens: int) -> None:
        bucket = self._buckets.get("output-tokens")
        if bucket is not None:
            self._refill()
            bucket.level -= tokens

    def headers(self) -> dict[str, str]:
        if not self._buckets:
            return {}
        self._refill()
        now = datetime.now(UTC)
        out: dict[str, str] = {}
        for name, bucket in self._buckets.items():
            out.update(self._describe(name, bucket, now))
        tokens = [self._buckets[k] for k in ("input-tokens", "output-tokens") if k in self._buckets]
        if tokens:
            out.update(self._describe("tokens", min(tokens, key=lambda b: b.level), now))
        return out

    def _describe(self, name: str, bucket: Bucket, now: datetime) -> dict[str, str]:
        reset = now + timedelta(seconds=self._clock.to_real(bucket.until_full()))
        prefix = f"anthropic-ratelimit-{name}"
        return {
            f"{prefix}-limit": str(int(bucket.capacity)),
            f"{prefix}-remaining": str(max(0, math.floor(bucket.level))),
            f"{prefix}-reset": rfc3339(reset),
        }

    def _refill(self) -> None:
        now = self._clock()
        for bucket in self._buckets.values():
            bucket.refill(now)


def refusal_headers(refusal: Refusal) -> dict[str, str]:
    return {
        "retry-after": str(max(1, math.ceil(refusal.wait_s))),
        "retry-after-ms": str(max(1, math.ceil(refusal.wait_s * 1000))),
    }


def refusal_message(refusal: Refusal) -> str:
    return (
        "This request would exceed the rate limit for your organization of "
        f"{refusal.per_minute:,} {_LABELS[refusal.limit]} per minute. For details, refer to: "
        "https://docs.claude.com/en/api/rate-limits. You can see the response headers for "
        "current usage."
    )


def rfc3339(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
