"""What every stage of one run is handed: the store, the run, the collections, the stop flag."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from core.config import Collection
from core.progress import Reporter
from core.store.db import Store


@dataclass(frozen=True, slots=True, kw_only=True)
class RunOptions:
    """What this invocation asks for, beyond the configuration: one collection, a dry run, a
    full re-judgment, and how often a Message Batch is polled.

    A dry run sends Claude nothing: it plans and prices from the token estimate. With ``judge``
    it judges for real and keeps the answers (the next run sends nothing for them); either way
    Radarr and the Kometa file are not written.
    """

    only: str | None = None
    dry_run: bool = False
    judge: bool = False
    force_refresh: bool = False
    poll_s: float = 2.0


@dataclass(frozen=True, slots=True)
class RunContext:
    store: Store
    run_id: int
    collections: list[Collection]
    options: RunOptions
    reporter: Reporter
    should_stop: Callable[[], bool]
