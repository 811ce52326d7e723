"""Peak heap of a workload, measured by memray in a fresh process.

memray's peak repeats only in a fresh interpreter (memory reused within a process lowers later
measurements), so the parent runs ``python -m benchmarks.harness.gate.peak WORKLOAD ARGS...`` and
reads one JSON line back. The workload's modules are imported before tracking starts, so the
figure is the workload's own heap, not the compiler's. Python's allocator is traced object by
object (``trace_python_allocators``): untraced, memray sees pymalloc's 1 MiB arenas, and a 7 MB
peak moved by a whole arena (+14 %) between two runs of the same code.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from core.errors import BenchError


def measure_peak(workload: str, *args: str) -> dict:
    """Run ``workload`` in a fresh process under memray; returns its JSON result."""
    env = dict(os.environ, PYTHONHASHSEED="0")
    proc = subprocess.run(
        [sys.executable, "-m", "benchmarks.harness.gate.peak", workload, *args],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    if proc.returncode != 0:
        raise BenchError(f"peak-heap workload {workload!r} failed: {proc.stderr.strip()[-500:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def run_stage(workload, mode: str, folder: Path, **spec_extra) -> dict:
    """Run one stage workload (:mod:`benchmarks.harness.gate.stage_inputs`) in a fresh process in
    ``mode`` (see :mod:`benchmarks.harness.gate.stage_worker`), its stand-in serving from this one;
    returns the worker's JSON line."""
    from benchmarks.harness.gate.stage_worker import KEY_ENV

    with workload.prepare(folder) as (spec, key):
        proc = subprocess.run(
            [
                sys.executable,
                "-m",
                "benchmarks.harness.gate.stage_worker",
                workload.name,
                mode,
                json.dumps({**spec, **spec_extra}),
            ],
            capture_output=True,
            text=True,
            env=dict(os.environ, PYTHONHASHSEED="0", **{KEY_ENV: key}),
            check=False,
        )
    if proc.returncode != 0:
        raise BenchError(f"{workload.key} ({mode}) failed: {proc.stderr.strip()[-500:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def stage_peak(workload, **spec_extra) -> int:
    """Peak heap in bytes of one stage workload, tracked by memray around the stage only."""
    with tempfile.TemporaryDirectory(prefix=f"reelscale-peak-{workload.name}-") as tmp:
        folder = Path(tmp)
        result = run_stage(workload, f"memray:{folder / 'peak.bin'}", folder, **spec_extra)
    return result["peak_heap_bytes"]


def _scan(tree: str, db: str) -> dict:
    from core.pipeline.source.files import scan
    from core.store.db import open_store

    with open_store(db) as store:
        return scan(tree, store).as_dict()


def _import_scan() -> None:
    import core.pipeline.source.files
    import core.store.db  # noqa: F401


def _tv_scan(tree: str, db: str) -> dict:
    """A first ``reelscale scan`` of a TV tree: the scan, then the episodes grouped into series."""
    from core.pipeline.source.files import scan
    from core.pipeline.source.series import group_after_scan
    from core.store.db import open_store

    with open_store(db) as store:
        summary = scan(tree, store)
        series = group_after_scan(store, summary)
    return {"scan": summary.as_dict(), "series": series.as_dict()}


def _import_tv_scan() -> None:
    _import_scan()
    import core.pipeline.source.series  # noqa: F401


#: name -> (imports done before tracking starts, the tracked workload)
WORKLOADS = {"scan": (_import_scan, _scan), "tvscan": (_import_tv_scan, _tv_scan)}


def main(argv: list[str]) -> None:
    import memray

    (prepare, workload), args = WORKLOADS[argv[0]], argv[1:]
    prepare()
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "peak.bin"
        with memray.Tracker(
            out,
            file_format=memray.FileFormat.AGGREGATED_ALLOCATIONS,
            trace_python_allocators=True,
        ):
            result = workload(*args)
        peak = memray.FileReader(out).metadata.peak_memory
    print(json.dumps({"peak_heap_bytes": peak, "result": result}))


if __name__ == "__main__":
    main(sys.argv[1:])
