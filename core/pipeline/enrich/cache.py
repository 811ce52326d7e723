"""The provider cache: an in-memory LRU with TTL in front of a size-bounded SQLite tier.

Keys are strings ``"<namespace>:<key>"`` (namespaces ``search``, ``details``; a ``None`` value is a
negative result, "not found", and gets the ``negative`` TTL). An entry expires by age even when it
is used often, and when a tier is full the least recently used entry goes first.

Memory tier: cachetools' ``TLRUCache`` (per-entry time-to-use, LRU eviction), bounded by the heap
its entries take (:func:`heap_size`: parsed JSON takes about nine times its text's size, so a
bound on the text let a 64 MiB tier hold over 500 MB). SQLite tier: the ``provider_cache`` table
in the store, bounded in bytes; when over the bound, expired rows are deleted first, then the
least recently accessed.

Writes and access-time updates are buffered and written by :meth:`ProviderCache.flush` in one
transaction, so a get never writes and a batch of puts costs one commit. Counters (hits, misses,
expired, evictions per tier) are kept per process and added to persistent totals on flush.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, dataclass, field
from types import MappingProxyType

import cachetools

from core.store import provider_cache as sqlite_tier
from core.store.db import Store

DAY = 86_400.0
DEFAULT_TTLS: Mapping[str, float] = MappingProxyType(
    # "search-tv" and "tv": the TV search and details of folder series, as long as the movies'
    {"search": 7 * DAY, "details": 30 * DAY, "search-tv": 7 * DAY, "tv": 30 * DAY, "negative": DAY}
)
MISSING = object()


@dataclass(frozen=True, slots=True, kw_only=True)
class CacheConfig:
    """:param ttls: seconds per namespace, plus ``negative`` for not-found results."""

    memory_bytes: int = 64 * 2**20
    max_bytes: int = 512 * 2**20
    ttls: Mapping[str, float] = field(default_factory=lambda: DEFAULT_TTLS)
    flush_every: int = 2000

    def ttl(self, key: str, value: object) -> float:
        if value is None:
            return self.ttls["negative"]
        return self.ttls[key.partition(":")[0]]


@dataclass(slots=True)
class TierStats:
    hits: int = 0
    misses: int = 0
    expired: int = 0
    evictions: int = 0
    entries: int = 0
    bytes: int = 0

    @property
    def hit_rate(self) -> float:
        looked = self.hits + self.misses
        return self.hits / looked if looked else 0.0


@dataclass(slots=True)
class CacheStats:
    memory: TierStats = field(default_factory=TierStats)
    sqlite: TierStats = field(default_factory=TierStats)

    @property
    def hits(self) -> int:
        return self.memory.hits + self.sqlite.hits

    @property
    def misses(self) -> int:
        """Lookups neither tier could answer."""
        return self.sqlite.misses

    def as_dict(self) -> dict:
        return {
            tier: asdict(stats) | {"hit_rate": round(stats.hit_rate, 4)}
            for tier, stats in (("memory", self.memory), ("sqlite", self.sqlite))
        }


class _MemoryTier(cachetools.TLRUCache):
    """TLRUCache that counts what leaves it: evicted when full, or expired by age."""

    def __init__(self, maxsize: int, ttu, timer, stats: TierStats) -> None:
        super().__init__(maxsize, ttu, timer=timer, getsizeof=_entry_size)
        self.stats = stats

    def popitem(self):
        item = super().popitem()
        self.stats.evictions += 1
        return item

    def expire(self, time=None):
        gone = super().expire(time)
        self.stats.expired += len(gone)
        return gone


def _entry_size(entry: tuple[int, float, object]) -> int:
    return entry[0]


_ENTRY_OVERHEAD = sys.getsizeof((0, 0.0, None)) + sys.getsizeof(0) + sys.getsizeof(0.0)


def heap_size(value: object) -> int:
    """Bytes the parsed JSON ``value`` takes on the heap (its containers, keys and scalars).

    Shared objects (small ints, interned keys) are counted every time: an upper estimate.
    """
    size = sys.getsizeof(value)
    if isinstance(value, dict):
        for key, item in value.items():
            size += sys.getsizeof(key) + heap_size(item)
    elif isinstance(value, list):
        for item in value:
            size += heap_size(item)
    return size


class ProviderCache:
    """Two-tier cache for provider lookups, stored in ``store``.

    :param clock: wall-clock seconds (``time.time``); tests pass a fake one.
    """

    def __init__(
        self,
        store: Store,
        config: CacheConfig = CacheConfig(),
        *,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.store = store
        self.config = config
        self.clock = clock
        self.stats = CacheStats()
        self._memory = _MemoryTier(
            config.memory_bytes, lambda _k, entry, _now: entry[1], clock, self.stats.memory
        )
        self._pending: dict[str, tuple[str, int, float]] = {}
        self._touched: dict[str, float] = {}
        self.stats.sqlite.entries, self._bytes = sqlite_tier.cache_size(store)
        self._saved = CacheStats()

    def get(self, key: str) -> object:
        """The cached value for ``key`` (``None`` for a cached "not found"), or :data:`MISSING`."""
        try:
            entry = self._memory[key]
        except KeyError:
            pass
        else:
            self.stats.memory.hits += 1
            return entry[2]
        self.stats.memory.misses += 1
        row = sqlite_tier.cache_entry(self.store, key)
        if row is None:
            self.stats.sqlite.misses += 1
            return MISSING
        now = self.clock()
        text, expires_at = row
        if expires_at <= now:
            self.stats.sqlite.expired += 1
            self.stats.sqlite.misses += 1
            return MISSING
        self.stats.sqlite.hits += 1
        value = json.loads(text)
        self._remember(key, expires_at, value)
        self._touch(key, now)
        return value

    def put(self, key: str, value: object) -> None:
        """Cache ``value`` (``None`` = not found) under ``key`` with its namespace's TTL."""
        now = self.clock()
        text = json.dumps(value, separators=(",", ":"), ensure_ascii=False)
        expires_at = now + self.config.ttl(key, value)
        self._remember(key, expires_at, value)
        self._pending[key] = (text, len(text.encode()), expires_at)
        if len(self._pending) >= self.config.flush_every:
            self.flush()

    def warm(self, keys: Iterable[str]) -> int:
        """Load the unexpired SQLite entries for ``keys`` into memory; returns how many."""
        now, loaded = self.clock(), 0
        batch: list[str] = []
        for key in keys:
            batch.append(key)
            if len(batch) == sqlite_tier.KEYS_PER_QUERY:
                loaded += self._warm(batch, now)
                batch.clear()
        return loaded + (self._warm(batch, now) if batch else 0)

    def _warm(self, keys: list[str], now: float) -> int:
        rows = sqlite_tier.unexpired_entries(self.store, keys, now)
        for key, text, expires_at in rows:
            self._remember(key, expires_at, json.loads(text))
        return len(rows)

    def _remember(self, key: str, expires_at: float, value: object) -> None:
        """Into the memory tier, unless the entry alone is larger than the whole tier."""
        size = _ENTRY_OVERHEAD + sys.getsizeof(key) + heap_size(value)
        if size <= self.config.memory_bytes:
            self._memory[key] = (size, expires_at, value)

    def _touch(self, key: str, now: float) -> None:
        self._touched[key] = now
        if len(self._touched) >= self.config.flush_every:
            self.flush()

    def flush(self) -> None:
        """Write buffered puts and access times, enforce the size bound, save the counters."""
        store = self.store
        now = self.clock()
        with store.atomic():
            if self._pending:
                old = sqlite_tier.entry_sizes(store, list(self._pending))
                sqlite_tier.put_entries(
                    store, [(k, t, s, e, now) for k, (t, s, e) in self._pending.items()]
                )
                self._bytes += sum(s for _, s, _ in self._pending.values()) - sum(old.values())
                self.stats.sqlite.entries += len(self._pending) - len(old)
                self._pending.clear()
            if self._touched:
                sqlite_tier.touch_entries(store, [(t, k) for k, t in self._touched.items()])
                self._touched.clear()
            if self._bytes > self.config.max_bytes:
                self._shrink(now)
            self._save_counters()

    def _shrink(self, now: float) -> None:
        """Expired rows first, then least recently used, down to 90 % of the bound."""
        target = int(self.config.max_bytes * 0.9)
        gone = sqlite_tier.delete_expired_entries(self.store, now)
        self._forget(len(gone), sum(gone), expired=True)
        excess, freed, victims = self._bytes - target, 0, []
        if excess > 0:
            for key, size in sqlite_tier.lru_entries(self.store):
                victims.append(key)
                freed += size
                if freed >= excess:
                    break
            sqlite_tier.delete_entries(self.store, victims)
            self._forget(len(victims), freed, expired=False)

    def _forget(self, count: int, size: int, *, expired: bool) -> None:
        self._bytes -= size
        self.stats.sqlite.entries -= count
        if expired:
            self.stats.sqlite.expired += count
        else:
            self.stats.sqlite.evictions += count

    def clear(self, *, expired_only: bool = False) -> int:
        """Delete entries (only the expired ones with ``expired_only``); returns how many."""
        self.flush()
        now = self.clock()
        with self.store.atomic():
            if expired_only:
                gone = sqlite_tier.delete_expired_entries(self.store, now)
                self._memory.expire(now)
            else:
                gone = sqlite_tier.delete_all_entries(self.store)
                self._memory.clear()
        self._bytes -= sum(gone)
        self.stats.sqlite.entries -= len(gone)
        return len(gone)

    @property
    def sqlite_bytes(self) -> int:
        return self._bytes

    def snapshot(self) -> CacheStats:
        """This process's counters, with the current sizes of both tiers."""
        self.stats.memory.entries = len(self._memory)
        self.stats.memory.bytes = self._memory.currsize
        self.stats.sqlite.bytes = self._bytes
        return self.stats

    def _save_counters(self) -> None:
        rows = []
        for tier in ("memory", "sqlite"):
            now, saved = getattr(self.stats, tier), getattr(self._saved, tier)
            for name in ("hits", "misses", "expired", "evictions"):
                delta = getattr(now, name) - getattr(saved, name)
                if delta:
                    rows.append((tier, name, delta))
                    setattr(saved, name, getattr(now, name))
        sqlite_tier.add_counters(self.store, rows)


def persistent_stats(store: Store, *, clock: Callable[[], float] = time.time) -> dict:
    """What ``reelscale cache stats`` shows: totals over all runs and the SQLite tier's content."""
    totals = {
        tier: {name: 0 for name in ("hits", "misses", "expired", "evictions")}
        for tier in ("memory", "sqlite")
    }
    for tier, name, value in sqlite_tier.counter_totals(store):
        totals[tier][name] = value
    by_namespace = {}
    for ns, count, size, expired, negative in sqlite_tier.namespace_stats(store, clock()):
        by_namespace[ns] = {
            "entries": count,
            "bytes": size,
            "expired": expired,
            "negative": negative,
        }
    entries = sum(n["entries"] for n in by_namespace.values())
    size = sum(n["bytes"] for n in by_namespace.values())
    for tier in totals.values():
        looked = tier["hits"] + tier["misses"]
        tier["hit_rate"] = round(tier["hits"] / looked, 4) if looked else None
    return {
        "totals": totals,
        "sqlite": {"entries": entries, "bytes": size},
        "namespaces": by_namespace,
    }
