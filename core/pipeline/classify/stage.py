"""The classify stage, assembled: plan, budget, send, record, defer.

``classify`` is what ``reelscale classify`` and the benchmarks call. With ``dry_run`` it plans and
prices the run from token estimates without calling the API.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import islice

from core.clients.claude.pricing import PRICES, Usage, cost
from core.config.collection import Collection
from core.errors import UsageError
from core.pipeline.checks import select
from core.pipeline.classify.batches import run_batches
from core.pipeline.classify.record import finish_run, record_deferred, start_run
from core.pipeline.classify.request import (
    OUTPUT_TOKENS_PER_MEMBERSHIP,
    OUTPUT_TOKENS_PER_MOVIE,
    Batch,
    Prefix,
    estimate_tokens,
    params,
)
from core.pipeline.classify.runner import ClassifySummary, MessagesSettings, run_messages
from core.pipeline.plan.stage import PlannedItem, plan
from core.progress import NULL_REPORTER, Reporter
from core.store.db import Store
from core.store.runs import count_open_batches

SAMPLE = 200
AUTO_BATCH_ITEMS = 2000
MODES = ("sync", "batch", "auto")


@dataclass(frozen=True, slots=True, kw_only=True)
class Budget:
    """Per-run limits: movies sent, and dollars (estimated before, enforced during the run)."""

    max_items: int | None = None
    max_cost: float | None = None


def estimate_item_cost(
    sample: Sequence[PlannedItem], collections: Sequence[Collection], settings: MessagesSettings
) -> float:
    """Estimated dollars per movie: its share of input, cached prefix and output."""
    if not sample:
        return 0.0
    prefix = Prefix.build(collections)
    request = params(Batch.of(list(sample)), prefix, model=settings.model, max_tokens=1)
    per_item_in = estimate_tokens(request["messages"][0]["content"]) / len(sample)
    per_item_out = OUTPUT_TOKENS_PER_MOVIE + OUTPUT_TOKENS_PER_MEMBERSHIP
    prefix_read = estimate_tokens(prefix.system) / settings.batch_size
    usage = Usage(
        input=round(per_item_in * 1000),
        output=round(per_item_out * 1000),
        cache_read=round(prefix_read * 1000),
    )
    return cost(usage, settings.model) / 1000


def classify(
    store: Store,
    collections: Sequence[Collection],
    settings: MessagesSettings,
    *,
    only: str | None = None,
    force: bool = False,
    budget: Budget = Budget(),
    dry_run: bool = False,
    mode: str = "sync",
    poll_s: float = 2.0,
    recheck: bool = True,
    reporter: Reporter = NULL_REPORTER,
    should_stop: Callable[[], bool] = lambda: False,
    run_id: int | None = None,
) -> ClassifySummary:
    """Judge what the planner says needs judging; returns the summary.

    ``mode``: ``sync`` (Messages API), ``batch`` (Message Batches, then a sync pass for what the
    batch left undecided), or ``auto`` (batch when at least ``AUTO_BATCH_ITEMS`` movies are
    planned). Open batches of an interrupted run are always settled first.
    """
    if mode not in MODES:
        raise UsageError(f"--mode {mode!r}: choose one of {', '.join(MODES)}")
    if settings.model not in PRICES:
        raise UsageError(f"unknown model {settings.model!r}; known: {', '.join(PRICES)}")
    start = time.perf_counter()
    chosen = select(collections, only)
    summary = ClassifySummary()
    max_items = budget.max_items
    if not dry_run and count_open_batches(store):
        _resume(store, chosen, settings, summary, reporter, poll_s, should_stop)
    if budget.max_cost is not None:
        _, sample_iter = plan(store, chosen, force=force)
        per_item = estimate_item_cost(list(islice(sample_iter, SAMPLE)), chosen, settings)
        by_cost = int(budget.max_cost / per_item) if per_item else None
        max_items = by_cost if max_items is None else min(max_items, by_cost or max_items)
    stats, planned = plan(store, chosen, force=force, max_items=max_items)
    if dry_run:
        admitted = list(planned)
        per_item = estimate_item_cost(admitted[:SAMPLE], chosen, settings)
        summary.items_planned = len(admitted)
        summary.pairs_planned = sum(len(i.pairs) for i in admitted)
        summary.deferred = stats.pairs_deferred
        summary.cost_usd = per_item * len(admitted)
        summary.requests = -(-len(admitted) // settings.batch_size)
        summary.seconds = round(time.perf_counter() - start, 3)
        return summary
    use_batch = mode == "batch" or (mode == "auto" and stats.items_planned >= AUTO_BATCH_ITEMS)
    own_run = run_id is None
    if run_id is None:
        run_id = start_run(
            store, "classify", model=settings.model, mode="batch" if use_batch else "sync"
        )
    reporter.start("classify", total=stats.items_planned)
    status = "ok"

    def send(items, *, batch: bool) -> None:
        _pass(
            store,
            run_id,
            items,
            chosen,
            settings,
            summary,
            reporter,
            budget,
            poll_s,
            batch=batch,
            should_stop=should_stop,
        )

    if not stats.items_planned:
        planned = iter(())  # nothing to judge: no second pass over the library either
    try:
        send(planned, batch=use_batch)
        if recheck and summary.requests and not summary.stopped and not stats.pairs_deferred:
            # Near-threshold verdicts are asked once more within this run (in other batches, so
            # the second look is independent): a rerun over an unchanged library sends nothing.
            recheck_stats, planned = plan(store, chosen)
            summary.rechecked = recheck_stats.by_reason.get("recheck", 0)
            send(planned, batch=use_batch)
        if use_batch and summary.requests and not summary.stopped:
            # What the batches left undecided (missing ids, truncated answers) goes now, sync.
            _, planned = plan(store, chosen, rechecks=False, max_items=max_items)
            send(planned, batch=False)
    except BaseException:
        status = "failed"
        raise
    finally:
        for item in planned:  # admitted but not sent: the run stopped or spent its budget
            stats.defer(item)
        record_deferred(store, run_id, stats.deferred_ids)
        summary.items_planned = stats.items_planned
        summary.pairs_planned = stats.pairs_planned
        summary.deferred = stats.pairs_deferred
        summary.deferred_by_collection = dict(stats.deferred_by_collection)
        summary.seconds = round(time.perf_counter() - start, 3)
        if summary.stopped:
            status = "stopped"
        if own_run:
            finish_run(store, run_id, status, json.dumps(summary.as_dict()))
        reporter.finish("classify")
    return summary


def _resume(store, chosen, settings, summary, reporter, poll_s, should_stop) -> None:
    """Settle the batches an interrupted run left open, before planning: no item is paid twice."""
    run_id = start_run(store, "classify", model=settings.model, mode="resume")
    try:
        _pass(
            store,
            run_id,
            iter(()),
            chosen,
            settings,
            summary,
            reporter,
            Budget(),
            poll_s,
            batch=True,
            should_stop=should_stop,
        )
    finally:
        finish_run(store, run_id, "resumed", json.dumps(summary.as_dict()))


def _pass(
    store,
    run_id,
    planned,
    chosen,
    settings,
    summary,
    reporter,
    budget,
    poll_s,
    *,
    batch,
    should_stop,
):
    if batch:
        coroutine = run_batches(
            store,
            run_id,
            planned,
            chosen,
            settings,
            summary,
            reporter=reporter,
            poll_s=poll_s,
            should_stop=should_stop,
        )
    else:
        coroutine = run_messages(
            store,
            run_id,
            planned,
            chosen,
            settings,
            summary,
            reporter=reporter,
            max_cost=budget.max_cost,
            should_stop=should_stop,
        )
    asyncio.run(coroutine)
