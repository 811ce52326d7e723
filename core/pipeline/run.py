"""The production run: source -> enrich (files) -> plan + classify -> tag, as one call.

``run_pipeline`` is what ``reelscale run`` and the end-to-end benchmarks call. Every stage is
incremental, so a rerun over an unchanged library reads the library and Radarr's tags and sends
nothing else. A run holds the database's run lock for its whole duration.

A dry run works on a scratch copy of the database (SQLite's online backup into a temporary file)
and sends no write to Radarr: the copy lets every stage run as it would, the judgments included
(which are paid for), and the per-collection difference is printed; the user's database and
Radarr are left exactly as they were.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from core.config import Collection, Config
from core.errors import ConfigError
from core.pipeline.profile import Profiler, release_memory
from core.progress import NULL_REPORTER, Reporter
from core.store.db import Store
from core.store.decisions import member_ids
from core.store.tag_changes import record_tag_changes

FILES_KOMETA = "reelscale-collections.yml"


@dataclass(frozen=True, slots=True, kw_only=True)
class RunOptions:
    """What this invocation asks for, beyond the configuration: one collection, a dry run, a
    full re-judgment, and how often a Message Batch is polled."""

    only: str | None = None
    dry_run: bool = False
    force_refresh: bool = False
    poll_s: float = 2.0


@dataclass(slots=True)
class RunReport:
    """What a run did; ``as_dict`` is the ``--json`` output and what email and metrics read."""

    run_id: int | None = None
    status: str = "ok"
    dry_run: bool = False
    source: str = "radarr"
    collections: list[dict] = field(default_factory=list)
    requests: int = 0
    radarr_requests: int = 0
    radarr_writes: int = 0
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
    profile: dict = field(default_factory=dict, repr=False)

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
            "retries": self.retries,
            "cost_usd": round(self.cost_usd, 6),
            "tokens": self.tokens,
            "seconds": self.seconds,
            "peak_rss_mb": self.peak_rss_mb,
            "errors": self.errors,
            "stages": self.stages,
            "library": self.library,
            "kometa_file": self.kometa_file,
            "stopped": self.stopped,
        }

    def error(self, cause: str, count: int = 1, examples: Sequence[str] = ()) -> None:
        for entry in self.errors:
            if entry["cause"] == cause:
                entry["count"] += count
                entry["examples"] = (entry["examples"] + list(examples))[:3]
                return
        self.errors.append({"cause": cause, "count": count, "examples": list(examples)[:3]})


def run_pipeline(
    db_path: str | os.PathLike[str],
    config: Config,
    options: RunOptions = RunOptions(),
    *,
    should_stop: Callable[[], bool] = lambda: False,
    reporter: Reporter = NULL_REPORTER,
) -> RunReport:
    """One production run; returns its report (``status`` ok, partial, stopped or failed)."""
    from core.pipeline.checks import check_run
    from core.store.lock import run_lock

    chosen = check_run(config, options.only)
    start = time.perf_counter()
    report = RunReport(dry_run=options.dry_run, source=config.source)
    profiler = Profiler()
    lock = contextlib.nullcontext() if options.dry_run else run_lock(db_path)
    with lock, _open(db_path, scratch=options.dry_run) as store:
        from core.pipeline.classify.record import finish_run, start_run

        run_id = start_run(store, "run", model=config.claude.model, mode=config.run.mode)
        report.run_id = run_id
        context = _Context(store, run_id, chosen, config, options, Path(db_path))
        try:
            _stages(context, report, profiler, should_stop, reporter)
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


@dataclass(frozen=True, slots=True)
class _Context:
    store: Store
    run_id: int
    chosen: list[Collection]
    config: Config
    options: RunOptions
    db_path: Path

    @property
    def kometa_file(self) -> str | None:
        """``run.kometa_file``; a files library gets one next to the database by default."""
        if self.config.run.kometa_file:
            return self.config.run.kometa_file
        if self.config.source == "files":
            return str(self.db_path.with_name(FILES_KOMETA))
        return None


def _stages(ctx: _Context, report: RunReport, profiler: Profiler, stop, reporter) -> None:
    store, run_id, chosen, config, options = (
        ctx.store,
        ctx.run_id,
        ctx.chosen,
        ctx.config,
        ctx.options,
    )
    from core.pipeline.classify.runner import KEY_REJECTED
    from core.pipeline.sink.radarr_tags import apply_tags

    client = None
    if config.source == "radarr":
        from core.clients.radarr import RadarrClient

        client = RadarrClient(config.radarr)
    try:
        with profiler.stage("source") as p:
            if client is not None:
                from core.pipeline.source.radarr import sync_library

                summary = sync_library(store, client, reporter=reporter)
                report.library = summary.as_dict()
                report.library.pop("skipped_examples", None)
                if summary.skipped:
                    report.error(
                        "Radarr movies without a usable id (or repeated), skipped",
                        summary.skipped,
                        summary.skipped_examples,
                    )
            else:
                from core.pipeline.source.files import scan

                summary = scan(config.run.library, store, reporter=reporter)
                report.library = summary.as_dict()
                report.library.pop("error_details", None)
                if summary.errors:
                    report.error("files that could not be read", summary.errors)
            p.requests = client.requests if client else 0
        if client is None:
            with profiler.stage("enrich") as p:
                enriched = _enrich(store, config, reporter)
                p.requests = enriched.tmdb_requests
                report.retries["tmdb"] = enriched.retries
                if enriched.errors:
                    report.error("TMDB lookups that failed", enriched.errors)
        release_memory()
        before = None if client is not None else _members(store, chosen)
        with profiler.stage("classify") as p:
            judged = _classify(ctx, stop, reporter)
            p.requests, p.cost_usd = judged.requests, judged.cost_usd
            p.tokens = judged.input_tokens + judged.output_tokens + judged.cache_read_tokens
            p.tokens += judged.cache_write_tokens
            if judged.requests:
                p.extra["batch_efficiency"] = round(
                    judged.items_sent / (judged.requests * config.run.batch_size), 3
                )
            p.extra["cache_read_share"] = round(
                judged.cache_read_tokens / max(1, p.tokens - judged.output_tokens), 3
            )
        report.requests, report.cost_usd = judged.requests, judged.cost_usd
        report.retries["claude"] = judged.retries
        report.tokens = {
            "input": judged.input_tokens,
            "output": judged.output_tokens,
            "cache_read": judged.cache_read_tokens,
            "cache_write": judged.cache_write_tokens,
        }
        for cause, count in judged.errors.items():
            report.error(f"Claude: {cause}", count)
        if judged.failed:
            report.error("movies Claude did not judge (retried next run)", judged.failed)
        if judged.stopped == KEY_REJECTED:  # bad configuration: exit 2, not a stopped run
            raise ConfigError(judged.stopped)
        if judged.stopped:
            report.stopped = judged.stopped
        release_memory()
        with profiler.stage("tag") as p:
            sent = client.requests if client else 0
            if client is not None:
                tagged = apply_tags(
                    store, client, chosen, run_id,
                    dry_run=options.dry_run, should_stop=stop, reporter=reporter,
                )  # fmt: skip
                changes = [c for c in tagged.collections]
                for cause, count in tagged.errors.items():
                    report.error(cause, count, tagged.error_examples.get(cause, ()))
                if tagged.stopped and not report.stopped:
                    report.stopped = "stopped on request; the next run writes the rest"
            else:
                changes = _file_changes(ctx, before)
            p.requests = client.requests - sent if client else 0
        if ctx.kometa_file and not options.dry_run:
            report.kometa_file = _write_kometa(ctx)
        report.collections = [
            {
                "name": c.name,
                "tag": c.tag,
                "members": c.members,
                "added": c.added,
                "removed": c.removed,
                "deferred": judged.deferred_by_collection.get(c.tag, 0),
                "failed": c.failed,
                "tokens": judged.tokens_by_collection.get(c.tag, 0),
                "cost_usd": round(judged.cost_by_collection.get(c.tag, 0.0), 6),
            }
            for c in changes
        ]
        if client is not None:
            report.radarr_requests, report.radarr_writes = client.requests, client.writes
            report.retries["radarr"] = client.attempts - client.requests
        if report.stopped:
            report.status = "stopped"
        elif any(c.failed for c in changes) or judged.failed:
            report.status = "partial"
    finally:
        if client is not None:
            client.close()


def _classify(ctx: _Context, stop, reporter):
    from core.pipeline.classify.runner import MessagesSettings
    from core.pipeline.classify.stage import Budget, classify

    run = ctx.config.run
    messages = MessagesSettings(
        claude=ctx.config.claude, batch_size=run.batch_size, explain=run.explain
    )
    return classify(
        ctx.store,
        ctx.chosen,
        messages,
        force=ctx.options.force_refresh,
        budget=Budget(max_items=run.max_items, max_cost=run.max_cost),
        mode=run.mode,
        poll_s=ctx.options.poll_s,
        reporter=reporter,
        should_stop=stop,
        run_id=ctx.run_id,
    )


def _enrich(store, config: Config, reporter):
    from core.pipeline.enrich.cache import ProviderCache
    from core.pipeline.enrich.stage import enrich

    return enrich(store, config.tmdb, cache=ProviderCache(store), reporter=reporter)


def _members(store: Store, chosen: Sequence[Collection]) -> dict[str, set[int]]:
    return {c.tag: member_ids(store, c.tag) for c in chosen}


def _file_changes(ctx: _Context, before):
    """A file-only library: the changes are the decisions that flipped in this run."""
    store, run_id, chosen = ctx.store, ctx.run_id, ctx.chosen
    from core.pipeline.sink.radarr_tags import CollectionChange

    after = _members(store, chosen)
    changes, rows, now = [], [], time.time()
    applied = int(bool(ctx.kometa_file) and not ctx.options.dry_run)
    for c in chosen:
        added = after[c.tag] - before[c.tag]
        removed = before[c.tag] - after[c.tag]
        change = CollectionChange(c.name, c.tag, len(after[c.tag]), len(added), len(removed))
        changes.append(change)
        rows += [(run_id, i, c.tag, "add", applied, now) for i in sorted(added)]
        rows += [(run_id, i, c.tag, "remove", applied, now) for i in sorted(removed)]
    record_tag_changes(store, rows)
    return changes


def _write_kometa(ctx: _Context) -> str:
    from core.pipeline.sink.kometa_file import taglist_yaml, tmdb_list_yaml, write_atomic

    if ctx.config.source == "radarr":
        text = taglist_yaml(ctx.chosen)
    else:
        text, _ = tmdb_list_yaml(ctx.store, ctx.chosen)
    return str(write_atomic(ctx.kometa_file, text))


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
