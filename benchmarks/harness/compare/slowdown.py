"""A scratch clone with a deliberate slowdown: the known-positive case for ``bench compare``.

``slowed_clone(repo, dest)`` clones ``repo`` into ``dest`` and commits, in the clone only, a
``parse`` that parses every name of odd length twice (about half the names: parse ~1.5x
slower). ``HEAD~1`` of the clone is the original commit, ``HEAD`` the slowed one.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from core.errors import BenchError

PARSER = Path("core/pipeline/source/release_name.py")
SLOWDOWN = """

_unslowed_parse = parse


def parse(name: str) -> Release:  # deliberate slowdown (bench compare self-test)
    if len(name) % 2:
        _unslowed_parse(name)
    return _unslowed_parse(name)
"""


def _git(cwd: Path, *args: str) -> None:
    proc = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise BenchError(f"git {args[0]} failed in {cwd}: {proc.stderr.strip()}")


def slowed_clone(repo: Path, dest: Path) -> Path:
    """Clone ``repo`` to ``dest`` and commit the slowdown there; returns ``dest``."""
    _git(repo, "clone", "--quiet", str(repo), str(dest))
    with (dest / PARSER).open("a", encoding="utf-8") as module:
        module.write(SLOWDOWN)
    identity = ("-c", "user.name=bench", "-c", "user.email=bench@example.invalid")
    _git(dest, *identity, "-c", "commit.gpgsign=false", "commit", "--quiet", "-am", "slow parse")
    return dest
