"""``reelscale bench compare``: two commits' wall time, interleaved in one session."""

from __future__ import annotations

import json
from pathlib import Path

import click

from benchmarks.harness.cli._options import echo_err, json_option


@click.command("compare")
@click.argument("base")
@click.argument("head", default="HEAD")
@click.option(
    "--repo",
    type=click.Path(path_type=Path),
    help="The git checkout holding BASE and HEAD (default: this source checkout).",
)
@click.option(
    "--factor",
    type=float,
    help="A workload regressed when median(head)/median(base) exceeds this and the difference "
    "is significant (default 1.25).",
)
@click.option(
    "--rounds", type=int, help="Fresh worker pairs, each starting with the other side (default 4)."
)
@click.option("--values", type=int, help="Values per workload, side and round (default 3).")
@click.option(
    "-w",
    "--workload",
    "chosen",
    multiple=True,
    help="Only this workload (repeatable): parse, scan, rescan, classify (default: all).",
)
@json_option
def bench_compare(
    base: str,
    head: str,
    repo: Path | None,
    factor: float | None,
    rounds: int | None,
    values: int | None,
    chosen: tuple[str, ...],
    as_json: bool,
) -> None:
    """Compare the wall time of commit BASE with commit HEAD (default HEAD), measured together.

    Each commit is exported from git to a temporary folder and measured by fresh worker
    processes that alternate value by value, so both see the same machine. Exits 1 naming each
    workload slower by more than --factor with a significant difference (paired Wilcoxon
    signed-rank test, p < 0.01); 0 otherwise. Uncommitted changes are not measured: commit
    them first.
    """
    from benchmarks.harness.compare.compare import CompareSettings, compare

    given = {
        "repo": repo,
        "factor": factor,
        "rounds": rounds,
        "values": values,
        "workloads": tuple(dict.fromkeys(chosen)) or None,
    }
    settings = CompareSettings(**{k: v for k, v in given.items() if v is not None})
    report = compare(base, head, settings, progress=echo_err)
    if as_json:
        click.echo(json.dumps(report.as_dict(), indent=2))
    else:
        for line in report.lines():
            click.echo(line)
    if report.regressions:
        raise SystemExit(1)
