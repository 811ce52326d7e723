"""The ``db`` group: housekeeping of the SQLite store (``reelscale db backup``)."""

from __future__ import annotations

import json

import click

from core.cli._options import JsonGroup, db_option, json_option


@click.group(cls=JsonGroup)
def db() -> None:
    """Look after the database file that holds reelscale's state."""


@db.command("backup")
@click.argument("file", required=False, type=click.Path(path_type=str))
@db_option
@click.option("--overwrite", is_flag=True, help="Replace FILE if it already exists.")
@json_option
def db_backup(file, db_path, overwrite, as_json) -> None:
    """Copy the database to FILE, safely, even while a run is writing to it.

    FILE defaults to <db>.backup-YYYYmmdd-HHMMSS next to the database; a folder gets a file of
    that name. The copy is readable by you only and is checked with SQLite's integrity check.
    Restore by stopping reelscale and copying FILE back over the database.
    """
    from core.store.backup import backup

    result = backup(db_path, file, overwrite=overwrite)
    if as_json:
        click.echo(json.dumps(result.as_dict(), ensure_ascii=False))
        return
    click.echo(
        f"Backed up {result.source} to {result.dest} ({result.bytes / 1e6:,.1f} MB, "
        f"integrity {result.integrity}) in {result.seconds:.2f} s"
    )
