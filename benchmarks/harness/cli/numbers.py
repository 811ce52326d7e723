"""``reelscale bench numbers`` and ``reelscale bench pyperf``: the headline figures of README.

Each ``numbers`` command measures one stage (or the whole run) at the sizes the README quotes and
writes ``results/numbers/<name>.json``; the figures are printed as JSON on stdout, progress on
stderr. The defaults are the sizes behind the committed files; smaller sizes give a quick look.
"""

from __future__ import annotations

import json

import click

from benchmarks.harness.cli._options import NumberList, echo_err, json_option, shown

count = click.IntRange(min=0)


def _write(name: str, result: dict, *, ensure_ascii: bool = True) -> None:
    from benchmarks.harness.paths import write_numbers

    path = write_numbers(name, result, ensure_ascii=ensure_ascii)
    click.echo(json.dumps(result, indent=2, ensure_ascii=ensure_ascii))
    echo_err(f"written to {shown(path)}")


@click.group()
def numbers() -> None:
    """Measure a stage's headline figures and write them to results/numbers/."""


@numbers.command("run")
@click.option(
    "--sizes",
    type=NumberList(),
    default="10000,100000",
    show_default=True,
    help="Stand-in Radarr library sizes, comma-separated.",
)
def numbers_run(sizes: list[int]) -> None:
    """`reelscale run` end to end per library size, then a rerun: run-<size>.json.

    Each run is the real CLI in its own process against the stand-ins (Claude at time scale 0):
    wall time, peak RSS, per-stage seconds, requests, and the checks the production run promises
    (Radarr requests as expected, rerun sends nothing, tags equal decisions, RSS bounds).
    """
    from benchmarks.harness.numbers.run import write_all

    write_all(sizes, progress=echo_err)


@numbers.command("kometa-switch")
@click.option(
    "--kometa-ai",
    "kometa_ai",
    type=click.Path(exists=True, file_okay=False),
    required=True,
    help="Kometa-AI 0.5.7's source folder (its repository or release).",
)
@click.option("--movies", type=count, default=10_000, show_default=True, help="Library size.")
@click.option(
    "--undecided", type=count, default=0, show_default=True, help="Movies Kometa-AI had not judged."
)
@click.option(
    "--real",
    is_flag=True,
    help="Run the real Kometa-AI first (installed as `bench peer` does; 6 collections, stand-in "
    "latency x0.05) instead of writing its state; --undecided does not apply.",
)
@click.option(
    "--peer-max-evals",
    type=count,
    default=0,
    show_default=True,
    help="With --real: Kometa-AI's MAX_EVALS_PER_RUN (0: no cap), to leave pairs undecided.",
)
def numbers_kometa_switch(
    kometa_ai: str, movies: int, undecided: int, real: bool, peer_max_evals: int
) -> None:
    """Switch from Kometa-AI: its state, import, run, rerun: kometa-switch-<movies>[...].json.

    Without --real, Kometa-AI's state is written by its own code (parser, movie hash, state
    manager) at any library size; with --real, Kometa-AI itself runs on the stand-ins first.
    """
    from pathlib import Path

    if real:
        from benchmarks.harness.paths import write_numbers
        from benchmarks.harness.peer.switch import measure_switch

        result = measure_switch(
            Path(kometa_ai), movies=movies, peer_max_evals=peer_max_evals, progress=echo_err
        )
        capped = f"-max-evals-{peer_max_evals}" if peer_max_evals else ""
        path = write_numbers(f"kometa-switch-real-peer-{movies}x6{capped}.json", result)
    else:
        from benchmarks.harness.numbers.kometa_switch import write

        path, result = write(Path(kometa_ai), movies, undecided, echo_err)
    click.echo(json.dumps(result, indent=2))
    echo_err(f"written to {shown(path)}")
    if not all(result["checks"].values()):
        raise SystemExit(1)


@numbers.command("scan")
@click.option("--files", type=count, default=300_000, show_default=True, help="Tree size.")
@click.option("--repeat", type=click.IntRange(min=1), default=3, show_default=True)
def numbers_scan(files: int, repeat: int) -> None:
    """First scan, rescan against `find`, and `reelscale parse` names/s: scan-<files>.json."""
    from benchmarks.harness.numbers.scan import measure

    _write(f"scan-{files}.json", measure(files, repeat))


@numbers.command("tv-scan")
@click.option("--episodes", type=count, default=300_000, show_default=True, help="Episode files.")
@click.option("--repeat", type=click.IntRange(min=1), default=3, show_default=True)
def numbers_tv_scan(episodes: int, repeat: int) -> None:
    """First scan + series grouping of a TV tree against `find`, peak RSS, grouping accuracy
    against the tree's truth, and the rescan: tv-scan-<episodes>.json."""
    from benchmarks.harness.numbers.tv_scan import measure

    _write(f"tv-scan-{episodes}.json", measure(episodes, repeat))


@numbers.command("classify")
@click.option("--movies", type=count, default=1000, show_default=True, help="Cost/accuracy size.")
@click.option("--big", type=count, default=10_000, show_default=True, help="Limited run (0: skip).")
@click.option("--rss", type=count, default=100_000, show_default=True, help="RSS run (0: skip).")
def numbers_classify(movies: int, big: int, rss: int) -> None:
    """Classify against the stand-in Claude: cost, accuracy, limits, RSS -> classify.json.

    Cost per 1k movies x 10 collections (sync and Message Batches; the real Kometa-AI beside
    reelscale is `reelscale bench peer`), agreement with the ground truth at batch size 25, BIG
    movies against 1,000 RPM / 2M ITPM / 400k OTPM limits, a rerun (0 requests), and the peak
    RSS of `reelscale classify` over RSS movies.
    """
    from benchmarks.harness.numbers.classify import measure

    _write("classify.json", measure(movies, big, rss))


@numbers.command("list")
@click.option("--items", type=count, default=300_000, show_default=True, help="Store size.")
@click.option("--repeat", type=click.IntRange(min=1), default=9, show_default=True)
@click.option("--rebuild", is_flag=True, help="Build the cached store again.")
@click.option("--no-trigger-cost", is_flag=True, help="Skip the title-index trigger costs.")
def numbers_list(items: int, repeat: int, rebuild: bool, no_trigger_cost: bool) -> None:
    """`reelscale list` query times on a big store (target 50 ms each): list-<items>.json."""
    from benchmarks.harness.numbers.listing import measure

    result = measure(items, repeat, rebuild=rebuild, trigger_costs=not no_trigger_cost)
    _write(f"list-{items}.json", result, ensure_ascii=False)


@numbers.command("cache-stress")
@click.option("--inserts", type=count, default=1_000_000, show_default=True)
@click.option("--bound-mb", type=click.FloatRange(min=0), default=32.0, show_default=True)
def numbers_cache_stress(inserts: int, bound_mb: float) -> None:
    """The provider cache's SQLite tier under many inserts: cache-stress.json.

    Exits 1 when the size bound did not hold.
    """
    from benchmarks.harness.numbers.cache_stress import stress

    result = stress(inserts, bound_mb)
    _write("cache-stress.json", result)
    if not result["bound_held"]:
        raise SystemExit(1)


@numbers.command("enrich-rate-limited")
@click.option("--files", type=count, default=19_000, show_default=True, help="Tree size.")
def numbers_enrich_rate_limited(files: int) -> None:
    """First enrich against a TMDB stand-in limiting at 50 requests/s per IP (~7 min at 19,000).

    Both sides at their defaults. Writes enrich-rate-limited-<files>.json: seconds against the
    floor the limit sets (requests / 50 per s), and 429s (in all, and after the first second).
    """
    from benchmarks.harness.numbers.enrich_rate_limited import measure

    _write(f"enrich-rate-limited-{files}.json", measure(files))


@numbers.command("leak-check")
@click.option("--size", type=click.IntRange(min=1), default=1000, show_default=True)
@click.option("--runs", type=click.IntRange(min=3), default=10, show_default=True)
def numbers_leak_check(size: int, runs: int) -> None:
    """The production run RUNS times in one process must not grow its heap: leak-check.json.

    Runs 2..N are traced by memray in a fresh child; growth is heap after run N minus heap after
    run 2, for an unchanged library and with --force-refresh.
    """
    from benchmarks.harness.numbers.leak_check import check

    _write("leak-check.json", check(size, runs, progress=echo_err))


@numbers.command("sonarr-list")
@click.option(
    "--sizes",
    type=NumberList(),
    default="5000,20000",
    show_default=True,
    help="Stand-in Sonarr library sizes, comma-separated.",
)
@click.option("--repeat", type=click.IntRange(min=1), default=3, show_default=True)
def numbers_sonarr_list(sizes: list[int], repeat: int) -> None:
    """Stream and project the Sonarr series list: time and peak RSS -> sonarr-list.json.

    The client reads the stand-in's GET /api/v3/series in a fresh process per measurement:
    streamed and projected (what the Sonarr source does), against an idle client and a naive
    whole-list json() for contrast.
    """
    from benchmarks.harness.numbers.sonarr_list import measure

    _write("sonarr-list.json", measure(sizes, repeat, progress=echo_err))


@numbers.command("sonarr-run")
@click.option(
    "--sizes",
    type=NumberList(),
    default="5000",
    show_default=True,
    help="Stand-in Sonarr library sizes (series), comma-separated.",
)
def numbers_sonarr_run(sizes: list[int]) -> None:
    """`reelscale run --source sonarr` end to end per size, then a rerun: sonarr-run-<size>.json.

    The real CLI in its own process against the stand-in Sonarr and Claude (time scale 0), the
    10 series collections: wall time, peak RSS, requests, accuracy against the ground truth, and
    the checks: Sonarr requests = 1 list + tags + ceil(changes/100) editor PUTs, a rerun sends
    Claude nothing and Sonarr 2 GETs, peak RSS <= 100 MB at 5,000 series. Exits 1 when a check
    fails.
    """
    from benchmarks.harness.numbers.sonarr_run import failed_checks, write_all

    results = write_all(sizes, progress=echo_err)
    click.echo(json.dumps(results, indent=2))
    failed = [f"{r['library_size']}: {name}" for r in results for name in failed_checks(r)]
    if failed:
        raise click.ClickException("checks failed: " + "; ".join(failed))


_PASS_THROUGH = {"ignore_unknown_options": True, "allow_extra_args": True}
_pyperf_args = click.argument("pyperf_args", nargs=-1, type=click.UNPROCESSED)


@click.group()
def pyperf() -> None:
    """pyperf micro-benchmarks; every option after the name goes to pyperf.

    \b
    reelscale bench pyperf parse --fast -o results/pyperf/parse.json
    reelscale bench pyperf parse -- --help     # pyperf's own options
    """


@pyperf.command("parse", context_settings=_PASS_THROUGH)
@_pyperf_args
def pyperf_parse(pyperf_args: tuple[str, ...]) -> None:
    """The release-name parser over every corpus name (one value = one pass)."""
    from benchmarks.harness.numbers.pyperf_parse import run

    run(pyperf_args)


@pyperf.command("cache", context_settings=_PASS_THROUGH)
@_pyperf_args
def pyperf_cache(pyperf_args: tuple[str, ...]) -> None:
    """Provider-cache gets from the memory tier and from the SQLite tier."""
    from benchmarks.harness.numbers.pyperf_cache import run

    run(pyperf_args)


@click.command("parse-eval")
@json_option
@click.option("--no-record", is_flag=True, help="Print the figures; do not write them.")
@click.option("--repeat", type=click.IntRange(min=1), default=20, show_default=True,
              help="Passes of reelscale's parser over the names when timing it.")  # fmt: skip
@click.option("--files", type=count, default=20_000, show_default=True,
              help="Synthetic tree size for file -> TMDB id identification (0: skip).")  # fmt: skip
def parse_eval(as_json: bool, no_record: bool, repeat: int, files: int) -> None:
    """Each release-name corpus: reelscale's parser beside guessit, in one run.

    \b
    Per corpus: title+year and title accuracy of both parsers on the same names (season and
    episode too where the corpus asserts them), and whether reelscale's parser was tuned on it;
    the target (title+year at least guessit's) is judged on the corpora neither parser was
    tuned on.
    Then both parsers' speed over all the names, and end to end on the synthetic tree (its
    noisy names included): how many movie files the scan and the enrich stage, against the
    stand-in TMDB on 127.0.0.1, give the right TMDB id. Writes results/numbers/parse-eval.json.
    """
    from benchmarks.harness.workloads.parse_eval import evaluate, summary_lines

    result = evaluate(repeat=repeat, files=files)
    if not no_record:
        from benchmarks.harness.paths import write_numbers

        path = write_numbers("parse-eval.json", result, ensure_ascii=False)
        echo_err(f"written to {shown(path)}")
    if as_json:
        click.echo(json.dumps(result, indent=2, ensure_ascii=False))
    else:
        click.echo("\n".join(summary_lines(result)))
