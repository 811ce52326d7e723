"""Bad-input reliability figures: every property of :mod:`.bad_input` at full size.

Reproduce with ``reelscale bench reliability bad-input`` (about 6 minutes on 2 cores; ``--scale
0.1`` for a quick look, which does not record). The same ``check_*`` functions the tests
(``tests/**/test_bad_input_*.py``) run under hypothesis run here with thousands of examples each
(fixed seed), plus one ``reelscale run`` (a subprocess, as a user starts it) over a 100,000-movie
Radarr list whose titles carry lone surrogates, control characters, bidi marks and 2,000-character
names, with one movie in 200 malformed. Records suite ``bad_input`` in ``results/reliability.json``:
trials (examples run), faults injected, failures, tracebacks and data lost, per property and in
total.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable

from hypothesis import strategies as st

from benchmarks.harness.reliability.bad_input import answers, config, names, radarr
from benchmarks.harness.reliability.bad_input.common import Tally, process_env, run_property
from benchmarks.harness.reliability.results import record

COMMAND = "reelscale bench reliability bad-input"
LARGE = 100_000
BROKEN_EVERY = 200


def properties(scale: float) -> list[tuple[str, object, dict, object, int]]:
    """``(name, check, strategies, context factory or None, examples)`` for every property."""

    def n(count: int) -> int:
        return max(1, round(count * scale))

    return [
        ("parse_any_text", names.check_parse, {"name": names.any_text | names.release_ish},
         None, n(2000)),
        ("parse_4k_names", names.check_parse, {"name": names.long_text}, None, n(2000)),
        ("scan_file_names", names.check_scan, {"names": names.file_names,
         "folder": names.folders}, names.scan_context, n(800)),
        ("scan_deep_trees", names.check_deep_tree, {"depth": st.integers(1, 40)},
         names.scan_context, n(100)),
        ("config_toml", lambda c, text: config.check_config(c, text, ".toml"),
         {"text": config.toml_files}, config.config_context, n(1000)),
        ("config_kometa_yaml", lambda c, text: config.check_config(c, text, ".yml"),
         {"text": config.yaml_files}, config.config_context, n(1000)),
        ("config_any_bytes", config.check_config, {"text": st.binary(max_size=300),
         "suffix": st.sampled_from([".toml", ".yml"])}, config.config_context, n(500)),
        ("claude_answers", answers.check_answer_text, {"text": answers.answers,
         "stop_reason": st.sampled_from(answers.STOPS)}, answers.answers_context, n(300)),
        ("radarr_sync_payloads", radarr.check_sync, {"records": radarr.libraries},
         radarr.radarr_context, n(600)),
        ("radarr_run_payloads", radarr.check_run, {"records": radarr.libraries,
         "tags": st.none() | radarr.tag_bodies, "detail": st.none() | radarr.tag_bodies},
         radarr.radarr_context, n(150)),
    ]  # fmt: skip


def odd_library(size: int) -> tuple[bytes, int]:
    """``size`` movies with odd titles, one in ``BROKEN_EVERY`` without a usable id."""
    records, broken = [], 0
    for i in range(1, size + 1):
        title = f"{radarr.ODD_TITLES[i % len(radarr.ODD_TITLES)]} {i}"
        movie = {"id": i, "title": title, "year": 1950 + i % 70, "genres": ["Drama"],
                 "overview": f"\u202e\x07 story {i} \ud83c", "tmdbId": i, "tags": []}  # fmt: skip
        if i % BROKEN_EVERY == 0:
            movie["id"], broken = str(i), broken + 1
        records.append(movie)
    return json.dumps(records).encode(), broken


def large_run(size: int) -> Tally:
    """One ``reelscale run`` subprocess over the odd ``size``-movie Radarr list."""
    tally = Tally(f"radarr_run_{size}_odd_titles")
    body, broken = odd_library(size)
    started = time.perf_counter()
    with radarr.radarr_context() as (base, server, claude):
        server.movie_body = body
        db = base / "large.db"
        env = process_env(
            RADARR_URL=server.url,
            RADARR_API_KEY=server.config.api_key,
            ANTHROPIC_API_KEY=claude.config.api_key,
            ANTHROPIC_BASE_URL=claude.url,
        )
        args = ["run", "--config", str(base / "reelscale.toml"), "--db", str(db), "--json"]
        proc = subprocess.run(
            [sys.executable, "-m", "core", *args, "--max-items", "500"],
            env=env,
            capture_output=True,
            text=True,
            errors="backslashreplace",
            timeout=1800,
        )
        tally.trials, tally.faults_injected = 1, broken
        output = proc.stdout + proc.stderr
        tally.tracebacks = int("Traceback (most recent call last)" in output)
        report = json.loads(proc.stdout) if proc.returncode in (0, 1) and proc.stdout else {}
        conn = sqlite3.connect(db)
        try:
            stored = conn.execute("SELECT count(*) FROM items").fetchone()[0]
            valid = conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        finally:
            conn.close()
        lost = size - broken - stored
        tally.data_lost = int(lost != 0 or not valid)
        skipped = [e for e in report.get("errors", []) if e["cause"].startswith("Radarr movies")]
        ok = (
            proc.returncode in (0, 1)
            and report.get("library", {}).get("seen") == size - broken
            and skipped
            and skipped[0]["count"] == broken
            and skipped[0]["examples"]
        )
        tally.failures = int(not ok or tally.tracebacks or tally.data_lost)
        if not ok:
            tally.first_failure = output[-2000:]
        tally.extra = {
            "exit_code": proc.returncode,
            "movies_stored": stored,
            "payload_mb": round(len(body) / 1e6, 1),
            "skipped_examples": skipped[0]["examples"] if skipped else [],
            "run_seconds": report.get("seconds"),
            "peak_rss_mb": report.get("peak_rss_mb"),
        }
    tally.seconds = time.perf_counter() - started
    return tally


def run_suite(
    scale: float = 1.0,
    only: str | None = None,
    progress: Callable[[str], None] = lambda line: None,
) -> dict:
    """Every property (``scale`` of its examples; ``only`` those whose name contains it) and the
    large run; records suite ``bad_input`` when the whole suite ran at full scale."""
    full = scale == 1.0 and not only
    tallies = []
    for name, check, strategies, context, examples in properties(scale):
        if only and only not in name:
            continue
        with context() if context else contextlib.nullcontext() as ctx:
            tally = run_property(name, check, strategies, ctx, examples)
        tallies.append(tally)
        progress(json.dumps({name: tally.as_dict()}, ensure_ascii=False)[:600])
    if not only or "large" in only:
        size = LARGE if scale >= 1 else max(1000, round(LARGE * scale))
        tally = large_run(size)
        tallies.append(tally)
        progress(json.dumps({tally.name: tally.as_dict()}, ensure_ascii=False)[:1200])
    entry = {
        key: sum(getattr(t, key) for t in tallies)
        for key in ("trials", "faults_injected", "failures", "tracebacks", "data_lost")
    }
    entry["properties"] = {t.name: t.as_dict() for t in tallies}
    entry["seconds"] = round(sum(t.seconds for t in tallies), 1)
    entry["cpus"] = os.cpu_count()
    entry["command"] = COMMAND
    if full:
        record("bad_input", entry)
        progress(f"recorded bad_input: {json.dumps({k: entry[k] for k in list(entry)[:5]})}")
    return entry
