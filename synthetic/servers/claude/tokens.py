"""Token accounting and the prompt cache of the stand-in Claude.

Billing, rate limits and the latency model all run on token counts, so the stand-in needs counts
that move with the text the client sends, without shipping a tokenizer: ``CHARS_PER_TOKEN``
characters are one token. 3.1 is taken for the 5.x models: about four characters a token on the
older tokenizers, and Haiku 5.5's produces roughly 30 % more tokens for the same text (research
notes, "what's new in Haiku 5.5"). Counts are proportional, stable and the same for the client's
``count_tokens`` call and the billed usage.

The prompt cache follows the documented rules closely enough that a client's caching strategy can
be measured: every block carrying ``cache_control`` is a breakpoint whose prefix (everything up to
and including that block, in tools → system → messages order) is one cache entry, keyed by a hash
of the request context (model, tools, output format) and the prefix text. A request reads the
longest prefix still cached and writes the rest up to its last breakpoint. Prefixes shorter than
the model's minimum are quietly not cached. An entry lives for its TTL (5 minutes or 1 hour)
after its last use and becomes readable only after the writing request's first token, so requests
fired at once all pay for the write, as they do in production.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

CHARS_PER_TOKEN = 3.1
TTL_S = {"5m": 300.0, "1h": 3600.0}
_PRUNE_EVERY = 1024


def count_tokens(text: str) -> int:
    """Tokens in ``text``: one per ``CHARS_PER_TOKEN`` characters, rounded up."""
    return math.ceil(len(text) / CHARS_PER_TOKEN)


def chars_for(tokens: int) -> int:
    """How many characters ``tokens`` tokens hold."""
    return int(tokens * CHARS_PER_TOKEN)


@dataclass(frozen=True, slots=True)
class Breakpoint:
    """A block with ``cache_control``: the prefix through it has ``tokens`` tokens."""

    tokens: int
    key: bytes
    ttl: str


@dataclass(frozen=True, slots=True)
class CachePlan:
    """What a request would read and write; ``PromptCache.commit`` makes it happen."""

    read: int = 0
    creation_5m: int = 0
    creation_1h: int = 0
    hit: Breakpoint | None = None
    writes: tuple[Breakpoint, ...] = ()

    @property
    def creation(self) -> int:
        return self.creation_5m + self.creation_1h


NO_CACHE = CachePlan()


class PromptCache:
    """Cache entries by prefix key: ``[readable_from, expires_at]`` on ``clock`` seconds.

    ``plan`` only looks; ``commit`` writes, so a request refused by a rate limit leaves no trace.
    Both run on the server's event loop without an ``await`` in between.
    """

    __slots__ = ("_clock", "_commits", "_entries")

    def __init__(self, clock: Callable[[], float] = time.monotonic):
        self._clock = clock
        self._entries: dict[bytes, list[float]] = {}
        self._commits = 0

    def __len__(self) -> int:
        return len(self._entries)

    def plan(self, breakpoints: Sequence[Breakpoint], min_tokens: int) -> CachePlan:
        usable = [b for b in breakpoints if b.tokens >= min_tokens]
        if not usable:
            return NO_CACHE
        now = self._clock()
        hit_at = -1
        for j in range(len(usable) - 1, -1, -1):
            entry = self._entries.get(usable[j].key)
            if entry is not None and entry[0] <= now < entry[1]:
                hit_at = j
                break
        read = usable[hit_at].tokens if hit_at >= 0 else 0
        creation = {"5m": 0, "1h": 0}
        previous = read
        for b in usable[hit_at + 1 :]:
            creation[b.ttl] += b.tokens - previous
            previous = b.tokens
        return CachePlan(
            read,
            creation["5m"],
            creation["1h"],
            usable[hit_at] if hit_at >= 0 else None,
            tuple(usable[hit_at + 1 :]),
        )

    def commit(self, plan: CachePlan, readable_after_s: float = 0.0) -> None:
        """Refresh the entry read and write the new ones (readable ``readable_after_s`` later)."""
        if plan is NO_CACHE:
            return
        now = self._clock()
        if plan.hit is not None:
            self._entries[plan.hit.key][1] = now + TTL_S[plan.hit.ttl]
        for b in plan.writes:
            expires = now + TTL_S[b.ttl]
            entry = self._entries.get(b.key)
            if entry is not None and entry[1] > now:
                entry[1] = max(entry[1], expires)
            else:
                self._entries[b.key] = [now + readable_after_s, expires]
        self._commits += 1
        if self._commits % _PRUNE_EVERY == 0:
            self._entries = {k: e for k, e in self._entries.items() if e[1] > now}

    def clear(self) -> None:
        self._entries.clear()
