"""``reelscale run``: the production run, once or on a schedule; ``reelscale kometa-yaml``."""

from __future__ import annotations

import json

import click

from core.cli._options import config_option, db_option, json_option, kind_option
from core.cli.run_summary import print_run


class SourceList(click.ParamType):
    """``radarr``, ``sonarr``, ``radarr,sonarr`` or ``files``: kept as the text given, checked
    here so a typo is a usage error naming the choices (the config layer reads the text)."""

    name = "SOURCE[,SOURCE]"

    def convert(self, value, param, ctx):
        from core.config.model import SOURCES

        names = [part.strip().lower() for part in str(value).split(",") if part.strip()]
        wrong = [n for n in names if n not in SOURCES]
        if wrong or not names:
            self.fail(
                f"{value!r}: choose radarr, sonarr, radarr,sonarr (both in one run) or files",
                param,
                ctx,
            )
        if "files" in names and len(names) > 1:
            self.fail(f"{value!r}: files cannot be combined with a server", param, ctx)
        return ",".join(dict.fromkeys(names))


def source_option(help: str):
    return click.option("--source", type=SourceList(), default=None, help=help)


@click.command()
@source_option(
    "Where the library comes from: radarr, sonarr, radarr,sonarr (one run over both: one lock, "
    "one summary) or files. Default: every server whose URL is set (RADARR_URL, SONARR_URL), "
    "else files."
)
@click.option(
    "--library",
    type=click.Path(file_okay=False),
    default=None,
    help="Folder of movie files for --source files (env REELSCALE_LIBRARY).",
)
@config_option
@db_option
@click.option(
    "--dry-run",
    is_flag=True,
    help="Plan and price the run (token estimate) and show the changes already decided; sends "
    "Claude nothing and writes nothing.",
)
@click.option(
    "--judge",
    is_flag=True,
    help="With --dry-run: judge for real (paid) and keep the answers, so the next run sends "
    "nothing for them; Radarr and the Kometa file are still not written.",
)
@click.option("--collection", "only", default=None, help="Only this collection (name or tag).")
@click.option("--force-refresh", is_flag=True, help="Judge every movie again, even unchanged.")
@click.option("--batch-size", type=click.IntRange(min=1), default=None, help="Movies per request.")
@click.option(
    "--mode",
    type=click.Choice(["sync", "batch", "auto"]),
    default=None,
    help="Messages API, Message Batches (half price, slower) or auto by size.",
)
@click.option(
    "--max-items",
    type=click.IntRange(min=0),
    default=None,
    help="Movies per run (0: no cap, as Kometa-AI's MAX_EVALS_PER_RUN).",
)
@click.option("--max-cost", type=click.FloatRange(min=0), default=None, help="Dollars per run.")
@click.option(
    "--kometa-file",
    type=click.Path(dir_okay=False),
    default=None,
    help="Write the Kometa collection file here (files source default: "
    "reelscale-collections.yml next to the database).",
)
@click.option(
    "--kometa-series-file",
    type=click.Path(dir_okay=False),
    default=None,
    help="With Sonarr: write the show library's Kometa collection file here (sonarr_taglist; "
    "env REELSCALE_KOMETA_SERIES_FILE). With a folder: its series' file (tvdb_show/tmdb_show; "
    "default reelscale-series-collections.yml next to the database).",
)
@click.option(
    "--profile",
    "profile_path",
    type=click.Path(dir_okay=False),
    default=None,
    help="Write per-stage time, peak RSS, requests, tokens and cost as JSON.",
)
@click.option(
    "--memory-profile",
    "memory_path",
    type=click.Path(dir_okay=False),
    default=None,
    help="Record the run's allocations with memray into FILE (overwritten) and write its "
    "flamegraph to FILE with .html. Needs the profile extra.",
)
@click.option(
    "--schedule",
    default=None,
    help="Run now, then on a schedule: 1h, 1d, 1w, 1mo or cron (see --wait); prints each next "
    "run time.",
)
@click.option("--start-time", default=None, help="HH:MM the schedule's slots start at.")
@click.option(
    "--wait",
    is_flag=True,
    help="With --schedule: wait for the first slot instead of running at start.",
)
@click.option(
    "--metrics-port",
    type=click.IntRange(min=1, max=65535),
    default=None,
    help="With --schedule: serve Prometheus metrics on 127.0.0.1:PORT.",
)
@json_option
def run(**opts) -> None:
    """Bring the collections up to date: read the library, judge what changed, tag it.

    The library is a Radarr server (RADARR_URL, RADARR_API_KEY), a Sonarr server (SONARR_URL,
    SONARR_API_KEY), both in one run (--source radarr,sonarr), or a folder of movie files
    (--source files --library DIR, matched to TMDB with TMDB_API_KEY). Movies are judged against
    the collections of kind movies, series against those of kind series (kind both: either).
    Only new or changed items, and collections whose prompt changed, are sent to Claude
    (ANTHROPIC_API_KEY); the servers' tags are then written in bulk, and a file-only library gets
    a Kometa collection file.

    Exit status: 0 done (or stopped by a signal), 1 failed or partly applied (the next run
    retries), 2 bad configuration. One run at a time per database.
    """
    from core.errors import UsageError
    from core.ops.preflight import preflight
    from core.pipeline.run import RunOptions

    config = _config(opts)
    preflight(config, opts["only"])
    if opts["judge"] and not opts["dry_run"]:
        raise UsageError("--judge is for --dry-run (a run judges anyway): add --dry-run")
    options = RunOptions(
        only=opts["only"],
        dry_run=opts["dry_run"],
        judge=opts["judge"],
        force_refresh=opts["force_refresh"],
    )
    scheduled = None
    if config.schedule.interval:
        from core.ops.schedule import Schedule

        scheduled = Schedule.from_config(config.schedule, config.where)
    if opts["memory_path"] and scheduled:
        raise UsageError("--memory-profile records one run: drop --schedule")
    if opts["metrics_port"] is not None and not scheduled:
        raise UsageError("--metrics-port serves metrics between scheduled runs: add --schedule")
    if opts["wait"] and not scheduled:
        raise UsageError("--wait waits for the schedule's first slot: add --schedule")
    if scheduled:
        raise SystemExit(_run_scheduled(opts, config, options, scheduled))
    report = _run_once(opts, config, options)
    if report.status in ("partial", "failed"):
        raise SystemExit(1)


def _config(opts: dict):
    """The run's configuration: the config file, the environment, then these flags."""
    from core.cli._options import load

    flags = {
        "run.source": opts["source"],
        "run.library": opts["library"],
        "run.batch_size": opts["batch_size"],
        "run.mode": opts["mode"],
        "run.max_items": opts["max_items"],
        "run.max_cost": opts["max_cost"],
        "run.kometa_file": opts["kometa_file"],
        "run.kometa_series_file": opts["kometa_series_file"],
        "schedule.interval": opts["schedule"],
        "schedule.start_time": opts["start_time"],
    }
    return load(opts["config_path"], flags, collections=True)


def _run_once(opts: dict, config, options):
    """One run, stopped cleanly by SIGTERM/SIGINT; the email when it changed something."""
    from core.cli._schedule import notify
    from core.ops.stopping import StopFlag

    memory = None
    if opts["memory_path"]:
        from core.ops.memory_profile import plan

        memory = plan(opts["memory_path"])
    stop = StopFlag()
    restore = stop.install_signal_handlers()
    try:
        report = once(
            opts["db_path"],
            config,
            options,
            opts["profile_path"],
            opts["as_json"],
            stop.is_set,
            memory_profile=memory,
        )
    finally:
        restore()
    if not options.dry_run:
        notify(config, report.as_dict(), None)
    return report


def _run_scheduled(opts: dict, config, options, scheduled) -> int:
    from core.cli._schedule import run_scheduled

    db_path, as_json = opts["db_path"], opts["as_json"]

    def run_once(flag) -> dict:
        return once(db_path, config, options, None, as_json, flag.is_set).as_dict()

    port = opts["metrics_port"]
    return run_scheduled(run_once, config, scheduled, port, db_path, wait=opts["wait"])


def once(db_path, config, options, profile_path, as_json, should_stop=None, *, memory_profile=None):
    """One run with progress bars (not with ``--json``), then the summary and the profile."""
    from core.cli._progress import progress_reporter
    from core.ops.memory_profile import tracking, write_flamegraph
    from core.pipeline.run import run_pipeline

    kwargs = {"should_stop": should_stop} if should_stop else {}
    try:
        with tracking(memory_profile), progress_reporter(not as_json) as reporter:
            report = run_pipeline(db_path, config, options, reporter=reporter, **kwargs)
    except BaseException:
        if memory_profile is not None:
            _flamegraph_of_failed_run(memory_profile)
        raise
    data = report.as_dict()
    if memory_profile is not None:
        write_flamegraph(memory_profile)
        data["memory_profile"] = memory_profile.as_dict()
    if profile_path:
        from core.pipeline.sink.kometa_file import write_atomic

        profile = {**report.profile, "seconds": report.seconds, "peak_rss_mb": report.peak_rss_mb}
        profile["run"] = {k: data[k] for k in ("run_id", "status", "requests", "cost_usd")}
        write_atomic(profile_path, json.dumps(profile, indent=2) + "\n", "profile")
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False))
    else:
        print_run(data)
    return report


def _flamegraph_of_failed_run(memory_profile) -> None:
    """A failed run's memory is worth seeing too; its own error stays the one reported."""
    from core.errors import ReelscaleError
    from core.ops.memory_profile import write_flamegraph

    try:
        write_flamegraph(memory_profile)
    except ReelscaleError:
        return
    click.echo(
        f"memray capture of the failed run: {memory_profile.capture}, flamegraph: "
        f"{memory_profile.flamegraph}",
        err=True,
    )


@click.command("kometa-yaml")
@config_option
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, allow_dash=True),
    default="-",
    show_default=True,
    help="Collection file to write ('-' for stdout).",
)
@kind_option(
    "movies: the movie library's file (radarr_taglist); series: the show library's "
    "(sonarr_taglist). Each lists the collections of that kind (and kind both)."
)
def kometa_yaml(config_path, output, kind) -> None:
    """Write the Kometa collection file for the Radarr tags (radarr_taglist, sync_mode: sync),
    or with --kind series for the Sonarr tags (sonarr_taglist).

    Add the file to Kometa's config under collection_files of the library it is for; Kometa then
    builds each collection from the movies (series) reelscale tagged in Radarr (Sonarr).
    """
    from core.cli._options import load
    from core.config.collection import select
    from core.pipeline.sink.kometa_file import TAGLIST_KEYS, taglist_yaml, write_atomic

    collections = select(load(config_path, collections=True).collections, None)
    text = taglist_yaml(collections, TAGLIST_KEYS[kind])
    if output == "-":
        click.echo(text, nl=False)
        return
    click.echo(f"Wrote {write_atomic(output, text)}", err=True)
