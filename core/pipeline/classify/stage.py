"""The classify stage, assembled: plan, budget, send, record, defer.

``classify`` is what ``reelscale classify`` and the benchmarks call. With ``dry_run`` it plans and
prices the run from token estimates without calling the API.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable, Sequence
from itertools import islice

from core.clients.claude.client import MessagesSettings
from core.clients.claude.pricing import PRICES, Usage, cost
from core.config.collection import Collection, select
from core.errors import UsageError
from core.pipeline.classify.batches import run_batches
from core.pipeline.classify.context import Budget, ClassifyContext
from core.pipeline.classify.record import finish_run, record_deferred, start_run
from core.pipeline.classify.request import (
    OUTPUT_TOKENS_PER_MEMBERSHIP,
    OUTPUT_TOKENS_PER_MOVIE,
    Batch,
    Prefix,
    estimate_tokens,
    params,
)
from core.pipeline.classify.runner import run_messages
from core.pipeline.classify.summary import ClassifySummary
from core.pipeline.plan.stage import PlannedItem, plan
from core.progress import NULL_REPORTER, Reporter
from core.store.db import Store
from core.store.runs import count_open_batches

SAMPLE = 200
AUTO_BATCH_ITEMS = 2000
MODES = ("sync", "batch", "auto")


def estimate_item_cost(
    sample: Sequence[PlannedItem],
    collections: Sequence[Collection],
    settings: MessagesSettings,
    kind: str = "movies",
) -> float:
    """Estimated dollars per item: its share of input, cached prefix and output."""
    if not sample:
        return 0.0
    prefix = Prefix.build(collections, kind=kind)
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
    budget: Budget | None = None,
    dry_run: bool = False,
    mode: str = "sync",
    poll_s: float = 2.0,
    recheck: bool = True,
    reporter: Reporter = NULL_REPORTER,
    should_stop: Callable[[], bool] = lambda: False,
    run_id: int | None = None,
    kind: str = "movies",
) -> ClassifySummary:
    """Judge what the planner says needs judging; returns the summary.

    ``kind``: ``movies`` or ``series``, judged only against the collections of that kind.

    ``mode``: ``sync`` (Messages API), ``batch`` (Message Batches, then a sync pass for what the
    batch left undecided), or ``auto`` (batch when at least ``AUTO_BATCH_ITEMS`` movies are
    planned). Open batches of an interrupted run are always settled first. The stage's one
    entry point for the CLI, the run, the benchmarks and ``bench compare`` (which calls it in
    trees of other commits), so its options stay keyword arguments with defaults.
    """
    _check(mode, settings)
    start = time.perf_counter()
    budget = budget or Budget()
    chosen = [c for c in select(collections, only) if c.covers(kind)]
    judge = ClassifyContext(
        store, chosen, settings, ClassifySummary(), reporter, should_stop, kind=kind
    )
    if not dry_run and count_open_batches(store):
        _resume(judge, poll_s)
    max_items = _admitted(judge, budget, force)
    stats, planned = plan(store, judge.chosen, force=force, max_items=max_items, kind=kind)
    if dry_run:
        return _estimate(judge, stats, planned, start)
    use_batch = mode == "batch" or (mode == "auto" and stats.items_planned >= AUTO_BATCH_ITEMS)
    own_run = run_id is None
    if run_id is None:
        run_id = start_run(
            store, "classify", model=settings.model, mode="batch" if use_batch else "sync"
        )
    judge.run_id, judge.budget, judge.poll_s = run_id, budget, poll_s
    reporter.start("classify", total=stats.items_planned)
    if not stats.items_planned:
        planned = iter(())  # nothing to judge: no second pass over the library either
    judge.planned = planned
    status = "ok"
    try:
        asyncio.run(_passes(judge, stats, use_batch, recheck, max_items))
    except BaseException:
        status = "failed"
        raise
    finally:
        _close(judge, stats, start, status if own_run else None)
    return judge.summary


def _check(mode: str, settings: MessagesSettings) -> None:
    if mode not in MODES:
        raise UsageError(f"--mode {mode!r}: choose one of {', '.join(MODES)}")
    if settings.model not in PRICES:
        raise UsageError(f"unknown model {settings.model!r}; known: {', '.join(PRICES)}")


async def _send(judge: ClassifyContext, planned, *, batch: bool) -> None:
    """One pass over ``planned``, through Message Batches or the Messages API; a movie Claude
    refused in an earlier pass of this call is not sent again (the next run asks once more)."""
    if judge.refused_ids:
        planned = (p for p in planned if p.item_id not in judge.refused_ids)
    judge.planned = planned
    await (run_batches(judge, planned) if batch else run_messages(judge, planned))


def _admitted(judge: ClassifyContext, budget: Budget, force: bool) -> int | None:
    """The items this run may send: ``max_items``, lowered to what ``max_cost`` buys."""
    max_items = budget.max_items
    if budget.max_cost is not None:
        _, sample_iter = plan(judge.store, judge.chosen, force=force, kind=judge.kind)
        sample = list(islice(sample_iter, SAMPLE))
        per_item = estimate_item_cost(sample, judge.chosen, judge.settings, judge.kind)
        by_cost = int(budget.max_cost / per_item) if per_item else None
        if by_cost is not None:
            max_items = by_cost if max_items is None else min(max_items, by_cost)
    return max_items


def _estimate(judge: ClassifyContext, stats, planned, start: float) -> ClassifySummary:
    """A dry run: the plan, priced from token estimates; nothing is sent or stored."""
    admitted = list(planned)
    summary = judge.summary
    per_item = estimate_item_cost(admitted[:SAMPLE], judge.chosen, judge.settings, judge.kind)
    summary.items_planned = summary.items_admitted = len(admitted)
    summary.pairs_planned = sum(len(i.pairs) for i in admitted)
    summary.deferred = stats.pairs_deferred
    summary.cost_usd = per_item * len(admitted)
    summary.requests = -(-len(admitted) // judge.settings.batch_size)
    summary.estimated = True
    for item in admitted:
        for tag in item.pairs:
            summary.planned_by_collection[tag] = summary.planned_by_collection.get(tag, 0) + 1
    summary.deferred_by_collection = dict(stats.deferred_by_collection)
    summary.seconds = round(time.perf_counter() - start, 3)
    return summary


async def _passes(judge: ClassifyContext, stats, use_batch: bool, recheck: bool, max_items) -> None:
    """The first pass, the recheck pass and the batches' sync follow-up, on one event loop and
    one SDK client (one connection pool, one TLS context)."""
    summary = judge.summary
    try:
        await _send(judge, judge.planned, batch=use_batch)
        if recheck and summary.requests and not summary.stopped and not stats.pairs_deferred:
            # Near-threshold verdicts are asked once more within this run (in other batches, so
            # the second look is independent): a rerun over an unchanged library sends nothing.
            recheck_stats, judge.planned = plan(judge.store, judge.chosen, kind=judge.kind)
            summary.rechecked = recheck_stats.by_reason.get("recheck", 0)
            await _send(judge, judge.planned, batch=use_batch)
        if use_batch and summary.requests and not summary.stopped:
            # What the batches left undecided (missing ids, truncated answers) goes now, sync.
            _, judge.planned = plan(
                judge.store, judge.chosen, rechecks=False, max_items=max_items, kind=judge.kind
            )
            await _send(judge, judge.planned, batch=False)
    finally:
        await judge.close_client()


def _close(judge: ClassifyContext, stats, start: float, status: str | None) -> None:
    """Defer what was admitted but not sent; finish the run when this call started it."""
    summary = judge.summary
    for item in judge.planned:  # admitted but not sent: the run stopped or spent its budget
        stats.defer(item)
    # A movie Claude refused is deferred too, so the next run asks again even if nothing changed.
    record_deferred(judge.store, judge.run_id, [*stats.deferred_ids, *sorted(judge.refused_ids)])
    summary.items_planned = stats.items_planned
    summary.items_admitted = stats.items_planned - stats.items_deferred
    summary.pairs_planned = stats.pairs_planned
    summary.deferred = stats.pairs_deferred
    summary.deferred_by_collection = dict(stats.deferred_by_collection)
    summary.seconds = round(time.perf_counter() - start, 3)
    if status is not None:
        status = "stopped" if summary.stopped else status
        finish_run(judge.store, judge.run_id, status, json.dumps(summary.as_dict()))
    judge.reporter.finish("classify")


def _resume(judge: ClassifyContext, poll_s: float) -> None:
    """Settle the batches an interrupted run left open, before planning: no item is paid twice."""
    judge.run_id = start_run(judge.store, "classify", model=judge.settings.model, mode="resume")
    judge.poll_s = poll_s
    try:
        asyncio.run(_resumed(judge))
    finally:
        finish_run(judge.store, judge.run_id, "resumed", json.dumps(judge.summary.as_dict()))


async def _resumed(judge: ClassifyContext) -> None:
    try:
        await _send(judge, iter(()), batch=True)
    finally:
        await judge.close_client()
