"""Concurrency: a second run, or a scan, during a run; records suite "concurrency".

    reelscale bench reliability concurrency [--size 2000] [--rounds 10] [--seed 1] [--no-record]

``rounds`` trials of each kind (a second ``reelscale run``; ``reelscale scan`` of the library folder
during a files-source run), alternating, over a ``size``-movie stand-in library; each pauses the
first run at a random point of a random stage (see ``benchmarks.harness.reliability.concurrency``).
Recorded in results/reliability.json: trials, failures (any broken check), decisions lost, how the
second command ended (exit code, the lock message, its wall time), the requests it sent and whether
it changed the database folder, and how the first run ended.
"""

from __future__ import annotations

import logging
import time
from collections import Counter

from benchmarks.harness.reliability import concurrency
from benchmarks.harness.reliability.results import record


def measure(size: int, rounds: int, seed: int) -> dict:
    started = time.perf_counter()
    _, trials = concurrency.run_trials(size, concurrency.KINDS * rounds, seed=seed)
    failed = [t for t in trials if t.failures]
    seconds = sorted(t.seconds for t in trials)
    return {
        "trials": len(trials),
        "faults_injected": len(trials),  # one overlapping command per trial
        "failures": len(failed),
        "data_lost": sum(max(0, t.expected_decisions - t.decided) for t in trials)
        + sum(t.decisions_kept_by_scan is False for t in trials),
        "library_size": size,
        "by_kind": dict(Counter(t.kind for t in trials)),
        "first_run_paused_in": dict(Counter(f"{t.kind}:{t.paused_in}" for t in trials)),
        "second_exit_codes": dict(Counter(str(t.exit_code) for t in trials)),
        "lock_message_shown": sum(t.message_ok for t in trials),
        "second_changed_files": sum(not t.files_unchanged for t in trials),
        "second_requests": sum(sum(t.requests_by_second.values()) for t in trials),
        "second_seconds": {"median": seconds[len(seconds) // 2], "max": seconds[-1]},
        "first_run_ok": sum(t.first_exit == 0 and t.tags_equal for t in trials),
        "integrity_ok": sum(t.integrity == "ok" for t in trials),
        "scan_after_run_ok": sum(t.scan_after_exit == 0 for t in trials if t.kind == "scan"),
        "failure_details": [t.as_dict() for t in failed],
        "seconds": round(time.perf_counter() - started, 1),
        "command": f"reelscale bench reliability concurrency --size {size} --rounds {rounds} "
        f"--seed {seed}",
    }


def run_suite(size: int = 2000, rounds: int = 10, seed: int = 1, *, save: bool = True) -> dict:
    """:func:`measure`, recorded as suite "concurrency" when ``save``."""
    # A killed run drops its connections mid-request; the stand-ins' server need not log each.
    logging.getLogger("aiohttp.server").setLevel(logging.CRITICAL)
    entry = measure(size, rounds, seed)
    if save:
        record("concurrency", entry)
    return entry
