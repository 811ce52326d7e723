import pytest

from core.pipeline.enrich.cache import DAY, MISSING, CacheConfig, ProviderCache, persistent_stats
from core.store.db import open_store


class Clock:
    def __init__(self):
        self.now = 1_000_000.0

    def __call__(self):
        return self.now


@pytest.fixture
def clock():
    return Clock()


def test_get_put_and_negative_results(store, clock):
    cache = ProviderCache(store, clock=clock)
    assert cache.get("search:heat|1995") is MISSING
    cache.put("search:heat|1995", [{"id": 949}])
    cache.put("details:0", None)
    assert cache.get("search:heat|1995") == [{"id": 949}]
    assert cache.get("details:0") is None
    assert (cache.stats.memory.hits, cache.stats.sqlite.misses) == (2, 1)


def test_sqlite_tier_survives_the_process_and_feeds_memory(db_path, clock):
    with open_store(db_path) as store:
        cache = ProviderCache(store, clock=clock)
        cache.put("details:949", {"id": 949, "title": "Heat"})
        cache.flush()
    with open_store(db_path) as store:
        cache = ProviderCache(store, clock=clock)
        assert cache.get("details:949") == {"id": 949, "title": "Heat"}
        assert cache.get("details:949")["title"] == "Heat"
        assert (cache.stats.sqlite.hits, cache.stats.memory.hits) == (1, 1)


def test_entries_expire_by_age_even_when_used(store, clock):
    cache = ProviderCache(store, clock=clock)
    cache.put("search:a|2000", [1])
    cache.put("search:gone|2000", None)
    cache.flush()
    for _ in range(5):
        clock.now += 0.5 * DAY
        assert cache.get("search:a|2000") == [1]
    assert cache.get("search:gone|2000") is MISSING  # negative TTL is 1 day
    clock.now += 5 * DAY
    assert cache.get("search:a|2000") is MISSING  # 7.5 days > 7
    assert cache.stats.sqlite.expired >= 1


def test_ttls_are_configurable_per_namespace(store, clock):
    config = CacheConfig(ttls={"search": 10, "details": 100, "negative": 1})
    cache = ProviderCache(store, config, clock=clock)
    cache.put("search:x", [1])
    cache.put("details:1", {"id": 1})
    clock.now += 50
    assert cache.get("search:x") is MISSING and cache.get("details:1") == {"id": 1}


def test_memory_tier_evicts_least_recently_used(store, clock):
    entry = ProviderCache(store, CacheConfig(), clock=clock)
    entry.put("details:a", "x" * 5)
    one = entry._memory.currsize  # what one such entry takes on the heap
    cache = ProviderCache(store, CacheConfig(memory_bytes=int(3.5 * one)), clock=clock)
    for key in "abc":
        cache.put(f"details:{key}", "x" * 5)
    cache.get("details:a")
    cache.put("details:d", "x" * 5)
    cache.put("details:e", "x" * 5)
    assert cache.stats.memory.evictions >= 1
    hits = cache.stats.memory.hits
    cache.get("details:a")
    assert cache.stats.memory.hits == hits + 1
    cache.flush()
    assert cache.get("details:b") == "xxxxx"  # evicted from memory, still in SQLite


def test_sqlite_tier_bound_evicts_expired_then_lru(store, clock):
    cache = ProviderCache(store, CacheConfig(max_bytes=10_000, flush_every=10_000), clock=clock)
    cache.put("search:old", None)  # expires after a day
    cache.flush()
    clock.now += 2 * DAY
    for i in range(200):
        clock.now += 1
        cache.put(f"details:{i}", {"pad": "y" * 90, "i": i})
        if i % 20 == 19:
            cache.flush()
    cache.flush()
    assert cache.sqlite_bytes <= 10_000
    total = store.conn.execute("SELECT sum(size) FROM provider_cache").fetchone()[0]
    assert total == cache.sqlite_bytes
    assert (
        store.conn.execute(
            "SELECT count(*) FROM provider_cache WHERE key = 'search:old'"
        ).fetchone()[0]
        == 0
    )
    keys = {k for (k,) in store.conn.execute("SELECT key FROM provider_cache")}
    assert "details:199" in keys and "details:0" not in keys
    assert cache.stats.sqlite.evictions > 0 and cache.stats.sqlite.expired >= 1


def test_warm_clear_and_persistent_stats(store, clock):
    cache = ProviderCache(store, clock=clock)
    for i in range(10):
        cache.put(f"details:{i}", {"i": i})
    cache.put("search:nothing", None)
    cache.flush()
    fresh = ProviderCache(store, clock=clock)
    assert fresh.warm(f"details:{i}" for i in range(20)) == 10
    assert fresh.get("details:3") == {"i": 3} and fresh.stats.memory.hits == 1
    fresh.flush()
    stats = persistent_stats(store, clock=clock)
    assert stats["sqlite"]["entries"] == 11
    assert stats["namespaces"]["search"]["negative"] == 1
    assert stats["totals"]["memory"]["hits"] >= 1
    clock.now += 2 * DAY
    assert fresh.clear(expired_only=True) == 1
    assert fresh.clear() == 10
    assert persistent_stats(store, clock=clock)["sqlite"]["entries"] == 0


def test_the_memory_tier_is_bounded_by_heap_not_json_text(store, clock):
    """Parsed JSON takes several times its text: the bound counts what the heap holds."""
    import json
    import tracemalloc

    from core.pipeline.enrich.cache import heap_size

    details = {
        "id": 603,
        "title": "The Matrix",
        "genres": ["Action", "Science Fiction"],
        "keywords": [f"k{i}" for i in range(20)],
        "overview": "x" * 300,
        "year": 1999,
    }
    text = json.dumps(details)
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    copy = json.loads(text)
    held = tracemalloc.get_traced_memory()[0] - before
    tracemalloc.stop()
    assert copy == details
    assert heap_size(details) >= 0.9 * held > len(text)
    cache = ProviderCache(store, CacheConfig(memory_bytes=20 * len(text)), clock=clock)
    for i in range(20):
        cache.put(f"details:{i}", details)
    assert cache._memory.currsize <= 20 * len(text)
    assert cache.snapshot().memory.entries < 20  # the text bound would have kept all 20


def test_entry_larger_than_the_memory_tier_lives_in_sqlite_only(store, clock):
    cache = ProviderCache(store, CacheConfig(memory_bytes=10), clock=clock)
    cache.put("details:big", {"overview": "x" * 100})
    cache.flush()
    assert cache.get("details:big") == {"overview": "x" * 100}
    assert cache.stats.sqlite.hits == 1 and cache.snapshot().memory.entries == 0
