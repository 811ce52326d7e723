"""Filesystem suite of results/reliability.json: faults under the real command line.

Reproduce with ``reelscale bench reliability filesystem`` (a few minutes; as root it
mounts a 2 MB tmpfs, else it limits file sizes with RLIMIT_FSIZE, and says which in
``disk_full_method``). Runs every scenario of :mod:`benchmarks.harness.reliability.fs_faults`
``ROUNDS`` times (the vanishing-files one on a 3,000-file tree, three churned scans each) plus ``run
--source files`` on a full disk against stand-in TMDB and Claude servers, and records suite
"filesystem".
"""

from __future__ import annotations

import random
import tempfile
from pathlib import Path

from benchmarks.harness.reliability import fs_faults, fs_setup
from benchmarks.harness.reliability.results import record

COMMAND = "reelscale bench reliability filesystem"
ROUNDS = 3
BIG_TREE = 4000


def trials(folder: Path, rng: random.Random) -> tuple[list[fs_faults.Trial], dict]:
    from benchmarks.harness.reliability.crash import make_world
    from synthetic.servers.traffic import set_time_scale
    from synthetic.tree import build_tree

    privileges = fs_setup.unprivileged()
    big = folder / "big"
    build_tree(big, BIG_TREE, seed=3)
    done: list[fs_faults.Trial] = []
    skipped = {}
    for n in range(ROUNDS):
        here = folder / f"round-{n}"
        cases = {
            "symlink_loops": lambda p: fs_faults.symlink_loops(p),
            "vanishing_files": lambda p: fs_faults.vanishing_files(p, rng),
            "non_utf8_names": lambda p: fs_faults.non_utf8_names(p),
            "disk_full": lambda p: fs_faults.disk_full(p, big),
        }
        if privileges.method:
            cases["permission_denied"] = lambda p: fs_faults.permission_denied(p, privileges)
            cases["read_only_db"] = lambda p: fs_faults.read_only_db(p, privileges)
        else:
            skipped = {"permission_denied": privileges.reason, "read_only_db": privileges.reason}
        for name, case in cases.items():
            (here / name).mkdir(parents=True)
            done.append(case(here / name))
    world = make_world(40, folder / "world")
    servers = world.servers()
    previous = set_time_scale(0)
    try:
        for n in range(ROUNDS):
            here = folder / f"run-{n}"
            here.mkdir()
            env = world.env(servers)
            done.append(fs_faults.run_on_full_disk(here, env, world.tree, world.config))
    finally:
        set_time_scale(previous)
        servers.stop()
    return done, {"privileges": privileges.method or None, "skipped": skipped}


def run_suite() -> dict:
    """Every scenario ``ROUNDS`` times; the entry of suite "filesystem", recorded."""
    with tempfile.TemporaryDirectory(prefix="reelscale-fs-") as tmp:
        done, info = trials(Path(tmp), random.Random(0))
    by = {}
    for t in done:
        s = by.setdefault(t.scenario, {"trials": 0, "faults": 0, "commands": 0, "failures": 0,
                                       "data_lost": 0})  # fmt: skip
        s["trials"] += 1
        s["faults"] += t.faults
        s["commands"] += t.commands
        s["failures"] += len(t.failures)
        s["data_lost"] += t.data_lost
    methods = sorted({t.method for t in done if t.scenario in ("disk_full", "run_disk_full")})
    entry = {
        "trials": len(done),
        "faults_injected": sum(t.faults for t in done),
        "failures": sum(len(t.failures) for t in done),
        "data_lost": sum(t.data_lost for t in done),
        "commands_run": sum(t.commands for t in done),
        "disk_full_method": methods,
        "permission_method": info["privileges"],
        "skipped": info["skipped"],
        "scenarios": by,
        "findings": [f for t in done for f in t.failures][:20],
        "command": COMMAND,
    }
    record("filesystem", entry)
    return entry
