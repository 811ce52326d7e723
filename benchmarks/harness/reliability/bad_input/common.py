"""What the bad-input properties share: the in-process CLI, database checks, the counting runner.

Each property is a plain ``check_*(ctx, **example)`` function in this package: the tests
(``tests/**/test_bad_input_*.py``) run them under hypothesis with a small example count, ``reelscale
bench reliability bad-input`` runs the same functions with thousands of examples and counts what it
saw (:func:`run_property`). A check raises :class:`TracebackShown` or :class:`DataLost` for those
two violations and an ``AssertionError`` for any other, and returns how many faults the example
injected.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings

from core.cli import cli
from core.config.files import CONFIG_ENV, DB_ENV
from core.config.sources import env_names, fields

#: Every environment variable a reelscale setting reads.
ENV_NAMES = frozenset(
    {CONFIG_ENV, DB_ENV, *(name for _, _, info in fields() for name in env_names(info))}
)
HEALTH = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much]


class TracebackShown(AssertionError):
    """The user would have seen a Python traceback (an exception escaped the CLI)."""


class DataLost(AssertionError):
    """An existing database was changed or damaged by a rejected input, or a file half-written."""


@dataclass(slots=True)
class Outcome:
    exit_code: int
    output: str
    stderr: str

    @property
    def error_lines(self) -> list[str]:
        return [line for line in self.stderr.splitlines() if line.startswith("Error: ")]


def invoke(args: list[str], env: dict[str, str | None] | None = None, stdin=None) -> Outcome:
    """Run the ``reelscale`` CLI in-process as a user would; an escaped exception is a traceback."""
    result = CliRunner().invoke(cli, args, env=env, input=stdin, catch_exceptions=True)
    exc = result.exception
    if exc is not None and not isinstance(exc, SystemExit):
        shown = "".join(traceback.format_exception(exc))
        raise TracebackShown(f"reelscale {' '.join(args)[:200]} raised:\n{shown[-3000:]}")
    out, err = result.stdout, result.stderr
    if "Traceback (most recent call last)" in out + err:
        raise TracebackShown(f"a traceback was printed:\n{(out + err)[-3000:]}")
    return Outcome(result.exit_code, out, err)


def cli_env(**given) -> dict[str, str | None]:
    """Environment for ``CliRunner.invoke(env=...)``: ``given``, every other setting unset."""
    return {**dict.fromkeys(ENV_NAMES), **given}


def process_env(**given) -> dict[str, str]:
    """Environment for a ``reelscale`` subprocess: this one's, minus settings, plus ``given``."""
    env = {k: v for k, v in os.environ.items() if k not in ENV_NAMES}
    return {**env, **{k: v for k, v in given.items() if v is not None}}


def db_fingerprint(path: Path) -> str | None:
    """A digest of the database file and its WAL (None if there is no file)."""
    if not path.exists():
        return None
    digest = hashlib.sha256(path.read_bytes())
    wal = path.with_name(path.name + "-wal")
    if wal.exists():
        digest.update(wal.read_bytes())
    return digest.hexdigest()


def db_is_valid(path: Path) -> bool:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        conn.close()


def leftovers(folder: Path, before: set[str]) -> list[str]:
    """Files in ``folder`` that were not there ``before``: temporary or half-written output."""
    return sorted(p.name for p in folder.iterdir() if p.name not in before)


@dataclass(slots=True)
class Tally:
    """What :func:`run_property` counted over one property's examples."""

    name: str
    trials: int = 0
    faults_injected: int = 0
    failures: int = 0
    tracebacks: int = 0
    data_lost: int = 0
    seconds: float = 0.0
    first_failure: str | None = None
    extra: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        out = {
            "trials": self.trials,
            "faults_injected": self.faults_injected,
            "failures": self.failures,
            "tracebacks": self.tracebacks,
            "data_lost": self.data_lost,
            "seconds": round(self.seconds, 1),
            **self.extra,
        }
        if self.first_failure:
            out["first_failure"] = self.first_failure[:2000]
        return out


def run_property(name: str, check, strategies: dict, ctx, examples: int, seed: int = 0) -> Tally:
    """Run ``check(ctx, **example)`` on ``examples`` hypothesis examples and count the outcomes.

    Violations are counted, not raised, so every example runs and the counts are whole.
    """
    tally = Tally(name)

    def body(**example):
        tally.trials += 1
        try:
            tally.faults_injected += check(ctx, **example) or 0
        except TracebackShown as exc:
            tally.failures += 1
            tally.tracebacks += 1
            tally.first_failure = tally.first_failure or f"{exc}\nexample: {example!r}"[:2000]
        except DataLost as exc:
            tally.failures += 1
            tally.data_lost += 1
            tally.first_failure = tally.first_failure or f"{exc}\nexample: {example!r}"[:2000]
        except Exception as exc:  # every other violation is counted too
            tally.failures += 1
            tally.first_failure = tally.first_failure or f"{exc!r}\nexample: {example!r}"[:2000]

    started = time.perf_counter()
    runner = settings(
        max_examples=examples, deadline=None, database=None, suppress_health_check=HEALTH
    )(given(**strategies)(body))
    runner._hypothesis_internal_use_seed = seed
    runner()
    tally.seconds = time.perf_counter() - started
    return tally
