"""Refusals on the ``run`` path: Claude refuses every request that carries certain movies.

    reelscale bench reliability refusals [--movies 1000] [--share 0.01] [--no-record]

Three ``reelscale run --json`` child processes over one Radarr stand-in and one Claude stand-in
(judging perfectly): the first tags the library; the second runs after every collection's prompt
changed (so every movie is asked again) while the stand-in refuses each request carrying one of
``share`` of the titles (``ClaudeConfig.refuse_titles``); the third runs with refusals off.
Checked: after the second run no tag is lost (the tags equal the first run's), every other movie
is decided again, and the report lists exactly the refused titles; the third run asks only the
refused movies. Records suite "refusals" in results/reliability.json.
"""

from __future__ import annotations

import sqlite3
import tempfile
import time
from pathlib import Path

from benchmarks.harness.reliability.results import record
from benchmarks.harness.workloads.run import reelscale_run

LIBRARY_SEED = 1
COMMAND = "reelscale bench reliability refusals"


def run_suite(movies: int = 1000, share: float = 0.01, *, save: bool = True) -> dict:
    """One trial over ``movies`` movies, ``share`` of them refused; the entry of suite
    "refusals" (recorded when ``save``)."""
    from synthetic.library.movies import generate
    from synthetic.servers.traffic import set_time_scale

    started = time.perf_counter()
    library = list(generate(movies, LIBRARY_SEED))
    step = max(1, round(1 / share)) if share else 0
    titles = frozenset(m.title for m in library[step // 2 :: step]) if step else frozenset()
    refused = sorted(f"{m.title} ({m.year})" for m in library if m.title in titles)
    previous = set_time_scale(0.0)
    try:
        seen = _three_runs(library, titles)
    finally:
        set_time_scale(previous)
    entry = _entry(seen, movies, share, refused)
    entry["seconds"] = round(time.perf_counter() - started, 1)
    if save:
        record("refusals", entry)
    return entry


def _three_runs(library: list, titles: frozenset) -> dict:
    """Tag the library; change every prompt and run with ``titles`` refused; run again with
    refusals off. What each run returned and the tags around the second."""
    from benchmarks.harness.reliability.chaos_suite import base_env
    from synthetic.library.collection_defs import to_toml
    from synthetic.servers.claude.server import PERFECT, ClaudeServer
    from synthetic.servers.radarr.server import RadarrServer

    with (
        tempfile.TemporaryDirectory(prefix="reelscale-refusals-") as tmp,
        RadarrServer(library) as radarr,
        ClaudeServer(library, accuracy=PERFECT) as claude,
    ):
        folder = Path(tmp)
        config, changed, db = (folder / n for n in ("a.toml", "b.toml", "reelscale.db"))
        config.write_text(to_toml(), encoding="utf-8")
        changed.write_text(
            to_toml().replace('prompt = """', 'prompt = """Be strict. '), encoding="utf-8"
        )
        env = {
            **base_env(),
            "RADARR_URL": radarr.url,
            "RADARR_API_KEY": radarr.config.api_key,
            "ANTHROPIC_API_KEY": claude.config.api_key,
            "ANTHROPIC_BASE_URL": claude.url,
        }
        first = reelscale_run(env, db, config)
        tags_before = radarr.tags_by_label()
        claude.engine.refuse_titles = titles
        second = reelscale_run(env, db, changed)
        tags_after = radarr.tags_by_label()
        decided = _decided_in(db, second[1].get("run_id"))
        claude.engine.refuse_titles = frozenset()
        third = reelscale_run(env, db, changed)
    return {
        "runs": (first, second, third),
        "tags_before": tags_before,
        "tags_after": tags_after,
        "decided": decided,
    }


def _entry(seen: dict, movies: int, share: float, refused: list[str]) -> dict:
    """The suite's figures and its verdict from what :func:`_three_runs` saw."""
    (code1, _, err1), (code2, second, err2), (code3, third, err3) = seen["runs"]
    after = seen["tags_after"]
    lost = sum(len(ids - after.get(tag, set())) for tag, ids in seen["tags_before"].items())
    decided = seen["decided"]
    entry = {
        "trials": 1,
        "movies": movies,
        "refused_titles": len(refused),
        "faults_injected": second.get("refused_requests", 0),
        "exit_codes": [code1, code2, code3],
        "tags_lost": lost,
        "refused_listed": sorted(second.get("refused") or []) == refused,
        "others_decided": decided == movies - len(refused),
        "refused_requests": second.get("refused_requests", 0),
        "third_run_requests": third.get("requests"),
        "data_lost": lost + (movies - len(refused) - decided),
        "command": f"{COMMAND} --movies {movies} --share {share}",
    }
    entry["failures"] = int(
        entry["exit_codes"] != [0, 0, 0]
        or lost
        or not entry["refused_listed"]
        or not entry["others_decided"]
        or not third.get("requests")
        or bool(third.get("refused"))
    )
    if entry["failures"]:
        entry["stderr"] = (err1 + err2 + err3).strip()[-800:]
    return entry


def _decided_in(db: Path, run_id) -> int:
    """Movies with at least one decision written by run ``run_id``."""
    conn = sqlite3.connect(db)
    try:
        return conn.execute(
            "SELECT count(DISTINCT item_id) FROM decisions WHERE run_id = ?", (run_id,)
        ).fetchone()[0]
    finally:
        conn.close()
