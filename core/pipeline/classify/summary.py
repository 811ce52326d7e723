"""What the classify stage did: requests, tokens, dollars, decisions, and why it stopped."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields

from core.clients.claude.pricing import Usage


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
    items_admitted: int = 0  # planned and within the budget (sent, or in a dry run to be sent)
    items_sent: int = 0
    rechecked: int = 0
    refused: int = 0  # movies Claude refused to judge, alone in a request (kept as they were)
    refused_titles: list[str] = field(default_factory=list)
    refused_requests: int = 0  # refused requests, the splits that isolated the movies included
    refusal_splits: int = 0
    refused_cost_usd: float = 0.0
    failed: int = 0
    requeued: int = 0
    splits: int = 0
    retries: int = 0  # attempts the SDK repeated (429, 5xx, dropped connections)
    stopped: str | None = None
    estimated: bool = False  # a dry run: requests and cost_usd are the token estimate's
    errors: dict[str, int] = field(default_factory=dict)
    cost_by_collection: dict[str, float] = field(default_factory=dict)
    tokens_by_collection: dict[str, int] = field(default_factory=dict)
    deferred_by_collection: dict[str, int] = field(default_factory=dict)
    planned_by_collection: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict:
        out = asdict(self)
        out["cost_usd"] = round(self.cost_usd, 6)
        out["refused_cost_usd"] = round(self.refused_cost_usd, 6)
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


def merged(summaries: list[ClassifySummary]) -> ClassifySummary:
    """One summary for a run that judged movies and series in separate calls: counts, tokens
    and dollars added, per-collection figures added up, lists joined, the first stop kept."""
    out = ClassifySummary()
    for summary in summaries:
        for f in fields(ClassifySummary):
            mine, theirs = getattr(out, f.name), getattr(summary, f.name)
            if isinstance(theirs, bool):
                setattr(out, f.name, mine or theirs)
            elif isinstance(theirs, int | float):
                setattr(out, f.name, mine + theirs)
            elif isinstance(theirs, list):
                mine.extend(theirs)
            elif isinstance(theirs, dict):
                for key, value in theirs.items():
                    mine[key] = mine.get(key, 0) + value
            elif f.name == "stopped":
                out.stopped = mine or theirs
    return out
