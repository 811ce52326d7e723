"""The deterministic measurements the gate compares with baselines.

Each metric name says stage, measure and workload size, e.g. ``scan.peak_heap_mb[10000]``.
Counters and accuracies are exact for a given tree; the memray peak is measured in a fresh process
(see :mod:`benchmarks.harness.gate.peak`).
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from benchmarks.harness.gate.peak import measure_peak
from benchmarks.harness.gate.stage_inputs import TV_EPISODES
from benchmarks.harness.workloads import sizes as workloads
from benchmarks.harness.workloads.parse_accuracy import CORPORA, load_corpus, score, score_truth
from core.progress import NULL_REPORTER, Reporter

QUICK_SIZES = (10_000,)
FULL_SIZES = (10_000, 100_000)
CLASSIFY_MOVIES = 1_000
RUN_MOVIES = 1_000
SONARR_SERIES = 300
ENRICH_QUICK_SIZES = (2_000,)
ENRICH_FULL_SIZES = (2_000, 20_000)


#: What ``bench check --stage NAME`` measures: its counters and its instruction-count workloads.
STAGES = {
    "parse": ("instructions:parse",),
    "scan": ("instructions:scan", "instructions:rescan"),
    "enrich": ("instructions:enrich",),
    "classify": ("instructions:classify",),
    "tag": ("instructions:tag",),
    "run": (),
    "sonarr": (),
    "tv": ("instructions:tv_group",),
}


def measure(
    *,
    quick: bool,
    stages: tuple[str, ...] = (),
    instructions: bool = True,
    reporter: Reporter = NULL_REPORTER,
) -> dict[str, float]:
    """Every deterministic metric (or those of ``stages``); large workloads unless ``quick``."""
    chosen = set(stages or STAGES)
    sizes = QUICK_SIZES if quick else FULL_SIZES
    enrich_sizes = ENRICH_QUICK_SIZES if quick else ENRICH_FULL_SIZES
    steps: list = []
    if "parse" in chosen:
        steps.append(_corpus_accuracy)
    if "scan" in chosen:
        steps += [lambda size=size: _scan_metrics(size) for size in sizes]
    if "enrich" in chosen:
        steps += [lambda size=size: _enrich_metrics(size) for size in enrich_sizes]
    if "classify" in chosen:
        steps.append(lambda: _classify_metrics(CLASSIFY_MOVIES))
    if "run" in chosen:
        steps.append(lambda: _run_metrics(RUN_MOVIES))
    if "sonarr" in chosen:
        steps.append(lambda: _sonarr_metrics(SONARR_SERIES))
    if "tv" in chosen:
        steps.append(lambda: _tv_metrics(TV_EPISODES))
    metrics: dict[str, float] = {}
    reporter.start("measure", total=len(steps))
    for step in steps:
        metrics.update(step())
        reporter.advance("measure")
    reporter.finish("measure")
    if instructions:
        from benchmarks.harness.gate.icount import measure_instructions

        names = [w.split(":", 1)[1] for s in sorted(chosen) for w in STAGES[s]]
        if names:
            metrics.update(measure_instructions(names, reporter=reporter))
    return metrics


def _corpus_accuracy() -> dict[str, float]:
    return {
        f"parse.accuracy.{name}": round(score(load_corpus(path))["accuracy"], 4)
        for name, path in CORPORA.items()
    }


def _scan_metrics(size: int) -> dict[str, float]:
    from core.pipeline.source.files import scan
    from core.store.db import open_store

    root, truth = workloads.tree(size)
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "bench.db")
        first = measure_peak("scan", str(root), db)
        summary = first["result"]
        with open_store(db) as store:
            rescan = scan(root, store)
            rows = store.conn.execute("SELECT count(*) FROM scan_index").fetchone()[0]
    with open(truth, encoding="utf-8") as fh:
        truth_rows = [row for row in map(json.loads, fh) if row["type"] != "extra"]
    accuracy = score_truth(truth_rows)["accuracy"]
    tag = f"[{size}]"
    return {
        f"scan.peak_heap_mb{tag}": round(first["peak_heap_bytes"] / 1e6, 2),
        f"scan.videos{tag}": summary["videos"],
        f"scan.extras_skipped{tag}": summary["extras"],
        f"scan.index_rows{tag}": rows,
        f"scan.errors{tag}": summary["errors"],
        f"scan.rescan_reparses{tag}": rescan.parsed,
        f"scan.rescan_unchanged{tag}": rescan.unchanged,
        f"parse.accuracy.synthetic{tag}": round(accuracy, 4),
    }


def _enrich_metrics(files: int) -> dict[str, float]:
    from benchmarks.harness.workloads import enrich as enrich_workload
    from synthetic.servers.tmdb.server import TMDBServer

    served = files + max(100, files // 10)
    with TMDBServer.from_library(served, workloads.SEED, rate_limit=None) as server:
        result = enrich_workload.scenario(files, server)
    keys = (
        "first_requests",
        "second_requests",
        "second_hit_rate",
        "changed_hit_rate",
        "changed_requests_per_new_title",
        "match_correct",
        "match_wrong",
    )
    return {f"enrich.{key}[{files}]": result[key] for key in keys}


def _classify_metrics(movies: int) -> dict[str, float]:
    """Requests, billed tokens and dollars per 1k movies x 10 collections, sync and batch."""
    from benchmarks.harness.workloads.classify import fill_store, truth_agreement
    from core.clients.claude.client import MessagesSettings
    from core.config.files import load_collections
    from core.config.model import ClaudeSettings
    from core.pipeline.classify.stage import classify
    from core.store.db import open_store
    from synthetic.library.collection_defs import to_toml
    from synthetic.servers.claude.server import ClaudeServer
    from synthetic.servers.traffic import set_time_scale

    out: dict[str, float] = {}
    previous = set_time_scale(0)
    try:
        with (
            tempfile.TemporaryDirectory() as tmp,
            ClaudeServer.from_library(movies, workloads.SEED, batch_processing_s=0) as server,
        ):
            config = Path(tmp) / "reelscale.toml"
            config.write_text(to_toml())
            collections = load_collections(config)
            settings = MessagesSettings(
                claude=ClaudeSettings(
                    model="claude-haiku-5-5",
                    api_key=server.config.api_key,
                    base_url=server.url,
                    concurrency=8,
                ),
                batch_size=50,
            )
            for mode in ("sync", "batch"):
                with open_store(Path(tmp) / f"{mode}.db") as store:
                    fill_store(store, movies)
                    s = classify(store, collections, settings, mode=mode, poll_s=0.01)
                    again = classify(store, collections, settings, mode=mode)
                    verdicts = {
                        (i, c): bool(v)
                        for i, c, v in store.conn.execute(
                            "SELECT item_id, collection, include FROM decisions"
                        )
                    }
                tag = f"[{mode},{movies}]"
                out[f"classify.requests{tag}"] = s.requests
                out[f"classify.output_tokens{tag}"] = s.output_tokens
                out[f"classify.billed_input_tokens{tag}"] = (
                    s.input_tokens + s.cache_read_tokens + s.cache_write_tokens
                )
                out[f"classify.usd_per_1k_movies{tag}"] = round(s.cost_usd / movies * 1000, 6)
                out[f"classify.rerun_requests{tag}"] = again.requests
                out[f"classify.agreement_with_truth{tag}"] = round(
                    truth_agreement(verdicts, collections), 4
                )
    finally:
        set_time_scale(previous)
    return out


def _run_metrics(movies: int) -> dict[str, float]:
    """``reelscale run`` end to end, first run and unchanged rerun: requests and tag state."""
    from benchmarks.harness.workloads.run import run_twice

    r = run_twice(movies)
    first, rerun = r["first"], r["rerun"]
    tag = f"[{movies}]"
    return {
        f"run.claude_requests{tag}": first["requests"],
        f"run.radarr_requests{tag}": first["radarr_requests"],
        f"run.radarr_writes{tag}": first["radarr_writes"],
        f"run.radarr_requests_over_expected{tag}": first["radarr_requests"]
        - r["expected_radarr_requests"],
        f"run.rerun_claude_requests{tag}": r["rerun_claude_requests"] + rerun["requests"],
        f"run.rerun_radarr_writes{tag}": r["rerun_radarr_writes"],
        f"run.rerun_radarr_requests{tag}": rerun["radarr_requests"],
        f"run.tags_match_decisions{tag}": int(r["tags_match_decisions"]),
    }


def _sonarr_metrics(series: int) -> dict[str, float]:
    """``reelscale run --source sonarr`` end to end, first run and unchanged rerun: requests,
    tag state and the series judgments' agreement with the ground truth."""
    from benchmarks.harness.workloads.series import sonarr_run_twice

    r = sonarr_run_twice(series)
    first = r["first"]
    tag = f"[{series}]"
    return {
        f"sonarr.claude_requests{tag}": first["requests"],
        f"sonarr.sonarr_requests{tag}": first["sonarr_requests"],
        f"sonarr.sonarr_writes{tag}": first["sonarr_writes"],
        f"sonarr.requests_over_expected{tag}": first["sonarr_requests"]
        - r["expected_sonarr_requests"],
        f"sonarr.rerun_claude_requests{tag}": r["rerun_claude_requests"] + r["rerun"]["requests"],
        f"sonarr.rerun_sonarr_gets{tag}": r["rerun_sonarr_gets"],
        f"sonarr.rerun_sonarr_writes{tag}": r["rerun_sonarr_writes"],
        f"sonarr.tags_match_decisions{tag}": int(r["tags_match_decisions"]),
        f"sonarr.agreement_with_truth{tag}": r["accuracy"]["accuracy"],
    }


def _tv_metrics(episodes: int) -> dict[str, float]:
    """The folder-series path (:mod:`benchmarks.harness.gate.tv`): a first scan of a TV tree
    grouped into series (peak heap, series found and grouping against the truth), an unchanged
    rescan (nothing re-parsed or regrouped), and two enrich passes (the TMDB TV requests are one
    search per series and one details per matched series, none per episode; then none at all)."""
    from benchmarks.harness.gate.tv import tv_scan_twice

    r = tv_scan_twice(episodes)
    grouping, first = r["grouping"], r["enrich"]
    expected = first["series"] + first["series_matched"]
    tag = f"[{episodes}]"
    return {
        f"tv.peak_heap_mb{tag}": round(r["peak_heap_bytes"] / 1e6, 2),
        f"tv.episodes{tag}": r["scan"]["episodes"],
        f"tv.series_found{tag}": r["series"]["series"],
        f"tv.series_off_truth{tag}": abs(r["series"]["series"] - grouping["shows"]),
        f"tv.episode_accuracy{tag}": grouping["episode_accuracy"],
        f"tv.shows_whole{tag}": grouping["shows_whole"],
        f"tv.ungrouped_episodes{tag}": grouping["ungrouped_episodes"],
        f"tv.series_holding_several_shows{tag}": grouping["series_holding_several_shows"],
        f"tv.rescan_reparses{tag}": r["rescan"]["reparses"],
        f"tv.rescan_regrouped{tag}": r["rescan"]["regrouped"],
        f"tv.tmdb_requests{tag}": first["tmdb_requests"],
        f"tv.tmdb_searches_per_series{tag}": round(
            first["by_endpoint"].get("search_tv", 0) / max(1, first["series"]), 4
        ),
        f"tv.tmdb_requests_over_expected{tag}": first["tmdb_requests"] - expected,
        f"tv.series_matched{tag}": first["series_matched"],
        f"tv.second_tmdb_requests{tag}": r["second_enrich"]["seen_by_tmdb"],
        f"tv.match_right{tag}": r["match"]["right"],
        f"tv.match_wrong{tag}": r["match"]["wrong"],
    }


#: Instruction counts repeat to within 0.1 % for CPU-bound stages and 1 % for those that talk to a
#: stand-in (event-loop wake-ups vary with timing); see results/numbers/gate-validation.json.
INSTRUCTION_TOLERANCE = 0.03

#: How each metric is gated: (name prefix, unit, relative tolerance, better). Counters of a
#: deterministic workload are exact (tolerance 0); the memray peak may move a little with library
#: versions; accuracy may drop half a point before the gate fails.
RULES: tuple[tuple[str, str, float, str], ...] = (
    ("scan.peak_heap_mb", "MB", 0.05, "lower"),
    ("scan.rescan_reparses", "files", 0.0, "lower"),
    ("scan.errors", "errors", 0.0, "lower"),
    ("scan.rescan_unchanged", "files", 0.0, "higher"),
    ("scan.videos", "files", 0.0, "higher"),
    ("scan.extras_skipped", "files", 0.0, "higher"),
    ("scan.index_rows", "rows", 0.0, "higher"),
    ("parse.accuracy", "fraction", 0.005, "higher"),
    ("enrich.first_requests", "requests", 0.0, "lower"),
    ("enrich.second_requests", "requests", 0.0, "lower"),
    ("enrich.second_hit_rate", "fraction", 0.0, "higher"),
    ("enrich.changed_hit_rate", "fraction", 0.0, "higher"),
    ("enrich.changed_requests_per_new_title", "requests", 0.0, "lower"),
    ("enrich.match_correct", "fraction", 0.002, "higher"),
    ("enrich.match_wrong", "fraction", 0.002, "lower"),
    ("classify.requests", "requests", 0.0, "lower"),
    ("classify.output_tokens", "tokens", 0.0, "lower"),
    ("classify.billed_input_tokens", "tokens", 0.0, "lower"),
    ("classify.usd_per_1k_movies", "USD", 0.02, "lower"),
    ("classify.rerun_requests", "requests", 0.0, "lower"),
    ("classify.agreement_with_truth", "fraction", 0.002, "higher"),
    ("run.claude_requests", "requests", 0.0, "lower"),
    ("run.radarr_requests_over_expected", "requests", 0.0, "lower"),
    ("run.radarr_requests", "requests", 0.0, "lower"),
    ("run.radarr_writes", "requests", 0.0, "lower"),
    ("run.rerun_claude_requests", "requests", 0.0, "lower"),
    ("run.rerun_radarr_writes", "requests", 0.0, "lower"),
    ("run.rerun_radarr_requests", "requests", 0.0, "lower"),
    ("run.tags_match_decisions", "bool", 0.0, "higher"),
    ("sonarr.claude_requests", "requests", 0.0, "lower"),
    ("sonarr.sonarr_requests", "requests", 0.0, "lower"),
    ("sonarr.sonarr_writes", "requests", 0.0, "lower"),
    ("sonarr.requests_over_expected", "requests", 0.0, "lower"),
    ("sonarr.rerun_claude_requests", "requests", 0.0, "lower"),
    ("sonarr.rerun_sonarr_gets", "requests", 0.0, "lower"),
    ("sonarr.rerun_sonarr_writes", "requests", 0.0, "lower"),
    ("sonarr.tags_match_decisions", "bool", 0.0, "higher"),
    ("sonarr.agreement_with_truth", "fraction", 0.002, "higher"),
    ("tv.peak_heap_mb", "MB", 0.05, "lower"),
    ("tv.episodes", "files", 0.0, "higher"),
    ("tv.series_found", "series", 0.0, "equal"),
    ("tv.series_off_truth", "series", 0.0, "lower"),
    ("tv.episode_accuracy", "fraction", 0.002, "higher"),
    ("tv.shows_whole", "fraction", 0.002, "higher"),
    ("tv.ungrouped_episodes", "files", 0.0, "lower"),
    ("tv.series_holding_several_shows", "series", 0.0, "lower"),
    ("tv.rescan_reparses", "files", 0.0, "lower"),
    ("tv.rescan_regrouped", "files", 0.0, "lower"),
    ("tv.tmdb_requests_over_expected", "requests", 0.0, "lower"),
    ("tv.tmdb_requests", "requests", 0.0, "lower"),
    ("tv.tmdb_searches_per_series", "requests", 0.0, "lower"),
    ("tv.series_matched", "series", 0.0, "higher"),
    ("tv.second_tmdb_requests", "requests", 0.0, "lower"),
    ("tv.match_right", "fraction", 0.002, "higher"),
    ("tv.match_wrong", "fraction", 0.002, "lower"),
    ("instructions.", "instructions", INSTRUCTION_TOLERANCE, "lower"),
)


def baseline_entry(metric: str, value: float) -> dict:
    for prefix, unit, tolerance, better in RULES:
        if metric.startswith(prefix):
            return {"value": value, "unit": unit, "tolerance": tolerance, "better": better}
    raise KeyError(f"no gating rule for metric {metric!r}; add one to RULES")
