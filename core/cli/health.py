"""``reelscale health``: the checks of :mod:`core.ops.health`, for people or scripts."""

from __future__ import annotations

import json

import click

from core.cli._options import config_option, db_option, json_option


@click.command()
@config_option
@db_option
@click.option(
    "--source",
    type=click.Choice(["radarr", "files"]),
    default=None,
    help="files: check the library folder and TMDB instead of Radarr (default: radarr when "
    "RADARR_URL is set).",
)
@json_option
def health(config_path, db_path, source, as_json) -> None:
    """Check that a run can work: config valid, database writable (nothing is created or
    changed), Radarr reachable (and its version) or, for the files source, the library folder
    readable and the TMDB credentials accepted; the Claude key accepted. Exits 1 when any check
    fails."""
    from core.cli._options import load
    from core.ops.health import check_health

    config = load(config_path, {"run.source": source}, required=False)
    result = check_health(config, db_path)
    if as_json:
        click.echo(json.dumps(result.as_dict(), ensure_ascii=False))
    else:
        for check in result.checks:
            mark = "skip" if check.skipped else "ok  " if check.ok else "FAIL"
            click.echo(f"{mark} {check.name:<9} {check.detail}")
        click.echo("healthy" if result.ok else "not healthy")
    if not result.ok:
        raise SystemExit(1)
