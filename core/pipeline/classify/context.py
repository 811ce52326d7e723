"""What every pass of one classify call shares: the store, the run, the collections, the
settings, the summary being filled, and how to report and stop."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from core.clients.claude.client import MessagesSettings
from core.config.collection import Collection
from core.pipeline.classify.summary import ClassifySummary
from core.progress import Reporter
from core.store.db import Store


@dataclass(frozen=True, slots=True, kw_only=True)
class Budget:
    """Per-run limits: movies sent, and dollars (estimated before, enforced during the run)."""

    max_items: int | None = None
    max_cost: float | None = None


@dataclass(slots=True)
class ClassifyContext:
    store: Store
    chosen: list[Collection]
    settings: MessagesSettings
    summary: ClassifySummary
    reporter: Reporter
    should_stop: Callable[[], bool]
    run_id: int = 0
    budget: Budget = field(default_factory=Budget)
    poll_s: float = 2.0
    planned: Iterator = field(default_factory=lambda: iter(()))  # what a stop leaves unsent
    by_tag: dict[str, Collection] = field(init=False)

    def __post_init__(self) -> None:
        self.by_tag = {c.tag: c for c in self.chosen}
