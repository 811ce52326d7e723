"""The production run: source -> (enrich) -> plan + classify -> sinks, as one call.

``run_pipeline`` is what ``reelscale run`` and the end-to-end benchmarks call: it checks what the
run needs, builds the pipeline (:func:`~core.pipeline.build.build`), holds the database's run
lock, and drives the stages in order, each timed and measured by the profiler. Every stage is
incremental, so a rerun over an unchanged library reads the library and the server's tags and
sends nothing else.

A run over Radarr and Sonarr is one run: one lock, one run record, one report. Both libraries are
read first, then the movies are judged against the movie collections and the series against the
series collections (two classify calls, the budget shared), then each server's tags are written.

A dry run works on a scratch copy of the database (SQLite's online backup into a temporary file)
and its sinks write nothing: the library is read as a run reads it, the classify stage plans and
prices from the token estimate without sending anything, and the per-collection difference the
stored decisions already make is printed; the user's database and Radarr are left exactly as they
were. A dry run with ``judge`` works on the user's database instead (under the run lock): its
judgments are paid for and kept, so the next run sends nothing for them; Radarr and the Kometa
file are still not written.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

from core.config import Config
from core.config.collection import of_kind
from core.pipeline.build import Pipeline, build
from core.pipeline.classify.summary import ClassifySummary, merged
from core.pipeline.context import RunContext, RunOptions
from core.pipeline.profile import Profiler, release_memory
from core.pipeline.run_report import RunReport
from core.progress import NULL_REPORTER, Reporter
from core.store.db import Store

__all__ = ["RunOptions", "RunReport", "run_pipeline"]


def run_pipeline(
    db_path: str | os.PathLike[str],
    config: Config,
    options: RunOptions | None = None,
    *,
    should_stop: Callable[[], bool] = lambda: False,
    reporter: Reporter = NULL_REPORTER,
) -> RunReport:
    """One production run; returns its report (``status`` ok, partial, stopped or failed)."""
    from core.pipeline.checks import check_run
    from core.pipeline.classify.record import finish_run, start_run
    from core.store.kometa_import import imported_before
    from core.store.lock import run_lock

    options = options or RunOptions()
    chosen = check_run(config, options.only)
    start = time.perf_counter()
    report = RunReport(dry_run=options.dry_run, source=config.source)
    profiler = Profiler()
    scratch = options.dry_run and not options.judge
    lock = contextlib.nullcontext() if scratch else run_lock(db_path)
    with (
        lock,
        _open(db_path, scratch=scratch) as store,
        build(config, options, db_path) as pipeline,
    ):
        run_id = start_run(store, "run", model=config.claude.model, mode=config.run.mode)
        report.run_id = run_id
        report.imported_decisions = imported_before(store, run_id)
        ctx = RunContext(store, run_id, chosen, options, reporter, should_stop)
        try:
            _drive(pipeline, ctx, report, profiler)
        except BaseException as exc:
            report.status = "failed"
            report.error(f"run failed: {exc}" if str(exc) else type(exc).__name__)
            raise
        finally:
            report.seconds = round(time.perf_counter() - start, 3)
            report.peak_rss_mb = profiler.peak_rss_mb()
            report.stages = {k: round(p.seconds, 3) for k, p in profiler.stages.items()}
            report.profile = profiler.as_dict()
            finish_run(store, run_id, report.status, json.dumps(report.as_dict()))
    return report


def _drive(pipeline: Pipeline, ctx: RunContext, report: RunReport, profiler: Profiler) -> None:
    """Each step in order, each under the profiler; the report takes what each returns."""
    for part in pipeline.parts:
        with profiler.stage("source") as p:
            outcome = part.source.read(ctx)
            p.requests += outcome.requests
            report.add_outcome(outcome, part.source.name, part.kind)
        for stage in part.stages:
            with profiler.stage(stage.name) as p:
                outcome = stage.run(ctx)
                p.requests += outcome.requests
                report.add_outcome(outcome)
        if ctx.should_stop():  # stopped while reading a library: nothing is judged or written
            report.stopped = report.stopped or "stopped on request; the next run takes up the rest"
            report.close(ClassifySummary())
            return
    release_memory()
    contexts = {kind: _of_kind(ctx, kind) for kind in pipeline.kinds}
    for part in pipeline.parts:
        for sink in part.sinks:
            sink.prepare(contexts[part.kind])
    by_kind: dict[str, ClassifySummary] = {}
    with profiler.stage("classify") as p:
        for kind, kind_ctx in contexts.items():
            if kind_ctx.collections:
                by_kind[kind] = pipeline.classify.run(kind_ctx, kind, list(by_kind.values()))
                report.add_kind(kind, by_kind[kind])
        judged = merged(list(by_kind.values()))
        _measure_classify(p, judged, pipeline.classify.messages.batch_size)
    report.add_judged(judged)
    release_memory()
    with profiler.stage("tag") as p:
        for part in pipeline.parts:
            for sink in part.sinks:
                result = sink.apply(contexts[part.kind], by_kind.get(part.kind, ClassifySummary()))
                p.requests += result.requests
                report.add_sink(result)
    report.close(judged)


def _of_kind(ctx: RunContext, kind: str) -> RunContext:
    """The run's context for the items of ``kind``: only the collections for them."""
    return replace(ctx, collections=of_kind(ctx.collections, kind))


def _measure_classify(p, judged, batch_size: int) -> None:
    """The classify stage's profile: requests, dollars, tokens, batch fill, cache share."""
    p.requests, p.cost_usd = judged.requests, judged.cost_usd
    p.tokens = judged.input_tokens + judged.output_tokens + judged.cache_read_tokens
    p.tokens += judged.cache_write_tokens
    if judged.requests:
        p.extra["batch_efficiency"] = round(judged.items_sent / (judged.requests * batch_size), 3)
    p.extra["cache_read_share"] = round(
        judged.cache_read_tokens / max(1, p.tokens - judged.output_tokens), 3
    )


@contextlib.contextmanager
def _open(db_path, *, scratch: bool) -> Iterator[Store]:
    """The store; for a dry run a scratch copy of it, deleted afterwards."""
    from core.store.db import copy_to_scratch, open_store

    if not scratch:
        with open_store(db_path) as store:
            yield store
        return
    with tempfile.TemporaryDirectory(prefix="reelscale-dry-run-") as folder:
        copy = Path(folder) / "scratch.db"
        if Path(db_path).exists():
            copy_to_scratch(db_path, copy)
        with open_store(copy) as store:  # migrates the copy, never the user's file
            yield store
