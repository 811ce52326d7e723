"""Read-only git access for ``bench compare``: resolve a revision, export its files.

A commit is exported with ``git archive`` into a folder of our own; the repository's branches,
index, working tree and worktree list are never touched.
"""

from __future__ import annotations

import subprocess
import tarfile
from pathlib import Path

from core.errors import BenchError, UsageError


def _git(repo: Path, *args: str) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(
            ["git", "-C", str(repo), *args], capture_output=True, text=True, check=False
        )
    except FileNotFoundError:
        raise UsageError("git is not installed; bench compare reads commits with git") from None


def toplevel(repo: Path) -> Path:
    """The root of the git checkout at ``repo``.

    :raises UsageError: ``repo`` is missing or not inside a git checkout.
    """
    if not repo.is_dir():
        raise UsageError(f"{repo} does not exist; pass --repo with a reelscale git checkout")
    proc = _git(repo, "rev-parse", "--show-toplevel")
    if proc.returncode != 0:
        raise UsageError(f"{repo} is not a git checkout; pass --repo with a reelscale clone")
    return Path(proc.stdout.strip())


def resolve(repo: Path, rev: str) -> str:
    """The full commit id ``rev`` names in ``repo``.

    :raises UsageError: ``rev`` names no commit there.
    """
    proc = _git(repo, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}")
    if proc.returncode != 0 or not proc.stdout.strip():
        raise UsageError(f"unknown revision {rev!r} in {repo}")
    return proc.stdout.strip()


def export(repo: Path, commit: str, dest: Path) -> Path:
    """Write the files of ``commit`` into the new folder ``dest``; returns ``dest``.

    :raises UsageError: the commit has no ``core`` package (not a reelscale commit).
    """
    if _git(repo, "cat-file", "-e", f"{commit}:core/__init__.py").returncode != 0:
        raise UsageError(f"commit {commit[:12]} in {repo} has no core/ package: not reelscale")
    dest.mkdir(parents=True)
    proc = subprocess.Popen(
        ["git", "-C", str(repo), "archive", "--format=tar", commit],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        with tarfile.open(fileobj=proc.stdout, mode="r|") as archive:
            archive.extractall(dest, filter="data")
    except tarfile.TarError as exc:
        proc.kill()
        raise BenchError(f"git archive {commit[:12]} in {repo} failed: {exc}") from exc
    finally:
        stderr = proc.communicate()[1]
    if proc.returncode != 0:
        message = stderr.decode(errors="replace").strip()
        raise BenchError(f"git archive {commit[:12]} in {repo} failed: {message}")
    return dest
