"""Concurrency: a second ``reelscale run``, or a ``reelscale scan``, while a run is active.

One database has one writer at a time: a run holds ``<db>.lock`` (``core.store.lock``) for its whole
duration, and so does a scan, which rewrites and deletes the items a run is judging (SQLite's WAL
lets readers in, but a scan removing an item under a run made the run's next commit fail on its
foreign key). The second command must exit 1 at once with the lock's one-line message and touch
nothing.

A trial starts a run (the real CLI in a child process, against the stand-ins of
``benchmarks.harness.reliability.world``), lets it reach a random point of a random stage (by the
stand-ins' request logs), freezes it there with SIGSTOP so that nothing moves, snapshots the
database folder's bytes and the stand-ins' request counts, runs the second command, snapshots again,
then lets the first run go on (SIGCONT) and checks it finishes like a clean run: same tags, every
(movie, collection) decided, ``PRAGMA integrity_check`` ok. After a scan trial the same scan is run
again once the run is over: it must now succeed and keep every decision.
"""

from __future__ import annotations

import json
import random
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from benchmarks.harness.reliability import crash
from benchmarks.harness.reliability.probes import (
    decisions,
    final_tags,
    integrity,
    progress,
    stage_of,
)
from benchmarks.harness.reliability.world import (
    CASE_OF_STAGE,
    RUN_TIMEOUT_S,
    TIME_SCALE,
    Case,
    Servers,
    World,
    start,
)

KINDS = ("run", "scan")
# The first run's case and the stages it is paused in, per kind of second command.
FIRST = {"run": ("classify", "tag"), "scan": ("enrich", "classify")}
COMMAND_TIMEOUT_S = 60.0


def locked_message(db: Path) -> str:
    return (
        f"Error: another reelscale run is using {db} (lock {db}.lock is held); wait for it to "
        "finish, or stop it first: nothing was changed"
    )


@dataclass(slots=True)
class Trial:
    kind: str
    paused_in: str = ""
    pause_at: dict = field(default_factory=dict)
    exit_code: int | None = None
    message_ok: bool = False
    seconds: float = 0.0
    files_unchanged: bool = False
    requests_by_second: dict = field(default_factory=dict)
    first_exit: int | None = None
    tags_equal: bool = False
    decided: int = 0
    expected_decisions: int = 0
    integrity: str = ""
    scan_after_exit: int | None = None
    decisions_kept_by_scan: bool | None = None
    failures: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return asdict(self)


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def _requests(servers: Servers) -> dict[str, int]:
    return {
        "claude": servers.claude.counters.total,
        "radarr": servers.radarr.counters.total,
        "tmdb": servers.tmdb.counters.total,
    }


def second_command(kind: str, case: Case, world: World, db: Path) -> list[str]:
    if kind == "run":
        return [sys.executable, "-m", "core", *case.args(world, db)]
    return [sys.executable, "-m", "core", "scan", str(world.tree), "--db", str(db), "--json"]


@dataclass(slots=True)
class _Setting:
    """One trial's fixed parts, shared by its three steps."""

    kind: str
    case: Case
    world: World
    servers: Servers
    env: dict[str, str]
    work: Path  # the database folder, snapshotted around the second command
    db: Path

    def second(self, **kwargs) -> subprocess.CompletedProcess:
        return subprocess.run(
            second_command(self.kind, self.case, self.world, self.db),
            env=self.env,
            capture_output=True,
            timeout=COMMAND_TIMEOUT_S,
            check=False,
            **kwargs,
        )


def trial(world, kind: str, bases: dict, folder: Path, rng: random.Random) -> Trial:
    """Pause a run at a random point, try ``kind`` alongside it, let the run finish; check."""
    from synthetic.servers.traffic import set_time_scale

    stage = rng.choice(FIRST[kind])
    base = bases[stage]
    result = Trial(kind, expected_decisions=base.decided)
    work = folder / f"{kind}-{rng.randrange(1 << 30)}"
    work.mkdir()
    servers = world.servers()
    previous = set_time_scale(TIME_SCALE)
    first = None
    try:
        case, env = CASE_OF_STAGE[stage], world.env(servers)
        setting = _Setting(kind, case, world, servers, env, work, work / "reelscale.db")
        first = _pause_first(setting, stage, base, rng, result)
        _try_second(setting, result)
        _finish_first(setting, first, base, result)
        _judge(result)
    finally:
        if first is not None and first.poll() is None:
            first.send_signal(signal.SIGCONT)
            first.kill()
            first.wait(30)
        if first is not None:
            first.stderr.close()
        set_time_scale(previous)
        servers.stop()
    return result


def _pause_first(s: _Setting, stage: str, base, rng: random.Random, result: Trial):
    """Start the first run and freeze it (SIGSTOP) at a random point of ``stage``."""
    condition, result.pause_at = crash.waiter(s.case, stage, s.servers, s.db, base, rng)
    first = start(s.case, s.world, s.env, s.db)
    if not crash.wait_for(condition, first, RUN_TIMEOUT_S):
        result.failures.append("the first run ended before the pause point")
    seen = progress(s.servers)
    first.send_signal(signal.SIGSTOP)
    result.paused_in = stage_of(s.case, seen)
    crash.settle(s.servers)
    return first


def _try_second(s: _Setting, result: Trial) -> None:
    """Run the second command; it must fail with the lock's message and change nothing."""
    files, sent = _snapshot(s.work), _requests(s.servers)
    started = time.perf_counter()
    second = s.second(text=True)
    result.seconds = round(time.perf_counter() - started, 3)
    result.exit_code = second.returncode
    lines = second.stderr.strip().splitlines()
    message = locked_message(s.db)
    result.message_ok = bool(lines) and lines[-1] == message and _stdout_ok(second.stdout, message)
    result.files_unchanged = _snapshot(s.work) == files
    after = _requests(s.servers)
    result.requests_by_second = {k: after[k] - sent[k] for k in sent}


def _stdout_ok(stdout: str, message: str) -> bool:
    """Nothing on stdout or, with ``--json``, only the JSON error carrying the same message."""
    if not stdout.strip():
        return True
    try:
        error = json.loads(stdout)
    except ValueError:
        return False
    text = error.get("error") if isinstance(error, dict) else None
    return error.get("exit_code") == 1 and isinstance(text, str) and message.endswith(text)


def _finish_first(s: _Setting, first: subprocess.Popen, base, result: Trial) -> None:
    """Let the first run go on to its end and read what it left; after a scan trial, scan again
    now that the run is over."""
    first.send_signal(signal.SIGCONT)
    first.wait(RUN_TIMEOUT_S)
    result.first_exit = first.returncode
    result.tags_equal = final_tags(s.servers, s.case, s.db, s.world.config) == base.tags
    before_scan = decisions(s.db)
    result.decided = len(before_scan)
    result.integrity = integrity(s.db)
    if s.kind == "scan":
        result.scan_after_exit = s.second().returncode
        result.decisions_kept_by_scan = decisions(s.db) == before_scan


def _judge(t: Trial) -> None:
    if t.exit_code != 1 or not t.message_ok:
        t.failures.append(f"the second {t.kind} exited {t.exit_code} without the lock message")
    if not t.files_unchanged:
        t.failures.append(f"the second {t.kind} changed the database folder")
    if any(t.requests_by_second.values()):
        t.failures.append(f"the second {t.kind} sent requests: {t.requests_by_second}")
    if t.first_exit != 0 or not t.tags_equal or t.integrity != "ok":
        t.failures.append(
            f"the first run ended {t.first_exit}, tags equal {t.tags_equal}, {t.integrity}"
        )
    if t.decided != t.expected_decisions:
        t.failures.append(f"{t.decided} decisions, expected {t.expected_decisions}")
    if t.kind == "scan" and (t.scan_after_exit != 0 or not t.decisions_kept_by_scan):
        t.failures.append(f"the scan after the run exited {t.scan_after_exit} or lost decisions")


def prepare(size: int, folder: Path):
    """The world and the clean runs of every stage a first run is paused in."""
    stages = sorted({s for kind in KINDS for s in FIRST[kind]})
    return crash.prepare(size, folder, stages)


def run_trials(size: int, kinds, *, seed: int = 0, folder: Path | None = None):
    rng = random.Random(seed)
    with tempfile.TemporaryDirectory(prefix="reelscale-concurrency-", dir=folder) as tmp:
        work = Path(tmp)
        world, bases = prepare(size, work)
        trials = [trial(world, kind, bases, work, rng) for kind in kinds]
    return bases, trials
