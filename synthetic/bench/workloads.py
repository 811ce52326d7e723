"""Synthetic workloads shared by the asv suites, the gate and the numbers scripts.

Trees are built once per (files, seed) under ``.bench-work/trees/`` and reused: building a 300k
tree takes longer than scanning it, and the benchmarks must measure the scan.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from .paths import WORK

SEED = 1


def tree(files: int, seed: int = SEED) -> tuple[Path, Path]:
    """``(root, truth_file)`` of the synthetic tree with ``files`` files, built on first use."""
    from synthetic.tree import build_tree

    base = WORK / "trees" / f"{files}-s{seed}"
    root, truth, done = base / "tree", base / "truth.jsonl", base / "complete"
    if not done.exists():
        shutil.rmtree(base, ignore_errors=True)
        base.mkdir(parents=True)
        build_tree(root, files, seed, truth=truth)
        done.touch()
    return root, truth
