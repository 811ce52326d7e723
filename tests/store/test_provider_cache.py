"""The SQLite tier of the provider cache and its counters (core.store.provider_cache)."""

import pytest

from core.store import provider_cache as tier


def put(store, *rows):
    with store.atomic():
        tier.put_entries(store, list(rows))


def test_entries_sizes_and_expiry(store):
    assert tier.cache_size(store) == (0, 0)
    put(store, ("search:heat|", "[]", 2, 10.0, 1.0), ("details:949", '{"id":949}', 10, 30.0, 1.0))
    assert tier.cache_size(store) == (2, 12)
    assert tier.cache_entry(store, "details:949") == ('{"id":949}', 30.0)
    assert tier.cache_entry(store, "details:1") is None
    keys = ["search:heat|", "details:949", "details:1"]
    assert tier.unexpired_entries(store, keys, 20.0) == [("details:949", '{"id":949}', 30.0)]
    assert tier.entry_sizes(store, keys) == {"search:heat|": 2, "details:949": 10}


def test_entry_sizes_of_many_keys(store):
    put(store, *[(f"details:{n}", "null", 4, 10.0, 1.0) for n in range(1200)])
    sizes = tier.entry_sizes(store, [f"details:{n}" for n in range(0, 2400, 2)])
    assert len(sizes) == 600 and set(sizes.values()) == {4}


def test_least_recently_used_first_and_deletes(store):
    put(store, ("a", "1", 1, 10.0, 3.0), ("b", "2", 2, 10.0, 1.0), ("c", "3", 3, 5.0, 2.0))
    with store.atomic():
        tier.touch_entries(store, [(9.0, "b")])
    assert list(tier.lru_entries(store)) == [("c", 3), ("a", 1), ("b", 2)]
    with store.atomic():
        assert tier.delete_expired_entries(store, 5.0) == [3]
        tier.delete_entries(store, ["a"])
    assert tier.cache_size(store) == (1, 2)
    with store.atomic():
        assert tier.delete_all_entries(store) == [2]


def test_writes_belong_in_a_transaction(store):
    with pytest.raises(RuntimeError):
        tier.put_entries(store, [("a", "1", 1, 10.0, 3.0)])
    with pytest.raises(RuntimeError):
        tier.add_counters(store, [("memory", "hits", 1)])


def test_counters_add_up_and_namespaces_are_summed(store):
    with store.atomic():
        tier.add_counters(store, [("memory", "hits", 3), ("sqlite", "misses", 1)])
    with store.atomic():
        tier.add_counters(store, [("memory", "hits", 2)])
    assert sorted(tier.counter_totals(store)) == [("memory", "hits", 5), ("sqlite", "misses", 1)]
    put(store, ("search:x|", "null", 4, 10.0, 1.0), ("search:y|", "[1]", 3, 30.0, 1.0))
    assert tier.namespace_stats(store, 20.0) == [("search", 2, 7, 1, 1)]
