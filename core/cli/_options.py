"""Options shared by several commands."""

from __future__ import annotations

import click

from core.store.db import DB_ENV, DEFAULT_DB

db_option = click.option(
    "--db",
    "db_path",
    type=click.Path(dir_okay=False),
    envvar=DB_ENV,
    default=DEFAULT_DB,
    show_default=True,
    help=f"SQLite file holding reelscale's state (env {DB_ENV}).",
)

json_option = click.option(
    "--json", "as_json", is_flag=True, help="Print one JSON object instead of the human summary."
)

config_option = click.option(
    "--config",
    "config_path",
    type=click.Path(),
    default=None,
    help="A reelscale.toml, a Kometa YAML file, or a folder of Kometa files "
    "(default: $REELSCALE_CONFIG, else ./reelscale.toml).",
)
