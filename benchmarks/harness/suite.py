"""Run the asv suites over the installed environment and keep the results in results/asv/.

asv with ``environment_type: existing`` saves results only with ``--set-commit-hash`` (and never
with ``--quick``), and names the environment after the interpreter's absolute path. That path is
machine-specific, so after a run the result files are renamed to a neutral environment name
(``existing-venv``): the history stays one series on every clone, and no local path is committed.
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
from pathlib import Path

from benchmarks.harness.paths import ASV_RESULTS, require_checkout
from core.errors import BenchError

NEUTRAL_ENV = "existing-venv"
QUICK_ENV = "REELSCALE_BENCH_QUICK"


def machine_name() -> str:
    """A name for this kind of machine that identifies no host: cores and memory."""
    if name := os.environ.get("REELSCALE_BENCH_MACHINE"):
        return name
    mem_gb = round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30)
    return f"linux-{os.cpu_count()}cpu-{mem_gb}gb"


def run_asv(*, quick: bool, pattern: str | None = None) -> int:
    repo = require_checkout()
    machine = machine_name()
    asv = [sys.executable, "-m", "asv"]
    env = dict(os.environ, PYTHONHASHSEED="0")
    if quick:
        env[QUICK_ENV] = "1"
    _call([*asv, "machine", "--yes", "--machine", machine, *_machine_facts()], repo, env)
    cmd = [*asv, "run", "--python=same", "--machine", machine, "--show-stderr"]
    if quick:
        cmd.append("--quick")
    else:
        head = _git(repo, "rev-parse", "HEAD")
        cmd += ["--set-commit-hash", head, "--record-samples"]
    if pattern:
        cmd += ["--bench", pattern]
    rc = subprocess.call(cmd, cwd=repo, env=env)
    if not quick:
        neutralise_env_names(ASV_RESULTS / machine)
    return rc


def _machine_facts() -> list[str]:
    """What asv records about the machine: its kind, nothing that identifies it."""
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            cpu = next(
                line.split(":", 1)[1].strip() for line in fh if line.startswith("model name")
            )
    except (OSError, StopIteration):
        pass
    mem_gb = round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30)
    return [
        "--os",
        platform.system(),
        "--arch",
        platform.machine(),
        "--cpu",
        cpu,
        "--num_cpu",
        str(os.cpu_count()),
        "--ram",
        f"{mem_gb}GB",
    ]


def neutralise_env_names(folder: Path) -> None:
    """Rename ``<hash>-existing-py_<path>.json`` to ``<hash>-existing-venv.json`` and fix inside."""
    for path in folder.glob("*-existing-py_*.json"):
        data = json.loads(path.read_text())
        data["env_name"] = NEUTRAL_ENV
        data["python"] = "existing"
        data.get("params", {}).pop("python", None)
        data["params"] = data.get("params", {}) | {"python": "existing"}
        target = path.with_name(path.name.split("-existing-py_")[0] + f"-{NEUTRAL_ENV}.json")
        if target.exists():
            old = json.loads(target.read_text())
            old_results = old.get("results", {})
            old_results.update(data.get("results", {}))
            data["results"] = old_results
        target.write_text(json.dumps(data, indent=1, sort_keys=True))
        path.unlink()


def _git(repo: Path, *args: str) -> str:
    try:
        return subprocess.check_output(["git", *args], cwd=repo, text=True).strip()
    except (OSError, subprocess.CalledProcessError) as exc:
        raise BenchError(
            f"asv needs a git checkout to save results: git {' '.join(args)} failed"
        ) from exc


def _call(cmd: list[str], cwd: Path, env: dict[str, str]) -> None:
    proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise BenchError(f"{' '.join(cmd[2:4])} failed: {proc.stderr.strip()[-400:]}")
