"""Keep machine-specific facts (host name, local paths) out of committed result files."""

from __future__ import annotations

import json

PYPERF_PRIVATE = ("hostname", "python_executable", "python_config_args", "python_cflags")


def scrub_pyperf(path: str) -> None:
    """Drop the host name and interpreter paths pyperf records in a result file."""
    with open(path) as fh:
        data = json.load(fh)
    for key in PYPERF_PRIVATE:
        data["metadata"].pop(key, None)
    with open(path, "w") as fh:
        json.dump(data, fh, indent=1)
