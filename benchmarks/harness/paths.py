"""Where the harness keeps things: all relative to the source checkout."""

from __future__ import annotations

import fcntl
import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from core.errors import BenchError

REPO = Path(__file__).resolve().parents[2]
RESULTS = REPO / "results"
BASELINE_DIR = RESULTS / "baselines"
ASV_RESULTS = RESULTS / "asv"
WORK = REPO / ".bench-work"


def require_checkout() -> Path:
    """The repository root; the harness needs the checkout (benchmarks/, asv.conf.json)."""
    if not (REPO / "asv.conf.json").is_file():
        raise BenchError(
            "the benchmark harness needs a reelscale source checkout (asv.conf.json not found "
            "next to the installed package); run it from a clone with `pip install -e .`"
        )
    return REPO


@contextmanager
def build_lock(name: str) -> Iterator[None]:
    """Hold the work folder's lock ``name`` while a cached input (a tree, a database, a venv) is
    checked and built, so that processes sharing the folder (pytest-xdist workers, two bench
    commands) build it once and never read it half-built."""
    locks = WORK / "locks"
    locks.mkdir(parents=True, exist_ok=True)
    with open(locks / f"{name}.lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def write_numbers(name: str, data: dict, *, indent: int = 2, ensure_ascii: bool = True) -> Path:
    """Write ``data`` as JSON to results/numbers/``name``; returns the path."""
    target = RESULTS / "numbers" / name
    target.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(data, indent=indent, ensure_ascii=ensure_ascii)
    target.write_text(text + "\n", encoding="utf-8")
    return target
