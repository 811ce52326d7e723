"""Helpers shared by the asv suites (asv imports every module here; none is defined here)."""

import os

QUICK_ENV = "REELSCALE_BENCH_QUICK"
LIBRARY_SIZES = [1_000, 10_000, 100_000, 300_000]
LARGE = 100_000


def skip_large(size: int) -> None:
    """In quick runs (``reelscale bench run --quick``, CI) the large sizes are skipped."""
    if os.environ.get(QUICK_ENV) and size >= LARGE:
        raise NotImplementedError("large size skipped in a quick run")
