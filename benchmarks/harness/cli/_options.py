"""Options and parameter types shared by the ``reelscale bench`` commands.

Nothing heavy is imported here: ``reelscale bench --help`` loads this module and click only.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import click

json_option = click.option(
    "--json", "as_json", is_flag=True, help="Print one JSON object instead of the human summary."
)

no_record_option = click.option(
    "--no-record", is_flag=True, help="Print the figures; do not record them in results/."
)


class NumberList(click.ParamType):
    """``10000,100000`` -> ``[10000, 100000]``: numbers of one kind, comma-separated."""

    name = "list"

    def __init__(self, kind: Callable[[str], float] = int) -> None:
        self.kind = kind

    def convert(self, value, param, ctx):
        if isinstance(value, list):
            return value
        try:
            numbers = [self.kind(part) for part in str(value).split(",") if part.strip()]
        except ValueError:
            numbers = []
        if not numbers or any(n < 0 for n in numbers):
            self.fail(f"{value!r}: expected numbers >= 0 separated by commas, like 10000,100000")
        return numbers


def joined(numbers) -> str:
    """The command-line form of a :class:`NumberList` value (for a recorded command)."""
    return ",".join(f"{n:g}" if isinstance(n, float) else str(n) for n in numbers)


def shown(path: Path) -> str:
    """``path`` as a user reads it: relative to the checkout when it is inside."""
    from benchmarks.harness.paths import REPO

    return str(path.relative_to(REPO)) if path.is_relative_to(REPO) else str(path)


def echo_err(line: str) -> None:
    """Progress lines go to stderr, so stdout holds only the result."""
    click.echo(line, err=True)
