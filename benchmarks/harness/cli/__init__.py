"""``reelscale bench``: every entry point of the harness, as one click group.

``core.cli`` attaches :data:`bench` lazily (this package is imported only when ``reelscale bench``
runs), and each command imports the modules that measure only when it runs, so ``reelscale bench
--help`` starts fast. The commands are thin: parse options, call one harness function, print.
Errors of reelscale (``BenchError``, ``UsageError``) are printed as ``Error: ...`` with their
exit code by the ``reelscale`` group they hang under.
"""

from __future__ import annotations

import json

import click

from benchmarks.harness.cli._options import json_option

__all__ = ["bench"]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def bench() -> None:
    """Run the benchmark harness (needs a source checkout).

    \b
    run, check, baseline   asv suites; the regression gate and its baselines
    compare, report        two commits' wall time; the HTML report of results/
    numbers                headline figures of each stage -> results/numbers/
    parse-eval             the release-name parser beside guessit, corpus by corpus
    pyperf                 pyperf micro-benchmarks (parser, provider cache)
    validate               is the gate (or compare) trustworthy on this machine?
    peer                   the real Kometa-AI beside reelscale -> results/numbers/peer-*.json
    reliability            fault-injection suites -> results/reliability.json
    """


@bench.command("run")
@click.option("--quick", is_flag=True, help="Small sizes only, each benchmark once (not saved).")
@click.option("--bench", "-b", "pattern", help="Only benchmarks matching this regex.")
def bench_run(quick: bool, pattern: str | None) -> None:
    """Run the asv suites and save the results under results/asv/."""
    from benchmarks.harness.suite import run_asv

    raise SystemExit(run_asv(quick=quick, pattern=pattern))


#: The names of ``benchmarks.harness.gate.metrics.STAGES`` (a test keeps them equal); spelled out
#: here so that ``--help`` does not import the measuring code.
STAGE_NAMES = ("parse", "scan", "enrich", "classify", "tag", "run", "sonarr", "tv")

stage_option = click.option(
    "--stage",
    "stages",
    multiple=True,
    type=click.Choice(STAGE_NAMES),
    help="Only this stage's metrics (repeatable; default: all).",
)
no_instructions_option = click.option(
    "--no-instructions",
    is_flag=True,
    help="Skip the instruction counts (they need valgrind and take about two minutes).",
)


@bench.command("check")
@click.option("--quick", is_flag=True, help="Small workloads only (what CI runs).")
@stage_option
@no_instructions_option
@json_option
def bench_check(quick: bool, stages: tuple[str, ...], no_instructions: bool, as_json: bool) -> None:
    """Measure the deterministic metrics and compare them with results/baselines/.

    Counters (requests, tokens, re-parses), memray peak heap in a fresh process, parse accuracy
    and instruction counts (valgrind cachegrind) of fixed stage workloads. Exits 1 naming each
    metric that regressed beyond its tolerance (metric, baseline, now, ratio, tolerance). Wall
    time is never compared with a stored number: use `reelscale bench compare` for that.
    """
    from benchmarks.harness.gate.gate import check, load_baselines
    from benchmarks.harness.gate.metrics import measure
    from core.cli._progress import progress_reporter

    baselines = load_baselines()
    with progress_reporter(not as_json) as reporter:
        measured = measure(
            quick=quick, stages=stages, instructions=not no_instructions, reporter=reporter
        )
    report = check(baselines, measured)
    if as_json:
        click.echo(json.dumps(report.as_dict(), indent=2))
    else:
        for line in report.lines():
            click.echo(line)
    if report.regressions:
        raise SystemExit(1)


@bench.command("baseline")
@click.option("--update", is_flag=True, required=True, help="Rewrite the baselines (required).")
@click.option("--quick", is_flag=True, help="Only the small workloads (others keep their values).")
@stage_option
@no_instructions_option
def bench_baseline(
    update: bool, quick: bool, stages: tuple[str, ...], no_instructions: bool
) -> None:
    """Measure now and rewrite results/baselines/ on purpose, printing what changed.

    Commit the result together with the change that explains it.
    """
    from benchmarks.harness.gate.gate import write_baselines
    from benchmarks.harness.gate.metrics import baseline_entry, measure
    from core.cli._progress import progress_reporter

    with progress_reporter(True) as reporter:
        measured = measure(
            quick=quick, stages=stages, instructions=not no_instructions, reporter=reporter
        )
    changes = write_baselines(measured, baseline_entry)
    for line in changes or ["no baseline changed"]:
        click.echo(line)


from benchmarks.harness.cli import compare, numbers, peer, reliability, report, validate  # noqa: E402

bench.add_command(compare.bench_compare)
bench.add_command(peer.bench_peer)
bench.add_command(report.bench_report)
bench.add_command(numbers.numbers)
bench.add_command(numbers.pyperf)
bench.add_command(numbers.parse_eval)
bench.add_command(validate.validate)
bench.add_command(reliability.reliability)
