"""Write what a request decided: its priced usage and its decisions, in one transaction.

A crash therefore loses at most the requests in flight, and a rerun never pays again for a
request whose decisions were committed (the planner finds them decided). The run bookkeeping
the classify stage also needs (:func:`start_run`, :func:`finish_run`, :func:`record_deferred`)
comes from the store and is re-exported here.
"""

from __future__ import annotations

from collections.abc import Mapping

from core.config.collection import Collection
from core.pipeline.classify.request import Batch
from core.pipeline.plan.stage import decide
from core.store.db import Store
from core.store.decisions import (
    clear_deferred,
    previous_decisions,
    record_deferred,
    upsert_decisions,
)
from core.store.runs import RequestRecord, finish_run, insert_request, start_run

__all__ = ["RequestRecord", "finish_run", "record_deferred", "record_request", "start_run"]


def record_request(
    store: Store,
    request: RequestRecord,
    batch: Batch,
    found: Mapping[str, Mapping[str, float]],
    collections: Mapping[str, Collection],
    tag_by_cid: Mapping[str, str],
) -> int:
    """Store ``request`` and the decisions for every planned pair of the items in ``found``, in
    one transaction.

    :param found: ``{mid: {cid: confidence}}`` for the items the answer covered; a planned
        collection the answer does not list gets confidence 0 (a confident "no").
    :returns: how many decisions were written.
    """
    with store.atomic():
        request_id = insert_request(store, request)
        stamp = (request.model, request.run_id, request_id, request.at)
        rows = _decision_rows(store, batch, found, collections, tag_by_cid, stamp)
        upsert_decisions(store, rows)
        clear_deferred(store, [batch.items[mid].item_id for mid in found])
    return len(rows)


def _decision_rows(store, batch, found, collections, tag_by_cid, stamp) -> list[tuple]:
    """The decision rows (:data:`core.store.decisions.DECISION_COLUMNS`) of the planned pairs of
    the items in ``found``; ``stamp`` is ``(model, run_id, request_id, decided_at)``."""
    model, run_id, request_id, now = stamp
    stored = previous_decisions(store, [batch.items[mid].item_id for mid in found])
    rows = []
    for mid, memberships in found.items():
        item = batch.items[mid]
        by_tag = {tag_by_cid[cid]: p for cid, p in memberships.items() if cid in tag_by_cid}
        for tag, reason in item.pairs.items():
            collection = collections[tag]
            confidence = by_tag.get(tag, 0.0)
            previous, rechecks = stored.get((item.item_id, tag), (None, 0))
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
    return rows
