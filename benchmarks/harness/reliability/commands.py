"""One ``reelscale`` command in a child process, how it ended, and what it left in the database.

Shared by the reliability scenarios: ``problems`` is the one judge of how a command ended (no
traceback, an expected exit code, exactly one ``Error:`` line when it failed).
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class Result:
    args: tuple[str, ...]
    code: int
    stdout: str
    stderr: str

    @property
    def error_lines(self) -> list[str]:
        return [line for line in self.stderr.splitlines() if line.startswith("Error:")]

    def json(self) -> dict:
        return json.loads(self.stdout.strip().splitlines()[-1])


def reelscale(
    args: Sequence[str],
    *,
    env: dict[str, str] | None = None,
    preexec: Callable[[], None] | None = None,
    cwd: Path | None = None,
    timeout: float = 300.0,
) -> Result:
    proc = subprocess.run(
        [sys.executable, "-m", "core", *map(str, args)],
        env=env,
        cwd=cwd,
        preexec_fn=preexec,
        capture_output=True,
        timeout=timeout,
        check=False,
    )
    out, err = (b.decode("utf-8", "backslashreplace") for b in (proc.stdout, proc.stderr))
    return Result(tuple(map(str, args)), proc.returncode, out, err)


def problems(result: Result, codes: Sequence[int], *, error: bool) -> list[str]:
    """What is wrong with how a command ended: a traceback, an exit code not in ``codes``, and
    (``error``) not exactly one ``Error:`` line, or (not ``error``) any ``Error:`` line."""
    name = " ".join(result.args[:2])
    found = []
    if "Traceback (most recent call last)" in result.stderr + result.stdout:
        found.append(f"{name}: traceback: {result.stderr.strip().splitlines()[-1][:200]}")
    if result.code not in codes:
        found.append(f"{name}: exit {result.code}, expected {'/'.join(map(str, codes))}")
    lines = result.error_lines
    if error and len(lines) != 1:
        found.append(f"{name}: {len(lines)} Error: lines, expected 1: {result.stderr[-300:]!r}")
    if not error and lines:
        found.append(f"{name}: unexpected {lines[0][:200]}")
    return found


def db_state(db: Path) -> tuple[str, int]:
    """``(PRAGMA integrity_check, number of items)`` of the database file; the items are the
    files' own, not the series a scan groups episodes into (#18)."""
    conn = sqlite3.connect(db)
    try:
        check = "; ".join(r[0] for r in conn.execute("PRAGMA integrity_check").fetchall())
        count = "SELECT count(*) FROM items WHERE type IS NOT 'series'"
        return check, conn.execute(count).fetchone()[0]
    finally:
        conn.close()


def keys(db: Path, table: str = "items") -> set:
    """The item keys (or ``decisions``: the (item, collection) pairs) stored in ``db``."""
    sql = {
        "items": "SELECT key FROM items",
        "decisions": "SELECT item_id, collection FROM decisions",
    }[table]
    conn = sqlite3.connect(db)
    try:
        return {row if table == "decisions" else row[0] for row in conn.execute(sql)}
    finally:
        conn.close()


def leftovers(folder: Path, expected: set[str]) -> list[str]:
    """Files in ``folder`` besides ``expected`` (a temporary file left by a failed write)."""
    return sorted(p.name for p in folder.iterdir() if p.name not in expected)
