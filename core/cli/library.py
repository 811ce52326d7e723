"""Commands over the user's library: ``scan`` and ``parse``."""

from __future__ import annotations

import json
import sys

import click

from core.cli._options import db_option, json_option
from core.cli._progress import progress_reporter
from core.cli._render import print_scan


@click.command()
@click.argument("folder", type=click.Path(file_okay=True, dir_okay=True, path_type=str))
@db_option
@click.option(
    "--follow-symlinks",
    is_flag=True,
    help="Follow symlinked files and folders (loops are detected and skipped).",
)
@click.option(
    "--parse-workers",
    type=click.IntRange(0, 1),
    default=None,
    help="Processes that parse release names beside the scan: 1 parses in a second process "
    "while this one walks the folder and writes the database (the default on a machine with "
    "two or more CPUs), 0 parses in this process. The database is the same either way.",
)
@json_option
def scan(
    folder: str, db_path: str, follow_symlinks: bool, parse_workers: int | None, as_json: bool
) -> None:
    """Index the movie and episode files under FOLDER.

    Walks FOLDER, parses the release name of every new or changed video file (sample, trailer
    and extras files are skipped) and records it in the database; then groups new episode files
    into series (by the show folder above a season folder, else the parsed title and year).
    An unchanged file (same size and modification time) is never parsed again; files gone since
    the last scan are removed.
    Like a run, a scan takes the database's run lock: it fails at once while a run is active.
    SIGINT/SIGTERM stop it within a second or two, keeping what it read (exit 0); the next scan
    goes on from there.
    """
    from core.ops.stopping import stop_on_signals
    from core.pipeline.source.files import check_root
    from core.pipeline.source.files import scan as scan_folder
    from core.pipeline.source.scan_parse import default_workers
    from core.pipeline.source.series import group_after_scan
    from core.store.db import open_store
    from core.store.lock import run_lock

    check_root(folder)
    # A scan rewrites and deletes the items a run is judging (their decisions cascade), so it
    # must not interleave with a run's transactions: one writer of the library at a time.
    with (
        stop_on_signals() as stop,
        run_lock(db_path),
        open_store(db_path) as store,
        progress_reporter(not as_json) as rep,
    ):
        summary = scan_folder(
            folder,
            store,
            follow_symlinks=follow_symlinks,
            reporter=rep,
            should_stop=stop.is_set,
            parse_workers=default_workers() if parse_workers is None else parse_workers,
        )
        series = group_after_scan(store, summary)
    if as_json:
        out = {**summary.as_dict(), "series": series.as_dict()}
        click.echo(json.dumps(out, ensure_ascii=False))
        return
    print_scan(summary)
    click.echo(
        f"  {series.series:,} series ({series.series_new:,} new, {series.series_removed:,} "
        f"gone), {series.grouped:,} episodes grouped in {series.seconds:.2f} s"
    )
    if summary.stopped:
        click.echo(summary.stopped, err=True)


@click.command()
@click.argument("names", nargs=-1)
def parse(names: tuple[str, ...]) -> None:
    """Show how release names are read, one JSON object per name.

    With no NAME, reads names from standard input, one per line. Each output line has the keys
    name, title, year, type, season, episode, edition, resolution, source, codec, group,
    season_end and episode_end (the last of a pack, "S01-S07", or range, "S01E01-E03"), with
    null for what the name does not say, and titles: the title candidates matching tries in
    order ("Original / English" gives both sides). A name may be a path: the folders give context.
    """
    from core.pipeline.source.release_name import parse as parse_name

    out = sys.stdout
    out.reconfigure(errors="backslashreplace")
    dumps = json.JSONEncoder(ensure_ascii=False).encode
    if names:
        lines = iter(names)
    else:
        stdin = sys.stdin
        stdin.reconfigure(errors="surrogateescape")
        lines = (line.rstrip("\r\n") for line in stdin)
    write = out.write
    for name in lines:
        release = parse_name(name)
        fields = release.as_dict()
        fields["titles"] = list(release.titles)
        write(dumps(fields))
        write("\n")
