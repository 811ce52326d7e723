"""Runs, priced requests and open Message Batches (core.store.runs)."""

import pytest

from core.store import runs


def request(run_id, *, items=25, output=900, batch_id=None, custom_id=None):
    return runs.RequestRecord(
        run_id, batch_id, custom_id, "claude-x", items, 5000, output, 0, 0, 4000, 0.01, "ok", 1.0
    )


def test_runs_start_and_finish(store):
    assert runs.last_success_end(store) is None
    first = runs.start_run(store, "run", model="claude-x", mode="sync")
    second = runs.start_run(store, "classify", model="claude-x", mode="batch")
    assert second == first + 1
    runs.finish_run(store, first, "ok", "{}")
    runs.finish_run(store, second, "ok", "{}")  # not a `reelscale run`
    ended = runs.last_success_end(store)
    row = store.conn.execute("SELECT status, finished_at FROM runs WHERE id = ?", (first,))
    assert row.fetchone() == ("ok", ended)


def test_requests_are_stored_in_the_callers_transaction(store):
    run_id = runs.start_run(store, "classify", model="claude-x", mode="sync")
    with pytest.raises(RuntimeError):
        runs.insert_request(store, request(run_id))
    with store.atomic():
        ids = [runs.insert_request(store, request(run_id, items=n)) for n in (10, 20)]
    assert ids[1] == ids[0] + 1
    assert list(runs.request_sizes(store)) == [(10, 900), (20, 900)]


def test_open_batches_until_read(store):
    run_id = runs.start_run(store, "classify", model="claude-x", mode="batch")
    runs.save_batch(store, "msgbatch_1", run_id, '{"r1-00000": []}')
    runs.save_batch(store, "msgbatch_2", run_id, "{}")
    assert runs.count_open_batches(store) == 2
    assert runs.open_batches(store) == [("msgbatch_1", '{"r1-00000": []}'), ("msgbatch_2", "{}")]
    with store.atomic():
        runs.insert_request(store, request(run_id, batch_id="msgbatch_1", custom_id="r1-00000"))
    assert runs.read_custom_ids(store, "msgbatch_1") == {"r1-00000"}
    runs.mark_batch_read(store, "msgbatch_1")
    assert runs.open_batches(store) == [("msgbatch_2", "{}")]
