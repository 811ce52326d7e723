"""The library sources as the pipeline drives them: a Radarr or Sonarr server, a folder of files.

Each reads the library into the store (:func:`~core.pipeline.source.arr.sync_arr`,
:func:`~core.pipeline.source.files.scan`) and tells the run what it saw, in one shape. Which kind of
items a source holds (movies or series) is its part's (:class:`core.pipeline.build.Part`).
"""

from __future__ import annotations

from core.pipeline.context import RunContext
from core.records import Problem, StageOutcome


class ArrLibrary:
    """The library of one *arr server, read with one streamed request: Radarr's movies or
    Sonarr's series (``kind``: :data:`~core.pipeline.source.radarr.MOVIES` or
    :data:`~core.pipeline.source.sonarr.SERIES`)."""

    def __init__(self, client, kind) -> None:
        self.client, self.kind = client, kind
        self.name = kind.source

    def read(self, ctx: RunContext) -> StageOutcome:
        from core.pipeline.source.arr import sync_arr

        summary = sync_arr(
            ctx.store, self.client, self.kind, reporter=ctx.reporter, should_stop=ctx.should_stop
        )
        library = summary.as_dict()
        library.pop("skipped_examples", None)
        library.pop("duplicate_examples", None)
        outcome = StageOutcome(
            requests=self.client.requests, library=library, stopped=summary.stopped
        )
        service, noun, nouns = self.kind.service, self.kind.noun, self.kind.nouns
        if summary.skipped:
            outcome.problems.append(
                Problem(
                    f"{service} {nouns} without a usable id, skipped",
                    summary.skipped,
                    summary.skipped_examples[:3],
                )
            )
        if summary.duplicates:
            outcome.problems.append(
                Problem(
                    f"{service} listed a {noun} id more than once; the first copy was kept",
                    summary.duplicates,
                    summary.duplicate_examples[:3],
                )
            )
        return outcome


class FileLibrary:
    """A folder of movie and episode files, scanned incrementally, parsing in ``parse_workers``
    processes beside the run's (see :func:`~core.pipeline.source.files.scan`)."""

    name = "files"

    def __init__(self, root: str, parse_workers: int = 0) -> None:
        self.root, self.parse_workers = root, parse_workers

    def read(self, ctx: RunContext) -> StageOutcome:
        from core.pipeline.source.files import scan
        from core.pipeline.source.series import group_after_scan

        summary = scan(
            self.root,
            ctx.store,
            reporter=ctx.reporter,
            should_stop=ctx.should_stop,
            parse_workers=self.parse_workers,
        )
        library = summary.as_dict()
        library.pop("error_details", None)
        library["series"] = group_after_scan(ctx.store, summary).as_dict()
        outcome = StageOutcome(library=library, stopped=summary.stopped)
        if summary.errors:
            outcome.problems.append(Problem("files that could not be read", summary.errors))
        return outcome


class FolderSeries:
    """The series a folder's episode files were grouped into (:class:`FileLibrary` scanned and
    grouped them; enrich matched them to TMDB TV): read already, so reading sends nothing. Its
    part of the run judges them against the series collections and writes their Kometa file."""

    name = "files-series"
    items_kind = "series"

    def read(self, ctx: RunContext) -> StageOutcome:
        return StageOutcome()
