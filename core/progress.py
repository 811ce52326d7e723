"""Progress reporting: the core reports, the CLI decides how to show it.

Stages call a :class:`Reporter`; the CLI passes a rich progress display, benchmarks and tests the
silent :data:`NULL_REPORTER` (or a recorder).
"""

from __future__ import annotations

from typing import Protocol


class Reporter(Protocol):
    def start(self, stage: str, total: int | None = None) -> None:
        """A stage begins; ``total`` is the amount of work when known."""

    def advance(self, stage: str, amount: int = 1, **counters: int) -> None:
        """``amount`` units of work are done; ``counters`` are running totals to show."""

    def finish(self, stage: str) -> None:
        """The stage is over."""


class NullReporter:
    def start(self, stage: str, total: int | None = None) -> None:
        pass

    def advance(self, stage: str, amount: int = 1, **counters: int) -> None:
        pass

    def finish(self, stage: str) -> None:
        pass


NULL_REPORTER: Reporter = NullReporter()
