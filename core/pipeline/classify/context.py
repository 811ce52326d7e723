"""What every pass of one classify call shares: the store, the run, the collections, the
settings, the summary being filled, and how to report and stop."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from core.clients.claude.client import MessagesSettings, open_client
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
    refused_ids: set[int] = field(default_factory=set)  # refused alone: not sent again this run
    kind: str = "movies"  # what the items are: "movies" or "series"
    by_tag: dict[str, Collection] = field(init=False)
    _client: object = None

    def __post_init__(self) -> None:
        self.by_tag = {c.tag: c for c in self.chosen}

    def client(self):
        """The SDK client every pass of this call shares, opened (and the SDK loaded) on first
        use: a call with nothing to judge never loads it."""
        if self._client is None:
            self._client = open_client(self.settings)
        return self._client

    async def close_client(self) -> None:
        if self._client is not None:
            client, self._client = self._client, None
            await client.close()
