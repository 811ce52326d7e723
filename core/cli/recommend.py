"""``reelscale recommend-batch-size``: sweep batch sizes, recommend one, draw the trade-off."""

from __future__ import annotations

import json
import shutil
import tempfile
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

import click

from core.cli._options import config_option, db_option, json_option
from core.errors import UsageError

REPORTS = "reelscale-reports"
# The columns as the terminal shows them, in the order of core.tuning.recommend.COLUMNS.
SHORT = ("size", "$/1k", "s/1k", "agree", "retried", "budget", "truth")


@click.command("recommend-batch-size")
@click.option(
    "--simulate",
    is_flag=True,
    help="Sweep against the local stand-in Claude on synthetic movies (free).",
)
@click.option(
    "--sample",
    type=click.IntRange(min=1),
    help="Sweep on N movies of your library against the real API (costs money).",
)
@click.option(
    "--sizes",
    default="5,10,25,50,100,200",
    show_default=True,
    help="Comma-separated batch sizes to try.",
)
@click.option(
    "--movies",
    type=click.IntRange(min=10),
    default=1000,
    show_default=True,
    help="With --simulate: synthetic movies in the sample.",
)
@click.option("--yes", is_flag=True, help="With --sample: do not ask before spending.")
@click.option(
    "--out",
    "--report-dir",
    "report_dir",
    type=click.Path(file_okay=False),
    default=None,
    help="Folder for batch-size.html and batch-size.json [default: reelscale-reports/ next "
    "to the database].",
)
@db_option
@config_option
@json_option
def recommend_batch_size(
    simulate, sample, sizes, movies, yes, report_dir, db_path, config_path, as_json
) -> None:
    """Classify one sample at several batch sizes and recommend the cheapest good one.

    Per size: dollars and seconds per 1,000 judgments, share of retried requests, agreement with
    the smallest size. The recommendation is the cheapest size agreeing on >= 98 % whose answers
    stay well under max_tokens. Writes an HTML report with the cost/accuracy curves (it opens
    offline) and the rows as JSON, next to the database unless --out says where.
    """
    from core.tuning.recommend import COLUMNS, cells, recommend, render_html

    if simulate == bool(sample):
        raise UsageError("choose one: --simulate (stand-in, free) or --sample N (real API)")
    try:
        size_list = sorted({int(s) for s in sizes.split(",") if s.strip()})
    except ValueError:
        raise UsageError(f"--sizes {sizes!r}: expected numbers like 5,10,25") from None
    if not size_list or size_list[0] < 1:
        raise UsageError("--sizes needs at least one batch size >= 1")
    rows, title = (
        _simulate(size_list, movies)
        if simulate
        else _sample(size_list, sample, db_path, config_path, yes)
    )
    best = recommend(rows)
    out = Path(report_dir) if report_dir else Path(db_path).resolve().parent / REPORTS
    out.mkdir(parents=True, exist_ok=True)
    (out / "batch-size.html").write_text(render_html(rows, best, title), encoding="utf-8")
    data = {"recommended": best, "rows": [r.as_dict() for r in rows]}
    (out / "batch-size.json").write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    if as_json:
        click.echo(json.dumps(data))
        return
    click.echo(title)
    widths = [max(len(short), 7) for short in SHORT]
    click.echo(" ".join(h.rjust(w) for h, w in zip(SHORT, widths, strict=True)))
    for r in rows:
        click.echo(" ".join(c.rjust(w) for c, w in zip(cells(r), widths, strict=True)))
    for short, (_, meaning) in zip(SHORT, COLUMNS, strict=True):
        click.echo(f"  {short}: {meaning}")
    click.echo(
        f"Recommended batch size: {best}"
        if best
        else "No size agrees on 98 % with the smallest: keep batches small"
    )
    click.echo(f"Report: {out / 'batch-size.html'}")


def _simulate(sizes, n_movies):
    from benchmarks.harness.workloads.classify import fill_store, truth_agreement
    from core.clients.claude.client import MessagesSettings
    from core.config.files import load_collections
    from core.config.model import ClaudeSettings
    from core.store.db import open_store
    from core.store.runs import request_sizes
    from core.tuning.recommend import sweep
    from synthetic.library.collection_defs import to_toml
    from synthetic.servers.claude.server import ClaudeServer
    from synthetic.servers.traffic import set_time_scale

    tmp = Path(tempfile.mkdtemp(prefix="reelscale-recommend-"))
    try:
        (tmp / "reelscale.toml").write_text(to_toml())
        collections = load_collections(tmp / "reelscale.toml")
        previous = set_time_scale(0)
        count = [0]

        def fresh():
            count[0] += 1
            store = open_store(tmp / f"sweep-{count[0]}.db")
            fill_store(store, n_movies)
            return store

        with ClaudeServer.from_library(n_movies, 1) as server:
            claude = ClaudeSettings(api_key=server.config.api_key, base_url=server.url)
            settings = MessagesSettings(claude=claude, batch_size=sizes[0])

            def modeled_seconds(store, _wall):
                cfg = server.config
                total = sum(
                    cfg.ttft_s + out / cfg.output_tokens_per_s for _, out in request_sizes(store)
                )
                return total / settings.concurrency

            rows = sweep(
                fresh,
                collections,
                settings,
                sizes,
                seconds=modeled_seconds,
                truth=lambda got: truth_agreement(got, collections),
            )
        set_time_scale(previous)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    title = (
        f"Batch-size sweep on {n_movies:,} synthetic movies x {len(collections)} collections "
        "(stand-in Claude; seconds from its latency model)"
    )
    return rows, title


def _sample(sizes, n, db_path, config_path, yes):
    from core.cli._options import load
    from core.clients.claude.client import MessagesSettings
    from core.pipeline.classify.stage import classify
    from core.store.db import open_store
    from core.store.items import copy_sample_movies
    from core.tuning.recommend import sweep

    config = load(config_path, collections=True)
    collections = config.collections
    settings = MessagesSettings(claude=config.claude, batch_size=config.run.batch_size)

    @contextmanager
    def fresh():
        with tempfile.TemporaryDirectory(prefix="reelscale-sample-") as tmp:
            store = open_store(Path(tmp) / "sample.db")
            copy_sample_movies(store, db_path, n)
            try:
                yield store
            finally:
                store.close()

    estimate = 0.0
    for size in sizes:
        with fresh() as store:
            estimate += classify(
                store,
                collections,
                replace(settings, batch_size=size),
                dry_run=True,
            ).cost_usd
    if not yes:
        click.confirm(
            f"This sends {len(sizes)} passes over {n} movies to Claude, about "
            f"${estimate:.4f} in all. Go on?",
            abort=True,
        )
    rows = sweep(fresh, collections, settings, sizes)
    return rows, f"Batch-size sweep on {n} movies of {db_path} x {len(collections)} collections"
