"""The ``config`` group: ``reelscale config check`` validates the config and shows what it defines.

``check`` builds one report with a key per part of the config (today ``config`` and
``collections``) and prints one section per part, so later settings (Radarr, API keys shown
masked) add a key and a section without changing how the command runs or fails.
"""

from __future__ import annotations

import json

import click

from core.cli._options import config_option, json_option


@click.group()
def config() -> None:
    """Check reelscale's configuration."""


@config.command("check")
@config_option
@json_option
def check(config_path: str | None, as_json: bool) -> None:
    """Validate the config, list its collections and show every setting and its source.

    Every problem is reported as FILE:LINE: what is wrong; what to do, and the command exits
    with status 2. A Kometa folder is searched for Kometa-AI blocks like Kometa-AI does.
    Settings come from environment variables (RADARR_URL, SMTP_SERVER, ...) or the TOML file's
    [radarr], [claude], [smtp], [schedule] and [run] tables; secrets are shown masked.
    """
    from core.config.collection import find_config, load_collections
    from core.config.settings import load_settings

    path = find_config(config_path)
    collections = load_collections(path)
    settings = load_settings(path)
    if settings["schedule.interval"]:
        from core.ops.schedule import Schedule

        Schedule.parse(
            settings["schedule.interval"],
            start_time=settings["schedule.start_time"],
            timezone=settings["schedule.timezone"],
        )
    report = {
        "config": str(path),
        "collections": [c.as_dict() for c in collections],
        "settings": settings.as_dict(),
    }
    if as_json:
        click.echo(json.dumps(report, ensure_ascii=False))
        return
    click.echo(f"Config: {path}")
    _print_collections(collections)
    _print_settings(settings)


def _print_settings(settings) -> None:
    click.echo("Settings (flags > environment > config file > defaults):")
    rows = [(key, value.shown, value.source) for key, value in settings.values.items()]
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
    header = ("NAME", "TAG", "THRESHOLD", "ENABLED", "PRIORITY", "PREFILTERS", "SOURCE")
    rows = [
        (
            c.name,
            c.tag,
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
