"""What a run did: :class:`RunReport`, fed by the records its source, stages and sinks return.

``as_dict`` is ``reelscale run --json`` and what the email, the metrics and the stored run read.
Its ``sources`` key has one entry per source of the run (``radarr``, ``sonarr``, ``files``): the
kind of items it holds, its library summary, the requests sent to it and the Claude work on its
kind; a run over Radarr and Sonarr shows both there, and ``library`` is then keyed by source.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from core.pipeline.classify.summary import ClassifySummary
from core.records import CollectionChange, Problem, SinkResult, StageOutcome


@dataclass(slots=True)
class RunReport:
    run_id: int | None = None
    status: str = "ok"
    dry_run: bool = False
    source: str = "radarr"
    collections: list[dict] = field(default_factory=list)
    requests: int = 0
    radarr_requests: int = 0
    radarr_writes: int = 0
    sonarr_requests: int = 0
    sonarr_writes: int = 0
    imported_decisions: int = 0  # taken over from Kometa-AI since the previous run
    retries: dict[str, int] = field(default_factory=dict)  # per service: requests sent again
    cost_usd: float = 0.0
    tokens: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    peak_rss_mb: float = 0.0
    errors: list[dict] = field(default_factory=list)
    stages: dict[str, float] = field(default_factory=dict)
    library: dict = field(default_factory=dict)
    kometa_file: str | None = None
    stopped: str | None = None
    refused: list[str] = field(default_factory=list)  # titles Claude refused: kept as they were
    refused_requests: int = 0
    estimate: dict | None = None  # a dry run's plan, priced from the token estimate
    sources: dict[str, dict] = field(default_factory=dict)
    profile: dict = field(default_factory=dict, repr=False)
    changes: list[CollectionChange] = field(default_factory=list, repr=False)
    by_kind: dict[str, dict] = field(default_factory=dict, repr=False)

    def as_dict(self) -> dict:
        return {
            "run_id": self.run_id,
            "status": self.status,
            "dry_run": self.dry_run,
            "source": self.source,
            "collections": self.collections,
            "requests": self.requests,
            "radarr_requests": self.radarr_requests,
            "radarr_writes": self.radarr_writes,
            "sonarr_requests": self.sonarr_requests,
            "sonarr_writes": self.sonarr_writes,
            "imported_decisions": self.imported_decisions,
            "retries": self.retries,
            "cost_usd": round(self.cost_usd, 6),
            "tokens": self.tokens,
            "seconds": self.seconds,
            "peak_rss_mb": self.peak_rss_mb,
            "errors": self.errors,
            "stages": self.stages,
            "library": self.library if len(self.sources) < 2 else self._libraries(),
            "sources": self._sources(),
            "kometa_file": self.kometa_file,
            "stopped": self.stopped,
            "refused": self.refused,
            "refused_requests": self.refused_requests,
            "estimate": self.estimate,
        }

    def _libraries(self) -> dict:
        return {name: entry.get("library") for name, entry in self.sources.items()}

    def _sources(self) -> dict:
        out = {}
        for name, entry in self.sources.items():
            judged = self.by_kind.get(entry["kind"], {})
            out[name] = {**entry, "claude": judged}
        return out

    def error(self, cause: str, count: int = 1, examples: Sequence[str] = ()) -> None:
        for entry in self.errors:
            if entry["cause"] == cause:
                entry["count"] += count
                entry["examples"] = (entry["examples"] + list(examples))[:3]
                return
        self.errors.append({"cause": cause, "count": count, "examples": list(examples)[:3]})

    def add_problems(self, problems: Sequence[Problem]) -> None:
        for p in problems:
            self.error(p.cause, p.count, p.examples)

    def add_outcome(
        self, outcome: StageOutcome, source: str | None = None, kind: str = "movies"
    ) -> None:
        """A source's (named ``source``, holding ``kind``) or an enrich stage's record."""
        if source is not None:
            entry = self.sources.setdefault(source, {"kind": kind, "requests": 0, "writes": 0})
            entry["library"] = outcome.library
            entry["requests"] = outcome.requests
        if outcome.library is not None:
            self.library = outcome.library
        self.retries.update(outcome.retries)
        self.add_problems(outcome.problems)
        if outcome.stopped and not self.stopped:
            self.stopped = outcome.stopped

    def add_kind(self, kind: str, judged: ClassifySummary) -> None:
        """What the classify call for ``kind`` did, for the per-source counts."""
        self.by_kind[kind] = {
            "items_planned": judged.items_planned,
            "items_admitted": judged.items_admitted,
            "requests": judged.requests,
            "cost_usd": round(judged.cost_usd, 6),
            "estimated": judged.estimated,
        }

    def add_judged(self, judged: ClassifySummary) -> None:
        if judged.estimated:  # nothing was sent: what a run would send, and its price
            self.estimate = {
                "movies": judged.items_planned,
                "pairs": judged.pairs_planned,
                "requests": judged.requests,
                "cost_usd": round(judged.cost_usd, 6),
                "deferred": judged.deferred,
            }
            return
        self.requests, self.cost_usd = judged.requests, judged.cost_usd
        self.retries["claude"] = judged.retries
        self.tokens = {
            "input": judged.input_tokens,
            "output": judged.output_tokens,
            "cache_read": judged.cache_read_tokens,
            "cache_write": judged.cache_write_tokens,
        }
        for cause, count in judged.errors.items():
            self.error(f"Claude: {cause}", count)
        if judged.failed:
            self.error("movies Claude did not judge (retried next run)", judged.failed)
        if judged.stopped:
            self.stopped = judged.stopped
        self.refused = list(judged.refused_titles)
        self.refused_requests = judged.refused_requests

    def add_sink(self, result: SinkResult) -> None:
        self.changes += result.changes
        self.add_problems(result.problems)
        if result.stopped and not self.stopped:
            self.stopped = result.stopped
        if result.kometa_file:
            self.kometa_file = result.kometa_file
        if result.service:
            name = result.service["name"]
            requests, writes = result.service["requests"], result.service["writes"]
            if name == "radarr":
                self.radarr_requests, self.radarr_writes = requests, writes
            elif name == "sonarr":
                self.sonarr_requests, self.sonarr_writes = requests, writes
            self.retries[name] = result.service["retries"]
            entry = self.sources.setdefault(name, {"kind": "movies"})
            entry["requests"], entry["writes"] = requests, writes

    def close(self, judged: ClassifySummary) -> None:
        """The per-collection rows and the status, once every sink has reported."""
        self.collections = [
            {
                "name": c.name,
                "tag": c.tag,
                "source": c.source or self.source,
                "members": c.members,
                "added": c.added,
                "removed": c.removed,
                "deferred": judged.deferred_by_collection.get(c.tag, 0),
                "failed": c.failed,
                "tokens": judged.tokens_by_collection.get(c.tag, 0),
                "cost_usd": round(judged.cost_by_collection.get(c.tag, 0.0), 6),
            }
            for c in self.changes
        ]
        if self.estimate is not None:
            for row in self.collections:
                row["to_judge"] = judged.planned_by_collection.get(row["tag"], 0)
        if self.stopped:
            self.status = "stopped"
        elif any(c.failed for c in self.changes) or judged.failed:
            self.status = "partial"
