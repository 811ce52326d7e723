"""The production run end to end: ``reelscale run`` in its own process against the stand-ins.

The stand-ins (Radarr with an N-movie synthetic library, Claude) run in the measuring process;
the run is the real CLI in a child process, so its wall time, its peak RSS (``VmHWM``, reported
by the run itself) and its requests are those of production, not of a process that also serves
360 MB of movie JSON. The stand-in Claude answers at time scale 0 unless asked otherwise: the
figures are reelscale's own overhead, not a model's latency.

``run_twice`` runs once on an empty database and once more with nothing changed, and checks that
the tags in the stand-in equal the stored decisions afterwards.
"""

from __future__ import annotations

import json
import math
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.harness.workloads import sizes as workloads
from core.errors import BenchError


def expected_radarr_requests(report: dict, *, created: int) -> int:
    """1 movie list + 1 tag detail + (1 tag list + creations when a tag is missing) + PUTs."""
    puts = sum(
        math.ceil(c["added"] / 100) + math.ceil(c["removed"] / 100) for c in report["collections"]
    )
    return 2 + (1 + created if created else 0) + puts


def tags_match_decisions(server, db: Path) -> bool:
    """Whether every reelscale tag in the stand-in holds exactly the movies decided in."""
    conn = sqlite3.connect(db)
    try:
        wanted: dict[str, set[int]] = {}
        for tag, key in conn.execute(
            "SELECT d.collection, i.key FROM decisions d JOIN items i ON i.id = d.item_id "
            "WHERE d.include = 1 AND i.source = 'radarr'"
        ):
            wanted.setdefault(tag, set()).add(int(key))
    finally:
        conn.close()
    have = server.tags_by_label()
    return all(have.get(tag, set()) == ids for tag, ids in wanted.items())


def reelscale_run(env: dict, db: Path, config: Path, *extra: str) -> tuple[int, dict, str]:
    """``reelscale run --json`` in a child process: exit code, report (``{}`` if none; with the
    wall time seen here) and stderr."""
    start = time.perf_counter()
    command = [sys.executable, "-m", "core", "run", "--json", "--db", str(db)]
    proc = subprocess.run(
        [*command, "--config", str(config), *extra],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    wall = time.perf_counter() - start
    lines = proc.stdout.strip().splitlines()
    try:
        report = json.loads(lines[-1]) if lines else {}
    except ValueError:
        report = {}
    if report:
        report["wall_seconds"] = round(wall, 3)
    return proc.returncode, report, proc.stderr


def cli_run(env: dict, db: Path, config: Path, *extra: str) -> dict:
    """A run that must succeed: its report plus the wall time seen here."""
    code, report, stderr = reelscale_run(env, db, config, *extra)
    if code != 0 or not report:
        raise BenchError(f"reelscale run exited {code}: {stderr.strip()[-800:]}")
    return report


def run_env(arr: str, server, claude) -> dict:
    """The environment of a ``reelscale run`` child against the stand-in ``arr`` server (radarr,
    sonarr) and stand-in Claude: this process's, plus their URLs and keys."""
    return dict(
        os.environ,
        **{f"{arr.upper()}_URL": server.url, f"{arr.upper()}_API_KEY": server.config.api_key},
        ANTHROPIC_API_KEY=claude.config.api_key,
        ANTHROPIC_BASE_URL=claude.url,
        CLAUDE_CONCURRENCY="8",
        PYTHONHASHSEED="0",
    )


def run_twice(size: int, *, batch_size: int = 25, time_scale: float = 0.0) -> dict:
    """First run and unchanged rerun over a ``size``-movie Radarr library; the figures."""
    from synthetic.library.collection_defs import to_toml
    from synthetic.servers.claude.server import ClaudeServer
    from synthetic.servers.radarr.server import RadarrServer
    from synthetic.servers.traffic import set_time_scale

    previous = set_time_scale(time_scale)
    try:
        with (
            tempfile.TemporaryDirectory(prefix="reelscale-run-") as tmp,
            RadarrServer.from_library(size, workloads.SEED) as radarr,
            ClaudeServer.from_library(size, workloads.SEED) as claude,
        ):
            config, db = Path(tmp) / "reelscale.toml", Path(tmp) / "reelscale.db"
            config.write_text(to_toml(), encoding="utf-8")
            env = run_env("radarr", radarr, claude)
            batch = ("--batch-size", str(batch_size))
            first = cli_run(env, db, config, *batch)
            created = sum(1 for r in radarr.requests() if r.method == "POST")
            first_tags_ok = tags_match_decisions(radarr, db)
            claude_before = claude.counters.total
            radarr.reset_counters()
            rerun = cli_run(env, db, config, *batch)
            rerun_log = radarr.requests()
            rerun_claude = claude.counters.total - claude_before
            return {
                "size": size,
                "first": first,
                "rerun": rerun,
                "expected_radarr_requests": expected_radarr_requests(first, created=created),
                "tags_created": created,
                "tags_match_decisions": first_tags_ok and tags_match_decisions(radarr, db),
                "rerun_claude_requests": rerun_claude,
                "rerun_radarr_writes": sum(1 for r in rerun_log if r.method != "GET"),
            }
    finally:
        set_time_scale(previous)
