"""Build one Messages request for a batch of planned items.

The stable prefix (instructions and every enabled collection) is identical for all requests of a
run, whichever collections each movie needs, so it is cached once and read by every later request;
it carries ``cache_control`` (with the 1-hour TTL for Message Batches, which can outlast 5
minutes). Thinking is disabled and effort fixed for the whole run, as changing either invalidates
the cache. Movie ids are request-local (m1..mN), mapped back through :class:`Batch`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from core.clients.claude.wire import WireCollection, answer_schema, render_movies, render_system
from core.config.collection import Collection
from core.pipeline.plan.stage import PlannedItem

CHARS_PER_TOKEN = 3.1  # Haiku 5.5's tokenizer: about 30 % more tokens than 4 characters each
OUTPUT_TOKENS_PER_MOVIE = 14
OUTPUT_TOKENS_PER_MEMBERSHIP = 10


@dataclass(frozen=True, slots=True)
class Prefix:
    """The run's stable prefix: the system text and the collection id of each tag."""

    system: str
    cid_by_tag: dict[str, str]
    tag_by_cid: dict[str, str]
    schema: dict

    @classmethod
    def build(
        cls, collections: Sequence[Collection], *, explain: bool = False, kind: str = "movies"
    ) -> Prefix:
        """The prefix of a run judging items of ``kind`` (``movies`` or ``series``)."""
        wire = [WireCollection(str(i), c.name, c.prompt) for i, c in enumerate(collections, 1)]
        cid_by_tag = {c.tag: w.cid for c, w in zip(collections, wire, strict=True)}
        return cls(
            system=render_system(wire, explain=explain, kind=kind),
            cid_by_tag=cid_by_tag,
            tag_by_cid={v: k for k, v in cid_by_tag.items()},
            schema=answer_schema([w.cid for w in wire], explain=explain),
        )


@dataclass(slots=True)
class Batch:
    """Planned items as sent in one request, by request-local id."""

    items: dict[str, PlannedItem]

    @classmethod
    def of(cls, planned: Sequence[PlannedItem]) -> Batch:
        return cls({f"m{i}": item for i, item in enumerate(planned, 1)})

    def subset(self, mids: Sequence[str]) -> Batch:
        return Batch.of([self.items[m] for m in mids])

    def split(self) -> tuple[Batch, Batch]:
        items = list(self.items.values())
        half = len(items) // 2
        return Batch.of(items[:half]), Batch.of(items[half:])


def params(
    batch: Batch, prefix: Prefix, *, model: str, max_tokens: int, cache_ttl: str = "5m"
) -> dict:
    """``messages.create`` keyword arguments for ``batch``."""
    cache_control = (
        {"type": "ephemeral"} if cache_ttl == "5m" else {"type": "ephemeral", "ttl": cache_ttl}
    )
    movies = [replace(item.movie, mid=mid) for mid, item in batch.items.items()]
    return {
        "model": model,
        "max_tokens": max_tokens,
        "system": [{"type": "text", "text": prefix.system, "cache_control": cache_control}],
        "messages": [{"role": "user", "content": render_movies(movies)}],
        "thinking": {"type": "disabled"},
        "output_config": {
            "effort": "low",
            "format": {"type": "json_schema", "schema": prefix.schema},
        },
    }


def max_tokens_for(n_items: int, n_collections: int) -> int:
    """Room for the answer: generous, since truncation costs a split and a retry."""
    expected = n_items * (OUTPUT_TOKENS_PER_MOVIE + 2 * OUTPUT_TOKENS_PER_MEMBERSHIP)
    return max(1024, min(32_000, 2 * expected + 256 + n_items * n_collections))


def estimate_tokens(text: str) -> int:
    return int(len(text) / CHARS_PER_TOKEN) + 1
