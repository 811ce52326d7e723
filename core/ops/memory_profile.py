"""``reelscale run --memory-profile FILE``: the whole run under memray, then its flamegraph.

memray is optional (the ``profile`` extra): it is a native extension built for Linux and macOS
only and brings jinja2 and textual, none of which a run needs. Without it the flag is a usage
error raised before anything runs.

FILE is memray's own capture, so every memray report works on it afterwards (``memray summary``,
``memray flamegraph --leaks``, ``memray tree``). The flamegraph of the peak goes next to it
(FILE with ``.html``), written by memray's reporter through ``python -m memray flamegraph``: its
command line is memray's stable interface, the reporter classes are not. Both files are
overwritten, like ``--profile``'s JSON, so a repeated or scheduled command keeps working.
"""

from __future__ import annotations

import contextlib
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from core.errors import ReelscaleError, UsageError

INSTALL_HINT = "pip install 'reelscale[profile]' (memray runs on Linux and macOS)"


@dataclass(frozen=True, slots=True)
class MemoryProfile:
    capture: Path
    flamegraph: Path

    def as_dict(self) -> dict[str, str]:
        return {"capture": str(self.capture), "flamegraph": str(self.flamegraph)}


def plan(path: str | Path) -> MemoryProfile:
    """Where the capture and the flamegraph go; a UsageError if memray or the folder is missing."""
    try:
        import memray  # noqa: F401
    except ImportError:
        raise UsageError(f"--memory-profile needs memray: {INSTALL_HINT}") from None
    capture = Path(path).absolute()
    flamegraph = capture.with_suffix(".html")
    if flamegraph == capture:
        raise UsageError(
            f"--memory-profile {path}: the flamegraph is written to FILE with .html; "
            "name the capture differently (e.g. run.bin)"
        )
    if not capture.parent.is_dir():
        raise UsageError(f"--memory-profile {path}: folder {capture.parent} does not exist")
    return MemoryProfile(capture, flamegraph)


@contextlib.contextmanager
def tracking(profile: MemoryProfile | None) -> Iterator[None]:
    """Every allocation inside the block, all threads, written to ``profile.capture``."""
    if profile is None:
        yield
        return
    import memray

    destination = memray.FileDestination(profile.capture, overwrite=True)
    with memray.Tracker(destination=destination):
        yield


def write_flamegraph(profile: MemoryProfile) -> Path:
    """memray's flamegraph of the capture's peak, one file that opens offline: ``--no-web``
    inlines the 4.5 MB of scripts memray otherwise loads from a CDN (a blank page offline)."""
    command = [sys.executable, "-m", "memray", "flamegraph", "--force", "--no-web"]
    proc = subprocess.run(
        [*command, "-o", str(profile.flamegraph), str(profile.capture)],
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        detail = (proc.stderr or proc.stdout).strip().splitlines()
        raise ReelscaleError(
            f"the run finished but its flamegraph could not be written "
            f"({detail[-1] if detail else f'memray exit {proc.returncode}'}); the capture is "
            f"{profile.capture}: try `memray flamegraph {profile.capture}`"
        )
    return profile.flamegraph
