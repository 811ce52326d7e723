"""The classify stage over the Messages API: planned items in, decisions out.

Planned items (:mod:`core.pipeline.plan.stage`, by id) are cut into batches of ``batch_size`` and
sent by ``concurrency`` workers through one SDK client (:mod:`core.clients.claude.client`: its
retries, the pacing, the sorting of failures).

Each answer is checked against the ids sent: missing ids go back in the queue (twice at most), a
truncated answer (``max_tokens``) is split in two and both halves retried, and so is a refused
one (``stop_reason: "refusal"``), until the refused movie is alone: that movie is reported by
title, keeps its stored decisions (so its tags) and is asked again next run. Every response's
usage is priced and stored with its decisions in one transaction. A spend-limit 429 or a
billing error stops the run: requests in flight finish and are recorded,
nothing else is sent, and the summary says why.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Iterable, Iterator
from itertools import chain

from core.clients.claude.client import Pacer, failure, send
from core.clients.claude.pricing import Usage, cost
from core.pipeline.classify.answer import Reading, read_message
from core.pipeline.classify.context import ClassifyContext
from core.pipeline.classify.record import RequestRecord, record_request
from core.pipeline.classify.request import Batch, Prefix, estimate_tokens, max_tokens_for, params

MAX_MISSING_ROUNDS = 2
STOPPED = "stopped on request; the next run takes up what is left"


def chunks(items: Iterable, size: int) -> Iterator[list]:
    batch: list = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


class _Session:
    """One pass over the planned batches: the queue, the pacing and what stops it."""

    def __init__(self, judge: ClassifyContext) -> None:
        self.judge = judge
        self.store, self.run_id, self.settings = judge.store, judge.run_id, judge.settings
        self.summary, self.reporter = judge.summary, judge.reporter
        self.collections = judge.chosen
        self.prefix = Prefix.build(self.collections, explain=self.settings.explain, kind=judge.kind)
        self.system_tokens = estimate_tokens(self.prefix.system)
        self.pacer = Pacer()
        self.pending: deque[tuple[Batch, int]] = deque()
        self.stop: list[str] = []

    def again(self, batch: Batch, round_: int, *, failed: int) -> None:
        """Queue ``batch`` once more, or count ``failed`` items when it had its rounds."""
        if round_ < MAX_MISSING_ROUNDS:
            self.pending.append((batch, round_ + 1))
        else:
            self.summary.failed += failed

    async def handle(self, client, batch: Batch, round_: int) -> None:
        request = params(
            batch,
            self.prefix,
            model=self.settings.model,
            max_tokens=max_tokens_for(len(batch.items), len(self.collections)),
        )
        user_tokens = estimate_tokens(request["messages"][0]["content"])
        await self.pacer.wait(
            {
                "requests": 1,
                "input-tokens": user_tokens + self.system_tokens,
                "output-tokens": request["max_tokens"] // 4,
            }
        )
        try:
            raw, retries = await send(client, request)
        except Exception as exc:
            self.summary.retries += getattr(exc, "retries_taken", 0)
            self.failed(exc, batch, round_)
            return
        self.summary.retries += retries
        self.pacer.update(raw.headers)
        try:
            message = await raw.parse()
        except ValueError:  # a 200 whose body was cut off on the way: send the batch again
            if round_ < MAX_MISSING_ROUNDS:
                self.summary.retries += 1
                self.pending.append((batch, round_ + 1))
            else:
                self.summary.error("unreadable answer (cut off in transit)")
                self.summary.failed += len(batch.items)
            return
        reading = settle(self.judge, message, batch, self.prefix)
        self.follow_up(reading, batch, round_)

    def failed(self, exc: Exception, batch: Batch, round_: int) -> None:
        what = failure(exc)
        if what is None:
            raise exc
        if what.action == "stop":
            self.stop.append(what.cause)
            return
        self.summary.error(what.cause)
        if what.action == "retry":
            self.again(batch, round_, failed=len(batch.items))
        else:
            self.summary.failed += len(batch.items)

    def follow_up(self, reading: Reading, batch: Batch, round_: int) -> None:
        """Split a truncated or refused answer, queue what is missing, count what stays
        undecided."""
        summary = self.summary
        if reading.outcome == "refused":
            self.refused(batch, round_)
        elif reading.outcome == "truncated":
            if len(batch.items) > 1:
                summary.splits += 1
                self.pending.extend((half, round_) for half in batch.split())
            else:
                summary.failed += 1
        elif reading.outcome == "malformed":
            summary.error("malformed answer")
        if reading.missing and reading.outcome != "truncated":
            if round_ < MAX_MISSING_ROUNDS:
                summary.requeued += len(reading.missing)
            self.again(batch.subset(reading.missing), round_, failed=len(reading.missing))

    def refused(self, batch: Batch, round_: int) -> None:
        """Halve a refused batch (``log2(batch_size)`` extra requests per refused movie at most)
        until the refused movie is alone; that one is left as it was and not sent again this run."""
        if len(batch.items) > 1:
            self.summary.refusal_splits += 1
            self.pending.extend((half, round_) for half in batch.split())
            return
        item = next(iter(batch.items.values()))
        self.judge.refused_ids.add(item.item_id)
        self.summary.refused += 1
        self.summary.refused_titles.append(_title(item.movie))


def _title(movie) -> str:
    return f"{movie.title} ({movie.year})" if movie.year else movie.title or "(untitled)"


async def run_messages(judge: ClassifyContext, planned: Iterator) -> None:
    """Judge every planned item; decisions and usage are recorded as answers arrive.

    ``judge.should_stop`` is asked before each request: once it says yes, no new request is sent
    and the ones in flight finish and are recorded (a SIGTERM lets the current batch complete).
    Sending stops too once ``judge.budget.max_cost`` is spent.
    """
    settings, summary = judge.settings, judge.summary
    max_cost = judge.budget.max_cost
    source = (Batch.of(c) for c in chunks(planned, settings.batch_size))
    first = next(source, None)
    if first is None:
        return  # nothing to judge: the SDK (~75 MB, 1 s to import) is not even loaded
    source = chain([first], source)
    session = _Session(judge)

    def next_batch() -> tuple[Batch, int] | None:
        if session.stop or (max_cost is not None and summary.cost_usd >= max_cost):
            return None
        if judge.should_stop():
            session.stop.append(STOPPED)
            return None
        if session.pending:
            return session.pending.popleft()
        batch = next(source, None)
        return (batch, 0) if batch is not None else None

    client = judge.client()

    async def worker() -> None:
        while (job := next_batch()) is not None:
            await session.handle(client, *job)

    while True:
        async with asyncio.TaskGroup() as group:
            for _ in range(settings.concurrency):
                group.create_task(worker())
        if not session.pending or session.stop:
            break
    if session.stop:
        summary.stopped = session.stop[0]


def settle(
    judge: ClassifyContext,
    message,
    batch: Batch,
    prefix: Prefix,
    *,
    batch_id: str | None = None,
    custom_id: str | None = None,
) -> Reading:
    """Price a response, read it and record its decisions; both backends end every answer here.

    Through Message Batches (``batch_id``) the batch discount applies. Returns the reading, so the
    caller can re-send what is missing or split what was truncated.
    """
    summary, model = judge.summary, judge.settings.model
    usage = Usage.from_response(message.usage)
    dollars = cost(usage, model, batch=batch_id is not None)
    summary.add_usage(usage, dollars)
    summary.items_sent += len(batch.items)
    summary.attribute(batch, dollars, usage.prompt + usage.output)
    reading = read_message(message, batch.items.keys(), prefix.tag_by_cid.keys())
    if reading.outcome == "refused":
        summary.refused_requests += 1
        summary.refused_cost_usd += dollars
    request = RequestRecord(
        judge.run_id,
        batch_id,
        custom_id,
        model,
        len(batch.items),
        usage.input,
        usage.output,
        usage.cache_write_5m,
        usage.cache_write_1h,
        usage.cache_read,
        dollars,
        reading.outcome,
        time.time(),
    )
    summary.pairs_decided += record_request(
        judge.store, request, batch, reading.found, judge.by_tag, prefix.tag_by_cid
    )
    judge.reporter.advance("classify", len(reading.found), requests=summary.requests)
    return reading
