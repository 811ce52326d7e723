"""The classify stage over the Messages API: planned items in, decisions out.

Planned items (:mod:`core.pipeline.plan.stage`, by id) are cut into batches of ``batch_size`` and
sent by ``concurrency`` workers through one ``AsyncAnthropic`` client, whose own retries handle 429,
529 and 5xx (nothing here re-implements them). Workers pace themselves from the
``anthropic-ratelimit-*`` headers (:class:`Pacer`) so that steady state draws no 429.

Each answer is checked against the ids sent: missing ids go back in the queue (twice at most), a
truncated answer (``max_tokens``) is split in two and both halves retried, a refusal marks its
items as refused. Every response's usage is priced and stored with its decisions in one
transaction. A spend-limit 429 or a billing error stops the run: requests in flight finish and are
recorded, nothing else is sent, and the summary says why.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from itertools import chain
from typing import TYPE_CHECKING

from core.clients.claude.pricing import Usage, cost
from core.clients.claude.sdk import load_sdk
from core.config.collection import Collection
from core.config.model import ClaudeSettings, env_name
from core.errors import ConfigError
from core.pipeline.classify.answer import Reading, read_message
from core.pipeline.classify.record import record_request
from core.pipeline.classify.request import Batch, Prefix, estimate_tokens, max_tokens_for, params
from core.progress import NULL_REPORTER, Reporter
from core.store.db import Store

if TYPE_CHECKING:
    import anthropic

MAX_MISSING_ROUNDS = 2
SPEND_LIMIT = "enforced_spend_limit_reached"
STOPPED = "stopped on request; the next run takes up what is left"


def _spend_limits(anthropic) -> tuple[type[Exception], ...]:
    return (
        anthropic.EnforcedSpendLimitReachedError,
        anthropic.ContractSpendLimitReachedError,
        anthropic.LinkedOrganizationSpendLimitReachedError,
    )


#: Why a pass stops when Claude answers 401: a setting to fix, not a run to resume.
KEY_REJECTED = "Claude rejected the API key (401); check ANTHROPIC_API_KEY"


@dataclass(slots=True)
class ClassifySummary:
    """``as_dict`` is the ``--json`` output of ``reelscale classify``."""

    pairs_planned: int = 0
    pairs_decided: int = 0
    deferred: int = 0
    requests: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    cache_read_tokens: int = 0
    cache_write_tokens: int = 0
    cost_usd: float = 0.0
    seconds: float = 0.0
    items_planned: int = 0
    items_sent: int = 0
    rechecked: int = 0
    refused: int = 0
    failed: int = 0
    requeued: int = 0
    splits: int = 0
    retries: int = 0  # attempts the SDK repeated (429, 5xx, dropped connections)
    stopped: str | None = None
    errors: dict[str, int] = field(default_factory=dict)
    cost_by_collection: dict[str, float] = field(default_factory=dict)
    tokens_by_collection: dict[str, int] = field(default_factory=dict)
    deferred_by_collection: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict:
        out = asdict(self)
        out["cost_usd"] = round(self.cost_usd, 6)
        out["cost_by_collection"] = {k: round(v, 6) for k, v in self.cost_by_collection.items()}
        return out

    def attribute(self, batch, dollars: float, tokens: int = 0) -> None:
        """Share a request's cost and tokens among the collections by the pairs it judged."""
        counts: dict[str, int] = {}
        for item in batch.items.values():
            for tag in item.pairs:
                counts[tag] = counts.get(tag, 0) + 1
        total = sum(counts.values()) or 1
        for tag, n in counts.items():
            self.cost_by_collection[tag] = (
                self.cost_by_collection.get(tag, 0.0) + dollars * n / total
            )
            self.tokens_by_collection[tag] = self.tokens_by_collection.get(tag, 0) + round(
                tokens * n / total
            )

    def add_usage(self, usage: Usage, dollars: float) -> None:
        self.requests += 1
        self.input_tokens += usage.input
        self.output_tokens += usage.output
        self.cache_read_tokens += usage.cache_read
        self.cache_write_tokens += usage.cache_write_5m + usage.cache_write_1h
        self.cost_usd += dollars

    def error(self, cause: str) -> None:
        self.errors[cause] = self.errors.get(cause, 0) + 1


class Pacer:
    """Holds requests back while the rate-limit headers say the next one would be refused.

    The buckets refill continuously (``limit`` per minute), so the wait for a deficit ``d`` is
    ``d / limit`` minutes, not the time until the bucket is full.
    """

    def __init__(self) -> None:
        self.remaining: dict[str, float] = {}
        self.limit: dict[str, float] = {}
        self.seen_at = 0.0

    def update(self, headers) -> None:
        for kind in ("requests", "input-tokens", "output-tokens"):
            remaining = headers.get(f"anthropic-ratelimit-{kind}-remaining")
            limit = headers.get(f"anthropic-ratelimit-{kind}-limit")
            if remaining is not None and limit is not None:
                try:
                    self.remaining[kind], self.limit[kind] = float(remaining), float(limit)
                except ValueError:
                    continue
        self.seen_at = time.monotonic()

    def delay(self, needs: dict[str, float]) -> float:
        elapsed = time.monotonic() - self.seen_at
        wait = 0.0
        for kind, need in needs.items():
            if kind not in self.limit or self.limit[kind] <= 0:
                continue
            per_s = self.limit[kind] / 60.0
            have = self.remaining[kind] + elapsed * per_s
            if have < need:
                wait = max(wait, (need - have) / per_s)
        return wait

    async def wait(self, needs: dict[str, float]) -> None:
        delay = self.delay(needs)
        if delay > 0:
            await asyncio.sleep(delay)
        for kind, need in needs.items():
            if kind in self.remaining:
                self.remaining[kind] -= need


@dataclass(frozen=True, slots=True, kw_only=True)
class MessagesSettings:
    """What the classify stage sends with: the ``[claude]`` settings, movies per request, and
    whether to ask for a reason per movie. The key is revealed only for the SDK client."""

    claude: ClaudeSettings
    batch_size: int
    explain: bool = False

    def __post_init__(self) -> None:
        if self.claude.api_key is None or not self.claude.api_key.get_secret_value():
            raise ConfigError(f"{KEY_ENV} is not set; export your Claude API key")
        if self.batch_size < 1:
            raise ConfigError("--batch-size must be at least 1")

    @property
    def model(self) -> str:
        return self.claude.model

    @property
    def concurrency(self) -> int:
        return self.claude.concurrency

    def client_options(self) -> dict:
        """The SDK client's keyword arguments (the key among them)."""
        base_url = self.claude.base_url
        return {
            "api_key": self.claude.api_key.get_secret_value(),
            "base_url": base_url.get_secret_value() if base_url else None,
            "max_retries": self.claude.max_retries,
            "timeout": self.claude.timeout,
        }


KEY_ENV = env_name(ClaudeSettings, "api_key")


def chunks(items: Iterable, size: int) -> Iterator[list]:
    batch: list = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


async def run_messages(
    store: Store,
    run_id: int,
    planned: Iterator,
    collections: Sequence[Collection],
    settings: MessagesSettings,
    summary: ClassifySummary,
    *,
    reporter: Reporter = NULL_REPORTER,
    max_cost: float | None = None,
    should_stop: Callable[[], bool] = lambda: False,
) -> None:
    """Judge every planned item; decisions and usage are recorded as answers arrive.

    ``should_stop`` is asked before each request: once it says yes, no new request is sent and
    the ones in flight finish and are recorded (a SIGTERM lets the current batch complete).
    """
    prefix = Prefix.build(collections, explain=settings.explain)
    by_tag = {c.tag: c for c in collections}
    pacer = Pacer()
    pending: deque[tuple[Batch, int]] = deque()
    source = (Batch.of(c) for c in chunks(planned, settings.batch_size))
    first = next(source, None)
    if first is None:
        return  # nothing to judge: the SDK (~75 MB, 1 s to import) is not even loaded
    source = chain([first], source)
    anthropic = load_sdk()
    spend_limits = _spend_limits(anthropic)
    stop: list[str] = []
    system_tokens = estimate_tokens(prefix.system)

    def next_batch() -> tuple[Batch, int] | None:
        if stop or (max_cost is not None and summary.cost_usd >= max_cost):
            return None
        if should_stop():
            stop.append(STOPPED)
            return None
        if pending:
            return pending.popleft()
        batch = next(source, None)
        return (batch, 0) if batch is not None else None

    async with anthropic.AsyncAnthropic(**settings.client_options()) as client:

        async def handle(batch: Batch, round_: int) -> None:
            request = params(
                batch,
                prefix,
                model=settings.model,
                max_tokens=max_tokens_for(len(batch.items), len(collections)),
            )
            user_tokens = estimate_tokens(request["messages"][0]["content"])
            await pacer.wait(
                {
                    "requests": 1,
                    "input-tokens": user_tokens + system_tokens,
                    "output-tokens": request["max_tokens"] // 4,
                }
            )
            try:
                raw = await _send(client, request, summary)
            except anthropic.AuthenticationError:
                stop.append(KEY_REJECTED)
                return
            except anthropic.RateLimitError as exc:
                if isinstance(exc, spend_limits) or _error_code(exc) == SPEND_LIMIT:
                    stop.append(
                        "the Claude spend limit is reached; raise it in the Console, "
                        "then rerun: committed decisions are kept and not paid again"
                    )
                    return
                summary.error("rate limited beyond the SDK's retries")
                if round_ < MAX_MISSING_ROUNDS:
                    pending.append((batch, round_ + 1))
                else:
                    summary.failed += len(batch.items)
                return
            except anthropic.APIStatusError as exc:
                if isinstance(exc, anthropic.PaymentRequiredError) or _error_type(exc) in (
                    "billing_error",
                ):
                    stop.append(
                        "Claude refused on billing grounds (402); check the account's "
                        "billing, then rerun"
                    )
                    return
                summary.error(f"Claude error {exc.status_code} after retries")
                summary.failed += len(batch.items)
                return
            except anthropic.APIConnectionError:
                summary.error("connection to Claude failed after retries")
                summary.failed += len(batch.items)
                return
            pacer.update(raw.headers)
            try:
                message = await raw.parse()
            except ValueError:  # a 200 whose body was cut off on the way: send the batch again
                if round_ < MAX_MISSING_ROUNDS:
                    summary.retries += 1
                    pending.append((batch, round_ + 1))
                else:
                    summary.error("unreadable answer (cut off in transit)")
                    summary.failed += len(batch.items)
                return
            reading = settle(
                store, run_id, message, batch, prefix, by_tag, settings.model, summary, reporter
            )
            outcome = reading.outcome
            if outcome == "truncated":
                if len(batch.items) > 1:
                    summary.splits += 1
                    pending.extend((half, round_) for half in batch.split())
                else:
                    summary.failed += 1
            elif outcome == "malformed":
                summary.error("malformed answer")
            if reading.missing and outcome != "truncated":
                if round_ < MAX_MISSING_ROUNDS:
                    summary.requeued += len(reading.missing)
                    pending.append((batch.subset(reading.missing), round_ + 1))
                else:
                    summary.failed += len(reading.missing)

        async def worker() -> None:
            while (job := next_batch()) is not None:
                await handle(*job)

        while True:
            async with asyncio.TaskGroup() as group:
                for _ in range(settings.concurrency):
                    group.create_task(worker())
            if not pending or stop:
                break
    if stop:
        summary.stopped = stop[0]


async def _send(client, request: dict, summary: ClassifySummary):
    """``messages.create`` (raw response); the SDK's own retries of it go to ``summary``."""
    try:
        raw = await client.messages.with_raw_response.create(**request)
    except Exception as exc:
        summary.retries += _retries_taken(exc)
        raise
    summary.retries += raw.retries_taken
    return raw


def _retries_taken(exc: Exception) -> int:
    """How often the SDK retried before giving up: its last attempt's retry-count header."""
    request = getattr(exc, "request", None)
    try:
        return int(request.headers.get("x-stainless-retry-count", 0)) if request else 0
    except (AttributeError, ValueError):
        return 0


def settle(
    store: Store,
    run_id: int,
    message,
    batch: Batch,
    prefix: Prefix,
    by_tag: dict[str, Collection],
    model: str,
    summary: ClassifySummary,
    reporter: Reporter,
    *,
    batch_id: str | None = None,
    custom_id: str | None = None,
) -> Reading:
    """Price a response, read it and record its decisions; both backends end every answer here.

    Through Message Batches (``batch_id``) the batch discount applies. Returns the reading, so the
    caller can re-send what is missing or split what was truncated.
    """
    usage = Usage.from_response(message.usage)
    dollars = cost(usage, model, batch=batch_id is not None)
    summary.add_usage(usage, dollars)
    summary.items_sent += len(batch.items)
    summary.attribute(batch, dollars, usage.prompt + usage.output)
    reading = read_message(message, batch.items.keys(), prefix.tag_by_cid.keys())
    if reading.outcome == "refused":
        summary.refused += len(batch.items)
    summary.pairs_decided += record_request(
        store,
        run_id=run_id,
        model=model,
        usage=usage,
        cost_usd=dollars,
        outcome=reading.outcome,
        batch=batch,
        found=reading.found,
        collections=by_tag,
        tag_by_cid=prefix.tag_by_cid,
        batch_id=batch_id,
        custom_id=custom_id,
    )
    reporter.advance("classify", len(reading.found), requests=summary.requests)
    return reading


def _error_body(exc: anthropic.APIStatusError) -> dict:
    body = exc.body if isinstance(exc.body, dict) else {}
    error = body.get("error", body)
    return error if isinstance(error, dict) else {}


def _error_code(exc: anthropic.APIStatusError) -> str | None:
    details = _error_body(exc).get("details")
    return details.get("error_code") if isinstance(details, dict) else None


def _error_type(exc: anthropic.APIStatusError) -> str | None:
    return _error_body(exc).get("type")
