"""Turn a valid Messages request into the assistant message and its usage.

Shared by ``/v1/messages`` and the requests inside a batch, so both bill, cache and answer alike.
The answer text is the compact answer of ``core.clients.claude.wire`` (``{"r": ["m1", "m2
3:9"]}``), its token count is the output tokens, and an answer longer than ``max_tokens`` is cut and
ends with ``stop_reason: "max_tokens"``. Four injected faults change a good answer the way a model
misbehaves: ``malformed`` (text that is not JSON), ``missing_ids`` (about a fifth of the records
dropped), ``truncate`` (cut at half its length as if ``max_tokens`` were hit) and ``refusal``
(``stop_reason: "refusal"``, no content). Three dialects: reelscale's requests, Kometa-AI 0.5.7's
(``synthetic.servers.claude.peer``, from the same truth and accuracy model) and anything else
(``synthetic.servers.claude.plain``: a fixed answer, as text, a schema instance, or the input of a
forced tool). ``refuse_titles`` makes every
request that carries one of those titles a refusal, so a test can have specific movies refused,
whatever batch they are in. The dialect is written in the log note.
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
    WireCollection,
    WireMovie,
    parse_collections,
    parse_movies,
    render_answer,
    render_record,
    request_kind,
)
from synthetic.servers.claude import peer, plain
from synthetic.servers.claude.log import Note
from synthetic.servers.claude.model import SERIES_BY_NAME, AccuracyModel, Truth, judge_all
from synthetic.servers.claude.peer import Reply
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
    dialect: str

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
        note.dialect = self.dialect


class Engine:
    """Ground truth + accuracy model + prompt cache; no I/O, no awaits."""

    __slots__ = ("accuracy", "cache", "refuse_titles", "seed", "series_truth", "truth")

    def __init__(
        self,
        truth: Truth,
        accuracy: AccuracyModel,
        cache: PromptCache,
        seed: int,
        refuse_titles: frozenset[str] = frozenset(),
        series_truth: Truth | None = None,
    ):
        self.truth, self.accuracy, self.cache, self.seed = truth, accuracy, cache, seed
        self.refuse_titles = refuse_titles
        self.series_truth = series_truth if series_truth is not None else Truth(())

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
        dialect, reply, movies = self._reply(req, fault)
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
        if stop == "tool_use":
            content = [
                {
                    "type": "tool_use",
                    "id": "toolu_01" + req.digest.hex()[:22],
                    "name": req.tool["name"],
                    "input": json.loads(text),
                }
            ]
        else:
            content = [] if text is None else [{"type": "text", "text": text}]
        message = {
            "id": "msg_01" + secrets.token_hex(12),
            "type": "message",
            "role": "assistant",
            "model": req.model.name,
            "content": content,
            "stop_reason": stop,
            "stop_sequence": None,
            "stop_details": REFUSAL_DETAILS if stop == "refusal" else None,
            "usage": usage.as_dict(),
        }
        return Outcome(
            message,
            usage,
            movies,
            reply.answered,
            reply.unknown,
            reply.judgments,
            reply.flipped,
            stop,
            dialect,
        )

    def _reply(self, req: ParsedRequest, fault: str | None) -> tuple[str, Reply, int]:
        """(dialect, reply, movies sent) for the request's dialect."""
        asked = peer.read(req.user_text)
        movies = parse_movies(req.user_text) if asked is None else []
        titles = [m.get("title") for m in asked.movies] if asked else [m.title for m in movies]
        if fault == "refusal" or any(title in self.refuse_titles for title in titles):
            return "refused", Reply(None, "refusal", 0, 0, 0, 0), 0
        if asked is not None:
            reply = peer.answer(
                asked,
                truth=self.truth,
                accuracy=self.accuracy,
                seed=self.seed,
                fault=fault,
                max_tokens=req.max_tokens,
                drop=partial(self._drop_some, digest=req.digest),
                malformed_prefix=MALFORMED_PREFIX,
            )
            return "kometa-ai", reply, len(asked.movies)
        collections = parse_collections(req.system_text)
        if movies or collections:
            return "reelscale", self._answer(req, collections, movies, fault), len(movies)
        return "unmodelled", self._plain(req), 0

    @staticmethod
    def _plain(req: ParsedRequest) -> Reply:
        """A fixed answer: the forced tool's input, the schema's instance, or a sentence."""
        if req.tool is not None:
            schema = req.tool.get("input_schema") or {}
            return Reply(plain.json_text(schema), "tool_use", 0, 0, 0, 0)
        if req.schema is not None:
            text = plain.json_text(req.schema)
        else:
            text = plain.text(req.digest, req.total_tokens)
        if count_tokens(text) > req.max_tokens:
            return Reply(text[: chars_for(req.max_tokens)], "max_tokens", 0, 0, 0, 0)
        return Reply(text, "end_turn", 0, 0, 0, 0)

    def _answer(
        self,
        req: ParsedRequest,
        collections: list[WireCollection],
        movies: list[WireMovie],
        fault: str | None,
    ) -> Reply:
        """Judge the movies against the request's collections and write our compact answer,
        misbehaving as ``fault`` says (``refusal`` is handled by the caller)."""
        if request_kind(req.system_text) == "series":
            judged = judge_all(
                self.series_truth, self.accuracy, self.seed, collections, movies, SERIES_BY_NAME
            )
        else:
            judged = judge_all(self.truth, self.accuracy, self.seed, collections, movies)
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
