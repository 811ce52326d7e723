"""Synthetic workloads shared by the asv suites, the gate and the numbers scripts.

Trees are built once per (files, seed) under ``.bench-work/trees/`` and reused: building a 300k
tree takes longer than scanning it, and the benchmarks must measure the scan.
"""

from __future__ import annotations

import hashlib
import shutil
from functools import cache
from pathlib import Path

import synthetic
from benchmarks.harness.paths import WORK, build_lock

SEED = 1
_GENERATOR_SOURCES = ("library/*.py", "tree/*.py", "release_names.py")


@cache
def generator_version() -> str:
    """A digest of the generator's source: a tree cached by an older generator is not reused."""
    digest = hashlib.sha256()
    package = Path(synthetic.__file__).resolve().parent
    for pattern in _GENERATOR_SOURCES:
        for path in sorted(package.glob(pattern)):
            digest.update(path.read_bytes())
    return digest.hexdigest()[:10]


def tree(files: int, seed: int = SEED) -> tuple[Path, Path]:
    """``(root, truth_file)`` of the synthetic tree with ``files`` files, built on first use."""
    from synthetic.tree import build_tree

    base = WORK / "trees" / f"{files}-s{seed}-{generator_version()}"
    root, truth, done = base / "tree", base / "truth.jsonl", base / "complete"
    with build_lock(f"tree-{base.name}"):
        if not done.exists():
            shutil.rmtree(base, ignore_errors=True)
            base.mkdir(parents=True)
            build_tree(root, files, seed, truth=truth)
            done.touch()
    return root, truth
