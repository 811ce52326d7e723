"""``reelscale bench report``: asv dashboard, memray flamegraphs and an index page."""

from __future__ import annotations

import json
import sys
from contextlib import contextmanager

import click

from benchmarks.harness.cli._options import json_option


@click.command("report")
@click.option("--skip-publish", is_flag=True, help="Do not run `asv publish` (keep results/html).")
@click.option("--skip-memray", is_flag=True, help="Do not trace the workloads (keep old reports).")
@click.option("--machine", help="asv machine folder under results/asv/ (default: this machine's).")
@json_option
def bench_report(skip_publish: bool, skip_memray: bool, machine: str | None, as_json: bool) -> None:
    """Write results/html (asv publish), memray flamegraphs and results/reports/index.html.

    The index links the dashboard, every flamegraph and stats file, and plots the batch-size
    curve and throughput by library size from the saved results. Missing data is listed, not
    skipped. The memray part takes about a minute; progress goes to stderr.
    """
    from benchmarks.harness.paths import REPO
    from benchmarks.harness.report.report import build_report

    with _stderr_progress() as reporter:
        outcome = build_report(
            publish=not skip_publish, memray=not skip_memray, machine=machine, reporter=reporter
        )
    if as_json:
        click.echo(json.dumps(outcome.as_dict(REPO)))
        return
    for path in outcome.written:
        click.echo(f"Wrote {path.relative_to(REPO)}")
    if outcome.html_bytes is not None:
        click.echo(f"asv dashboard: results/html ({outcome.html_bytes / 1e6:.1f} MB)")
    for notice in outcome.notices:
        click.echo(f"Missing: {notice}")
    click.echo(f"Open {outcome.index.relative_to(REPO)}")


class _LineReporter:
    """Plain progress lines on stderr when it is not a terminal (logs, CI)."""

    def start(self, stage: str, total: int | None = None) -> None:
        click.echo(f"{stage} ...", err=True)

    def advance(self, stage: str, amount: int = 1, **counters: int) -> None:
        pass

    def finish(self, stage: str) -> None:
        click.echo(f"{stage} done", err=True)


@contextmanager
def _stderr_progress():
    if not sys.stderr.isatty():
        yield _LineReporter()
        return
    from rich.console import Console
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from core.cli._progress import RichReporter

    columns = (
        SpinnerColumn(),
        TextColumn("[bold]{task.description}"),
        TextColumn("{task.fields[counters]}"),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=Console(stderr=True)) as progress:
        yield RichReporter(progress)
