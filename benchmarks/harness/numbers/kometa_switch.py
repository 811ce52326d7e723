"""Switching from Kometa-AI, measured: import its state, run, rerun; writes results/numbers/.

    reelscale bench numbers kometa-switch --kometa-ai PATH [--movies 10000] [--undecided 500]

PATH is Kometa-AI 0.5.7's source (its repository or release folder). Over a stand-in Radarr of
``movies`` movies and the 10 synthetic collections as KOMETA-AI blocks (Heist Movies with its
threshold after ``prompt: |``: 0.95 for reelscale, 0.7 for Kometa-AI), the state Kometa-AI
leaves behind is written by Kometa-AI's own code: its parser reads the blocks (the prompts it
hashes), its ``Movie.calculate_metadata_hash`` hashes the stand-in's movie resources, its
``StateManager`` writes ``kometa_state.json`` with a right verdict (confidence 0.9) for every
candidate pair of every movie but the first ``undecided``, and the stand-in is tagged with its
members (``KAI-<slug>``). Kometa-AI itself does not run here: that is ``reelscale bench peer``.

Then, each the real CLI in its own process: ``reelscale import kometa-ai``, ``reelscale run``
and a rerun. Checked: the run's Claude judgments = exactly the pairs Kometa-AI had not decided;
its tag changes = exactly the pairs where the two tools' verdicts differ; the run reports the
imported count; the rerun sends 0 Claude requests and 0 Radarr writes.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx

from benchmarks.harness.paths import write_numbers
from benchmarks.harness.workloads import sizes as workloads
from benchmarks.harness.workloads.run import cli_run
from core.errors import BenchError

LATE = "Heist Movies"


@contextlib.contextmanager
def _peer(path: Path) -> Iterator[tuple]:
    """Kometa-AI's parser, movie model, state manager and decision record, from its source."""
    if not (path / "kometa_ai" / "state" / "manager.py").is_file():
        raise BenchError(f"{path}: not Kometa-AI's source (no kometa_ai/state/manager.py)")
    sys.path.insert(0, str(path))
    try:
        from kometa_ai.kometa.parser import KometaParser
        from kometa_ai.radarr.models import Movie
        from kometa_ai.state.manager import StateManager
        from kometa_ai.state.models import DecisionRecord

        yield KometaParser, Movie, StateManager, DecisionRecord
    finally:
        sys.path.remove(str(path))


def write_state(peer: tuple, radarr, config_dir: Path, state_dir: Path, undecided: int) -> dict:
    """Kometa-AI's state and tags after it judged all but the first ``undecided`` movies."""
    parser_cls, movie_cls, manager_cls, record_cls = peer
    configs = parser_cls(str(config_dir)).parse_configs()
    trait = {c.name: c.trait for c in _collections()}
    traits = {m.id: m.traits for m in radarr.movies}
    raws = httpx.get(
        f"{radarr.url}/api/v3/movie", headers={"X-Api-Key": radarr.config.api_key}, timeout=600
    ).json()
    manager = manager_cls(str(state_dir))
    members: dict[str, set[int]] = {c.tag: set() for c in configs}
    skipped, pairs = set(sorted(traits)[:undecided]), 0
    for raw in raws:
        movie = movie_cls.from_dict(raw)
        if movie.id in skipped:
            continue
        movie_hash = movie.calculate_metadata_hash()
        for c in configs:
            if not c.is_candidate(movie):
                continue
            include = trait[c.name] in traits[movie.id]
            manager.set_decision(
                record_cls(
                    movie_id=movie.id,
                    collection_name=c.name,
                    include=include,
                    confidence=0.9,
                    metadata_hash=movie_hash,
                    tag=c.tag,
                    timestamp="2026-11-01T03:00:00+00:00",
                    revisions=1,
                    prompt_hash=hashlib.sha256(c.prompt.encode()).hexdigest()[:16],
                )
            )
            pairs += 1
            if include and c.confidence_threshold <= 0.9:
                members[c.tag].add(movie.id)
    manager.save(backup=False)
    for tag, ids in members.items():
        radarr.set_tags(tag, ids)
    return {
        "pairs": pairs,
        "movies": len(raws) - len(skipped),
        "members": members,
        "undecided_ids": skipped,
    }


def _collections():
    from synthetic.library.collection_defs import COLLECTIONS

    return COLLECTIONS


def reelscale_json(env: dict, *args: str) -> tuple[dict, float, float]:
    """``reelscale <args> --json`` in a child process: its JSON, wall seconds (process start
    included) and the peak RSS it reports (its own ``VmHWM``: ``ru_maxrss`` of a child counts
    this process's pages shared before exec)."""
    start = time.perf_counter()
    command = [sys.executable, "-m", "core", *args, "--json"]
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        proc = subprocess.run(command, stdout=out, stderr=err, text=True, env=env, check=False)
        wall = time.perf_counter() - start
        out.seek(0)
        err.seek(0)
        if proc.returncode != 0:
            raise BenchError(
                f"reelscale {' '.join(args[:2])} exited {proc.returncode}: {err.read()[-800:]}"
            )
        report = json.loads(out.read().strip().splitlines()[-1])
    return report, round(wall, 3), report.get("peak_rss_mb", 0.0)


def measure(kometa_ai: Path, movies: int, undecided: int, progress: Callable[[str], None]) -> dict:
    from synthetic.library.collection_defs import to_kometa_yaml
    from synthetic.servers.claude.server import ClaudeServer
    from synthetic.servers.radarr.server import RadarrServer
    from synthetic.servers.traffic import set_time_scale

    previous = set_time_scale(0.0)
    try:
        with (
            _peer(kometa_ai) as peer,
            tempfile.TemporaryDirectory(prefix="reelscale-kometa-switch-") as tmp,
            RadarrServer.from_library(movies, workloads.SEED) as radarr,
            ClaudeServer.from_library(movies, workloads.SEED) as claude,
        ):
            config_dir, state_dir, db = (
                Path(tmp) / "kometa",
                Path(tmp) / "state",
                Path(tmp) / "r.db",
            )
            config_dir.mkdir()
            text = to_kometa_yaml({LATE: "confidence_threshold: 0.95"})
            (config_dir / "collections.yml").write_text(text, encoding="utf-8")
            progress(f"writing Kometa-AI's state for {movies:,} movies with its own code")
            kometa = write_state(peer, radarr, config_dir, state_dir, undecided)
            env = dict(
                os.environ,
                RADARR_URL=radarr.url,
                RADARR_API_KEY=radarr.config.api_key,
                ANTHROPIC_API_KEY=claude.config.api_key,
                ANTHROPIC_BASE_URL=claude.url,
                CLAUDE_CONCURRENCY="8",
                PYTHONHASHSEED="0",
            )
            common = ("--config", str(config_dir), "--db", str(db))
            progress("reelscale import kometa-ai")
            imported, *cost = reelscale_json(env, "import", "kometa-ai", str(state_dir), *common)
            progress("reelscale run, then a rerun")
            first = cli_run(env, db, config_dir)
            radarr.reset_counters()
            rerun = cli_run(env, db, config_dir)
            rerun_writes = sum(1 for r in radarr.requests() if r.method != "GET")
            run = _what_the_run_did(db, first["run_id"])
    finally:
        set_time_scale(previous)
    rerun["radarr_writes_seen"] = rerun_writes
    return _result(movies, undecided, kometa, imported, cost, first, run, rerun)


def _what_the_run_did(db: Path, run_id: int) -> dict:
    """The Radarr ids the run judged, and its tag changes ``(id, tag, action)``."""
    conn = sqlite3.connect(db)
    try:
        judged = {
            int(key)
            for (key,) in conn.execute(
                "SELECT DISTINCT i.key FROM decisions d JOIN items i ON i.id = d.item_id "
                "WHERE d.run_id = ?",
                (run_id,),
            )
        }
        changes = {
            (int(key), tag, action)
            for key, tag, action in conn.execute(
                "SELECT i.key, t.collection, t.action FROM tag_changes t "
                "JOIN items i ON i.id = t.item_id WHERE t.run_id = ? AND t.applied = 1",
                (run_id,),
            )
        }
    finally:
        conn.close()
    return {"judged": judged, "changes": changes}


def _result(movies, undecided, kometa, imported, cost, first, run, rerun) -> dict:
    rerun_writes = rerun["radarr_writes_seen"]  # requests the stand-in saw, not the report's
    heist = next(t for t in kometa["members"] if t.lower().endswith("heist-movies"))
    disagree = {(m, heist.lower(), "remove") for m in kometa["members"][heist]}
    removed = {c for c in run["changes"] if c[2] == "remove"}
    added = {c for c in run["changes"] if c[2] == "add"}
    return {
        "library_size": movies,
        "collections": 10,
        "kometa_ai": {
            "movies_decided": kometa["movies"],
            "pairs_decided": kometa["pairs"],
            "movies_undecided": undecided,
        },
        "import": {
            "imported": imported["imported"],
            "current": imported["current"],
            "seconds": cost[0],
            "peak_rss_mb": cost[1],
            "first_run_pairs": imported["first_run"]["pairs"],
            "first_run_by_reason": imported["first_run"]["by_reason"],
        },
        "first_run": {
            "claude_requests": first["requests"],
            "movies_judged": len(run["judged"]),
            "tags_removed": len(removed),
            "tags_added": len(added),
            "radarr_writes": first["radarr_writes"],
            "imported_decisions_reported": first["imported_decisions"],
            "cost_usd": first["cost_usd"],
            "wall_seconds": first["wall_seconds"],
            "peak_rss_mb": first["peak_rss_mb"],
        },
        "rerun": {"claude_requests": rerun["requests"], "radarr_writes": rerun_writes},
        "checks": {
            "imported_every_decision": imported["imported"] == kometa["pairs"],
            "only_undecided_movies_judged": run["judged"] == kometa["undecided_ids"],
            "no_claude_request_when_all_decided": undecided > 0 or first["requests"] == 0,
            "removals_are_the_disagreements": removed == disagree,
            "additions_only_for_undecided_movies": {c[0] for c in added} <= kometa["undecided_ids"],
            "run_reports_imported": first["imported_decisions"] == imported["imported"],
            "rerun_zero_requests_zero_writes": rerun["requests"] == 0 and rerun_writes == 0,
        },
    }


def write(kometa_ai: Path, movies: int, undecided: int, progress: Callable[[str], None]):
    """Measure and write ``results/numbers/kometa-switch-<movies>[-undecided-<n>].json``."""
    result = measure(kometa_ai, movies, undecided, progress)
    name = f"kometa-switch-{movies}" + (f"-undecided-{undecided}" if undecided else "") + ".json"
    return write_numbers(name, result), result
