"""Decisions, deferred items and memberships (core.store.decisions)."""

import pytest

from core.store import decisions


def seed_items(store):
    with store.atomic():
        store.conn.executemany(
            "INSERT INTO items (id, source, key, title, year, type, tmdb_id) "
            "VALUES (?, ?, ?, ?, 2000, ?, ?)",
            [
                (1, "radarr", "11", "A", "movie", 601),
                (2, "radarr", "12", "B", "movie", 602),
                (3, "files", "/m/c.mkv", "C", "movie", None),
                (4, "files", "/m/d.mkv", "D", "episode", None),
            ],
        )


def decision(item_id, tag, include, *, rechecks=0, request_id=7):
    return (item_id, tag, include, 0.8, "m", "h", "f", rechecks, 1, request_id, 5.0)


def test_upsert_and_read_back(store):
    seed_items(store)
    assert decisions.previous_decisions(store, [1]) == {}
    with pytest.raises(RuntimeError):
        decisions.upsert_decisions(store, [decision(1, "kai-noir", 1)])
    with store.atomic():
        decisions.upsert_decisions(
            store,
            [decision(1, "kai-noir", 1), decision(2, "kai-noir", 0), decision(3, "kai-noir", 1)],
        )
        decisions.upsert_decisions(store, [decision(2, "kai-noir", 1, rechecks=1)])
    assert decisions.previous_decisions(store, [2, 3, 9]) == {
        (2, "kai-noir"): (True, 1),
        (3, "kai-noir"): (True, 0),
    }
    assert decisions.member_ids(store, "kai-noir") == {1, 2, 3}
    assert decisions.member_tmdb_ids(store, "kai-noir") == [601, 602]
    assert sorted(decisions.arr_verdicts(store, "kai-noir", "radarr")) == [
        ("11", 1, 1),
        ("12", 2, 1),
    ]
    assert sorted(decisions.all_verdicts(store)) == [(i, "kai-noir", 1) for i in (1, 2, 3)]


def test_movies_with_decisions_for_the_planner(store):
    seed_items(store)
    with store.atomic():
        decisions.upsert_decisions(store, [decision(1, "a", 1), decision(1, "b", 0)])
    decisions.record_deferred(store, 9, [3])
    rows = list(decisions.items_with_decisions(store))
    assert [(r[0], r[4], r[10]) for r in rows] == [
        (1, "a", 0),
        (1, "b", 0),
        (2, None, 0),
        (3, None, 1),
    ]
    assert all(len(r) == len(decisions.PLAN_COLUMNS) for r in rows)
    with store.atomic():
        decisions.clear_deferred(store, [3])
    assert [r[10] for r in decisions.items_with_decisions(store)] == [0, 0, 0, 0]
