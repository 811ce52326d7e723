"""What two filesystem faults need when the tests run as root, which reads and writes anything.

* **permissions** (:func:`unprivileged`): the child drops ``CAP_DAC_OVERRIDE``,
  ``CAP_DAC_READ_SEARCH`` and ``CAP_FOWNER`` from its capability bounding set before ``exec``, so
  it is root that obeys file modes like any user (``setuid(nobody)`` would also need the
  interpreter to be readable by nobody, which a per-user Python install is not). A probe checks
  that a mode-000 folder is really refused; if not, the scenarios are skipped with the reason.
* **a full disk** (:func:`small_filesystem`): a 2 MB ``tmpfs`` mounted on a temporary folder
  when ``mount`` is permitted, else ``RLIMIT_FSIZE`` in the child (writes past the limit fail with
  ``EFBIG``; ``SIGXFSZ`` is ignored so that it is an ``OSError``). ``method`` says which.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

PR_CAPBSET_DROP = 24
DAC_CAPS = (1, 2, 3)  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER
SMALL_FS_BYTES = 2 * 2**20
METHOD_ENV = "REELSCALE_SMALL_FS"  # "tmpfs" or "rlimit": force one method (tests of the harness)


@dataclass(frozen=True, slots=True)
class Privileges:
    """How a child is kept from reading what it may not: ``method`` is empty when impossible."""

    method: str
    preexec: Callable[[], None] | None
    reason: str = ""


def _drop_dac_caps() -> None:
    libc = ctypes.CDLL(None, use_errno=True)
    for cap in DAC_CAPS:
        if libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP) failed")


def unprivileged() -> Privileges:
    """How to run a child that file modes apply to, checked on a mode-000 folder."""
    if os.geteuid() != 0:
        return Privileges("not root", None)
    with tempfile.TemporaryDirectory(prefix="reelscale-probe-") as tmp:
        locked = Path(tmp) / "locked"
        locked.mkdir(mode=0)
        probe = [sys.executable, "-c", f"import os; os.listdir({str(locked)!r})"]
        try:
            proc = subprocess.run(
                probe, preexec_fn=_drop_dac_caps, capture_output=True, text=True, timeout=60
            )
        except (OSError, subprocess.SubprocessError) as exc:
            return Privileges("", None, f"cannot drop CAP_DAC_OVERRIDE as root: {exc}")
        finally:
            locked.chmod(0o700)
    if proc.returncode != 0 and "PermissionError" in proc.stderr:
        return Privileges("root without CAP_DAC_OVERRIDE/CAP_DAC_READ_SEARCH", _drop_dac_caps)
    return Privileges("", None, "running as root and dropping DAC capabilities did not deny access")


# -- a small filesystem ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SmallFS:
    """A folder where writes fail for lack of space: ``method`` "tmpfs" or "rlimit_fsize"."""

    path: Path
    method: str
    limit: int
    preexec: Callable[[], None] | None

    def fill(self, leave: int = 0) -> None:
        """Leave about ``leave`` bytes free (tmpfs; with RLIMIT_FSIZE the limit is the fault)."""
        if self.method != "tmpfs":
            return
        filler = self.path / ".filler"
        free = shutil.disk_usage(self.path).free - leave
        with open(filler, "ab") as fh, contextlib.suppress(OSError):
            while free > 0:
                fh.write(b"\0" * min(free, 1 << 16))
                fh.flush()
                free -= 1 << 16

    def unfill(self) -> None:
        (self.path / ".filler").unlink(missing_ok=True)


def fsize_limit(limit: int) -> Callable[[], None]:
    def preexec() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return preexec


def _mount_tmpfs(path: Path, size: int) -> bool:
    if os.geteuid() != 0 or os.environ.get(METHOD_ENV) == "rlimit" or not shutil.which("mount"):
        return False
    proc = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size},mode=0755", "tmpfs", str(path)],
        capture_output=True,
        timeout=30,
        check=False,
    )
    return proc.returncode == 0


@contextlib.contextmanager
def small_filesystem(path: Path, *, limit: int = SMALL_FS_BYTES) -> Iterator[SmallFS]:
    """A ``limit``-byte tmpfs on ``path`` (created), unmounted after; else an RLIMIT_FSIZE of
    ``limit`` bytes for the children given its ``preexec``."""
    path.mkdir(parents=True, exist_ok=True)
    if not _mount_tmpfs(path, limit):
        yield SmallFS(path, "rlimit_fsize", limit, fsize_limit(limit))
        return
    try:
        yield SmallFS(path, "tmpfs", limit, None)
    finally:
        if subprocess.run(["umount", str(path)], capture_output=True, check=False).returncode:
            subprocess.run(["umount", "-l", str(path)], capture_output=True, check=False)
