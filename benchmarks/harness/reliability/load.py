"""Load: peak memory of a scan and of a Radarr run, with and without latency at the stand-ins.

A slow service must not make reelscale hold more: every buffer and queue on the production path
is bounded by a setting, not by how long answers take (Claude requests in flight by
``CLAUDE_CONCURRENCY``, batches pulled lazily from the plan; the Radarr list parsed as it
streams; editor chunks sent one at a time). So the peak RSS of a run with latency at the
stand-ins should equal that of the same run without. The figures are ``VmHWM`` of the child
process (``benchmarks.harness.workloads.rss``), never ``ru_maxrss``.

Latency is in model seconds times the process-wide time scale (``synthetic.servers.traffic``): the
Claude stand-in's 0.5 s to first token + 150 tokens/s, and ``RADARR_LATENCY`` per Radarr request.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.harness.workloads import sizes as workloads

RADARR_LATENCY = {"fixed_s": 0.5, "jitter_s": 0.5}  # a Radarr on a slow NAS, at time scale 1
_SETTINGS = ("RADARR_", "ANTHROPIC_", "CLAUDE_", "TMDB_", "REELSCALE_")


def child(argv: list[str], env: dict) -> tuple[int, dict, float, str]:
    """``python -m core ARGV`` in a child: exit code, its last JSON line, peak RSS (MB), stderr."""
    with tempfile.TemporaryDirectory(prefix="reelscale-rss-") as tmp:
        out = Path(tmp) / "rss.json"
        command = [
            sys.executable,
            "-m",
            "benchmarks.harness.workloads.rss",
            str(out),
            "core",
            *argv,
        ]
        proc = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
        peak = json.loads(out.read_text())["peak_rss_mb"] if out.exists() else 0.0
    lines = proc.stdout.strip().splitlines()
    try:
        report = json.loads(lines[-1]) if lines else {}
    except ValueError:
        report = {}
    return proc.returncode, report, peak, proc.stderr.strip()[-800:]


def clean_env(**given: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(_SETTINGS)}
    return {**env, "PYTHONHASHSEED": "0", **given}


def scan_peak(files: int) -> dict:
    """First scan of the cached ``files``-file tree in a child; no stand-in is involved."""
    root, _ = workloads.tree(files)
    with tempfile.TemporaryDirectory(prefix="reelscale-load-") as tmp:
        start = time.perf_counter()
        code, report, peak, err = child(
            ["scan", str(root), "--db", str(Path(tmp) / "scan.db"), "--json"], clean_env()
        )
    return {
        "files": files,
        "exit_code": code,
        "parsed": report.get("parsed"),
        "seconds": round(time.perf_counter() - start, 1),
        "peak_rss_mb": peak,
        "stderr": err if code else "",
    }


def run_peak(size: int, *, time_scale: float, concurrency: int = 8) -> dict:
    """One first ``reelscale run`` over a ``size``-movie Radarr library at ``time_scale``."""
    from benchmarks.harness.workloads.run import tags_match_decisions
    from synthetic.library.collection_defs import to_toml
    from synthetic.servers.claude.server import ClaudeServer
    from synthetic.servers.radarr.server import RadarrServer
    from synthetic.servers.traffic import Latency, set_time_scale

    previous = set_time_scale(time_scale)
    try:
        with (
            tempfile.TemporaryDirectory(prefix="reelscale-load-") as tmp,
            RadarrServer.from_library(
                size, workloads.SEED, latency=Latency(**RADARR_LATENCY)
            ) as radarr,
            ClaudeServer.from_library(size, workloads.SEED) as claude,
        ):
            config, db = Path(tmp) / "reelscale.toml", Path(tmp) / "reelscale.db"
            config.write_text(to_toml(), encoding="utf-8")
            env = clean_env(
                RADARR_URL=radarr.url,
                RADARR_API_KEY=radarr.config.api_key,
                ANTHROPIC_API_KEY=claude.config.api_key,
                ANTHROPIC_BASE_URL=claude.url,
                CLAUDE_CONCURRENCY=str(concurrency),
            )
            start = time.perf_counter()
            argv = ["run", "--json", "--db", str(db), "--config", str(config)]
            code, report, peak, err = child(argv, env)
            wall = time.perf_counter() - start
            radarr_requests = radarr.counters.total
            quickest = min((r.duration_s for r in radarr.requests()), default=0.0)
            claude_requests = claude.counters.total
            tags_ok = code == 0 and tags_match_decisions(radarr, db)
    finally:
        set_time_scale(previous)
    delayed = (radarr_requests + claude_requests) if time_scale > 0 else 0
    return {
        "size": size,
        "time_scale": time_scale,
        "claude_latency_s": round(claude.config.latency_s(0) * time_scale, 4),
        "radarr_latency_s": [
            round(RADARR_LATENCY["fixed_s"] * time_scale, 4),
            round(sum(RADARR_LATENCY.values()) * time_scale, 4),
        ],
        "exit_code": code,
        "status": report.get("status"),
        "seconds": round(wall, 1),
        "peak_rss_mb": peak,
        "requests_delayed": delayed,
        "radarr_requests": radarr_requests,
        "radarr_min_answer_s": round(quickest, 4),
        "claude_requests": claude_requests,
        "tags_match_decisions": tags_ok,
        "stderr": err if code else "",
    }
