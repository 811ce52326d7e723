"""Per-stage wall time and peak memory of a run, for ``reelscale run --profile``.

Peak RSS per stage: Linux lets a process reset its own high-water mark (``VmHWM``) by writing
``5`` to ``/proc/self/clear_refs``, so each stage's peak is its own and not the run's so far.
Where that is not possible the figure is the peak since the process started, and says so.
"""

from __future__ import annotations

import contextlib
import os
import resource
import time
from collections.abc import Iterator
from dataclasses import dataclass, field


@dataclass(slots=True)
class StageProfile:
    seconds: float = 0.0
    rss_start_mb: float = 0.0
    peak_rss_mb: float = 0.0
    requests: int = 0
    tokens: int = 0
    cost_usd: float = 0.0
    extra: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        out = {
            "seconds": round(self.seconds, 3),
            "rss_start_mb": self.rss_start_mb,
            "peak_rss_mb": self.peak_rss_mb,
            "requests": self.requests,
            "tokens": self.tokens,
            "cost_usd": round(self.cost_usd, 6),
        }
        out.update(self.extra)
        return out


class Profiler:
    def __init__(self) -> None:
        self.stages: dict[str, StageProfile] = {}
        self.per_stage_peak = _reset_peak()

    @contextlib.contextmanager
    def stage(self, name: str) -> Iterator[StageProfile]:
        profile = self.stages.setdefault(name, StageProfile())
        if self.per_stage_peak:
            _reset_peak()
        profile.rss_start_mb = profile.rss_start_mb or rss_mb()
        start = time.perf_counter()
        try:
            yield profile
        finally:
            profile.seconds += time.perf_counter() - start
            profile.peak_rss_mb = max(profile.peak_rss_mb, peak_rss_mb())

    def peak_rss_mb(self) -> float:
        """The run's peak: the largest stage peak (or the process peak without resets)."""
        peaks = [p.peak_rss_mb for p in self.stages.values()]
        return max([*peaks, 0.0]) if self.per_stage_peak else peak_rss_mb()

    def as_dict(self) -> dict:
        return {
            "peak_rss_per_stage": self.per_stage_peak,
            "stages": {name: p.as_dict() for name, p in self.stages.items()},
        }


def rss_mb() -> float:
    """The current resident set size in MB (0 where /proc is not available)."""
    try:
        with open("/proc/self/statm", encoding="ascii") as fh:
            pages = int(fh.read().split()[1])
    except (OSError, ValueError, IndexError):
        return 0.0
    return round(pages * os.sysconf("SC_PAGE_SIZE") / 2**20, 1)


def release_memory() -> None:
    """Hand the heap a finished stage freed back to the OS (glibc keeps it otherwise).

    Called before the Claude SDK loads, so the run's peak is not the library read's leftovers
    plus the SDK: 4 MB less at 10k movies (``reelscale run --profile``, ``rss_start_mb``).
    """
    import ctypes
    import gc

    gc.collect()
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def _reset_peak() -> bool:
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as fh:
            fh.write("5")
        return True
    except OSError:
        return False


def peak_rss_mb() -> float:
    """This process's peak resident set size so far, in MB.

    Linux's ``VmHWM`` when there is one: ``ru_maxrss`` also counts the pages a process shared
    with its parent between fork and exec, so a child of a big process reports the parent's size.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
