"""Crash and resume: ``kill -9`` of ``reelscale run`` in every stage; records "crash_resume".

    reelscale bench reliability crash [--size 2000] [--rounds 5] [--seed 1] [--no-record]

``rounds`` trials per stage (scan, enrich, a sync classify request, a batch poll, tagging), in
round-robin order, each at a random point of its stage over a ``size``-movie stand-in library (see
``benchmarks.harness.reliability.crash`` for how the point is chosen and what a trial checks). Each
killed run is rerun to completion. Recorded in results/reliability.json: the trials, the stage each
kill actually hit, failures (any broken check), decisions lost, Claude requests billed by the killed
and resumed runs against a clean run's plus those in flight at the kill, and the per-trial details.
"""

from __future__ import annotations

import logging
import time
from collections import Counter

from benchmarks.harness.reliability import crash
from benchmarks.harness.reliability.results import record


def measure(size: int, rounds: int, seed: int) -> dict:
    started = time.perf_counter()
    bases, trials = crash.run_trials(size, crash.STAGES * rounds, seed=seed)
    failed = [t for t in trials if t.failures]
    shown = ("target", "hit", "kill_at", "billed_killed", "billed_resumed", "billed_clean")
    shown += ("in_flight", "recheck_requests", "recheck_requests_clean", "over_total_bound")
    shown += ("decided_before", "rechecked_after_kill")
    extra = [t.billed_killed + t.billed_resumed - t.billed_clean for t in trials]
    return {
        "trials": len(trials),
        "faults_injected": len(trials),  # one kill -9 per trial
        "failures": len(failed),
        "data_lost": sum(t.lost_decisions for t in trials)
        + sum(t.expected_decisions - min(t.decided_after, t.expected_decisions) for t in trials),
        "library_size": size,
        "kills_by_stage": dict(Counter(t.hit for t in trials)),
        "kills_targeted": dict(Counter(t.target for t in trials)),
        "tags_equal_clean": sum(t.tags_equal for t in trials),
        "integrity_ok": sum(t.integrity == "ok" for t in trials),
        "decisions_made_before_kill": sum(t.decided_before for t in trials),
        "rechecked_after_kill": sum(t.rechecked_after_kill for t in trials),
        "claude_billed_over_clean": {"max": max(extra), "total": sum(extra)},
        "over_total_bound": sum(t.over_total_bound for t in trials),
        "recheck_requests": {
            "resumed_total": sum(t.recheck_requests for t in trials),
            "clean_total": sum(t.recheck_requests_clean for t in trials),
        },
        "rechecked_twice": sum(t.rechecked_twice for t in trials),
        "claude_in_flight_at_kill": {
            "max": max(t.in_flight for t in trials),
            "total": sum(t.in_flight for t in trials),
        },
        "batches_lost": sum(t.lost_batches for t in trials),
        "clean_runs": {
            stage: {
                "claude_billed": b.billed,
                "tmdb_requests": b.tmdb,
                "batch_polls": b.batch_polls,
                "radarr_writes": b.radarr_writes,
                "decisions": b.decided,
                "recheck_requests": b.recheck_requests,
                "seconds": b.seconds,
            }
            for stage, b in bases.items()
        },
        "failure_details": [t.as_dict() for t in failed],
        "per_trial": [{k: t.as_dict()[k] for k in shown} for t in trials],
        "seconds": round(time.perf_counter() - started, 1),
        "command": f"reelscale bench reliability crash --size {size} --rounds {rounds} "
        f"--seed {seed}",
    }


def run_suite(size: int = 2000, rounds: int = 5, seed: int = 1, *, save: bool = True) -> dict:
    """:func:`measure`, recorded as suite "crash_resume" when ``save``."""
    # A killed run drops its connections mid-request; the stand-ins' server need not log each.
    logging.getLogger("aiohttp.server").setLevel(logging.CRITICAL)
    entry = measure(size, rounds, seed)
    if save:
        record("crash_resume", entry)
    return entry
