"""The stand-in Claude's request log: one record per HTTP request and per request in a batch.

Benchmarks and tests count calls, billed tokens and injected errors from here instead of trusting
the client's own bookkeeping; ``flipped`` / ``judgments`` is the error the accuracy model actually
injected, to compare with the agreement a client measures. Records are written on the server's
loop and read from test threads, hence the lock.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field, fields

from synthetic.servers.traffic import RequestLog

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
    dialect: str | None = None
    streamed: bool = False


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
    dialect: str | None
    streamed: bool

    @property
    def cache_creation_input_tokens(self) -> int:
        return self.cache_creation_5m_input_tokens + self.cache_creation_1h_input_tokens


_NOTE_FIELDS = tuple(f.name for f in fields(Note))


@dataclass(frozen=True, slots=True)
class ClaudeCounters:
    """Totals since the last reset. ``tokens`` and ``answers`` sum the record fields of the same
    names (usage; movies, answered, unknown_movies, judgments, flipped). ``by_dialect`` counts
    answered generations by whose requests they were ("reelscale", "kometa-ai", "unmodelled",
    "refused"); ``streamed`` how many were answered as server-sent events."""

    total: int
    by_endpoint: Mapping[str, int]
    by_status: Mapping[int, int]
    rate_limited: int
    faults: Mapping[str, int]
    tokens: Mapping[str, int]
    answers: Mapping[str, int]
    by_dialect: Mapping[str, int] = field(default_factory=dict)
    streamed: int = 0

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


class ClaudeLog(RequestLog):
    """The shared request log, also summing usage and answer counts for the counters."""

    __slots__ = ("_dialects", "_streamed", "_sums")

    def __init__(self, maxlen: int = 100_000):
        super().__init__(maxlen)

    def reset(self) -> None:
        super().reset()
        with self._lock:
            self._sums: Counter[str] = Counter({k: 0 for k in _USAGE + _MOVIES})
            self._dialects: Counter[str] = Counter()
            self._streamed = 0

    def add_note(self, note: Note, status: int, duration_s: float) -> ClaudeRecord:
        values = {name: getattr(note, name) for name in _NOTE_FIELDS}
        record = ClaudeRecord(status=status, duration_s=duration_s, **values)
        with self._lock:
            for key in _USAGE + _MOVIES:
                self._sums[key] += values[key]
            if note.dialect is not None:
                self._dialects[note.dialect] += 1
            self._streamed += note.streamed
        self.add(record, rate_limited=record.rate_limited)
        return record

    def counters(self) -> ClaudeCounters:
        base = super().counters()
        with self._lock:
            sums = dict(self._sums)
            dialects, streamed = dict(self._dialects), self._streamed
        return ClaudeCounters(
            base.total,
            base.by_endpoint,
            base.by_status,
            base.rate_limited,
            base.faults,
            {k: sums[k] for k in _USAGE},
            {k: sums[k] for k in _MOVIES},
            dialects,
            streamed,
        )
