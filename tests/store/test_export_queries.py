"""The queries of `reelscale export` (core.store.export): two streams in item order, neither of
which sorts."""

import pytest

from core.store import export as queries


@pytest.mark.parametrize("name", sorted(queries.SQL))
def test_export_reads_in_key_order_without_sorting(store, name):
    plan = [row[3] for row in store.conn.execute("EXPLAIN QUERY PLAN " + queries.SQL[name])]
    assert not [line for line in plan if "TEMP B-TREE" in line], plan


def test_both_streams_come_in_item_order(store):
    with store.atomic():
        store.conn.executemany(
            "INSERT INTO items (id, source, key, type) VALUES (?, 'files', ?, 'movie')",
            [(i, f"/m/{i}") for i in (3, 1, 2)],
        )
        store.conn.executemany(
            "INSERT INTO decisions (item_id, collection, include, confidence, model, prompt_hash, "
            "fingerprint, run_id, decided_at) VALUES (?, ?, 1, 0.5, 'm', 'h', 'f', 1, 0)",
            [(2, "b"), (1, "b"), (2, "a")],
        )
    assert [row[:2] for row in queries.items_in_order(store)] == [
        (1, "/m/1"),
        (2, "/m/2"),
        (3, "/m/3"),
    ]
    assert [row[:2] for row in queries.decisions_in_item_order(store)] == [
        (1, "b"),
        (2, "a"),
        (2, "b"),
    ]
