"""``reelscale import kometa-ai STATE_DIR``: switch from Kometa-AI without paying again."""

from __future__ import annotations

import json

import click

from core.cli._options import JsonGroup, config_option, db_option, json_option


@click.group("import", cls=JsonGroup)
def import_group() -> None:
    """Take over what another tool has already decided."""


@import_group.command("kometa-ai")
@click.argument("state_dir", type=click.Path())
@config_option
@db_option
@click.option("--dry-run", is_flag=True, help="Show what would be imported and re-judged.")
@json_option
def kometa_ai(state_dir: str, config_path, db_path: str, dry_run: bool, as_json: bool) -> None:
    """Import Kometa-AI's decisions from its state folder (STATE_DIR holds kometa_state.json).

    Point --config at the same Kometa config folder Kometa-AI reads (KOMETA_CONFIG_DIR) and set
    RADARR_URL and RADARR_API_KEY: the import reads the Radarr library once, maps each decision
    to its movie and collection, and stores it in one transaction. The next `reelscale run` then
    judges only what Kometa-AI had not decided, or what changed since: a decision is stale when
    Kometa-AI's prompt hash or its hash of the movie differs from what they are now. Pairs
    reelscale has already decided keep reelscale's decision.

    Exit status: 0 done, 1 Radarr failed, 2 bad state file or configuration (nothing imported).
    """
    from core.cli._options import load
    from core.errors import UsageError
    from core.ops.kometa_import import import_kometa_ai
    from core.pipeline.checks import radarr_problems

    config = load(config_path, collections=True)
    if problems := radarr_problems(config):
        raise UsageError("; ".join(problems))
    report = import_kometa_ai(db_path, config, state_dir, dry_run=dry_run)
    for line in report.warnings:
        click.echo(f"Warning: {line}", err=True)
    if as_json:
        click.echo(json.dumps(report.as_dict()))
        return
    click.echo(_render(report))


def _render(report) -> str:
    verb = "would import" if report.dry_run else "imported"
    first = report.first_run
    reasons = ", ".join(f"{k} {v:,}" for k, v in sorted(first.get("by_reason", {}).items()))
    lines = [
        f"Kometa-AI {report.kometa_ai_version} state: {report.state_file}",
        f"{report.decisions_in_state:,} decisions for {report.movies_in_state:,} movies; "
        f"{verb} {report.imported:,} ({report.current:,} current, {report.stale_prompt:,} "
        f"judged on an older prompt, {report.stale_movie:,} on changed movies)",
    ]
    if report.kept_reelscale:
        lines.append(f"kept reelscale's own decision for {report.kept_reelscale:,} pairs")
    for name, count in sorted(report.by_collection.items()):
        lines.append(f"  {name}: {count:,}")
    lines.append(
        f"the next run {'would judge' if report.dry_run else 'judges'} {first.get('pairs', 0):,} "
        f"pairs" + (f" ({reasons})" if reasons else "")
    )
    if report.dry_run:
        lines.append("dry run: nothing was written")
    return "\n".join(lines)
