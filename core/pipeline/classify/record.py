"""Write what a request decided: its priced usage and its decisions, in one transaction.

A crash therefore loses at most the requests in flight, and a rerun never pays again for a
request whose decisions were committed (the planner finds them decided).
"""

from __future__ import annotations

import time
from collections.abc import Mapping

from core.clients.claude.pricing import Usage
from core.config.collection import Collection
from core.pipeline.classify.request import Batch
from core.pipeline.plan.stage import decide
from core.store.db import Store


def start_run(store: Store, command: str, *, model: str, mode: str) -> int:
    with store.atomic():
        cur = store.conn.execute(
            "INSERT INTO runs (started_at, command, status, model, mode) VALUES (?, ?, ?, ?, ?)",
            (time.time(), command, "running", model, mode),
        )
    return cur.lastrowid


def finish_run(store: Store, run_id: int, status: str, summary_json: str) -> None:
    with store.atomic():
        store.conn.execute(
            "UPDATE runs SET finished_at = ?, status = ?, summary = ? WHERE id = ?",
            (time.time(), status, summary_json, run_id),
        )


def record_request(
    store: Store,
    *,
    run_id: int,
    model: str,
    usage: Usage,
    cost_usd: float,
    outcome: str,
    batch: Batch,
    found: Mapping[str, Mapping[str, float]],
    collections: Mapping[str, Collection],
    tag_by_cid: Mapping[str, str],
    batch_id: str | None = None,
    custom_id: str | None = None,
) -> int:
    """Store the request and the decisions for every planned pair of the items in ``found``.

    :param found: ``{mid: {cid: confidence}}`` for the items the answer covered; a planned
        collection the answer does not list gets confidence 0 (a confident "no").
    :returns: how many decisions were written.
    """
    now = time.time()
    conn = store.conn
    written = 0
    with store.atomic():
        request_id = conn.execute(
            "INSERT INTO requests (run_id, batch_id, custom_id, model, items, input_tokens, "
            "output_tokens, cache_write_5m, cache_write_1h, cache_read, cost_usd, outcome, at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                run_id,
                batch_id,
                custom_id,
                model,
                len(batch.items),
                usage.input,
                usage.output,
                usage.cache_write_5m,
                usage.cache_write_1h,
                usage.cache_read,
                cost_usd,
                outcome,
                now,
            ),
        ).lastrowid
        rows = []
        for mid, memberships in found.items():
            item = batch.items[mid]
            by_tag = {tag_by_cid[cid]: p for cid, p in memberships.items() if cid in tag_by_cid}
            for tag, reason in item.pairs.items():
                collection = collections[tag]
                confidence = by_tag.get(tag, 0.0)
                previous, rechecks = _previous(conn, item.item_id, tag)
                include = decide(confidence, collection, reason, previous)
                rows.append(
                    (
                        item.item_id,
                        tag,
                        int(include),
                        confidence,
                        model,
                        collection.prompt_hash,
                        item.fingerprint,
                        rechecks + 1 if reason == "recheck" else 0,
                        run_id,
                        request_id,
                        now,
                    )
                )
        conn.executemany(
            "INSERT OR REPLACE INTO decisions (item_id, collection, include, confidence, model, "
            "prompt_hash, fingerprint, rechecks, run_id, request_id, decided_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
        conn.executemany(
            "DELETE FROM deferred WHERE item_id = ?",
            [(batch.items[mid].item_id,) for mid in found],
        )
        written = len(rows)
    return written


def _previous(conn, item_id: int, tag: str) -> tuple[bool | None, int]:
    row = conn.execute(
        "SELECT include, rechecks FROM decisions WHERE item_id = ? AND collection = ?",
        (item_id, tag),
    ).fetchone()
    return (bool(row[0]), row[1]) if row else (None, 0)


def record_deferred(store: Store, run_id: int, item_ids: list[int]) -> None:
    with store.atomic():
        store.conn.executemany(
            "INSERT OR REPLACE INTO deferred (item_id, run_id) VALUES (?, ?)",
            [(i, run_id) for i in item_ids],
        )
