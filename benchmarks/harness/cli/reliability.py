"""``reelscale bench reliability``: the fault-injection suites behind results/reliability.json.

Each suite runs reelscale (mostly as users run it: ``reelscale ...`` in a child process) against
stand-ins that fail on purpose, and records one entry (trials, faults injected, failures, data
lost, and what it measured) in results/reliability.json. The entry is printed as JSON on stdout;
progress goes to stderr.
"""

from __future__ import annotations

import json

import click

from benchmarks.harness.cli._options import NumberList, echo_err, no_record_option

size_option = click.option(
    "--size", type=click.IntRange(min=1), default=2000, show_default=True, help="Library size."
)
seed_option = click.option("--seed", type=int, default=1, show_default=True)


def _show(entry: dict, *, fail_on: tuple[str, ...] = ("failures", "data_lost")) -> None:
    click.echo(json.dumps(entry, indent=2))
    if any(entry.get(key) for key in fail_on):
        raise SystemExit(1)


@click.group()
def reliability() -> None:
    """Fault-injection suites; each records its figures in results/reliability.json."""


@reliability.command("bad-input")
@click.option(
    "--scale",
    type=click.FloatRange(min=0, min_open=True),
    default=1.0,
    show_default=True,
    help="Share of each property's examples (below 1: a quick look, not recorded).",
)
@click.option("--only", help="Only the properties whose name contains this (not recorded).")
def reliability_bad_input(scale: float, only: str | None) -> None:
    """Every bad-input property with thousands of examples, plus a 100k-movie odd-title run.

    The `check_*` functions the tests run under hypothesis (odd release names and file trees,
    broken configs, any text as Claude's answer, malformed Radarr payloads), here with a fixed
    seed and counted: trials, faults, failures, tracebacks, data lost. Exits 1 on any failure.
    About 6 minutes on 2 cores.
    """
    from benchmarks.harness.reliability.bad_input_suite import run_suite

    entry = run_suite(scale, only, progress=echo_err)
    totals = ("trials", "faults_injected", "failures", "tracebacks", "data_lost", "seconds")
    _show({key: entry[key] for key in totals}, fail_on=("failures",))


@reliability.command("chaos")
@click.option("--trials", type=click.IntRange(min=0), default=20, show_default=True)
@click.option("--movies", type=click.IntRange(min=1), default=2000, show_default=True)
@click.option(
    "--files-trials",
    type=click.IntRange(min=0),
    default=2,
    show_default=True,
    help="Files-source trials (1,000 files each).",
)
@no_record_option
def reliability_chaos(trials: int, movies: int, files_trials: int, no_record: bool) -> None:
    """`reelscale run` against stand-ins failing at random (Claude 10 %, Radarr 5 %, TMDB 429s).

    Each Radarr trial also forces one editor chunk to fail past its retries: the first run must
    exit 1 and say so, the second exit 0 with the tags equal to the decisions. Every trial checks
    that no judgment was paid twice and no failed request billed.
    """
    from benchmarks.harness.reliability.chaos_suite import run_suite

    entry = run_suite(trials, movies, files_trials, save=not no_record, progress=echo_err)
    _show(entry, fail_on=())


@reliability.command("refusals")
@click.option("--movies", type=click.IntRange(min=2), default=1000, show_default=True)
@click.option(
    "--share",
    type=click.FloatRange(min=0, max=1, min_open=True),
    default=0.01,
    show_default=True,
    help="Share of the titles Claude refuses to judge.",
)
@no_record_option
def reliability_refusals(movies: int, share: float, no_record: bool) -> None:
    """`reelscale run` while Claude refuses every request carrying some titles.

    After a prompt change, the run must keep every tag, decide every other movie and list the
    refused titles; the next run asks only those. Exits 1 on any failure.
    """
    from benchmarks.harness.reliability.refusal_suite import run_suite

    _show(run_suite(movies, share, save=not no_record))


@reliability.command("concurrency")
@size_option
@click.option("--rounds", type=click.IntRange(min=1), default=10, show_default=True)
@seed_option
@no_record_option
def reliability_concurrency(size: int, rounds: int, seed: int, no_record: bool) -> None:
    """A second `run`, or a `scan`, while a run is paused at a random point (ROUNDS of each).

    Checks the lock message and exit code of the second command, that it sent nothing and
    changed no file, and that the first run ends as if alone. Exits 1 on any failure.
    """
    from benchmarks.harness.reliability.concurrency_suite import run_suite

    _show(run_suite(size, rounds, seed, save=not no_record))


@reliability.command("crash")
@size_option
@click.option("--rounds", type=click.IntRange(min=1), default=5, show_default=True)
@seed_option
@no_record_option
def reliability_crash(size: int, rounds: int, seed: int, no_record: bool) -> None:
    """`kill -9` of `reelscale run` at a random point of every stage, then a rerun (ROUNDS each).

    Checks that nothing decided is lost, nothing is paid twice beyond what was in flight, and the
    tags end equal to a clean run's. Exits 1 on any failure.
    """
    from benchmarks.harness.reliability.crash_suite import run_suite

    entry = run_suite(size, rounds, seed, save=not no_record)
    _show({k: v for k, v in entry.items() if k not in ("per_trial", "clean_runs")})


@reliability.command("filesystem")
def reliability_filesystem() -> None:
    """Symlink loops, vanishing files, undecodable names, a full disk, denied permissions.

    As root it mounts a 2 MB tmpfs for the full disk, else it limits file sizes (RLIMIT_FSIZE);
    the entry says which. Exits 1 on any failure. A few minutes.
    """
    from benchmarks.harness.reliability.fs_suite import run_suite

    _show(run_suite())


@reliability.command("load")
@click.option(
    "--sizes",
    type=NumberList(),
    default="10000,100000",
    show_default=True,
    help="Stand-in Radarr library sizes.",
)
@click.option(
    "--scales",
    type=NumberList(float),
    default="0,0.05",
    show_default=True,
    help="Latency time scales (0 is no latency, always measured).",
)
@click.option("--scan-files", type=click.IntRange(min=1), default=300_000, show_default=True)
@no_record_option
def reliability_load(
    sizes: list[int], scales: list[float], scan_files: int, no_record: bool
) -> None:
    """Peak RSS of the 300k-file scan and of runs, with the stand-ins answering late.

    Latency at scale 1: Claude 0.5 s + 150 tokens/s, Radarr 0.5-1 s per request. A buffer or
    queue growing with latency would show as a higher peak than at scale 0.
    """
    from benchmarks.harness.reliability.load_suite import run_suite

    entry = run_suite(sizes, scales, scan_files, save=not no_record, progress=echo_err)
    _show(entry, fail_on=())


@reliability.command("secrets")
def reliability_secrets() -> None:
    """Every command run with sentinel API keys; every output, log and file searched for them.

    Exits 1 when a key shows up anywhere. About 2 minutes.
    """
    from benchmarks.harness.reliability.secrets_suite import run_suite

    _show(run_suite(), fail_on=("failures",))
