"""The classify stage's headline numbers against the stand-in Claude; writes results/numbers/.

    reelscale bench numbers classify [--movies 1000] [--big 10000] [--rss 100000]

1. Billed cost per 1k movies x 10 collections at Haiku 5.5 list prices, sync and through Message
   Batches, from the stand-in's usage (the real Kometa-AI beside reelscale: ``bench peer``).
2. Agreement with the ground truth after the first pass at the recommended batch size (25), next
   to the stand-in's configured accuracy for that size: the orchestration must lose nothing.
3. BIG movies x 10 collections with the stand-in at 0.5 s to first token + 150 output tokens/s
   and limits 1,000 RPM / 2M ITPM / 400k OTPM: wall time, the floor the limits set, 429s.
4. A rerun over the unchanged store: requests (must be 0).
5. Peak RSS of `reelscale classify` over RSS movies, in its own process (stand-in at time scale 0).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.harness.workloads.classify import fill_store, truth_agreement
from core.clients.claude.client import MessagesSettings
from core.config.files import load_collections
from core.config.model import ClaudeSettings
from core.pipeline.classify.stage import classify
from core.store.db import open_store
from synthetic.library.collection_defs import to_toml
from synthetic.servers.claude.server import ClaudeServer
from synthetic.servers.claude.server import expected_accuracy as configured_accuracy
from synthetic.servers.traffic import set_time_scale

MODEL = "claude-haiku-5-5"


def settings_for(server, *, batch_size=50, **claude):
    values = dict(model=MODEL, api_key=server.config.api_key, base_url=server.url, concurrency=8)
    return MessagesSettings(claude=ClaudeSettings(**values, **claude), batch_size=batch_size)


def cost_numbers(tmp: Path, collections, movies: int) -> dict:
    set_time_scale(0)
    out = {}
    with ClaudeServer.from_library(movies, 1, batch_processing_s=0) as server:
        for mode in ("sync", "batch"):
            with open_store(tmp / f"cost-{mode}.db") as store:
                fill_store(store, movies)
                s = classify(store, collections, settings_for(server), mode=mode, poll_s=0.01)
                again = classify(store, collections, settings_for(server), mode=mode)
            out[mode] = {
                "requests": s.requests,
                "input_tokens": s.input_tokens,
                "output_tokens": s.output_tokens,
                "cache_read_tokens": s.cache_read_tokens,
                "cache_write_tokens": s.cache_write_tokens,
                "cost_usd": round(s.cost_usd, 6),
                "cost_per_1k_movies": round(s.cost_usd / movies * 1000, 6),
                "rerun_requests": again.requests,
            }
    return out


def alignment(tmp: Path, collections, movies: int, batch_size: int = 25) -> dict:
    set_time_scale(0)
    with ClaudeServer.from_library(movies, 1) as server, open_store(tmp / "align.db") as store:
        fill_store(store, movies)
        classify(store, collections, settings_for(server, batch_size=batch_size), recheck=False)
        got = {
            (i, c): bool(v)
            for i, c, v in store.conn.execute("SELECT item_id, collection, include FROM decisions")
        }
    measured = truth_agreement(got, collections)
    # Batches are full except the last; the expectation averages over the actual batch sizes.
    full, rest = divmod(movies, batch_size)
    expected = (
        (full * batch_size * configured_accuracy(batch_size) + rest * configured_accuracy(rest))
        / movies
        if movies
        else 1.0
    )
    return {
        "batch_size": batch_size,
        "movies": movies,
        "agreement_with_truth": round(measured, 5),
        "configured_accuracy": round(expected, 5),
        "difference_points": round(100 * (measured - expected), 3),
    }


def big_run(tmp: Path, collections, movies: int) -> dict:
    set_time_scale(1.0)
    limits = {"rpm": 1000, "itpm": 2_000_000, "otpm": 400_000}
    try:
        with (
            ClaudeServer.from_library(
                movies, 1, ttft_s=0.5, output_tokens_per_s=150, **limits
            ) as server,
            open_store(tmp / "big.db") as store,
        ):
            fill_store(store, movies)
            settings = settings_for(server, concurrency=32)
            start = time.perf_counter()
            s = classify(store, collections, settings)
            wall = time.perf_counter() - start
            records = server.requests()
            rerun = classify(store, collections, settings)
    finally:
        set_time_scale(0)
    ok = [r for r in records if r.endpoint == "messages" and r.status == 200]
    itpm_floor = sum(r.input_tokens + r.cache_creation_input_tokens for r in ok) / 2e6 * 60
    otpm_floor = sum(r.output_tokens for r in ok) / 4e5 * 60
    rpm_floor = len(ok) / 1000 * 60
    first = min(r.at for r in records)
    late_429 = sum(1 for r in records if r.status == 429 and r.at - first > 10)
    return {
        "movies": movies,
        "requests": s.requests,
        "seconds": round(wall, 1),
        "floor_seconds": {
            "rpm": round(rpm_floor, 1),
            "itpm": round(itpm_floor, 1),
            "otpm": round(otpm_floor, 1),
        },
        "responses_429": sum(1 for r in records if r.status == 429),
        "responses_429_after_10s": late_429,
        "rerun_requests": rerun.requests,
        "stand_in": "0.5 s to first token + 150 output tokens/s; 1,000 RPM, 2M ITPM, 400k OTPM",
        "concurrency": 32,
    }


def rss_run(tmp: Path, config: Path, movies: int) -> dict:
    set_time_scale(0)
    db = tmp / "rss.db"
    with open_store(db) as store:
        fill_store(store, movies)
    with ClaudeServer.from_library(movies, 1) as server:
        env = dict(
            os.environ, ANTHROPIC_API_KEY=server.config.api_key, ANTHROPIC_BASE_URL=server.url
        )
        start = time.perf_counter()
        report = tmp / "rss.json"
        proc = subprocess.run(
            [
                sys.executable,
                "-m",
                "benchmarks.harness.workloads.rss",
                str(report),
                "core",
                "classify",
                "--db",
                str(db),
                "--config",
                str(config),
                "--mode",
                "sync",
                "--json",
            ],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        wall = time.perf_counter() - start
    summary = json.loads(proc.stdout)
    peak = json.loads(report.read_text())["peak_rss_mb"]
    return {
        "movies": movies,
        "peak_rss_mb": peak,
        "seconds": round(wall, 1),
        "requests": summary["requests"],
        "pairs_decided": summary["pairs_decided"],
    }


def measure(movies: int = 1000, big: int = 10_000, rss: int = 100_000) -> dict:
    """The five figures of the module docstring (``big`` or ``rss`` 0: that part skipped)."""
    with tempfile.TemporaryDirectory(prefix="reelscale-classify-") as name:
        tmp = Path(name)
        config = tmp / "reelscale.toml"
        config.write_text(to_toml())
        collections = load_collections(config)
        out = {"model": MODEL, "collections": len(collections)}
        out["cost"] = cost_numbers(tmp, collections, movies)
        out["alignment"] = alignment(tmp, collections, movies)
        if big:
            out["big_run"] = big_run(tmp, collections, big)
        if rss:
            out["peak_rss"] = rss_run(tmp, config, rss)
    return out
