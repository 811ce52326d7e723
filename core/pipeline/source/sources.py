"""The two library sources as the pipeline drives them: a Radarr server, a folder of files.

Each reads the library into the store (:func:`~core.pipeline.source.radarr.sync_library`,
:func:`~core.pipeline.source.files.scan`) and tells the run what it saw, in one shape.
"""

from __future__ import annotations

from core.clients.radarr import RadarrClient
from core.pipeline.context import RunContext
from core.records import Problem, StageOutcome


class RadarrLibrary:
    """The movies of one Radarr, read with one streamed request."""

    name = "radarr"

    def __init__(self, client: RadarrClient) -> None:
        self.client = client

    def read(self, ctx: RunContext) -> StageOutcome:
        from core.pipeline.source.radarr import sync_library

        summary = sync_library(
            ctx.store, self.client, reporter=ctx.reporter, should_stop=ctx.should_stop
        )
        library = summary.as_dict()
        library.pop("skipped_examples", None)
        library.pop("duplicate_examples", None)
        outcome = StageOutcome(
            requests=self.client.requests, library=library, stopped=summary.stopped
        )
        if summary.skipped:
            outcome.problems.append(
                Problem(
                    "Radarr movies without a usable id, skipped",
                    summary.skipped,
                    summary.skipped_examples[:3],
                )
            )
        if summary.duplicates:
            outcome.problems.append(
                Problem(
                    "Radarr listed a movie id more than once; the first copy was kept",
                    summary.duplicates,
                    summary.duplicate_examples[:3],
                )
            )
        return outcome


class FileLibrary:
    """A folder of movie files, scanned incrementally."""

    name = "files"

    def __init__(self, root: str) -> None:
        self.root = root

    def read(self, ctx: RunContext) -> StageOutcome:
        from core.pipeline.source.files import scan
        from core.pipeline.source.series import group_after_scan

        summary = scan(self.root, ctx.store, reporter=ctx.reporter, should_stop=ctx.should_stop)
        library = summary.as_dict()
        library.pop("error_details", None)
        library["series"] = group_after_scan(ctx.store, summary).as_dict()
        outcome = StageOutcome(library=library, stopped=summary.stopped)
        if summary.errors:
            outcome.problems.append(Problem("files that could not be read", summary.errors))
        return outcome
