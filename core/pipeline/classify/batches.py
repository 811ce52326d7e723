"""The classify stage over the Message Batches API (half price, answers within hours).

Planned batches become the chunk requests of one Message Batch per ``GROUP`` chunks. Before a
batch is created, its chunk map (custom id -> item, fingerprint, planned pairs) is saved; once
created, its id is saved with it. A restarted run finds the open batches in the store and resumes
polling them instead of planning and paying for those items again. Results are recorded as they
are read, one transaction per chunk; a chunk already recorded (a crash mid-read) is skipped, and
the batch is marked read at the end.

Items a batch did not settle (errored, expired or canceled chunks, missing ids, truncated answers)
stay undecided, so the planner hands them to the next pass or run.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Iterator, Sequence
from itertools import chain

from core.clients.claude.sdk import load_sdk
from core.config.collection import Collection
from core.pipeline.classify.request import Batch, Prefix, max_tokens_for, params
from core.pipeline.classify.runner import STOPPED, ClassifySummary, MessagesSettings, chunks, settle
from core.pipeline.plan.stage import PlannedItem
from core.progress import NULL_REPORTER, Reporter
from core.store.db import Store
from core.store.runs import (
    count_open_batches,
    mark_batch_read,
    open_batches,
    read_custom_ids,
    save_batch,
)

GROUP = 1000
POLL_START_S = 2.0
POLL_MAX_S = 60.0


def _chunk_map(batch: Batch) -> list:
    return [[mid, i.item_id, i.fingerprint, i.pairs] for mid, i in batch.items.items()]


def _batch_from_map(entries: list) -> Batch:
    from core.pipeline.classify.wire import WireMovie

    blank = WireMovie("", "", None, (), "", ())
    return Batch(
        {mid: PlannedItem(item_id, blank, fp, pairs, 0) for mid, item_id, fp, pairs in entries}
    )


async def run_batches(
    store: Store,
    run_id: int,
    planned: Iterator[PlannedItem],
    collections: Sequence[Collection],
    settings: MessagesSettings,
    summary: ClassifySummary,
    *,
    reporter: Reporter = NULL_REPORTER,
    poll_s: float = POLL_START_S,
    should_stop: Callable[[], bool] = lambda: False,
) -> None:
    """Submit the planned items as Message Batches, then poll and read every open batch.

    Once ``should_stop`` says yes, nothing more is submitted and polling ends; the open batches
    are saved and the next run resumes them.
    """
    first = next(planned, None)
    if first is None and not count_open_batches(store):
        return
    planned = chain([first], planned) if first is not None else planned
    anthropic = load_sdk()

    prefix = Prefix.build(collections, explain=settings.explain)
    by_tag = {c.tag: c for c in collections}
    async with anthropic.AsyncAnthropic(**settings.client_options()) as client:
        for group in chunks(chunks(planned, settings.batch_size), GROUP):
            if should_stop():
                summary.stopped = STOPPED
                return
            await _submit(
                store,
                client,
                run_id,
                [Batch.of(c) for c in group],
                prefix,
                settings,
                len(collections),
            )
        for batch_id, chunk_json in open_batches(store):
            await _settle(
                store,
                client,
                run_id,
                batch_id,
                json.loads(chunk_json),
                prefix,
                by_tag,
                settings,
                summary,
                reporter,
                poll_s,
                should_stop,
            )
            if summary.stopped:
                return


async def _submit(store, client, run_id, group: list[Batch], prefix, settings, n_collections):
    requests, chunk_maps = [], {}
    for n, batch in enumerate(group):
        custom_id = f"r{run_id}-{n:05d}"
        request = params(
            batch,
            prefix,
            model=settings.model,
            max_tokens=max_tokens_for(len(batch.items), n_collections),
            cache_ttl="1h",
        )
        requests.append({"custom_id": custom_id, "params": request})
        chunk_maps[custom_id] = _chunk_map(batch)
    created = await client.messages.batches.create(requests=requests)
    save_batch(store, created.id, run_id, json.dumps(chunk_maps))


async def _settle(
    store,
    client,
    run_id,
    batch_id,
    chunk_maps,
    prefix,
    by_tag,
    settings,
    summary,
    reporter,
    poll_s,
    should_stop=lambda: False,
) -> None:
    delay = poll_s
    while True:
        remote = await client.messages.batches.retrieve(batch_id)
        if remote.processing_status == "ended":
            break
        waited = 0.0
        while waited < delay:  # a stop request is noticed within half a second
            if should_stop():
                summary.stopped = STOPPED
                return
            step = min(0.5, delay - waited)
            await asyncio.sleep(step)
            waited += step
        delay = min(POLL_MAX_S, delay * 1.5)
    done = read_custom_ids(store, batch_id)
    results = await client.messages.batches.results(batch_id)
    async for entry in results:
        custom_id = entry.custom_id
        if custom_id in done or custom_id not in chunk_maps:
            continue
        batch = _batch_from_map(chunk_maps[custom_id])
        if entry.result.type != "succeeded":
            summary.error(f"batch chunk {entry.result.type}")
            continue
        reading = settle(
            store,
            run_id,
            entry.result.message,
            batch,
            prefix,
            by_tag,
            settings.model,
            summary,
            reporter,
            batch_id=batch_id,
            custom_id=custom_id,
        )
        if reading.missing:  # left undecided: the sync pass after the batches takes them
            outcome = reading.outcome
            summary.error(f"{outcome} answer in a batch" if outcome != "ok" else "missing ids")
    mark_batch_read(store, batch_id)
