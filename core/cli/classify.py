"""``reelscale classify``: judge the library's movies against the collections with Claude."""

from __future__ import annotations

import contextlib
import json
import os

import click

from core.cli._options import config_option, db_option, json_option
from core.cli._progress import progress_reporter
from core.cli._render import print_classify


@click.command()
@db_option
@config_option
@click.option("--collection", "only", help="Only this collection (name or tag).")
@click.option(
    "--batch-size",
    type=click.IntRange(min=1, max=500),
    default=50,
    show_default=True,
    help="Movies per request (see `reelscale recommend-batch-size`).",
)
@click.option(
    "--mode",
    type=click.Choice(["sync", "batch", "auto"]),
    default="auto",
    show_default=True,
    help="Messages API, Message Batches (half price), or by size.",
)
@click.option(
    "--model", default=None, help="Claude model (default claude-haiku-5-5; env CLAUDE_MODEL)."
)
@click.option("--concurrency", type=click.IntRange(min=1, max=64), default=8, show_default=True)
@click.option("--max-items", type=click.IntRange(min=0), help="Send at most N movies this run.")
@click.option("--max-cost", type=click.FloatRange(min=0), help="Spend at most USD this run.")
@click.option("--force-refresh", is_flag=True, help="Judge every movie again.")
@click.option("--explain", is_flag=True, help="Ask for a short reason per movie (costs output).")
@click.option(
    "--dry-run", is_flag=True, help="Plan and price the run; call nothing, store nothing."
)
@json_option
def classify(
    db_path,
    config_path,
    only,
    batch_size,
    mode,
    model,
    concurrency,
    max_items,
    max_cost,
    force_refresh,
    explain,
    dry_run,
    as_json,
) -> None:
    """Judge the movies in the store against the collections, recording each decision.

    Only what changed is judged: new movies, changed movies, collections whose prompt changed,
    and verdicts close to the threshold (once). Needs ANTHROPIC_API_KEY (not for --dry-run).
    """
    from core.clients.claude.pricing import DEFAULT_MODEL
    from core.config.collection import find_config, load_collections
    from core.pipeline.classify.runner import MessagesSettings
    from core.pipeline.classify.stage import Budget
    from core.pipeline.classify.stage import classify as run_classify
    from core.store.db import open_store
    from core.store.lock import run_lock

    collections = load_collections(find_config(config_path))
    settings = MessagesSettings(
        model=model or os.environ.get("CLAUDE_MODEL") or DEFAULT_MODEL,
        api_key=os.environ.get("ANTHROPIC_API_KEY") or ("dry-run" if dry_run else ""),
        base_url=os.environ.get("ANTHROPIC_BASE_URL") or None,
        batch_size=batch_size,
        concurrency=concurrency,
        explain=explain,
    )
    # Like a run, classify writes decisions and pays for them: one writer at a time (a dry run,
    # which only estimates, needs no lock).
    lock = contextlib.nullcontext() if dry_run else run_lock(db_path)
    with lock, open_store(db_path) as store, progress_reporter(not as_json) as reporter:
        summary = run_classify(
            store,
            collections,
            settings,
            only=only,
            force=force_refresh,
            budget=Budget(max_items=max_items, max_cost=max_cost),
            dry_run=dry_run,
            mode=mode,
            reporter=reporter,
        )
    if as_json:
        click.echo(json.dumps(summary.as_dict()))
    else:
        print_classify(summary, dry_run)
    if summary.stopped:
        raise click.ClickException(f"run stopped: {summary.stopped}")
