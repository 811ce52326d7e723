"""Chaos trials: ``reelscale run`` (a child process, as users run it) against failing stand-ins.

    reelscale bench reliability chaos [--trials 20] [--files-trials 2] [--movies N] [--no-record]

Each Radarr trial serves an N-movie library (default 2,000) with its own fault seed (the mixes of
``benchmarks.harness.reliability.chaos``: Claude 10%, Radarr 5%) and forces one editor chunk to fail
past its retries: the first run must exit 1 and say so, the second must exit 0 and leave the tags
equal to the decisions. Each files trial scans a 1,000-file tree with TMDB answering 5% of its
requests 429. Every trial checks the Claude stand-in's log: no judgment paid twice, no failed
request billed. Records suite "chaos" in results/reliability.json.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from benchmarks.harness.reliability import chaos
from benchmarks.harness.reliability.results import record
from benchmarks.harness.workloads.run import reelscale_run, tags_match_decisions

SIZE, FILES, LIBRARY_SEED = 2000, 1000, 1
COMMAND = "reelscale bench reliability chaos"
_SETTINGS = ("RADARR_", "ANTHROPIC_", "CLAUDE_", "TMDB_", "REELSCALE_")


def base_env() -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(_SETTINGS)}
    return {**env, "CLAUDE_CONCURRENCY": "8"}


def faults_of(*servers) -> int:
    """Faults the stand-ins drew; the Claude stand-in's network layer keeps its own log."""
    total = 0
    for server in servers:
        total += sum(server.counters.faults.values())
        if isinstance(server.traffic, chaos.CuttingTraffic):
            total += sum(server.traffic.log.counters().faults.values())
    return total


def radarr_trial(seed: int, movies: list, folder: Path) -> dict:
    size = len(movies)
    from synthetic.library.collection_defs import to_toml
    from synthetic.servers.radarr.server import RadarrServer

    config, db = folder / "reelscale.toml", folder / "reelscale.db"
    config.write_text(to_toml(), encoding="utf-8")
    with (
        RadarrServer(movies, **chaos.radarr_config(seed)) as radarr,
        chaos.claude_stand_in(movies, seed) as claude,
    ):
        env = {
            **base_env(),
            "RADARR_URL": radarr.url,
            "RADARR_API_KEY": radarr.config.api_key,
            "ANTHROPIC_API_KEY": claude.config.api_key,
            "ANTHROPIC_BASE_URL": claude.url,
        }
        radarr.fail_next(5, 500, endpoint="movie_editor")  # one chunk fails past its 4 retries
        code1, first, err1 = reelscale_run(env, db, config)
        half_applied = not tags_match_decisions(radarr, db)
        said = (
            code1 == 1
            and first.get("status") == "partial"
            and any(e["cause"].startswith("Radarr editor") for e in first.get("errors", []))
        )
        code2, second, err2 = reelscale_run(env, db, config)
        tags_ok = tags_match_decisions(radarr, db)
        bill = chaos.billing(claude, db)
        retries = [r.get("retries", {}) for r in (first, second)]
        return {
            "seed": seed,
            "source": "radarr",
            "exit_codes": [code1, code2],
            "faults_injected": faults_of(radarr, claude) + 5,
            "retries": sum(sum(r.values()) for r in retries),
            "retries_by_service": _by_service(retries),
            "claude_retries_expected": chaos.claude_failed(claude),
            "duplicate_charges": bill.duplicate_charges,
            "failed_billed": bill.failed_billed,
            "wasted_answers": bill.wasted,
            "judged": bill.judged_movies,
            "half_applied_reported": half_applied and said,
            "unreported_partial_apply": int(half_applied and not said),
            "data_lost": (size - bill.judged_movies) + int(not tags_ok),
            "ok": code1 == 1 and said and code2 == 0 and second.get("errors") == [] and tags_ok,
            "stderr": (err1 + err2).strip()[-400:] if code2 != 0 or not said else "",
        }


def files_trial(seed: int, tree: Path, folder: Path) -> dict:
    from synthetic.library.collection_defs import to_toml
    from synthetic.library.movies import generate
    from synthetic.servers.tmdb.server import TMDBServer

    config, db = folder / "reelscale.toml", folder / "reelscale.db"
    kometa = folder / "reelscale.yml"
    config.write_text(to_toml(), encoding="utf-8")
    movies = list(generate(FILES, LIBRARY_SEED))
    with (
        TMDBServer(movies, **chaos.tmdb_config(seed)) as tmdb,
        chaos.claude_stand_in(movies, seed) as claude,
    ):
        env = {
            **base_env(),
            "TMDB_API_KEY": tmdb.config.api_key,
            "TMDB_URL": tmdb.url,
            "TMDB_RATE": "100000",
            "ANTHROPIC_API_KEY": claude.config.api_key,
            "ANTHROPIC_BASE_URL": claude.url,
        }
        extra = ("--source", "files", "--library", str(tree), "--kometa-file", str(kometa))
        code, report, err = reelscale_run(env, db, config, *extra)
        bill = chaos.billing(claude, db)
        retries = report.get("retries", {})
        return {
            "seed": seed,
            "source": "files",
            "exit_codes": [code],
            "faults_injected": faults_of(tmdb, claude),
            "retries": sum(retries.values()),
            "retries_by_service": _by_service([retries]),
            "tmdb_429": tmdb.counters.faults.get("429", 0),
            "claude_retries_expected": chaos.claude_failed(claude),
            "duplicate_charges": bill.duplicate_charges,
            "failed_billed": bill.failed_billed,
            "wasted_answers": bill.wasted,
            "judged": bill.judged_movies,
            "unreported_partial_apply": 0,
            "data_lost": int(not kometa.exists()),
            "ok": code == 0 and report.get("errors") == [] and kometa.exists(),
            "stderr": err.strip()[-400:] if code != 0 else "",
        }


def _by_service(reports: list[dict]) -> dict[str, int]:
    out: dict[str, int] = {}
    for retries in reports:
        for service, n in retries.items():
            out[service] = out.get(service, 0) + n
    return out


def run_suite(
    trials: int = 20,
    movies: int = SIZE,
    files_trials: int = 2,
    *,
    save: bool = True,
    progress: Callable[[str], None] = lambda line: None,
) -> dict:
    """``trials`` Radarr trials over ``movies`` movies and ``files_trials`` files trials; the
    entry of suite "chaos" (recorded when ``save``)."""
    from benchmarks.harness.workloads import sizes as workloads
    from synthetic.library.movies import generate
    from synthetic.servers.traffic import set_time_scale

    set_time_scale(0.0)  # the Claude stand-in answers at once; faults and backoffs stay real
    library = list(generate(movies, LIBRARY_SEED))
    tree, _ = workloads.tree(FILES, LIBRARY_SEED) if files_trials else (None, None)
    done = []
    started = time.perf_counter()
    for n in range(trials + files_trials):
        seed = 100 + n
        with tempfile.TemporaryDirectory(prefix="reelscale-chaos-") as tmp:
            if n < trials:
                trial = radarr_trial(seed, library, Path(tmp))
            else:
                trial = files_trial(seed, tree, Path(tmp))
        done.append(trial)
        progress(json.dumps({k: v for k, v in trial.items() if k != "stderr" or v}))
    entry = _entry(done, trials, movies, files_trials, time.perf_counter() - started)
    if save:
        record("chaos", entry)
    return entry


def _entry(trials: list[dict], radarr: int, movies: int, files: int, seconds: float) -> dict:
    """The suite's figures over all ``trials`` (``radarr`` of them over ``movies`` movies)."""
    retries_exact = all(
        t["retries_by_service"].get("claude", 0) == t["claude_retries_expected"] for t in trials
    )
    return {
        "trials": len(trials),
        "radarr_trials": radarr,
        "files_trials": files,
        "movies_per_trial": {"radarr": movies, "files": FILES},
        "fault_rates": {
            "claude": {**chaos.CLAUDE_FAULTS, **chaos.CLAUDE_NETWORK_FAULTS},
            "radarr": chaos.RADARR_FAULTS,
            "tmdb": chaos.TMDB_FAULTS,
            "forced": "one editor chunk per Radarr trial fails past its retries",
        },
        "faults_injected": sum(t["faults_injected"] for t in trials),
        "retries": sum(t["retries"] for t in trials),
        "retries_by_service": _by_service([t["retries_by_service"] for t in trials]),
        "claude_retries_match_standin_log": retries_exact,
        "failures": sum(1 for t in trials if not t["ok"]),
        "duplicate_charges": sum(t["duplicate_charges"] for t in trials),
        "failed_requests_billed": sum(t["failed_billed"] for t in trials),
        "wasted_answers": sum(t["wasted_answers"] for t in trials),
        "data_lost": sum(t["data_lost"] for t in trials),
        "half_applied_runs_reported": sum(1 for t in trials if t.get("half_applied_reported")),
        "unreported_partial_applies": sum(t["unreported_partial_apply"] for t in trials),
        "seconds": round(seconds, 1),
        "command": f"{COMMAND} --trials {radarr} --movies {movies} --files-trials {files}",
    }
