"""What happens around a run: signals, the schedule loop, the email and the metrics."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

import click

log = logging.getLogger("reelscale")


def notify(config, report: dict, next_run: datetime | None) -> None:
    """The run summary by email and to the Apprise targets, each when its trigger says so.

    A notification that fails is reported on stderr and does not fail the run: the tags are
    already written.
    """
    _email(config, report, next_run)
    _apprise(config, report, next_run)


def _email(config, report: dict, next_run: datetime | None) -> None:
    smtp = config.smtp
    if not smtp.server:
        return
    from core.errors import ReelscaleError
    from core.ops.notify import compose, send, should_send

    if not should_send(smtp.trigger, report):
        return
    try:
        accepted = send(compose(report, next_run=next_run, smtp=smtp), smtp)
    except ReelscaleError as exc:
        click.echo(f"Warning: the summary email was not sent: {exc}", err=True)
        return
    log.info("summary emailed to %s", ", ".join(accepted))


def _apprise(config, report: dict, next_run: datetime | None) -> None:
    if not config.notify.urls:
        return
    from core.ops.notify import should_send
    from core.ops.notify_apprise import send_summary

    if not should_send(config.notify.trigger or config.smtp.trigger, report):
        return
    for delivery in send_summary(report, next_run, config.notify):
        if delivery.ok:
            log.info("summary sent to %s", delivery.target)
        else:
            click.echo(
                f"Warning: the summary was not sent to {delivery.target}: {delivery.reason}",
                err=True,
            )


def last_success(db_path) -> datetime | None:
    """When the last successful run ended, from the store (``None`` before the first)."""
    from pathlib import Path

    from core.store.db import open_store
    from core.store.runs import last_success_end

    if not Path(db_path).exists():
        return None
    with open_store(db_path) as store:
        ended = last_success_end(store)
    return datetime.fromtimestamp(ended, UTC) if ended else None


def run_scheduled(run_once, config, schedule, metrics_port, db_path, *, wait=False) -> int:
    """Run at start (unless ``wait``), then at every slot of the schedule until SIGTERM/SIGINT;
    returns the exit status (0). Every next-run time is printed and set in the metrics.

    ``run_once(stop_flag)`` runs once and returns the report dict.

    A signal lets the request batch in flight finish and be saved, then the loop ends. A run
    that fails is reported (email, metrics) and the schedule goes on. The slots come from the
    schedule, so restarts do not shift them; with ``wait``, a slot missed since the last
    successful run starts one run at once.
    """
    from core.ops.schedule import run_on_schedule
    from core.ops.stopping import StopFlag

    stop = StopFlag()
    restore = stop.install_signal_handlers()
    metrics = server = None
    if metrics_port is not None:
        from core.ops.metrics import RunMetrics

        metrics = RunMetrics()
        server = metrics.serve(metrics_port)
        click.echo(f"Metrics on http://127.0.0.1:{server.port}/metrics", err=True)

    def on_report(report: dict, next_run: datetime | None) -> None:
        if metrics is not None:
            metrics.observe(report, next_run=next_run)
        notify(config, report, next_run)

    def on_next(due: datetime) -> None:
        if metrics is not None:
            metrics.set_next_run(due)
        click.echo(f"Next run at {due.isoformat(timespec='minutes')}", err=True)

    click.echo(f"Scheduled: {schedule.describe()}", err=True)
    try:
        return run_on_schedule(
            run_once,
            schedule,
            stop=stop,
            on_report=on_report,
            on_next=on_next,
            last_success=last_success(db_path),
            run_now=not wait,
        )
    finally:
        restore()
        if server is not None:
            server.shutdown()
