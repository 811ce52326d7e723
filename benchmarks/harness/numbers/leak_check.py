"""Leak check: the production run N times in one process must not grow its heap.

    reelscale bench numbers leak-check [--size 1000] [--runs 10]

writes results/numbers/leak-check.json. The stand-ins (Radarr with a ``size``-movie synthetic
library, Claude at time scale 0) run in this process; the N runs of ``run_pipeline`` run in a fresh
child process (``python -m benchmarks.harness.numbers.leak_check DB CONFIG ...``, an internal
worker, not an entry point), so the heap measured is the pipeline's alone and not the stand-ins'
request logs. Two scenarios, each in its own child and database:

- ``unchanged``: nothing changes between runs (after the first, a run reads the library and
  Radarr's tags and sends nothing else);
- ``force-refresh``: every run judges every movie again (``--force-refresh``), so each run sends
  the whole library to Claude and rewrites every decision.

Run 1 is a warm-up, not tracked. Runs 2..N run under one memray ``Tracker`` with
``trace_python_allocators`` (every object, not pymalloc arenas, so the figure is bytes of live
objects and not arena fragmentation). After each run the child collects garbage and idles for a
moment; the heap memray recorded in that idle window is the run's "heap after". Growth is heap
after run N minus heap after run 2 (run 2 still warms the rerun path: lazy imports, first-use
caches). The largest locations still holding memory allocated in runs 2..N are listed too, which
is where a leak shows its cause.
"""

from __future__ import annotations

import gc
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from benchmarks.harness.paths import REPO

#: Heap growth allowed from run 2 to run N, per run after run 2. Measured at 1k movies, 10 runs:
#: 0.9 KB per run unchanged, 1.8 KB per run with --force-refresh (shrinking run by run: interpreter
#: caches such as abc's negative caches and free lists, not reelscale's data); 1 KB per run at 200
#: movies, so it does not grow with the library. 8 KiB is 4x the worst of those, and a leak of
#: one 40-byte object per movie per run (8 B at 1k movies) is above it.
BOUND_PER_RUN_BYTES = 8 * 1024
SCENARIOS = {"unchanged": False, "force-refresh": True}
IDLE_S = 0.15
INTERVAL_MS = 10


def run_loop(
    db: str, config: str, runs: int, force_refresh: bool, capture: str, plant: int = 0
) -> dict:
    """In the child: run 1, then runs 2..N tracked; the heap after each tracked run.

    ``plant`` bytes are kept alive after every run: a deliberate leak, to show the check sees one.
    The loop's own records are preallocated arrays, so the loop itself allocates nothing per run.
    """
    from array import array

    import memray

    from core.config import load_config
    from core.pipeline.run import RunOptions, run_pipeline

    configuration = load_config(Path(config), collections=True)
    options = RunOptions(force_refresh=force_refresh)

    counts, marks, planted = array("q", [0, 0]) * runs, array("d", [0.0, 0.0]) * runs, []

    def once(i: int) -> None:
        report = run_pipeline(db, configuration, options)
        if report.status != "ok":
            raise RuntimeError(f"run {report.run_id}: {report.status} {report.errors}")
        counts[2 * i], counts[2 * i + 1] = report.requests, report.radarr_writes
        if plant:
            planted.append(bytearray(plant))

    once(0)
    with memray.Tracker(
        capture,
        trace_python_allocators=True,
        memory_interval_ms=INTERVAL_MS,
        file_format=memray.FileFormat.ALL_ALLOCATIONS,
    ):
        for i in range(1, runs):
            once(i)
            gc.collect()
            marks[2 * i] = time.time() * 1000
            time.sleep(IDLE_S)
            marks[2 * i + 1] = time.time() * 1000
    reader = memray.FileReader(capture, max_memory_records=1_000_000)
    per_run = [{"requests": counts[2 * i], "radarr_writes": counts[2 * i + 1]} for i in range(runs)]
    heap_after = _heap_after(reader, [(marks[2 * i], marks[2 * i + 1]) for i in range(1, runs)])
    return {
        "first_run": per_run[0],
        "tracked_runs": per_run[1:],
        "heap_after_run": dict(zip(range(2, runs + 1), heap_after, strict=True)),
        "retained_by_runs_2_to_n": _retained(reader),
        "peak_heap_bytes": reader.metadata.peak_memory,
    }


def _heap_after(reader, windows: list[tuple[float, float]]) -> list[int]:
    """The last heap memray recorded in each idle window (start, end; milliseconds)."""
    snapshots = list(reader.get_memory_snapshots())
    heap = []
    for start, end in windows:
        idle = [s.heap for s in snapshots if start + INTERVAL_MS <= s.time <= end]
        if not idle:
            raise RuntimeError("memray recorded no heap snapshot in an idle window")
        heap.append(idle[-1])
    return heap


def _retained(reader, top: int = 8) -> list[dict]:
    """The ``top`` locations holding the most memory still alive at the end of the capture."""
    retained: dict[str, int] = {}
    for record in reader.get_leaked_allocation_records(merge_threads=True):
        frames = record.stack_trace(max_stacks=1)
        where = f"{_short(frames[0][1])}:{frames[0][2]} {frames[0][0]}" if frames else "?"
        retained[where] = retained.get(where, 0) + record.size
    largest = sorted(retained.items(), key=lambda kv: -kv[1])[:top]
    return [{"where": k, "bytes": v} for k, v in largest]


def _short(filename: str) -> str:
    """``re/__init__.py``, ``core/run.py``: enough to find the file, no machine path."""
    return "/".join(Path(filename).parts[-2:])


def measure(
    env: dict, config: Path, folder: Path, runs: int, force_refresh: bool, *, plant: int = 0
) -> dict:
    """Runs the loop in a fresh child (env: the stand-ins' settings); heap per run and growth."""
    db, capture = folder / "reelscale.db", folder / "leak.bin"
    command = [sys.executable, "-m", "benchmarks.harness.numbers.leak_check", str(db), str(config)]
    proc = subprocess.run(
        [*command, str(runs), str(int(force_refresh)), str(capture), str(plant)],
        capture_output=True,
        text=True,
        env={**env, "PYTHONHASHSEED": "0"},
        cwd=REPO,
        check=False,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"leak-check child failed: {proc.stderr.strip()[-1500:]}")
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    heap = list(result["heap_after_run"].values())
    growth = heap[-1] - heap[0]
    bound = BOUND_PER_RUN_BYTES * (runs - 2)
    result.update(growth_bytes=growth, bound_bytes=bound, within_bound=growth <= bound)
    return result


def stand_in_env(radarr, claude) -> dict[str, str]:
    return {
        **os.environ,
        "RADARR_URL": radarr.url,
        "RADARR_API_KEY": radarr.config.api_key,
        "ANTHROPIC_API_KEY": claude.config.api_key,
        "ANTHROPIC_BASE_URL": claude.url,
        "CLAUDE_CONCURRENCY": "4",
    }


def check(
    size: int = 1000, runs: int = 10, progress: Callable[[str], None] = lambda line: None
) -> dict:
    """Both scenarios over a ``size``-movie library, ``runs`` runs each; figures per scenario."""
    from benchmarks.harness.workloads import sizes as workloads
    from synthetic.library.collection_defs import to_toml
    from synthetic.servers.claude.server import ClaudeServer
    from synthetic.servers.radarr.server import RadarrServer
    from synthetic.servers.traffic import set_time_scale

    set_time_scale(0.0)
    out = {"library_size": size, "runs": runs, "bound_per_run_bytes": BOUND_PER_RUN_BYTES}
    for name, force in SCENARIOS.items():
        with (
            tempfile.TemporaryDirectory(prefix="reelscale-leak-") as tmp,
            RadarrServer.from_library(size, workloads.SEED) as radarr,
            ClaudeServer.from_library(size, workloads.SEED) as claude,
        ):
            config = Path(tmp) / "reelscale.toml"
            config.write_text(to_toml(), encoding="utf-8")
            env = stand_in_env(radarr, claude)
            out[name] = measure(env, config, Path(tmp), runs, force)
            shown = {k: out[name][k] for k in ("growth_bytes", "within_bound")}
            progress(f"{name} {json.dumps(shown)}")
    return out


def _child(argv: list[str]) -> int:
    """The child's entry: ``DB CONFIG RUNS FORCE(0|1) CAPTURE PLANT``; prints the loop's JSON."""
    if len(argv) != 6:
        print("internal worker of `reelscale bench numbers leak-check`", file=sys.stderr)
        return 2
    db, config, runs, force, capture, plant = argv
    print(json.dumps(run_loop(db, config, int(runs), force == "1", capture, int(plant))))
    return 0


if __name__ == "__main__":
    sys.exit(_child(sys.argv[1:]))
