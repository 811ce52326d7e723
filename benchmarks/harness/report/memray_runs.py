"""memray flamegraphs and stats of the main workloads, each in a fresh process.

The stand-ins run in the parent, so the traced process holds only reelscale's own allocations. Scan,
enrich and classify are the gate's stage workloads (:mod:`benchmarks.harness.gate.stage_inputs`),
traced from just before the stage to its end by :mod:`benchmarks.harness.gate.stage_worker` (imports
and set-up untraced); the end-to-end run is the real CLI under ``memray run``, its whole process,
imports included. Stand-in keys go through the environment, never argv: memray records the command
line.

The HTML and JSON memray writes hold source paths; :func:`scrub_paths` turns them into
``<repo>/``, ``<python>/`` and ``<tmp>/`` before they land in results/.
"""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from benchmarks.harness.paths import REPO, WORK, build_lock
from benchmarks.harness.workloads import sizes as workloads
from core.errors import BenchError


@dataclass(frozen=True, slots=True)
class Workload:
    name: str
    description: str
    size: int


WORKLOADS = (
    Workload("scan-10k-files", "first scan of the 10k-file synthetic tree", 10_000),
    Workload("enrich-2k-files", "first enrich of a scanned 2k-file tree, stand-in TMDB", 2_000),
    Workload("classify-1k-movies", "classify 1k movies x 10 collections, stand-in Claude", 1_000),
    Workload(
        "run-1k-movies",
        "`reelscale run` of 1k Radarr movies, stand-in Radarr + Claude (whole process)",
        1_000,
    ),
)


def flamegraph_name(name: str) -> str:
    return f"memray-{name}.html"


def stats_name(name: str) -> str:
    return f"memray-{name}-stats.json"


# -- parent: start the stand-ins, run the child, write the reports -------------------------------
def profile(workload: Workload, out_dir: Path) -> tuple[Path, Path]:
    """Trace ``workload`` in a fresh process; write its flamegraph and stats into ``out_dir``."""
    with build_lock(f"memray-{workload.name}"):
        return _profile(workload, out_dir)


def _profile(workload: Workload, out_dir: Path) -> tuple[Path, Path]:
    from synthetic.servers.traffic import set_time_scale

    bins = WORK / "memray"
    bins.mkdir(parents=True, exist_ok=True)
    binary = bins / f"{workload.name}.bin"
    binary.unlink(missing_ok=True)
    previous = set_time_scale(0)
    try:
        with tempfile.TemporaryDirectory(prefix="reelscale-memray-") as tmp:
            _RUNNERS[workload.name.split("-")[0]](workload.size, binary, Path(tmp))
    finally:
        set_time_scale(previous)
    flame, stats = out_dir / flamegraph_name(workload.name), out_dir / stats_name(workload.name)
    memray = [sys.executable, "-m", "memray"]
    _check([*memray, "flamegraph", "-f", "-o", str(flame), str(binary)], workload.name)
    _check([*memray, "stats", "--json", "-f", "-o", str(stats), str(binary)], workload.name)
    for path in (flame, stats):
        scrub_paths(path)
    return flame, stats


def _run_stage(stage: str, size: int, binary: Path, tmp: Path, **spec_extra) -> None:
    from benchmarks.harness.gate.peak import run_stage
    from benchmarks.harness.gate.stage_inputs import workload

    run_stage(workload(stage, size), f"memray-all:{binary}", tmp, **spec_extra)


def _run_run(size: int, binary: Path, tmp: Path) -> None:
    from synthetic.library.collection_defs import to_toml
    from synthetic.servers.claude.server import ClaudeServer
    from synthetic.servers.radarr.server import RadarrServer

    config = tmp / "reelscale.toml"
    config.write_text(to_toml(), encoding="utf-8")
    with (
        RadarrServer.from_library(size, workloads.SEED) as radarr,
        ClaudeServer.from_library(size, workloads.SEED) as claude,
    ):
        env = {
            "RADARR_URL": radarr.url,
            "RADARR_API_KEY": radarr.config.api_key,
            "ANTHROPIC_API_KEY": claude.config.api_key,
            "ANTHROPIC_BASE_URL": claude.url,
            "CLAUDE_CONCURRENCY": "8",
        }
        cmd = [sys.executable, "-m", "memray", "run", "-q", "-o", str(binary), "-m", "core"]
        run = ["run", "--json", "--db", str(tmp / "run.db"), "--config", str(config)]
        _check([*cmd, *run, "--batch-size", "25"], "run", env=env)


# Requests in flight as a run sends them (the instruction counts send one at a time).
_RUNNERS: dict[str, Callable[[int, Path, Path], None]] = {
    "scan": lambda size, binary, tmp: _run_stage("scan", size, binary, tmp),
    "enrich": lambda size, binary, tmp: _run_stage("enrich", size, binary, tmp, concurrency=8),
    "classify": lambda size, binary, tmp: _run_stage("classify", size, binary, tmp, concurrency=8),
    "run": _run_run,
}


def _check(cmd: list[str], what: str, env: dict | None = None) -> None:
    full_env = dict(os.environ, PYTHONHASHSEED="0", **(env or {}))
    proc = subprocess.run(cmd, cwd=REPO, env=full_env, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise BenchError(f"memray workload {what!r} failed: {proc.stderr.strip()[-600:]}")


def scrub_paths(path: Path) -> None:
    """Replace local absolute paths in a memray output with neutral prefixes."""
    text = path.read_text(encoding="utf-8")
    for local, neutral in _path_prefixes():
        text = text.replace(local, neutral)
    path.write_text(text, encoding="utf-8")


def _path_prefixes() -> list[tuple[str, str]]:
    pairs = {str(REPO): "<repo>", tempfile.gettempdir(): "<tmp>"}
    for key in ("purelib", "platlib", "stdlib", "platstdlib"):
        if found := sysconfig.get_paths().get(key):
            pairs.setdefault(found, f"<python-{key}>")
    for prefix in (sys.prefix, sys.base_prefix, sys.exec_prefix, os.path.expanduser("~")):
        pairs.setdefault(prefix, "<python>" if prefix != os.path.expanduser("~") else "<home>")
    # Longest first, so a path under the repo's venv becomes <python-purelib>, not <repo>.
    ordered = sorted(pairs.items(), key=lambda kv: len(kv[0]), reverse=True)
    return [(local, neutral) for local, neutral in ordered if len(local) > 1]
