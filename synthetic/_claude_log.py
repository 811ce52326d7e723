"""The stand-in Claude's request log: one record per HTTP request and per request in a batch.

Benchmarks and tests count calls, billed tokens and injected errors from here instead of trusting
the client's own bookkeeping; ``flipped`` / ``judgments`` is the error the accuracy model actually
injected, to compare with the agreement a client measures. Records are written on the server's
loop and read from test threads, hence the lock.
"""

from __future__ import annotations

import threading
import time
from collections import Counter, deque
from collections.abc import Mapping
from dataclasses import dataclass, field, fields

_USAGE = (
    "input_tokens",
    "output_tokens",
    "cache_read_input_tokens",
    "cache_creation_5m_input_tokens",
    "cache_creation_1h_input_tokens",
)
_MOVIES = ("movies", "answered", "unknown_movies", "judgments", "flipped")


@dataclass(slots=True, kw_only=True)
class Note:
    """What a handler learns about its request, filled in as it goes."""

    endpoint: str
    at: float = field(default_factory=time.time)
    request_id: str | None = None
    model: str | None = None
    batch_id: str | None = None
    custom_id: str | None = None
    fault: str | None = None
    rate_limited: bool = False
    service_tier: str | None = None
    stop_reason: str | None = None
    input_tokens: int = 0
    output_tokens: int = 0
    cache_read_input_tokens: int = 0
    cache_creation_5m_input_tokens: int = 0
    cache_creation_1h_input_tokens: int = 0
    movies: int = 0
    answered: int = 0
    unknown_movies: int = 0
    judgments: int = 0
    flipped: int = 0


@dataclass(frozen=True, slots=True, kw_only=True)
class ClaudeRecord:
    """One request. ``status`` is the HTTP status (for a batch request: the one it would have had).

    ``movies`` were sent, ``answered`` records came back whole, ``unknown_movies`` were not in the
    library, ``judgments`` (movie, collection) pairs were judged and ``flipped`` of them wrongly.
    """

    endpoint: str
    status: int
    duration_s: float
    at: float
    request_id: str | None
    model: str | None
    batch_id: str | None
    custom_id: str | None
    fault: str | None
    rate_limited: bool
    service_tier: str | None
    stop_reason: str | None
    input_tokens: int
    output_tokens: int
    cache_read_input_tokens: int
    cache_creation_5m_input_tokens: int
    cache_creation_1h_input_tokens: int
    movies: int
    answered: int
    unknown_movies: int
    judgments: int
    flipped: int

    @property
    def cache_creation_input_tokens(self) -> int:
        return self.cache_creation_5m_input_tokens + self.cache_creation_1h_input_tokens


_NOTE_FIELDS = tuple(f.name for f in fields(Note))


@dataclass(frozen=True, slots=True)
class ClaudeCounters:
    """Totals since the last reset. ``tokens`` and ``answers`` sum the record fields of the same
    names (usage; movies, answered, unknown_movies, judgments, flipped)."""

    total: int
    by_endpoint: Mapping[str, int]
    by_status: Mapping[int, int]
    rate_limited: int
    faults: Mapping[str, int]
    tokens: Mapping[str, int]
    answers: Mapping[str, int]

    @property
    def input_tokens(self) -> int:
        return self.tokens["input_tokens"]

    @property
    def output_tokens(self) -> int:
        return self.tokens["output_tokens"]

    @property
    def cache_read_input_tokens(self) -> int:
        return self.tokens["cache_read_input_tokens"]

    @property
    def cache_creation_input_tokens(self) -> int:
        return (
            self.tokens["cache_creation_5m_input_tokens"]
            + self.tokens["cache_creation_1h_input_tokens"]
        )

    @property
    def movies(self) -> int:
        return self.answers["movies"]

    @property
    def unknown_movies(self) -> int:
        return self.answers["unknown_movies"]

    @property
    def judgments(self) -> int:
        return self.answers["judgments"]

    @property
    def flipped(self) -> int:
        return self.answers["flipped"]


class ClaudeLog:
    __slots__ = ("_by_endpoint", "_by_status", "_faults", "_limited", "_lock", "_records", "_sums")

    def __init__(self, maxlen: int = 100_000):
        self._lock = threading.Lock()
        self._records: deque[ClaudeRecord] = deque(maxlen=maxlen)
        self.reset()

    def reset(self) -> None:
        with self._lock:
            self._records.clear()
            self._by_endpoint: Counter[str] = Counter()
            self._by_status: Counter[int] = Counter()
            self._faults: Counter[str] = Counter()
            self._sums: Counter[str] = Counter({k: 0 for k in _USAGE + _MOVIES})
            self._limited = 0

    def add(self, note: Note, status: int, duration_s: float) -> ClaudeRecord:
        values = {name: getattr(note, name) for name in _NOTE_FIELDS}
        record = ClaudeRecord(status=status, duration_s=duration_s, **values)
        with self._lock:
            self._records.append(record)
            self._by_endpoint[record.endpoint] += 1
            self._by_status[status] += 1
            if record.fault is not None:
                self._faults[record.fault] += 1
            self._limited += record.rate_limited
            for key in _USAGE + _MOVIES:
                self._sums[key] += values[key]
        return record

    def records(self) -> list[ClaudeRecord]:
        with self._lock:
            return list(self._records)

    def counters(self) -> ClaudeCounters:
        with self._lock:
            sums = dict(self._sums)
            return ClaudeCounters(
                sum(self._by_endpoint.values()),
                dict(self._by_endpoint),
                dict(self._by_status),
                self._limited,
                dict(self._faults),
                {k: sums[k] for k in _USAGE},
                {k: sums[k] for k in _MOVIES},
            )
