"""``reelscale bench validate``: are the gate and ``bench compare`` trustworthy on this machine?

Both measure the harness itself, not reelscale: they plant known regressions in throwaway copies
and count what is caught and what is flagged falsely. Results go to results/numbers/.
"""

from __future__ import annotations

import json

import click

from benchmarks.harness.cli._options import echo_err, shown

KINDS = ("slowdown", "memory", "aa")  # benchmarks.harness.gate.validation.KINDS (tested equal)


@click.group()
def validate() -> None:
    """Measure how well the regression gate and `bench compare` catch what they should."""


@validate.command("gate")
@click.option("--trials", type=click.IntRange(min=1), default=20, show_default=True)
@click.option(
    "--kind",
    "kinds",
    type=click.Choice(KINDS),
    multiple=True,
    help="Only this kind of trial (repeatable; default: all three).",
)
@click.option("--parallel", type=click.IntRange(min=1), default=1, show_default=True)
@click.option("--seed", type=int, default=2026, show_default=True)
def validate_gate(trials: int, kinds: tuple[str, ...], parallel: int, seed: int) -> None:
    """Does `bench check --quick` catch +10 % work and +10 % memory, and only that?

    Each trial copies the source tree to a temporary folder, patches it there (never this
    checkout) and runs the quick gate from the copy. Kinds: `slowdown` (the parser does +10 %
    work; instructions.parse must be flagged), `memory` (the scan holds +10 % of its peak heap;
    scan.peak_heap_mb must be flagged), `aa` (no patch; any flag is a false alarm). Updates
    results/numbers/gate-validation.json (trials of other kinds are kept).
    """
    from benchmarks.harness.gate.validation import validate

    chosen = tuple(dict.fromkeys(kinds)) or KINDS
    document = validate(trials, chosen, parallel=parallel, seed=seed, progress=echo_err)
    click.echo(json.dumps(document["summary"], indent=1))


@validate.command("compare")
@click.option("--aa", type=click.IntRange(min=1), default=3, show_default=True, help="A/A runs.")
@click.option("--rounds", type=click.IntRange(min=1), default=3, show_default=True)
@click.option("--values", type=click.IntRange(min=1), default=3, show_default=True)
def validate_compare(aa: int, rounds: int, values: int) -> None:
    """A/A ratios of `bench compare HEAD HEAD` and whether a 1.5x slower parser is caught.

    Writes results/numbers/bench-compare.json, with the load average of each run (other
    processes share the machine).
    """
    from benchmarks.harness.compare.trust import measure
    from benchmarks.harness.paths import write_numbers

    result = measure(aa, rounds, values, progress=echo_err)
    path = write_numbers("bench-compare.json", result)
    click.echo(f"-> {shown(path)}")
