"""The tags runs added and removed (core.store.tag_changes)."""

from core.store import listing
from core.store.tag_changes import TAG_CHANGE_COLUMNS, record_tag_changes


def test_recorded_changes_are_listed(store):
    rows = [(1, 5, "kai-noir", "add", 1, 2.0), (1, 6, "kai-noir", "remove", 0, 2.0)]
    record_tag_changes(store, rows)
    record_tag_changes(store, [])
    assert len(rows[0]) == len(TAG_CHANGE_COLUMNS)
    assert listing.change_runs(store, 1) == [1]
    assert listing.change_counts(store, 1) == [
        ("kai-noir", "add", 1, 1),
        ("kai-noir", "remove", 0, 1),
    ]
