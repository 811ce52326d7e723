"""The queries of `reelscale list` (core.store.listing): each reads through an index (EXPLAIN
QUERY PLAN), the deterministic side of the speed target measured by
benchmarks/harness/numbers/listing.py; and what each function returns."""

import re

import pytest
from listing_fixtures import NOW

from core.store import listing as queries

TABLES = {"items", "decisions", "tag_changes", "runs", "deferred", "i", "d", "c"}
SAMPLE = {"tag": "kai-sci-fi", "limit": 50, "q": '"blade"*', "ids": "[1, 2]", "id": 1}
SAMPLE |= {"tmdb": 101, "run": 2}


@pytest.mark.parametrize("name", sorted(queries.SQL))
def test_query_plan_uses_an_index(listing_library, name):
    conn = listing_library.conn
    plan = [row[3] for row in conn.execute("EXPLAIN QUERY PLAN " + queries.SQL[name], SAMPLE)]
    scans = [line for line in plan if line.startswith("SCAN ")]
    assert not [s for s in scans if s.split()[1] in TABLES], plan
    assert not [line for line in plan if "TEMP B-TREE" in line], plan
    if name == "match":
        assert re.fullmatch(r"SCAN items_fts VIRTUAL TABLE INDEX \d+:M.*", plan[0]), plan
    conn.execute(queries.SQL[name], SAMPLE).fetchall()  # and it runs


def test_collections_and_members(listing_library):
    store = listing_library
    assert list(queries.decided_tags(store)) == ["kai-film-noir", "kai-gone", "kai-sci-fi"]
    assert queries.member_count(store, "kai-film-noir") == 2
    assert [row[0] for row in queries.members(store, "kai-film-noir", -1)] == [4, 6]
    assert queries.members(store, "kai-film-noir", 1) == [
        (4, "Double Indemnity", 1944, "movie", 104, 0.9, NOW)
    ]


def test_items_and_their_tags(listing_library):
    store = listing_library
    assert queries.items_with_tmdb_id(store, 104, 5) == [4]
    rows = sorted(queries.items_by_id(store, [2, 99, 1]))
    assert [(r[0], r[1], r[5]) for r in rows] == [
        (1, "Blade Runner", None),
        (2, "Amélie", "Le Fabuleux Destin d'Amélie Poulain"),
    ]
    assert sorted(queries.included_tags(store, [1, 3, 4])) == [
        (1, "kai-sci-fi"),
        (3, "kai-gone"),
        (4, "kai-film-noir"),
    ]
    assert queries.item_genres(store, 4) == '["Crime","Drama"]'
    assert queries.item_genres(store, 5) is None


def test_what_is_known_about_one_item(listing_library):
    store = listing_library
    assert [d[:3] for d in queries.decisions_of(store, 1)] == [
        ("kai-film-noir", 0, 0.2),
        ("kai-sci-fi", 1, 0.95),
    ]
    assert queries.tag_changes_of(store, 4) == [
        ("kai-film-noir", "add", 0, 2, NOW),
        ("kai-film-noir", "add", 1, 3, NOW),
    ]
    assert queries.deferred_by_run(store, 3) == 1
    assert queries.deferred_by_run(store, 1) is None


def test_runs_and_their_changes(listing_library):
    store = listing_library
    assert queries.last_change_run(store) == 3 and queries.last_run(store) == 3
    assert queries.run_exists(store, 2) and not queries.run_exists(store, 7)
    assert queries.run_info(store, 2) == (2, "run", "done", NOW + 2, None)
    assert queries.run_info(store, 7) is None
    assert queries.change_runs(store, 1) == [2, 3]
    assert queries.change_counts(store, 2) == [
        ("kai-film-noir", "add", 0, 1),
        ("kai-film-noir", "add", 1, 1),
        ("kai-sci-fi", "add", 1, 1),
    ]
    assert queries.change_counts(store, 2, "kai-sci-fi") == [("kai-sci-fi", "add", 1, 1)]
    first = queries.changes(store, 2, None, 1)
    assert first == [(2, 4, "Double Indemnity", 1944, "kai-film-noir", "add", 0, NOW)]
    assert [r[1] for r in queries.changes(store, 2, "kai-film-noir", -1)] == [4, 6]


def test_empty_store(store):
    assert queries.last_change_run(store) is None and queries.last_run(store) is None
    assert list(queries.decided_tags(store)) == []
