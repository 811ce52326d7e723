"""Message Batches: accept up to 100,000 requests, end them later, serve the results as JSONL.

A batch is ``in_progress`` for ``processing_s`` model seconds (the time scale shortens them), then
``ended``. Its requests are validated and answered only when it ends, one by one through the same
path as ``/v1/messages`` (so a malformed ``params`` surfaces as an ``errored`` result, as with the
real API, and injected faults hit single requests). A cancel stops processing where it is: the
requests answered by then keep their results, the rest are ``canceled``, and the batch shows
``canceling`` until ``CANCEL_GRACE_S`` later. A batch that would run past 24 hours has its tail
``expired``. Results come in a seeded shuffle, because the real API promises no order.

State lives in the server object, so a client may restart and resume by batch id.
"""

from __future__ import annotations

import asyncio
import json
import math
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from random import Random

from synthetic.servers.claude.errors import ApiError, invalid
from synthetic.servers.claude.limits import Clock, rfc3339

MAX_REQUESTS = 100_000
EXPIRES_AFTER_S = 86_400.0
CANCEL_GRACE_S = 1.0
DEFAULT_PAGE, MAX_PAGE = 20, 1000
CUSTOM_ID = re.compile(r"[a-zA-Z0-9_-]{1,64}")
OUTCOMES = ("succeeded", "errored", "canceled", "expired")
_YIELD_EVERY = 64
_dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode

ItemProcessor = Callable[[str, str, object, str], dict]
"""(batch id, custom_id, params, anthropic-version) -> the result object of one request."""


@dataclass(slots=True)
class Batch:
    id: str
    seq: int
    size: int
    created_at: datetime
    created: float
    processing_s: float
    version: str
    items: list[tuple[str, object]] | None
    cancel_at: float | None = None
    cancel_initiated_at: datetime | None = None
    ended_at: datetime | None = None
    counts: dict[str, int] = field(default_factory=dict)
    lines: list[bytes] | None = None
    task: asyncio.Task | None = None

    @property
    def status(self) -> str:
        if self.lines is not None:
            return "ended"
        return "in_progress" if self.cancel_at is None else "canceling"

    def as_dict(self, results_url: str) -> dict:
        ended = self.lines is not None
        counts = (
            {k: self.counts.get(k, 0) for k in OUTCOMES} if ended else dict.fromkeys(OUTCOMES, 0)
        )
        return {
            "id": self.id,
            "type": "message_batch",
            "processing_status": self.status,
            "request_counts": {"processing": 0 if ended else self.size, **counts},
            "created_at": rfc3339(self.created_at),
            "expires_at": rfc3339(self.created_at + timedelta(seconds=EXPIRES_AFTER_S)),
            "ended_at": rfc3339(self.ended_at) if self.ended_at else None,
            "archived_at": None,
            "cancel_initiated_at": (
                rfc3339(self.cancel_initiated_at) if self.cancel_initiated_at else None
            ),
            "results_url": results_url if ended else None,
        }


class BatchStore:
    """All batches of one server, in creation order."""

    def __init__(
        self,
        clock: Clock,
        process: ItemProcessor,
        *,
        seed: int = 0,
        max_requests: int = MAX_REQUESTS,
    ):
        self._clock, self._process, self._seed = clock, process, seed
        self.max_requests = max_requests
        self._batches: dict[str, Batch] = {}
        self._seq = 0

    def __len__(self) -> int:
        return len(self._batches)

    def create(self, body: object, *, processing_s: float, version: str) -> Batch:
        items = _validated(body, self.max_requests)
        self._seq += 1
        batch = Batch(
            "msgbatch_01" + secrets.token_hex(12),
            self._seq,
            len(items),
            datetime.now(UTC),
            self._clock(),
            processing_s,
            version,
            items,
        )
        self._batches[batch.id] = batch
        return batch

    def get(self, batch_id: str) -> Batch:
        batch = self._batches.get(batch_id)
        if batch is None:
            raise ApiError(404, "not_found_error", f"message_batch_id: {batch_id} not found")
        return batch

    async def settle(self, batch: Batch) -> Batch:
        """Bring ``batch`` up to date: end it (answering its requests) once its time has come."""
        if batch.lines is None and batch.task is None:
            end = self._end(batch)
            if self._clock() < end:
                return batch
            batch.task = asyncio.ensure_future(self._finish(batch, end))
        if batch.task is not None and batch.lines is None:
            await asyncio.shield(batch.task)
        return batch

    def cancel(self, batch: Batch) -> Batch:
        if batch.lines is None and batch.cancel_at is None and batch.task is None:
            batch.cancel_at = self._clock()
            batch.cancel_initiated_at = datetime.now(UTC)
        return batch

    def delete(self, batch: Batch) -> None:
        if batch.lines is None:
            raise invalid(
                f"Batch {batch.id} is still {batch.status}; cancel it and wait for it to end "
                "before deleting it"
            )
        del self._batches[batch.id]

    def page(
        self, limit: int, after_id: str | None, before_id: str | None
    ) -> tuple[list[Batch], bool]:
        """Newest first; ``after_id`` pages towards older batches, ``before_id`` towards newer."""
        ids = list(reversed(self._batches))
        if after_id:
            start = self._position(ids, after_id) + 1
            chosen, more = ids[start : start + limit], start + limit < len(ids)
        elif before_id:
            stop = self._position(ids, before_id)
            start = max(0, stop - limit)
            chosen, more = ids[start:stop], start > 0
        else:
            chosen, more = ids[:limit], limit < len(ids)
        return [self._batches[i] for i in chosen], more

    def results(self, batch: Batch) -> bytes:
        if batch.lines is None:
            raise invalid(f"Batch {batch.id} has not ended yet; its results are not available")
        return b"".join(line + b"\n" for line in batch.lines)

    @staticmethod
    def _position(ids: list[str], batch_id: str) -> int:
        try:
            return ids.index(batch_id)
        except ValueError:
            raise invalid(f"Unknown message batch id {batch_id!r} in pagination cursor") from None

    def _end(self, batch: Batch) -> float:
        natural = batch.created + min(batch.processing_s, EXPIRES_AFTER_S)
        if batch.cancel_at is None:
            return natural
        return min(natural, batch.cancel_at + CANCEL_GRACE_S)

    async def _finish(self, batch: Batch, end: float) -> None:
        stopped = end if batch.cancel_at is None else min(end, batch.cancel_at)
        elapsed = stopped - batch.created
        if batch.processing_s <= 0 or elapsed >= batch.processing_s:
            done = batch.size
        else:
            done = math.floor(batch.size * elapsed / batch.processing_s)
        tail = "expired" if batch.cancel_at is None else "canceled"
        counts = dict.fromkeys(OUTCOMES, 0)
        lines: list[bytes] = []
        for k, (custom_id, params) in enumerate(batch.items or ()):
            if k < done:
                result = self._process(batch.id, custom_id, params, batch.version)
            else:
                result = {"type": tail}
            counts[result["type"]] += 1
            lines.append(_dumps({"custom_id": custom_id, "result": result}).encode())
            if k % _YIELD_EVERY == _YIELD_EVERY - 1:
                await asyncio.sleep(0)
        Random(f"batch-order:{self._seed}:{batch.seq}").shuffle(lines)
        batch.items = None
        batch.ended_at = batch.created_at + timedelta(
            seconds=self._clock.to_real(end - batch.created)
        )
        batch.counts, batch.lines = counts, lines


def _validated(body: object, max_requests: int) -> list[tuple[str, object]]:
    requests = body.get("requests") if isinstance(body, dict) else None
    if not isinstance(requests, list) or not requests:
        raise invalid("requests: Field required (a non-empty list)")
    if len(requests) > max_requests:
        raise invalid(
            f"requests: at most {max_requests:,} requests per batch, got {len(requests):,}"
        )
    items: list[tuple[str, object]] = []
    seen: set[str] = set()
    for i, item in enumerate(requests):
        if not isinstance(item, dict):
            raise invalid(f"requests.{i}: Input should be an object")
        custom_id = item.get("custom_id")
        if not isinstance(custom_id, str) or not CUSTOM_ID.fullmatch(custom_id):
            raise invalid(f"requests.{i}.custom_id: 1-64 characters from [a-zA-Z0-9_-] required")
        if custom_id in seen:
            raise invalid(f"requests.{i}.custom_id: {custom_id!r} is used twice in this batch")
        if not isinstance(item.get("params"), dict):
            raise invalid(f"requests.{i}.params: Input should be an object")
        seen.add(custom_id)
        items.append((custom_id, item["params"]))
    return items
