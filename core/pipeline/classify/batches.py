"""The classify stage over the Message Batches API (half price, answers within hours).

Planned batches become the chunk requests of one Message Batch per ``GROUP`` chunks. Before a
batch is created, its chunk map (custom id -> item, fingerprint, planned pairs) is saved; once
created, its id is saved with it. A restarted run finds the open batches in the store and resumes
polling them instead of planning and paying for those items again. Results are recorded as they
are read, one transaction per chunk; a chunk already recorded (a crash mid-read) is skipped, and
the batch is marked read at the end.

Items a batch did not settle (errored, expired or canceled chunks, missing ids, truncated answers)
stay undecided, so the planner hands them to the next pass or run.

Movies and series go in batches of their own (their prefixes number the collections differently);
a series batch's saved map says so, and each kind's pass reads only its own batches.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import chain

from core.pipeline.classify.context import ClassifyContext
from core.pipeline.classify.request import Batch, Prefix, max_tokens_for, params
from core.pipeline.classify.runner import STOPPED, chunks, settle
from core.pipeline.plan.stage import PlannedItem
from core.store.runs import (
    count_open_batches,
    mark_batch_read,
    open_batches,
    read_custom_ids,
    save_batch,
)

GROUP = 1000
KIND_KEY = "_kind"  # in a series batch's saved chunk map; a movie batch's has none
POLL_START_S = 2.0
POLL_MAX_S = 60.0


def _chunk_map(batch: Batch) -> list:
    return [[mid, i.item_id, i.fingerprint, i.pairs] for mid, i in batch.items.items()]


def _batch_from_map(entries: list) -> Batch:
    from core.clients.claude.wire import WireMovie

    blank = WireMovie("", "", None, (), "", ())
    return Batch(
        {mid: PlannedItem(item_id, blank, fp, pairs, 0) for mid, item_id, fp, pairs in entries}
    )


@dataclass(slots=True)
class _BatchPass:
    """One pass over Message Batches: the classify context, the client and the prefix."""

    judge: ClassifyContext
    client: object
    prefix: Prefix


async def run_batches(judge: ClassifyContext, planned: Iterator[PlannedItem]) -> None:
    """Submit the planned items as Message Batches, then poll and read every open batch.

    Once ``judge.should_stop`` says yes, nothing more is submitted and polling ends; the open
    batches are saved and the next run resumes them.
    """
    store, settings = judge.store, judge.settings
    first = next(planned, None)
    if first is None and not count_open_batches(store):
        return
    planned = chain([first], planned) if first is not None else planned
    prefix = Prefix.build(judge.chosen, explain=settings.explain, kind=judge.kind)
    run = _BatchPass(judge, judge.client(), prefix)
    for group in chunks(chunks(planned, settings.batch_size), GROUP):
        if judge.should_stop():
            judge.summary.stopped = STOPPED
            return
        await _submit(run, [Batch.of(c) for c in group])
    for batch_id, chunk_json in open_batches(store):
        chunk_maps = json.loads(chunk_json)
        if chunk_maps.pop(KIND_KEY, "movies") != judge.kind:
            continue  # the other kind's batch: its own pass reads it, with its own prefix
        await _settle(run, batch_id, chunk_maps)
        if judge.summary.stopped:
            return


async def _submit(run: _BatchPass, group: list[Batch]) -> None:
    requests, chunk_maps = [], {}
    if run.judge.kind != "movies":
        chunk_maps[KIND_KEY] = run.judge.kind
    for n, batch in enumerate(group):
        custom_id = f"r{run.judge.run_id}-{n:05d}"
        request = params(
            batch,
            run.prefix,
            model=run.judge.settings.model,
            max_tokens=max_tokens_for(len(batch.items), len(run.judge.chosen)),
            cache_ttl="1h",
        )
        requests.append({"custom_id": custom_id, "params": request})
        chunk_maps[custom_id] = _chunk_map(batch)
    created = await run.client.messages.batches.create(requests=requests)
    save_batch(run.judge.store, created.id, run.judge.run_id, json.dumps(chunk_maps))


async def _ended(run: _BatchPass, batch_id: str) -> bool:
    """Poll until the batch has ended (True) or a stop is requested (False)."""
    delay = run.judge.poll_s
    while True:
        remote = await run.client.messages.batches.retrieve(batch_id)
        if remote.processing_status == "ended":
            return True
        waited = 0.0
        while waited < delay:  # a stop request is noticed within half a second
            if run.judge.should_stop():
                run.judge.summary.stopped = STOPPED
                return False
            step = min(0.5, delay - waited)
            await asyncio.sleep(step)
            waited += step
        delay = min(POLL_MAX_S, delay * 1.5)


async def _settle(run: _BatchPass, batch_id: str, chunk_maps: dict) -> None:
    if not await _ended(run, batch_id):
        return
    judge = run.judge
    summary = judge.summary
    done = read_custom_ids(judge.store, batch_id)
    results = await run.client.messages.batches.results(batch_id)
    async for entry in results:
        custom_id = entry.custom_id
        if custom_id in done or custom_id not in chunk_maps:
            continue
        batch = _batch_from_map(chunk_maps[custom_id])
        if entry.result.type != "succeeded":
            summary.error(f"batch chunk {entry.result.type}")
            continue
        reading = settle(
            judge, entry.result.message, batch, run.prefix, batch_id=batch_id, custom_id=custom_id
        )
        if reading.missing:  # left undecided: the sync pass after the batches takes them
            outcome = reading.outcome
            summary.error(f"{outcome} answer in a batch" if outcome != "ok" else "missing ids")
    mark_batch_read(judge.store, batch_id)
