"""Instruction counts of fixed stage workloads, measured with valgrind's cachegrind.

Wall time on these shared 2-core machines moves +-30 % between runs of identical code; the
number of instructions the interpreter executes does not (``PYTHONHASHSEED`` fixed, the same
interpreter binary, bytecode compiled beforehand). Each workload runs twice under cachegrind in a
fresh process, once up to the stage (``setup``) and once through it (``full``); the metric is the
difference, the stage's own instructions.

Workloads (see :mod:`benchmarks.harness.gate.stage_worker`): parse 10k release names, scan a
10k-file tree, rescan it unchanged, enrich 2k files' items against the stand-in TMDB, plan +
classify 2k movies x 10 collections against the stand-in Claude (time scale 0), tag 2k movies in the
stand-in Radarr, group the 3k episodes of a scanned TV tree into series. The stand-ins run in this
process, so only reelscale's work is counted.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from benchmarks.harness.gate.stage_inputs import GATE_WORKLOADS, Workload
from benchmarks.harness.gate.stage_worker import KEY_ENV
from benchmarks.harness.paths import REPO
from core.errors import BenchError
from core.progress import NULL_REPORTER, Reporter

_IREFS = re.compile(r"I\s+refs:\s+([\d,]+)")


def valgrind() -> str:
    path = shutil.which("valgrind")
    if not path:
        raise BenchError(
            "valgrind is not installed: instruction counts need it "
            "(Debian/Ubuntu: apt-get install valgrind)"
        )
    return path


def measure_instructions(
    names: list[str] | None = None,
    *,
    parallel: int = 2,
    reporter: Reporter = NULL_REPORTER,
    repo: Path = REPO,
) -> dict[str, float]:
    """``{metric: instructions}`` for the chosen workloads (all by default)."""
    chosen = [w for w in GATE_WORKLOADS if names is None or w.name in names]
    _compile_bytecode(repo)
    reporter.start("instructions", total=len(chosen))
    results: dict[str, float] = {}

    def one(workload: Workload) -> None:
        results[f"instructions.{workload.key}"] = count(workload, repo=repo)
        reporter.advance("instructions")

    with ThreadPoolExecutor(max_workers=max(1, parallel)) as pool:
        for future in [pool.submit(one, w) for w in chosen]:
            future.result()
    reporter.finish("instructions")
    return {m: results[m] for m in sorted(results)}


def count(workload: Workload, *, repo: Path = REPO) -> int:
    """The stage's instructions: ``full`` minus ``setup``, each in a fresh process."""
    with tempfile.TemporaryDirectory(prefix=f"reelscale-icount-{workload.name}-") as tmp:
        folder = Path(tmp)
        totals = {}
        for phase in ("setup", "full"):
            run_dir = folder / phase
            run_dir.mkdir()
            with workload.prepare(run_dir) as (spec, key):
                totals[phase] = _cachegrind(workload.name, phase, spec, key, run_dir, repo)
    return totals["full"] - totals["setup"]


def _cachegrind(name: str, phase: str, spec: dict, key: str, folder: Path, repo: Path) -> int:
    log = folder / "cachegrind.log"
    env = dict(os.environ, PYTHONHASHSEED="0", PYTHONDONTWRITEBYTECODE="1", PYTHONPATH=str(repo))
    env[KEY_ENV] = key
    proc = subprocess.run(
        [
            valgrind(),
            "--tool=cachegrind",
            "--cache-sim=no",
            "--cachegrind-out-file=/dev/null",
            f"--log-file={log}",
            _interpreter(),
            "-m",
            "benchmarks.harness.gate.stage_worker",
            name,
            phase,
            json.dumps(spec),
        ],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    text = log.read_text(errors="replace") if log.exists() else ""
    if proc.returncode != 0:
        raise BenchError(
            f"instruction-count workload {name} ({phase}) failed with exit {proc.returncode}: "
            f"{(proc.stderr or text).strip()[-600:]}"
        )
    found = _IREFS.search(text)
    if not found:
        raise BenchError(f"cachegrind printed no instruction count for {name} ({phase})")
    return int(found.group(1).replace(",", ""))


def _interpreter() -> str:
    """This environment's python: a venv symlink is fine (valgrind follows it and Python still
    finds its pyvenv.cfg); a shell shim (pyenv) is not, it would count bash."""
    exe = sys.executable
    with open(os.path.realpath(exe), "rb") as fh:
        if fh.read(2) == b"#!":
            raise BenchError(f"{exe} is a script, not an interpreter; run from a virtualenv")
    return exe


def _compile_bytecode(repo: Path) -> None:
    """Compile reelscale's modules first, so no measured run pays for compiling them."""
    import compileall

    for package in ("core", "synthetic", "benchmarks"):
        compileall.compile_dir(repo / package, quiet=1)
