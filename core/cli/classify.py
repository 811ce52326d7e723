"""``reelscale classify``: judge the library's movies or series against the collections with
Claude."""

from __future__ import annotations

import contextlib
import json

import click

from core.cli._options import config_option, db_option, json_option, kind_option
from core.cli._progress import progress_reporter
from core.cli._render import print_classify


@click.command()
@db_option
@config_option
@click.option("--collection", "only", help="Only this collection (name or tag).")
@kind_option(
    "Judge the movies against the collections of kind movies or both, or the series (from "
    "Sonarr, or grouped from a folder's episode files) against those of kind series or both."
)
@click.option(
    "--batch-size",
    type=click.IntRange(min=1, max=500),
    default=None,
    help="Movies per request (default 25, env BATCH_SIZE; see `recommend-batch-size`).",
)
@click.option(
    "--mode",
    type=click.Choice(["sync", "batch", "auto"]),
    default=None,
    help="Messages API, Message Batches (half price), or by size (default sync, env CLAUDE_MODE).",
)
@click.option(
    "--model", default=None, help="Claude model (default claude-haiku-5-5; env CLAUDE_MODEL)."
)
@click.option(
    "--concurrency",
    type=click.IntRange(min=1, max=64),
    default=None,
    help="Requests in flight (default 8, env CLAUDE_CONCURRENCY).",
)
@click.option(
    "--max-items", type=click.IntRange(min=0), help="Send at most N movies this run (0: no cap)."
)
@click.option("--max-cost", type=click.FloatRange(min=0), help="Spend at most USD this run.")
@click.option("--force-refresh", is_flag=True, help="Judge every movie again.")
@click.option("--explain", is_flag=True, help="Ask for a short reason per movie (costs output).")
@click.option(
    "--dry-run", is_flag=True, help="Plan and price the run; call nothing, store nothing."
)
@json_option
def classify(**opts) -> None:
    """Judge the movies (or, with --kind series, the series) in the store against the
    collections of that kind, recording each decision.

    Only what changed is judged: new items, changed items, collections whose prompt changed,
    and verdicts close to the threshold (once). Needs ANTHROPIC_API_KEY (not for --dry-run).
    """
    from core.ops.stopping import stop_on_signals
    from core.pipeline.classify.stage import Budget
    from core.pipeline.classify.stage import classify as run_classify
    from core.store.db import open_store
    from core.store.lock import run_lock

    config, settings = _settings(opts)
    dry_run, as_json, db_path = opts["dry_run"], opts["as_json"], opts["db_path"]
    # Like a run, classify writes decisions and pays for them: one writer at a time (a dry run,
    # which only estimates, needs no lock).
    lock = contextlib.nullcontext() if dry_run else run_lock(db_path)
    with (
        stop_on_signals() as stop,
        lock,
        open_store(db_path) as store,
        progress_reporter(not as_json) as reporter,
    ):
        summary = run_classify(
            store,
            config.collections,
            settings,
            only=opts["only"],
            force=opts["force_refresh"],
            budget=Budget(max_items=config.run.max_items, max_cost=config.run.max_cost),
            dry_run=dry_run,
            mode=config.run.mode,
            reporter=reporter,
            should_stop=stop.is_set,
            kind=opts["kind"],
        )
    if as_json:
        click.echo(json.dumps(summary.as_dict()))
    else:
        print_classify(summary, dry_run, opts["kind"])
    if summary.stopped and stop.is_set():  # a signal, as for `run`: exit 0, the next one resumes
        click.echo(summary.stopped, err=True)
    elif summary.stopped:
        raise click.ClickException(f"run stopped: {summary.stopped}")


def _settings(opts: dict):
    """The configuration with these flags, and what the classify stage sends with."""
    from pydantic import SecretStr

    from core.cli._options import load
    from core.clients.claude.client import MessagesSettings

    flags = {
        "run.batch_size": opts["batch_size"],
        "run.mode": opts["mode"],
        "run.max_items": opts["max_items"],
        "run.max_cost": opts["max_cost"],
        "run.explain": opts["explain"] or None,
        "claude.model": opts["model"],
        "claude.concurrency": opts["concurrency"],
    }
    config = load(opts["config_path"], flags, collections=True)
    claude = config.claude
    if opts["dry_run"] and not claude.api_key:  # a dry run only estimates: no key is needed
        claude = claude.model_copy(update={"api_key": SecretStr("dry-run")})
    run = config.run
    return config, MessagesSettings(claude=claude, batch_size=run.batch_size, explain=run.explain)
