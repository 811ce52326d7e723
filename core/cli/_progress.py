"""Rich progress display for long stages, shown only on a terminal."""

from __future__ import annotations

import sys
from contextlib import contextmanager

from core.progress import NULL_REPORTER, Reporter


class RichReporter:
    def __init__(self, progress) -> None:
        self.progress = progress
        self.tasks: dict[str, int] = {}

    def start(self, stage: str, total: int | None = None) -> None:
        self.tasks[stage] = self.progress.add_task(stage, total=total, counters="")

    def advance(self, stage: str, amount: int = 1, **counters: int) -> None:
        text = "  ".join(f"{k} {v:,}" for k, v in counters.items())
        self.progress.update(self.tasks[stage], advance=amount, counters=text)

    def finish(self, stage: str) -> None:
        task = self.tasks[stage]
        self.progress.update(task, total=self.progress.tasks[task].completed)


@contextmanager
def progress_reporter(enabled: bool):
    """Yield a rich reporter when ``enabled`` and stdout is a terminal, else the silent one."""
    if not (enabled and sys.stdout.isatty()):
        yield NULL_REPORTER
        return
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        SpinnerColumn,
        TextColumn,
        TimeElapsedColumn,
    )

    columns = (
        SpinnerColumn(),
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[counters]}"),
        TimeElapsedColumn(),
    )
    with Progress(*columns, transient=False) as progress:
        reporter: Reporter = RichReporter(progress)
        yield reporter
