"""Does the regression gate catch what it should, and only that? Measured, not assumed.

    reelscale bench validate gate                            # 20 trials of each kind
    reelscale bench validate gate --trials 5 --kind slowdown

Each trial copies the source tree to a temporary folder, applies a throwaway patch there (never
to this checkout) and runs ``reelscale bench check --quick --json`` from the copy:

- ``slowdown``: the release-name parser does +10 % work, re-parsing a random tenth of the names
  it is given (a new random choice every trial). Expected: ``instructions.parse`` flagged.
- ``memory``: the scan holds an extra buffer of 10 % of its baseline peak heap from its start to
  its end. Expected: ``scan.peak_heap_mb`` flagged.
- ``aa``: no patch, the whole quick gate. Expected: nothing flagged (a flag is a false alarm).

Output: ``results/numbers/gate-validation.json`` with every trial and the detection and
false-alarm rates at the tolerances in results/baselines/.
"""

from __future__ import annotations

import difflib
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from benchmarks.harness.gate.gate import load_baselines
from benchmarks.harness.paths import REPO, RESULTS, WORK
from core.errors import BenchError

OUT = RESULTS / "numbers" / "gate-validation.json"
KINDS = ("slowdown", "memory", "aa")
EXPECTED = {"slowdown": "instructions.parse[", "memory": "scan.peak_heap_mb["}
STAGES = {"slowdown": ["parse"], "memory": ["scan"], "aa": []}


def _slowdown(copy: Path, rng: random.Random) -> str:
    path = copy / "core" / "pipeline" / "source" / "release_name.py"
    anchor = "    try:\n        return _parse(name)\n"
    extra = (
        "    if _validation_rng.random() < 0.10:  # gate validation: +10 % work\n"
        "        _parse(name)\n"
    )
    seed = rng.randrange(2**32)
    head = f"import random as _vr\n_validation_rng = _vr.Random({seed})\n"
    return _patch(
        copy, path, [(anchor, extra + anchor), ("\n\ndef parse(", f"\n\n{head}\n\ndef parse(")]
    )


def _memory(copy: Path, _rng: random.Random) -> str:
    peak_mb = load_baselines()["scan.peak_heap_mb[10000]"].value
    extra = int(peak_mb * 1e6 * 0.10)
    path = copy / "core" / "pipeline" / "source" / "files.py"
    anchor = "    index = _load_index(store, root)\n"
    code = (
        f"    _validation_buffer = bytearray({extra})  # gate validation: +10 % peak heap\n"
        f"    _validation_buffer[:: 4096] = b'x' * len(_validation_buffer[:: 4096])\n"
    )
    end = "    summary.seconds = "
    return _patch(
        copy, path, [(anchor, code + anchor), (end, "    del _validation_buffer\n" + end)]
    )


def _patch(copy: Path, path: Path, replacements: list[tuple[str, str]]) -> str:
    before = path.read_text(encoding="utf-8")
    after = before
    for old, new in replacements:
        if after.count(old) != 1:
            raise BenchError(f"gate validation: a patch anchor is not once in {path.name}: {old!r}")
        after = after.replace(old, new)
    path.write_text(after, encoding="utf-8")
    rel = str(path.relative_to(copy))
    return "".join(
        difflib.unified_diff(
            before.splitlines(keepends=True), after.splitlines(keepends=True), rel, rel
        )
    )


PATCHES = {"slowdown": _slowdown, "memory": _memory}


def _copy_tree(dest: Path) -> None:
    files = subprocess.check_output(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"], cwd=REPO
    ).split(b"\0")
    for name in filter(None, files):
        src = REPO / os.fsdecode(name)
        inside = src.relative_to(REPO).parts
        if not src.is_file() or (inside[0] == "results" and inside[1] != "baselines"):
            continue
        target = dest / os.fsdecode(name)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(src, target)
    WORK.mkdir(exist_ok=True)
    (dest / ".bench-work").symlink_to(WORK)  # the cached synthetic trees, not rebuilt per trial


def trial(kind: str, number: int, seed: int) -> dict:
    rng = random.Random(seed)
    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix=f"reelscale-gate-{kind}-") as tmp:
        copy = Path(tmp)
        _copy_tree(copy)
        diff = PATCHES[kind](copy, rng) if kind in PATCHES else ""
        command = [sys.executable, "-m", "core", "bench", "check", "--quick", "--json"]
        for stage in STAGES[kind]:
            command += ["--stage", stage]
        env = dict(os.environ, PYTHONPATH=str(copy))
        proc = subprocess.run(command, cwd=copy, env=env, capture_output=True, text=True)
    if proc.returncode not in (0, 1):
        raise BenchError(f"{kind} trial {number}: the gate failed to run: {proc.stderr[-800:]}")
    report = json.loads(proc.stdout)
    flagged = [c["metric"] for c in report["comparisons"] if c["status"] == "regressed"]
    expected = EXPECTED.get(kind)
    return {
        "kind": kind,
        "trial": number,
        "seed": seed,
        "exit_code": proc.returncode,
        "flagged": flagged,
        "detected": bool(expected) and any(m.startswith(expected) for m in flagged),
        "false_alarm": kind == "aa" and bool(flagged),
        "ratios": {
            c["metric"]: c["ratio"]
            for c in report["comparisons"]
            if c["ratio"] is not None and c["metric"].startswith(("instructions.", "scan.peak"))
        },
        "seconds": round(time.perf_counter() - start, 1),
        "patch": diff,
    }


def summarise(trials: list[dict]) -> dict:
    out = {}
    for kind in KINDS:
        mine = [t for t in trials if t["kind"] == kind]
        if not mine:
            continue
        if kind == "aa":
            alarms = sum(t["false_alarm"] for t in mine)
            out[kind] = {"trials": len(mine), "false_alarms": alarms, "rate": alarms / len(mine)}
        else:
            hits = sum(t["detected"] for t in mine)
            out[kind] = {"trials": len(mine), "detected": hits, "rate": hits / len(mine)}
    return out


def validate(
    trials: int = 20,
    kinds: Sequence[str] = KINDS,
    *,
    parallel: int = 1,
    seed: int = 2026,
    progress: Callable[[str], None] = lambda line: None,
) -> dict:
    """Run ``trials`` trials of each of ``kinds`` and update results/numbers/gate-validation.json.

    Trials of other kinds already in the file are kept; the summary covers them all.
    :param parallel: trials run at once (each is a whole quick gate in its own copy).
    """
    plan = [
        (kind, n, seed * 1000 + i * 100 + n) for i, kind in enumerate(kinds) for n in range(trials)
    ]
    previous = json.loads(OUT.read_text())["trials"] if OUT.exists() else []
    kept = [t for t in previous if t["kind"] not in kinds]
    done: list[dict] = []
    with ThreadPoolExecutor(max_workers=parallel) as pool:
        for result in pool.map(lambda p: trial(*p), plan):
            done.append(result)
            progress(
                f"{result['kind']:9} #{result['trial']:2}: flagged {result['flagged'] or '-'} "
                f"({result['seconds']} s)"
            )
    everything = kept + done
    baselines = load_baselines()
    document = {
        "command": "reelscale bench validate gate",
        "tolerances": {
            m: b.tolerance
            for m, b in sorted(baselines.items())
            if m.startswith(("instructions.", "scan.peak_heap_mb"))
        },
        "summary": summarise(everything),
        "trials": everything,
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(document, indent=1) + "\n")
    return document
