"""The ``config`` group: ``reelscale config check`` validates the config and shows what it defines.

``check`` builds one report with a key per part of the config (today ``config`` and
``collections``) and prints one section per part, so later settings (Radarr, API keys shown
masked) add a key and a section without changing how the command runs or fails.
"""

from __future__ import annotations

import json

import click

from core.cli._options import JsonGroup, config_option, json_option
from core.cli.run import source_option


@click.group(cls=JsonGroup)
def config() -> None:
    """Check reelscale's configuration."""


@config.command("check")
@config_option
@source_option("Check for this source, as `run --source` would read it.")
@click.option(
    "--library", type=click.Path(file_okay=False), default=None, help="As `run --library`."
)
@json_option
def check(config_path: str | None, source, library, as_json: bool) -> None:
    """Validate the config exactly as `reelscale run` does, list its collections and show
    every setting (defaults included) and where its value came from.

    Every problem is reported with where to fix it (FILE:LINE, or the environment variable),
    and the command exits with status 2 on anything `run` would reject: no enabled collection,
    a missing key or address, a bad schedule or email setting. A Kometa folder is searched for
    Kometa-AI blocks like Kometa-AI does. Settings come from flags, environment variables
    (RADARR_URL, SMTP_SERVER, ...), the TOML file's [radarr], [claude], [tmdb], [run], [smtp]
    and [schedule] tables, then defaults; secrets are shown masked.
    """
    from core.cli._options import load
    from core.errors import ConfigError
    from core.ops.preflight import problems as run_problems

    config = load(config_path, {"run.source": source, "run.library": library}, collections=True)
    problems = run_problems(config)
    report = {
        "config": str(config.file),
        "source": config.source,
        "collections": [c.as_dict() for c in config.collections],
        "settings": config.shown(),
        "problems": problems,
    }
    lines = [f"{len(problems)} problems before a run:", *problems]
    error = ConfigError(problems[0] if len(problems) == 1 else "\n".join(lines))
    if as_json:
        from core.cli._options import json_written

        if problems:  # the one JSON object on stdout carries the error, as every --json error
            report |= {"error": str(error), "exit_code": error.exit_code}
        click.echo(json.dumps(report, ensure_ascii=False))
        json_written()
    else:
        click.echo(f"Config: {config.file}")
        _print_collections(config.collections)
        _print_settings(report["settings"])
    if problems:
        raise error


def _print_settings(settings: dict) -> None:
    click.echo("Settings (flags > environment > config file > defaults):")
    rows = [(key, shown["value"], shown["source"]) for key, shown in settings.items()]
    width = [max(len(r[i]) for r in rows) for i in range(2)]
    for key, shown, source in rows:
        click.echo(f"  {key.ljust(width[0])}  {shown.ljust(width[1])}  {source}")


def _print_collections(collections) -> None:
    enabled = sum(c.enabled for c in collections)
    if not collections:
        click.echo(
            "No collections defined: add [[collection]] tables, or KOMETA-AI blocks to the "
            "Kometa files"
        )
        return
    click.echo(f"{len(collections)} collections ({enabled} enabled), by priority:")
    header = ("NAME", "TAG", "KIND", "THRESHOLD", "ENABLED", "PRIORITY", "PREFILTERS", "SOURCE")
    rows = [
        (
            c.name,
            c.tag,
            c.kind,
            f"{c.confidence_threshold:g}",
            "yes" if c.enabled else "no",
            str(c.priority),
            prefilter_text(c),
            c.source,
        )
        for c in collections
    ]
    widths = [max(len(row[i]) for row in (header, *rows)) for i in range(len(header))]
    for row in (header, *rows):
        click.echo("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())


def prefilter_text(c) -> str:
    """The prefilters on one line, e.g. ``genres Crime|Thriller; not Animation; 1940-1965``."""
    parts = []
    if c.genres_any:
        parts.append("genres " + "|".join(c.genres_any))
    if c.genres_none:
        parts.append("not " + "|".join(c.genres_none))
    if c.year_min is not None or c.year_max is not None:
        low = "" if c.year_min is None else str(c.year_min)
        high = "" if c.year_max is None else str(c.year_max)
        parts.append(f"{low}-{high}")
    return "; ".join(parts) or "-"
