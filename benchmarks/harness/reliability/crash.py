"""Crash and resume: ``kill -9`` a production run at a chosen point, rerun it, check what is left.

The run is the real CLI (``python -m core run --json``) in a child process, against stand-in
Radarr, Claude and TMDB servers in this process (fresh ones per trial, so the Radarr tags and the
request logs are the trial's own). The kill point is chosen by watching progress, never by a
fixed sleep: a stage is targeted and the victim is killed when the stand-ins' request logs reach
a count drawn at random inside that stage (for the scan, which sends nothing: a random delay
after the run's row appears, while TMDB has still seen nothing). The stage actually hit is read
from the logs just before the kill, and reported.

A trial passes when, after the rerun:

* the final tags in the stand-in Radarr (files source: the Kometa file) equal a clean run's;
* Claude billed, over the killed and the resumed run, at most what a clean run billed plus what
  was in flight at the kill (billed by the stand-in but not recorded in the database, so paid
  again; for batches: a batch the killed run created but did not record), not counting the
  near-threshold recheck requests, which are checked apart: no decision is rechecked twice. How
  many verdicts land near the threshold depends on how movies are packed into requests (the
  stand-in, like a model, answers a movie differently at another position), so a resumed run
  may need one recheck request more or fewer than a clean run; ``over_total_bound`` records it;
* ``PRAGMA integrity_check`` is ok;
* every (movie, collection) is decided, and every decision made before the kill is still there
  (the same verdict, or a near-threshold recheck, marked so).
"""

from __future__ import annotations

import random
import signal
import subprocess
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

from benchmarks.harness.reliability.probes import (
    decisions,
    final_tags,
    integrity,
    progress,
    recheck_requests,
    recorded_billing,
    run_started,
    scanned,
    stage_of,
    sync_billed,
)
from benchmarks.harness.reliability.world import (
    CASE_OF_STAGE,
    CONCURRENCY,
    RUN_TIMEOUT_S,
    TIME_SCALE,
    Case,
    Servers,
    World,
    make_world,
    run_to_end,
    start,
)

STAGES = ("scan", "enrich", "classify", "batch_poll", "tag")


# -- the clean run and a trial ----------------------------------------------------------------


@dataclass(slots=True)
class Baseline:
    case: Case
    billed: int
    tmdb: int
    batch_polls: int
    radarr_writes: int
    tags: dict
    decided: int
    recheck_requests: int
    scanned: int  # scan_index rows a clean run commits
    scan_s: float
    seconds: float


def clean_run(world: World, case: Case, folder: Path) -> Baseline:
    servers = world.servers()
    try:
        db = folder / f"clean-{case.source}-{case.mode}.db"
        started = time.perf_counter()
        report = run_to_end(case, world, world.env(servers), db)
        seconds = time.perf_counter() - started
        seen = progress(servers)
        return Baseline(
            case,
            seen.billed,
            seen.tmdb,
            seen.batch_polls,
            seen.radarr_writes,
            final_tags(servers, case, db, world.config),
            len(decisions(db)),
            recheck_requests(db),
            scanned(db),
            report["stages"].get("source", 0.0),
            round(seconds, 2),
        )
    finally:
        servers.stop()


@dataclass(slots=True)
class Trial:
    target: str
    hit: str = ""
    kill_at: dict = field(default_factory=dict)
    billed_killed: int = 0
    billed_resumed: int = 0
    billed_clean: int = 0
    in_flight: int = 0
    recheck_requests: int = 0
    recheck_requests_clean: int = 0
    rechecked_twice: int = 0
    over_total_bound: bool = False
    in_flight_sync: int = 0
    lost_batches: int = 0
    decided_before: int = 0
    decided_after: int = 0
    expected_decisions: int = 0
    lost_decisions: int = 0
    rechecked_after_kill: int = 0
    tags_equal: bool = False
    integrity: str = ""
    failures: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return asdict(self)


def waiter(case: Case, target: str, servers: Servers, db: Path, base: Baseline, rng):
    """A predicate that turns true at a random point inside ``target``; what it watches."""
    if target == "scan":
        delay = rng.uniform(0.0, base.scan_s / 2)  # a victim may scan faster
        seen: dict[str, float] = {}

        def scanning() -> bool:
            if "at" not in seen:
                if db.exists() and run_started(db):
                    seen["at"] = time.monotonic()
                return False
            return time.monotonic() - seen["at"] >= delay or progress(servers).tmdb > 0

        return scanning, {"after_run_row_s": round(delay, 3)}
    if target == "enrich":
        goal = rng.randrange(1, max(2, base.tmdb))
        return lambda: progress(servers).tmdb >= goal, {"tmdb_requests": goal}
    if target == "classify":
        goal = rng.randrange(1, max(2, base.billed))
        return lambda: progress(servers).billed >= goal, {"claude_billed": goal}
    if target == "batch_poll":
        goal = rng.randrange(1, max(2, base.batch_polls))
        return lambda: progress(servers).batch_polls >= goal, {"batch_polls": goal}
    if target == "tag":
        goal = rng.randrange(1, max(2, base.radarr_writes))
        return lambda: progress(servers).radarr_writes >= goal, {"radarr_writes": goal}
    raise ValueError(f"unknown stage {target!r}")


def wait_for(condition: Callable[[], bool], proc: subprocess.Popen, timeout: float) -> bool:
    """Poll ``condition`` until true (True) or the process ended (False)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if proc.poll() is not None:
            return False
        if time.monotonic() > deadline:
            raise AssertionError("the kill point was not reached")
        time.sleep(0.003)
    return True


def settle(servers: Servers, quiet_s: float = 0.3) -> None:
    """Wait until the stand-ins have logged what the dead run had in flight."""
    last, since = None, time.monotonic()
    while time.monotonic() - since < quiet_s:
        now = (servers.claude.counters.total, servers.tmdb.counters.total)
        if now != last:
            last, since = now, time.monotonic()
        time.sleep(0.02)


def trial(world: World, target: str, base: Baseline, folder: Path, rng: random.Random) -> Trial:
    """Kill a run inside ``target``, rerun it to the end, and check what is left."""
    from synthetic.servers.traffic import set_time_scale

    case = CASE_OF_STAGE[target]
    result = Trial(target, billed_clean=base.billed, expected_decisions=base.decided)
    result.recheck_requests_clean = base.recheck_requests
    servers = world.servers()
    previous = set_time_scale(TIME_SCALE)
    try:
        db = folder / f"trial-{target}-{rng.randrange(1 << 30)}.db"
        env = world.env(servers)
        condition, result.kill_at = waiter(case, target, servers, db, base, rng)
        victim = start(case, world, env, db)
        try:
            reached = wait_for(condition, victim, RUN_TIMEOUT_S)
            seen = progress(servers)
            victim.send_signal(signal.SIGKILL)
            victim.wait(30)
        finally:
            if victim.poll() is None:
                victim.kill()
            victim.stderr.close()
        if not reached:
            result.failures.append("the run ended before the kill point")
        result.hit = stage_of(case, seen)
        settle(servers)
        after_kill = progress(servers)
        before = decisions(db) if db.exists() else {}
        sync_recorded, batches_recorded = recorded_billing(db)
        unrecorded = [
            r.batch_id
            for r in servers.claude.requests()
            if r.endpoint == "batch_request" and r.batch_id not in batches_recorded
        ]
        result.lost_batches = len(set(unrecorded))
        result.in_flight_sync = sync_billed(servers.claude) - sync_recorded
        result.in_flight = result.in_flight_sync + len(unrecorded)
        result.billed_killed = after_kill.billed
        result.decided_before = len(before)

        run_to_end(case, world, env, db)
        result.billed_resumed = progress(servers).billed - after_kill.billed
        after = decisions(db)
        result.decided_after = len(after)
        result.recheck_requests = recheck_requests(db)
        result.rechecked_twice = sum(1 for value in after.values() if value[3] > 1)
        result.integrity = integrity(db)
        lost = [key for key in before if key not in after]
        changed = [k for k in before if k in after and after[k][1:3] != before[k][1:3]]
        result.rechecked_after_kill = sum(1 for k in changed if after[k][3] >= 1)
        result.lost_decisions = len(lost) + len(changed) - result.rechecked_after_kill
        result.tags_equal = final_tags(servers, case, db, world.config) == base.tags
        _judge(result)
    finally:
        set_time_scale(previous)
        servers.stop()
    return result


def _judge(t: Trial) -> None:
    if not t.tags_equal:
        t.failures.append("final tags differ from a clean run's")
    billed = t.billed_killed + t.billed_resumed
    t.over_total_bound = billed > t.billed_clean + t.in_flight
    first_pass = billed - t.recheck_requests
    if first_pass > t.billed_clean - t.recheck_requests_clean + t.in_flight:
        t.failures.append(
            f"billed {t.billed_killed} + {t.billed_resumed} - {t.recheck_requests} rechecks > "
            f"clean {t.billed_clean} - {t.recheck_requests_clean} rechecks + in flight "
            f"{t.in_flight}"
        )
    if t.rechecked_twice:
        t.failures.append(f"{t.rechecked_twice} decisions rechecked twice")
    if t.in_flight_sync > CONCURRENCY or t.lost_batches > 1:
        t.failures.append(
            f"{t.in_flight_sync} requests in flight with concurrency {CONCURRENCY}, "
            f"{t.lost_batches} batches lost"
        )
    if t.integrity != "ok":
        t.failures.append(f"integrity_check: {t.integrity}")
    if t.decided_after != t.expected_decisions:
        t.failures.append(f"{t.decided_after} decisions, expected {t.expected_decisions}")
    if t.lost_decisions:
        t.failures.append(f"{t.lost_decisions} decisions made before the kill lost or changed")


def prepare(size: int, folder: Path, targets: Sequence[str] = STAGES):
    """The world under ``folder`` and, per target stage, the clean run of its case."""
    from synthetic.servers.traffic import set_time_scale

    world = make_world(size, folder / "world")
    previous = set_time_scale(TIME_SCALE)
    try:
        bases: dict[Case, Baseline] = {}
        for target in targets:
            case = CASE_OF_STAGE[target]
            if case not in bases:
                bases[case] = clean_run(world, case, folder)
    finally:
        set_time_scale(previous)
    return world, {t: bases[CASE_OF_STAGE[t]] for t in targets}


def run_trials(
    size: int, targets: Sequence[str], *, seed: int = 0, folder: Path | None = None
) -> tuple[dict[str, Baseline], list[Trial]]:
    """Clean runs for the cases ``targets`` need, then one trial per target (in order)."""
    rng = random.Random(seed)
    with tempfile.TemporaryDirectory(prefix="reelscale-crash-", dir=folder) as tmp:
        work = Path(tmp)
        world, bases = prepare(size, work, list(dict.fromkeys(targets)))
        trials = []
        for target in targets:
            trials.append(trial(world, target, bases[target], work, rng))
            for leftover in work.glob("trial-*"):
                leftover.unlink()
    return bases, trials
