"""The stand-in Claude API: Messages, token counting and Message Batches, answering from the
synthetic library's hidden traits.

reelscale's classify stage is where the money goes, so it has to be measured against something
that bills, caches, limits, delays, fails and errs like the real API, through the unmodified
``anthropic`` SDK. This server speaks the real wire shapes (messages, usage, errors, batches,
``anthropic-ratelimit-*`` headers) on 127.0.0.1 and models:

* answers: the request format of ``core.clients.claude.wire`` and Kometa-AI 0.5.7's requests
  (``synthetic.servers.claude.peer``), judged by an accuracy model whose error grows with batch
  size and position (``synthetic.servers.claude.model``), so a batch-size sweep shows a real
  cost/accuracy trade-off; any other request gets a fixed answer (``...claude.plain``);
* ``"stream": true`` answered as server-sent events (``synthetic.servers.claude.stream``);
* tokens and the prompt cache (``synthetic.servers.claude.tokens``); the rate limits
  (``synthetic.servers.claude.limits``); batches (``synthetic.servers.claude.batches``);
* latency: ``ttft_s`` + output tokens / ``output_tokens_per_s``, times the global time scale,
  which also speeds up the rate-limit refill and batch processing (at scale 0 no limit binds);
* faults by rate: "529", "500" (or any 4xx/5xx status), "spend_limit" (the 429 of an exhausted
  spend cap, no ``retry-after``), and the answer faults "malformed", "missing_ids", "truncate",
  "refusal", and "stream_overload" (a streamed answer cut halfway by an ``error`` event; a 529
  when not streaming); ``spend_limit_after=N`` makes every message request after the N-th hit
  the cap; ``refuse_titles`` refuses every request that carries one of those movie titles.

Faults, the spend cap and the rate limits apply to message generation: ``/v1/messages`` and each
request inside a batch (which is exempt from the RPM/ITPM/OTPM buckets, as in production).
Every request is logged with its usage (``requests()``, ``counters``).

>>> with ClaudeServer.from_library(500, seed=1) as claude:          # doctest: +SKIP
...     client = anthropic.AsyncAnthropic(base_url=claude.url, api_key=claude.config.api_key)
"""

from __future__ import annotations

import asyncio
import hmac
import json
import os
import secrets
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType

from aiohttp import web

from synthetic.library.movies import Movie, generate, read_jsonl
from synthetic.library.series import generate_series
from synthetic.servers.base import StandInServer
from synthetic.servers.claude import stream
from synthetic.servers.claude.batches import DEFAULT_PAGE, MAX_PAGE, MAX_REQUESTS, Batch, BatchStore
from synthetic.servers.claude.bodies import json_response, read_json, version
from synthetic.servers.claude.engine import ANSWER_FAULTS, Engine
from synthetic.servers.claude.errors import (
    ApiError,
    error_response,
    invalid,
    spend_limit_error,
    status_error,
)
from synthetic.servers.claude.limits import (
    InjectedClock,
    RateLimiter,
    ScaledClock,
    refusal_headers,
    refusal_message,
)
from synthetic.servers.claude.log import ClaudeCounters, ClaudeLog, ClaudeRecord, Note
from synthetic.servers.claude.model import (
    DEFAULT_ACCURACY,
    PERFECT,
    AccuracyModel,
    Truth,
    expected_accuracy,
)
from synthetic.servers.claude.request import MODELS, parse_request
from synthetic.servers.claude.tokens import CHARS_PER_TOKEN, PromptCache
from synthetic.servers.traffic import FaultInjector, Handler, get_time_scale

__all__ = [
    "CHARS_PER_TOKEN",
    "DEFAULT_ACCURACY",
    "MODELS",
    "PERFECT",
    "AccuracyModel",
    "ClaudeConfig",
    "ClaudeCounters",
    "ClaudeRecord",
    "ClaudeServer",
    "expected_accuracy",
]

FAULT_KINDS = frozenset(
    {"malformed", "missing_ids", "truncate", "refusal", "spend_limit", "stream_overload"}
)
MAX_MESSAGE_BYTES = 32 * 1024 * 1024
MAX_BATCH_BYTES = 256 * 1024 * 1024
NOTE = web.RequestKey("note", Note)
_dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def _test_api_key() -> str:
    return "standin-" + secrets.token_hex(16)


@dataclass(frozen=True, slots=True, kw_only=True)
class ClaudeConfig:
    """How the stand-in behaves. The key is random per config unless given, and never printed.

    Limits are per minute (``None``: unlimited). ``faults`` maps a kind to its rate (see the
    module docstring); ``seed`` seeds fault draws, the accuracy model and the batch result order.
    ``batch_processing_s`` is how long a batch stays ``in_progress`` (model seconds, scaled).
    ``refuse_titles``: movies the model refuses to judge (``stop_reason: "refusal"`` for every
    request that carries one), however they are batched.
    """

    api_key: str = field(default_factory=_test_api_key, repr=False)
    ttft_s: float = 0.5
    output_tokens_per_s: float = 150.0
    rpm: int | None = None
    itpm: int | None = None
    otpm: int | None = None
    faults: Mapping[str, float] = field(default_factory=dict)
    spend_limit_after: int | None = None
    refuse_titles: frozenset[str] = frozenset()
    accuracy: AccuracyModel = DEFAULT_ACCURACY
    batch_processing_s: float = 60.0
    max_batch_requests: int = MAX_REQUESTS
    seed: int = 0
    port: int = 0
    log_size: int = 100_000

    def __post_init__(self) -> None:
        object.__setattr__(self, "faults", MappingProxyType(dict(self.faults)))
        object.__setattr__(self, "refuse_titles", frozenset(self.refuse_titles))
        FaultInjector(self.faults, self.seed, FAULT_KINDS)
        if {"timeout", "reset"} & set(self.faults):
            raise ValueError("the Claude stand-in has no 'timeout' or 'reset' faults")
        if self.ttft_s < 0 or self.output_tokens_per_s <= 0 or self.batch_processing_s < 0:
            raise ValueError("ttft_s and batch_processing_s must be >= 0, output rate > 0")
        if self.spend_limit_after is not None and self.spend_limit_after < 0:
            raise ValueError("spend_limit_after must be >= 0")

    def latency_s(self, output_tokens: int) -> float:
        """Unscaled time to answer with ``output_tokens`` tokens."""
        return self.ttft_s + output_tokens / self.output_tokens_per_s


class ClaudeServer(StandInServer):
    """``/v1/messages``, ``/v1/messages/count_tokens`` and ``/v1/messages/batches*`` on 127.0.0.1.

    :param movies: the served library (``Movie`` records or a JSONL path); may be empty.
    :param series: the served series library (``Series`` records), which series requests are
        judged against; none by default.
    :param config: a ``ClaudeConfig``; keyword ``overrides`` replace its fields.
    :param clock: seconds for the rate limits, batches and prompt cache, for tests that drive
        time themselves; by default the limits and batches run on the time-scaled clock and the
        cache TTLs on real time.
    """

    name = "claude"

    def __init__(
        self,
        movies: Iterable[Movie] | str | os.PathLike = (),
        config: ClaudeConfig | None = None,
        *,
        clock: Callable[[], float] | None = None,
        series: Iterable | None = None,
        **overrides: object,
    ):
        self.config = cfg = replace(config, **overrides) if config else ClaudeConfig(**overrides)
        if isinstance(movies, (str, os.PathLike)):
            movies = read_jsonl(movies)
        model_clock = ScaledClock() if clock is None else InjectedClock(clock)
        self.truth = Truth(movies)
        self.cache = PromptCache(time.monotonic if clock is None else clock)
        self.series_truth = Truth(series or ())
        engine = (self.truth, cfg.accuracy, self.cache, cfg.seed, cfg.refuse_titles)
        self.engine = Engine(*engine, series_truth=self.series_truth)
        self.limits = RateLimiter(cfg.rpm, cfg.itpm, cfg.otpm, model_clock)
        self.batches = BatchStore(
            model_clock, self._batch_request, seed=cfg.seed, max_requests=cfg.max_batch_requests
        )
        self.log = ClaudeLog(cfg.log_size)
        self._faults = FaultInjector(cfg.faults, cfg.seed, FAULT_KINDS)
        self._generations = 0
        super().__init__(port=cfg.port)

    @classmethod
    def from_library(
        cls, size: int, seed: int, config: ClaudeConfig | None = None, *, series: int = 0, **kw
    ) -> ClaudeServer:
        """Serve ``generate(size, seed)`` and ``generate_series(series, seed)`` (default none)."""
        shows = generate_series(series, seed) if series else None
        return cls(generate(size, seed), config, series=shows, **kw)

    # -- log ------------------------------------------------------------------------------------
    @property
    def counters(self) -> ClaudeCounters:  # type: ignore[override]
        return self.log.counters()

    def requests(self) -> list[ClaudeRecord]:  # type: ignore[override]
        return self.log.records()

    def reset_counters(self) -> None:
        self.log.reset()

    # -- app ------------------------------------------------------------------------------------
    def setup_app(self, app: web.Application) -> None:
        app.middlewares.append(self._frame)
        route = app.router.add_route
        route("POST", "/v1/messages", self._messages, name="messages")
        route("POST", "/v1/messages/count_tokens", self._count_tokens, name="count_tokens")
        route("POST", "/v1/messages/batches", self._create_batch, name="batches_create")
        route("GET", "/v1/messages/batches", self._list_batches, name="batches_list")
        route("GET", "/v1/messages/batches/{id}", self._retrieve_batch, name="batches_retrieve")
        route("DELETE", "/v1/messages/batches/{id}", self._delete_batch, name="batches_delete")
        route("POST", "/v1/messages/batches/{id}/cancel", self._cancel_batch, name="batches_cancel")
        route("GET", "/v1/messages/batches/{id}/results", self._results, name="batches_results")
        route("*", "/{tail:.*}", self._not_found, name="not_found")

    @web.middleware
    async def _frame(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        """Auth, error bodies, ``request-id`` and rate-limit headers, and the log record."""
        started = time.perf_counter()
        route = request.match_info.route
        note = request[NOTE] = Note(endpoint=route.name or "unmatched")
        note.request_id = request_id = "req_011" + secrets.token_hex(12)
        try:
            self._authenticate(request)
            response = await handler(request)
        except ApiError as err:
            response = error_response(err, request_id)
        except web.HTTPException as exc:
            response = error_response(status_error(exc.status, exc.reason), request_id)
        if not response.prepared:
            response.headers["request-id"] = request_id
            response.headers.update(self.limits.headers())
        self.log.add_note(note, response.status, time.perf_counter() - started)
        return response

    def _authenticate(self, request: web.Request) -> None:
        key = request.headers.get("x-api-key")
        if key is None:
            scheme, _, token = request.headers.get("Authorization", "").partition(" ")
            key = token.strip() if scheme.lower() == "bearer" else None
        if key is None or not hmac.compare_digest(key.encode(), self.config.api_key.encode()):
            raise ApiError(401, "authentication_error", "invalid x-api-key")
        if "anthropic-version" not in request.headers:
            raise invalid("anthropic-version: header is required")

    # -- messages -------------------------------------------------------------------------------
    async def _messages(self, request: web.Request) -> web.StreamResponse:
        note: Note = request[NOTE]
        body = await read_json(request, MAX_MESSAGE_BYTES)
        req = parse_request(body, version=version(request))
        note.model, note.streamed = req.model.name, req.stream
        self._check_spend(note)
        plan = self.engine.plan(req)
        refusal = self.limits.admit(req.total_tokens - plan.read)
        if refusal is not None:
            note.rate_limited = True
            raise ApiError(
                429, "rate_limit_error", refusal_message(refusal), headers=refusal_headers(refusal)
            )
        fault = self._draw_fault(note, streaming=req.stream)
        scale = get_time_scale()
        answer_fault = None if fault == "stream_overload" else fault
        outcome = self.engine.run(req, plan, answer_fault, "standard", self.config.ttft_s * scale)
        self.limits.charge_output(outcome.usage.output_tokens)
        outcome.note(note)
        first = self.config.ttft_s * scale
        rest = self.config.latency_s(outcome.usage.output_tokens) * scale - first
        if req.stream:
            response = web.StreamResponse()
            response.headers["request-id"] = note.request_id or ""
            response.headers.update(self.limits.headers())
            await stream.send(
                request,
                response,
                outcome.message,
                first_s=first,
                rest_s=rest,
                overload=fault == "stream_overload",
            )
            return response
        if first + rest > 0:
            await asyncio.sleep(first + rest)
        return json_response(outcome.message)

    async def _count_tokens(self, request: web.Request) -> web.Response:
        body = await read_json(request, MAX_MESSAGE_BYTES)
        req = parse_request(body, version=version(request), count_only=True)
        request[NOTE].model = req.model.name
        return json_response({"input_tokens": req.total_tokens})

    def _check_spend(self, note: Note) -> None:
        self._generations += 1
        limit = self.config.spend_limit_after
        if limit is not None and self._generations > limit:
            note.fault = "spend_limit"
            raise spend_limit_error()

    def _draw_fault(self, note: Note, *, streaming: bool = False) -> str | None:
        """The injected fault for one generation; error faults raise, answer faults return."""
        fault = self._faults.draw()
        note.fault = fault
        if fault is None or fault in ANSWER_FAULTS or (fault == "stream_overload" and streaming):
            return fault
        if fault == "stream_overload":
            raise status_error(529, "Overloaded")
        if fault == "spend_limit":
            raise spend_limit_error()
        raise status_error(int(fault), f"Injected {fault} error")

    def _batch_request(self, batch_id: str, custom_id: str, params: object, version: str) -> dict:
        """One request of a batch, answered and logged; its result object for the JSONL."""
        started = time.perf_counter()
        note = Note(endpoint="batch_request", batch_id=batch_id, custom_id=custom_id)
        status = 200
        try:
            req = parse_request(params, version=version, in_batch=True)
            note.model = req.model.name
            self._check_spend(note)
            fault = self._draw_fault(note)
            outcome = self.engine.run(req, self.engine.plan(req), fault, "batch")
            outcome.note(note)
            result = {"type": "succeeded", "message": outcome.message}
        except ApiError as err:
            status = err.status
            result = {"type": "errored", "error": err.body(None)}
        self.log.add_note(note, status, time.perf_counter() - started)
        return result

    # -- batches --------------------------------------------------------------------------------
    async def _create_batch(self, request: web.Request) -> web.Response:
        body = await read_json(request, MAX_BATCH_BYTES)
        limit = self.config.spend_limit_after
        if limit is not None and self._generations >= limit:
            request[NOTE].fault = "spend_limit"
            raise spend_limit_error()
        batch = self.batches.create(
            body, processing_s=self.config.batch_processing_s, version=version(request)
        )
        request[NOTE].batch_id = batch.id
        return self._batchjson_response(request, batch)

    async def _retrieve_batch(self, request: web.Request) -> web.Response:
        batch = await self.batches.settle(self._batch(request))
        return self._batchjson_response(request, batch)

    async def _cancel_batch(self, request: web.Request) -> web.Response:
        batch = await self.batches.settle(self._batch(request))
        return self._batchjson_response(request, self.batches.cancel(batch))

    async def _delete_batch(self, request: web.Request) -> web.Response:
        batch = await self.batches.settle(self._batch(request))
        self.batches.delete(batch)
        return json_response({"id": batch.id, "type": "message_batch_deleted"})

    async def _list_batches(self, request: web.Request) -> web.Response:
        query = request.query
        try:
            limit = int(query.get("limit", DEFAULT_PAGE))
        except ValueError:
            raise invalid("limit: Input should be an integer") from None
        if not 1 <= limit <= MAX_PAGE:
            raise invalid(f"limit: Input should be between 1 and {MAX_PAGE}")
        batches, more = self.batches.page(limit, query.get("after_id"), query.get("before_id"))
        data = []
        for batch in batches:
            await self.batches.settle(batch)
            data.append(batch.as_dict(self._results_url(request, batch.id)))
        return json_response(
            {
                "data": data,
                "has_more": more,
                "first_id": data[0]["id"] if data else None,
                "last_id": data[-1]["id"] if data else None,
            }
        )

    async def _results(self, request: web.Request) -> web.Response:
        batch = await self.batches.settle(self._batch(request))
        return web.Response(body=self.batches.results(batch), content_type="application/x-jsonl")

    async def _not_found(self, request: web.Request) -> web.Response:
        raise ApiError(404, "not_found_error", f"Not found: {request.method} {request.path}")

    def _batch(self, request: web.Request) -> Batch:
        batch = self.batches.get(request.match_info["id"])
        request[NOTE].batch_id = batch.id
        return batch

    def _batchjson_response(self, request: web.Request, batch: Batch) -> web.Response:
        return json_response(batch.as_dict(self._results_url(request, batch.id)))

    @staticmethod
    def _results_url(request: web.Request, batch_id: str) -> str:
        return f"{request.url.origin()}/v1/messages/batches/{batch_id}/results"
