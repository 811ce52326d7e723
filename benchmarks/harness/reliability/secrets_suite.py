"""Secrets suite of results/reliability.json: every command with sentinel keys, outputs searched.

Reproduce with ``reelscale bench reliability secrets`` (about 2 minutes): runs
the 36 commands of :func:`benchmarks.harness.reliability.secrets_commands.commands` (``full=True``)
against stand-ins on 127.0.0.1 and records suite "secrets": commands run, sentinel keys planted,
failures, hits, the files searched (and their size), the modes of the files that can hold secrets,
where each stand-in listens and how many Radarr requests carried a key in the URL.
"""

from __future__ import annotations

import random

from benchmarks.harness.reliability.results import record
from benchmarks.harness.reliability.secrets_audit import Secrets, audit, findings

COMMAND = "reelscale bench reliability secrets"


def run_suite() -> dict:
    """The audit with every command; the entry of suite "secrets", recorded."""
    a = audit(30, full=True, seed=0)
    wrong = findings(a)
    entry = {
        "trials": a.commands,
        "faults_injected": len(Secrets.make(random.Random(0)).all()),
        "failures": len(wrong),
        "data_lost": 0,
        "hits": len(a.hits),
        "radarr_requests": a.radarr_requests,
        "radarr_key_in_url": a.query_secrets,
        "listening": a.bound,
        "files_checked": len(a.files),
        "bytes_checked": sum(a.files.values()),
        "file_modes": a.modes,
        "commands": a.ran,
        "findings": wrong,
        "command": COMMAND,
    }
    record("secrets", entry)
    return entry
