"""The peer's own virtual environment, built once per release and Python, kept in the work folder.

The cache key hashes the release's packaging files and Python sources and the interpreter's
version, so a different release (or an edited copy) gets a fresh environment. ``pip`` installs
the release from its folder with its own pinned requirements, as its README's local install does.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
import venv
from pathlib import Path

from benchmarks.harness.paths import WORK, build_lock
from core.errors import BenchError, UsageError

ROOT = WORK / "peer-venv"
MARKER = ".installed"


def check_release(source: Path) -> Path:
    """``source`` resolved, if it holds a Kometa-AI source release; a usage error otherwise."""
    source = source.expanduser().resolve()
    if not (source / "kometa_ai" / "__main__.py").is_file() or not (source / "setup.py").is_file():
        raise UsageError(
            f"{source}: not a Kometa-AI source release (no kometa_ai/__main__.py and setup.py); "
            "pass the folder of an unpacked release, e.g. a clone of tikibozo/kometa-ai at v0.5.7"
        )
    return source


def release_key(source: Path) -> str:
    digest = hashlib.blake2b(digest_size=8)
    digest.update(sys.version.encode())
    files = [source / "setup.py", source / "requirements.txt"]
    files += sorted((source / "kometa_ai").rglob("*.py"))
    for path in files:
        if path.is_file():
            digest.update(path.relative_to(source).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def peer_python(source: Path, progress=lambda line: None) -> Path:
    """The interpreter of an environment with the release installed (built if missing)."""
    source = check_release(source)
    home = ROOT / release_key(source)
    with build_lock(f"peer-venv-{home.name}"):
        return _install(source, home, progress)


def _install(source: Path, home: Path, progress) -> Path:
    python = home / "bin" / "python"
    if (home / MARKER).is_file() and python.is_file():
        return python
    shutil.rmtree(home, ignore_errors=True)
    progress(f"installing Kometa-AI from {source} into {home} (once per release)")
    venv.EnvBuilder(with_pip=True, clear=True).create(home)
    done = subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", str(source)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        shutil.rmtree(home, ignore_errors=True)
        raise BenchError(f"pip could not install the peer: {done.stderr.strip()[-800:]}")
    (home / MARKER).write_text(str(source) + "\n", encoding="utf-8")
    return python
