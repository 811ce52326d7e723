"""results/reliability.json: the measured robustness figures, one entry per suite.

Each reliability suite (``reelscale bench reliability <suite>``) records its own entry with
:func:`record`; entries of other suites are kept. Every entry carries at least ``trials``,
``faults_injected``, ``failures`` and ``data_lost`` (which must be 0), plus what the suite
measured, and the command that reproduces it.
"""

from __future__ import annotations

import json
import os
import tempfile
from datetime import UTC, datetime

from filelock import FileLock

from benchmarks.harness.paths import RESULTS

RELIABILITY = RESULTS / "reliability.json"
REQUIRED = ("trials", "faults_injected", "failures", "data_lost")


def record(suite: str, entry: dict, path=RELIABILITY) -> dict:
    """Write ``entry`` as ``suite``'s figures (atomically); returns the whole document."""
    missing = [key for key in REQUIRED if key not in entry]
    if missing:
        raise ValueError(f"reliability entry {suite!r} lacks {', '.join(missing)}")
    entry = {**entry, "measured": datetime.now(UTC).strftime("%Y-%m-%d")}
    with FileLock(str(path) + ".lock"):
        data = json.loads(path.read_text()) if path.exists() else {}
        data[suite] = entry
        data = dict(sorted(data.items()))
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".reliability-")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(data, fh, indent=2)
            fh.write("\n")
        os.replace(tmp, path)
    return data


def load(path=RELIABILITY) -> dict:
    return json.loads(path.read_text()) if path.exists() else {}
