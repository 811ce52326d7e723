"""One run of each tool in its own process, and what the stand-ins saw of it.

The peer runs as its container does (``kometa-ai --run-now`` in a folder holding
``kometa-config/``, with ``state/`` and ``logs/`` written beside it). ``--run-now`` runs at once
and then sleeps until the next scheduled time in one ``time.sleep`` that SIGTERM does not cut
short, so the run is over when the peer logs "Run completed, waiting until next scheduled run":
its peak RSS (``VmHWM``) is read then and the sleeping process is killed. A peer that exits
before that line, or takes longer than the timeout, is an error with the tail of its log.
"""

from __future__ import annotations

import os
import subprocess
import threading
import time
from collections import Counter, deque
from pathlib import Path

from core.clients.claude.pricing import Usage, cost
from core.errors import BenchError

DONE = "Run completed, waiting until next scheduled run"


def _vm_hwm_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    raise BenchError(f"no VmHWM for process {pid}")


def run_peer(python: Path, folder: Path, env: dict, *, timeout_s: float) -> dict:
    """One ``kometa-ai --run-now`` in ``folder``: wall seconds, peak RSS in MB."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        [str(python), "-m", "kometa_ai", "--run-now"],
        cwd=folder,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    tail: deque[str] = deque(maxlen=30)
    done = threading.Event()

    def read() -> None:
        for line in proc.stdout:
            tail.append(line.rstrip())
            if DONE in line:
                done.set()
                return
        done.set()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        finished = done.wait(timeout_s)
        wall = time.perf_counter() - start
        if not finished or proc.poll() is not None:
            why = f"took over {timeout_s:.0f} s" if not finished else f"exited {proc.returncode}"
            raise BenchError(f"Kometa-AI {why} before finishing its run:\n" + "\n".join(tail))
        rss = _vm_hwm_mb(proc.pid)
    finally:
        proc.kill()
        proc.wait()
        proc.stdout.close()
    return {"wall_seconds": round(wall, 3), "peak_rss_mb": round(rss, 1)}


def radarr_figures(radarr) -> dict:
    by_method = Counter(r.method for r in radarr.requests())
    return {"radarr_requests": sum(by_method.values()), "radarr_by_method": dict(by_method)}


def claude_figures(claude, model: str) -> dict:
    """Generations and their usage, priced with reelscale's table (the same for both tools)."""
    requests = 0
    total = Usage()
    dollars = 0.0
    for r in claude.requests():
        if r.endpoint not in ("messages", "batch_request") or r.status != 200:
            continue
        requests += 1
        usage = Usage(
            input=r.input_tokens,
            output=r.output_tokens,
            cache_write_5m=r.cache_creation_5m_input_tokens,
            cache_write_1h=r.cache_creation_1h_input_tokens,
            cache_read=r.cache_read_input_tokens,
        )
        total += usage
        dollars += cost(usage, r.model or model, batch=r.endpoint == "batch_request")
    return {
        "claude_requests": requests,
        "input_tokens": total.input,
        "output_tokens": total.output,
        "cache_read_tokens": total.cache_read,
        "cache_write_tokens": total.cache_write_5m + total.cache_write_1h,
        "cost_usd": round(dollars, 6),
    }


def child_env(radarr, claude, model: str, **extra: str) -> dict:
    """The environment both tools get: Kometa-AI's variable names, which reelscale also reads,
    and the SDK's ``ANTHROPIC_BASE_URL``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ANTHROPIC_", "CLAUDE_"))}
    env.update(
        RADARR_URL=radarr.url,
        RADARR_API_KEY=radarr.config.api_key,
        CLAUDE_API_KEY=claude.config.api_key,
        ANTHROPIC_API_KEY=claude.config.api_key,
        ANTHROPIC_BASE_URL=claude.url,
        CLAUDE_MODEL=model,
        PYTHONHASHSEED="0",
        **extra,
    )
    return env
