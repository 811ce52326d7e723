"""Turn a valid Messages request into the assistant message and its usage.

Shared by ``/v1/messages`` and the requests inside a batch, so both bill, cache and answer alike.
The answer text is the compact answer of ``core.clients.claude.wire`` (``{"r": ["m1", "m2
3:9"]}``), its token count is the output tokens, and an answer longer than ``max_tokens`` is cut and
ends with ``stop_reason: "max_tokens"``. Four injected faults change a good answer the way a model
misbehaves: ``malformed`` (text that is not JSON), ``missing_ids`` (about a fifth of the records
dropped), ``truncate`` (cut at half its length as if ``max_tokens`` were hit) and ``refusal``
(``stop_reason: "refusal"``, no content); ``refuse_titles`` makes every request that carries one of
those titles a refusal, so a test can have specific movies refused, whatever batch they are in.
A request in Kometa-AI's dialect (one collection, movies
as a JSON array) is answered by ``synthetic.servers.claude.kometa`` from the same truth and accuracy
model.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from dataclasses import dataclass
from functools import partial

from core.clients.claude.wire import (
    ANSWER_HEAD,
    ANSWER_TAIL,
    WireMovie,
    parse_collections,
    parse_movies,
    render_answer,
    render_record,
)
from synthetic.servers.claude import kometa
from synthetic.servers.claude.kometa import Reply
from synthetic.servers.claude.log import Note
from synthetic.servers.claude.model import AccuracyModel, Truth, judge_all
from synthetic.servers.claude.request import ParsedRequest
from synthetic.servers.claude.tokens import CachePlan, PromptCache, chars_for, count_tokens

ANSWER_FAULTS = frozenset({"malformed", "missing_ids", "truncate", "refusal"})
MISSING_SHARE = 0.2
MALFORMED_PREFIX = "Here are the results:\n"
REFUSAL_DETAILS = {
    "type": "refusal",
    "category": None,
    "explanation": "The stand-in declined to answer this request (injected refusal).",
}
_dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


@dataclass(frozen=True, slots=True)
class Usage:
    input_tokens: int
    output_tokens: int
    cache_read: int
    cache_5m: int
    cache_1h: int
    service_tier: str

    def as_dict(self) -> dict:
        return {
            "input_tokens": self.input_tokens,
            "output_tokens": self.output_tokens,
            "cache_creation_input_tokens": self.cache_5m + self.cache_1h,
            "cache_read_input_tokens": self.cache_read,
            "cache_creation": {
                "ephemeral_5m_input_tokens": self.cache_5m,
                "ephemeral_1h_input_tokens": self.cache_1h,
            },
            "output_tokens_details": {"thinking_tokens": 0},
            "server_tool_use": None,
            "service_tier": self.service_tier,
            "inference_geo": "global",
        }


@dataclass(frozen=True, slots=True)
class Outcome:
    message: dict
    usage: Usage
    movies: int
    answered: int
    unknown: int
    judgments: int
    flipped: int
    stop_reason: str

    def note(self, note: Note) -> None:
        """Copy usage and answer counts into a log note."""
        u = self.usage
        note.service_tier, note.stop_reason = u.service_tier, self.stop_reason
        note.input_tokens, note.output_tokens = u.input_tokens, u.output_tokens
        note.cache_read_input_tokens = u.cache_read
        note.cache_creation_5m_input_tokens = u.cache_5m
        note.cache_creation_1h_input_tokens = u.cache_1h
        note.movies, note.answered, note.unknown_movies = self.movies, self.answered, self.unknown
        note.judgments, note.flipped = self.judgments, self.flipped


class Engine:
    """Ground truth + accuracy model + prompt cache; no I/O, no awaits."""

    __slots__ = ("accuracy", "cache", "refuse_titles", "seed", "truth")

    def __init__(
        self,
        truth: Truth,
        accuracy: AccuracyModel,
        cache: PromptCache,
        seed: int,
        refuse_titles: frozenset[str] = frozenset(),
    ):
        self.truth, self.accuracy, self.cache, self.seed = truth, accuracy, cache, seed
        self.refuse_titles = refuse_titles

    def plan(self, req: ParsedRequest) -> CachePlan:
        return self.cache.plan(req.breakpoints, req.model.min_cacheable)

    def run(
        self,
        req: ParsedRequest,
        plan: CachePlan,
        fault: str | None,
        service_tier: str,
        readable_after_s: float = 0.0,
    ) -> Outcome:
        """Commit the cache plan and answer; ``fault`` is None or one of ``ANSWER_FAULTS``."""
        self.cache.commit(plan, readable_after_s)
        peer = kometa.read(req.system_text, req.user_text)
        movies = parse_movies(req.user_text) if peer is None else peer.movies
        if fault is None and self._refuses(movies, peer is not None):
            fault = "refusal"
        if peer is not None:
            reply = kometa.answer(
                peer,
                truth=self.truth,
                accuracy=self.accuracy,
                seed=self.seed,
                fault=fault,
                max_tokens=req.max_tokens,
                drop=partial(self._drop_some, digest=req.digest),
                malformed_prefix=MALFORMED_PREFIX,
            )
        elif fault == "refusal":
            reply = Reply(None, "refusal", 0, 0, 0, 0)
        else:
            reply = self._answer(req, movies, fault)
        text, stop = reply.text, reply.stop
        output = max(1, count_tokens(text or ""))
        usage = Usage(
            req.total_tokens - plan.read - plan.creation,
            output,
            plan.read,
            plan.creation_5m,
            plan.creation_1h,
            service_tier,
        )
        message = {
            "id": "msg_01" + secrets.token_hex(12),
            "type": "message",
            "role": "assistant",
            "model": req.model.name,
            "content": [] if text is None else [{"type": "text", "text": text}],
            "stop_reason": stop,
            "stop_sequence": None,
            "stop_details": REFUSAL_DETAILS if stop == "refusal" else None,
            "usage": usage.as_dict(),
        }
        return Outcome(
            message,
            usage,
            len(movies),
            reply.answered,
            reply.unknown,
            reply.judgments,
            reply.flipped,
            stop,
        )

    def _refuses(self, movies: list, peer: bool) -> bool:
        """Whether the request carries a movie whose title is in ``refuse_titles``."""
        if not self.refuse_titles:
            return False
        titles = (m.get("title") for m in movies) if peer else (m.title for m in movies)
        return any(title in self.refuse_titles for title in titles)

    def _answer(self, req: ParsedRequest, movies: list[WireMovie], fault: str | None) -> Reply:
        """Judge the movies against the request's collections and write our compact answer,
        misbehaving as ``fault`` says (``refusal`` is handled by the caller)."""
        judged = judge_all(
            self.truth, self.accuracy, self.seed, parse_collections(req.system_text), movies
        )
        records = judged.results
        if fault == "missing_ids":
            records = self._drop_some(records, req.digest)
        strings = [render_record(r["id"], [(x["c"], x["p"]) for x in r["in"]]) for r in records]
        parts = [_dumps(t) for t in strings]
        text = render_answer(strings)
        if fault == "malformed":
            text = MALFORMED_PREFIX + text[: -len(ANSWER_TAIL)]
        limit = req.max_tokens
        if fault == "truncate":
            limit = min(limit, max(1, count_tokens(text) // 2))
        stop = "end_turn"
        if count_tokens(text) > limit:
            text, stop = text[: chars_for(limit)], "max_tokens"
        offset = len(MALFORMED_PREFIX) if fault == "malformed" else 0
        answered = _whole_records(parts, len(text) - offset)
        return Reply(text, stop, answered, judged.unknown, judged.judgments, judged.flipped)

    def _drop_some(self, records: list[dict], digest: bytes) -> list[dict]:
        """About ``MISSING_SHARE`` of the records, at least one, chosen by the request's hash."""
        if not records:
            return records
        marks = hashlib.shake_128(digest + str(self.seed).encode()).digest(len(records))
        keep = [r for r, mark in zip(records, marks, strict=True) if mark >= 256 * MISSING_SHARE]
        if len(keep) == len(records):
            keep.pop(marks[0] % len(keep))
        return keep


def _whole_records(parts: list[str], length: int) -> int:
    """How many records end within the first ``length`` characters of the answer."""
    end = len(ANSWER_HEAD)
    count = 0
    for part in parts:
        end += len(part) + (count > 0)
        if end > length:
            break
        count += 1
    return count
