"""Switching from the real Kometa-AI: it runs, reelscale imports its state and runs, then reruns.

One stand-in Radarr and one stand-in Claude (seeded library) serve both tools in turn, as a user's
servers would: ``kometa-ai --run-now`` (installed unmodified, as ``bench peer`` does) judges the
library and tags Radarr; ``reelscale import kometa-ai`` takes over its ``state/`` with the same
``kometa-config/``; ``reelscale run`` and a rerun follow. Heist Movies has its threshold (0.95)
after ``prompt: |``: Kometa-AI ignores it (0.7), reelscale applies it, so the two disagree on
its members judged between 0.7 and 0.95. ``peer_max_evals`` caps Kometa-AI's run
(``MAX_EVALS_PER_RUN``) so that it leaves pairs undecided. Recorded and checked:

- reelscale's first run sends Claude only the pairs Kometa-AI had not decided (the pairs the
  import left to judge, all "new"; none when it had decided all);
- its tag changes are exactly the pairs where Kometa-AI's tags in Radarr and the imported
  decisions disagree;
- its summary reports the imported decisions; the rerun sends 0 Claude requests and 0 Radarr
  writes.
"""

from __future__ import annotations

import sqlite3
import tempfile
from collections.abc import Callable
from pathlib import Path

from benchmarks.harness.numbers.kometa_switch import reelscale_json
from benchmarks.harness.peer import runs, world
from benchmarks.harness.peer.measure import DEFAULT_MODEL
from benchmarks.harness.workloads import sizes
from benchmarks.harness.workloads.run import cli_run

LATE = "Heist Movies"


def _threshold_after_prompt(path: Path, name: str, threshold: float) -> None:
    """Move ``name``'s threshold below its prompt (as several of Kometa-AI's examples have it)."""
    lines = path.read_text(encoding="utf-8").split("\n")
    key = lines.index(f"  {name}:")
    end = key - 1  # its '# === END KOMETA-AI ===' line
    start = max(i for i in range(end) if lines[i].strip() == "# === KOMETA-AI ===")
    block = [ln for ln in lines[start:end] if "confidence_threshold" not in ln]
    block.append(f"  # confidence_threshold: {threshold}")
    lines[start:end] = block
    path.write_text("\n".join(lines), encoding="utf-8")


def _decided(db: Path, *, members: bool) -> set[tuple[int, str]]:
    """``(radarr id, tag)`` of the stored decisions (only the members with ``members``)."""
    conn = sqlite3.connect(db)
    try:
        rows = conn.execute(
            "SELECT i.key, d.collection FROM decisions d JOIN items i ON i.id = d.item_id "
            "WHERE i.source = 'radarr' AND (d.include = 1 OR NOT ?)",
            (members,),
        )
        return {(int(key), tag) for key, tag in rows}
    finally:
        conn.close()


def _changes(db: Path, run_id: int) -> set[tuple[int, str]]:
    conn = sqlite3.connect(db)
    try:
        rows = conn.execute(
            "SELECT i.key, t.collection FROM tag_changes t JOIN items i ON i.id = t.item_id "
            "WHERE t.run_id = ? AND t.applied = 1",
            (run_id,),
        )
        return {(int(key), tag) for key, tag in rows}
    finally:
        conn.close()


def _tagged(radarr, chosen) -> set[tuple[int, str]]:
    labels = {label.casefold(): ids for label, ids in radarr.tags_by_label().items()}
    out = set()
    for c in chosen:
        tag = world.peer_tag(c.name).casefold()
        out |= {(m, tag) for m in labels.get(tag, set())}
    return out


def measure_switch(
    source: Path,
    *,
    movies: int = 300,
    collections: int = 6,
    model: str = DEFAULT_MODEL,
    time_scale: float = 0.05,
    timeout_s: float = 3600.0,
    peer_max_evals: int = 0,
    progress: Callable[[str], None] = lambda line: None,
) -> dict:
    from benchmarks.harness.peer.install import peer_python
    from synthetic.servers.claude.server import ClaudeServer
    from synthetic.servers.radarr.server import RadarrServer
    from synthetic.servers.traffic import set_time_scale

    python = peer_python(source, progress)
    chosen = world.collections(collections)
    previous = set_time_scale(time_scale)
    try:
        with (
            tempfile.TemporaryDirectory(prefix="reelscale-switch-") as tmp,
            RadarrServer.from_library(movies, sizes.SEED) as radarr,
            ClaudeServer.from_library(movies, sizes.SEED) as claude,
        ):
            peer_dir, db = Path(tmp) / "kometa-ai", Path(tmp) / "reelscale.db"
            config = world.write_config(peer_dir, chosen)
            _threshold_after_prompt(config / "collections.yml", LATE, 0.95)
            env = runs.child_env(radarr, claude, model)
            progress(f"Kometa-AI: {movies} movies x {collections} collections on {model}")
            peer_env = {**env, "MAX_EVALS_PER_RUN": str(peer_max_evals)}
            peer = runs.run_peer(python, peer_dir, peer_env, timeout_s=timeout_s)
            peer.update(runs.claude_figures(claude, model), **runs.radarr_figures(radarr))
            tagged = _tagged(radarr, chosen)
            progress("reelscale import kometa-ai, run, rerun")
            common = ("--config", str(config), "--db", str(db))
            state = str(peer_dir / "state")
            imported, *cost = reelscale_json(env, "import", "kometa-ai", state, *common)
            disagree = tagged ^ _decided(db, members=True)
            imported_pairs = _decided(db, members=False)
            steps = {}
            for step in ("first", "rerun"):
                radarr.reset_counters()
                claude.reset_counters()
                report = cli_run(env, db, config)
                steps[step] = {
                    **runs.claude_figures(claude, model),
                    **runs.radarr_figures(radarr),
                    "radarr_writes": sum(1 for r in radarr.requests() if r.method != "GET"),
                    "imported_decisions_reported": report["imported_decisions"],
                    "wall_seconds": report["wall_seconds"],
                    "tag_changes": _changes(db, report["run_id"]),
                }
    finally:
        set_time_scale(previous)
    peer["max_evals_per_run"] = peer_max_evals
    world_ = {"movies": movies, "collections": [c.name for c in chosen], "model": model}
    world_["time_scale"] = time_scale
    return _summary(world_, peer, imported, cost, (disagree, imported_pairs), steps)


def _summary(setting: dict, peer, imported, cost, disagree, steps) -> dict:
    first, rerun = steps["first"], steps["rerun"]
    disagree, imported_pairs = disagree
    changes = first.pop("tag_changes")
    on_imported = {c for c in changes if c in imported_pairs}
    rerun.pop("tag_changes")
    left = imported["first_run"]
    return {
        **setting,
        "threshold_after_prompt": {LATE: {"reelscale": 0.95, "kometa_ai": 0.7}},
        "kometa_ai": peer,
        "import": {
            "decisions_in_state": imported["decisions_in_state"],
            "imported": imported["imported"],
            "current": imported["current"],
            "skipped": imported["skipped"],
            "seconds": cost[0],
            "peak_rss_mb": cost[1],
            "pairs_left_to_judge": left["pairs"],
            "by_reason": left["by_reason"],
            "disagreeing_pairs": len(disagree),
        },
        "reelscale_first": {
            **first,
            "tag_changes": len(changes),
            "tag_changes_on_imported_pairs": len(on_imported),
        },
        "reelscale_rerun": rerun,
        "checks": {
            "claude_only_for_undecided": set(left["by_reason"]) <= {"new"}
            and (left["pairs"] > 0 or first["claude_requests"] == 0),
            # tags of imported pairs change only where the two disagree (the rest of the changes
            # are the verdicts on pairs Kometa-AI had not decided)
            "writes_only_where_they_disagree": on_imported == {(m, t.lower()) for m, t in disagree},
            "run_reports_imported": first["imported_decisions_reported"] == imported["imported"],
            "rerun_zero_and_zero": rerun["claude_requests"] == 0 and rerun["radarr_writes"] == 0,
        },
    }
