"""``reelscale bench peer``: the real Kometa-AI beside reelscale (``benchmarks.harness.peer``)."""

from __future__ import annotations

import json
from pathlib import Path

import click

from benchmarks.harness.cli._options import json_option, no_record_option

MODELS = ("claude-sonnet-5", "claude-haiku-5-5", "claude-sonnet-5-5", "claude-haiku-4-5")


@click.command("peer")
@click.option(
    "--kometa-ai",
    "source",
    required=True,
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Folder of a Kometa-AI source release (e.g. a clone of tikibozo/kometa-ai at v0.5.7).",
)
@click.option("--movies", type=click.IntRange(1), default=1000, show_default=True)
@click.option(
    "--collections", type=click.IntRange(1, 10), default=6, show_default=True,
    help="How many of the 10 synthetic collections.",
)  # fmt: skip
@click.option(
    "--model", type=click.Choice(MODELS), default="claude-sonnet-5", show_default=True,
    help="Model both tools use (Sonnet 5 is Kometa-AI's default).",
)  # fmt: skip
@click.option(
    "--time-scale", type=click.FloatRange(0), default=0.2, show_default=True,
    help="Stand-in Claude latency factor, both tools (1: the modelled 0.5 s to first token + "
    "150 tokens/s; smaller is quicker but weighs process overhead more).",
)  # fmt: skip
@click.option(
    "--timeout", "timeout_s", type=click.FloatRange(1), default=3600, show_default=True,
    help="Seconds one Kometa-AI run may take.",
)  # fmt: skip
@json_option
@no_record_option
def bench_peer(
    source: Path,
    movies: int,
    collections: int,
    model: str,
    time_scale: float,
    timeout_s: float,
    as_json: bool,
    no_record: bool,
) -> None:
    """Run the real Kometa-AI, unmodified, and reelscale side by side.

    Installs the release at --kometa-ai into its own virtual environment (cached under
    .bench-work/peer-venv/), then runs each tool twice (first run, rerun with nothing changed)
    against its own fresh stand-in Radarr and Claude built from the same seed and library, with
    the same Kometa collection file (# === KOMETA-AI === blocks). Reports Claude requests,
    tokens, dollars at one price table, Radarr requests by method, wall time, peak RSS and
    agreement with the ground truth; writes
    results/numbers/peer-MODEL-MOVIESxCOLLECTIONS-latencySCALE.json.
    """
    from benchmarks.harness.paths import write_numbers
    from benchmarks.harness.peer.measure import measure, render

    say = (lambda line: None) if as_json else (lambda line: click.echo(line, err=True))
    result = measure(
        source,
        movies=movies,
        collections=collections,
        model=model,
        time_scale=time_scale,
        timeout_s=timeout_s,
        progress=say,
    )
    if not no_record:
        name = f"peer-{model}-{movies}x{collections}-latency{time_scale:g}.json"
        path = write_numbers(name, result)
        say(f"-> {path}")
    click.echo(json.dumps(result) if as_json else render(result))
