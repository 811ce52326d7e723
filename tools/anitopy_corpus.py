"""Derive tests/data/corpora/anitopy/anitopy.jsonl from anitopy's test table (MPL-2.0).

Usage: ``python tools/anitopy_corpus.py ANITOPY_CHECKOUT [OUT]``. Reads ``tests/fixtures/table.py``
of github.com/igorcmoura/anitopy (its cases come from anitomy, erengy/anitomy) without running
it: the ``table`` list is read with ``ast.literal_eval``. Each case becomes one JSON object with
the fields the table asserts: ``anime_title`` -> ``title``, ``anime_year`` -> ``year``,
``anime_season`` -> ``season``, the first ``episode_number`` -> ``episode`` and the last of a
range -> ``episode_end``. anitopy asserts the
whole element dict, but other parsers report fields anitopy has no element for, so only the
fields present are checked (``checks``); a case with parser options keeps them in ``options``
(evaluators skip those). No anitopy code is copied; only test inputs and expected values.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

_TABLE = "tests/fixtures/table.py"


def table(text: str) -> list:
    """The value of the module-level ``table = [...]`` assignment."""
    for node in ast.parse(text).body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "table" for t in node.targets
        ):
            return ast.literal_eval(node.value)
    raise ValueError(f"no 'table' list in {_TABLE}")


def _number(value) -> int | None:
    if isinstance(value, list):
        value = value[0] if value else None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def record(name: str, options: dict | None, elements: dict) -> dict:
    episode = _number(elements.get("episode_number"))
    season = _number(elements.get("anime_season"))
    year = _number(elements.get("anime_year"))
    checks = ["title"] if elements.get("anime_title") else []
    checks += [
        k for k, v in (("year", year), ("season", season), ("episode", episode)) if v is not None
    ]
    out = {
        "name": name,
        "title": elements.get("anime_title"),
        "year": year,
        "type": "episode" if episode is not None or season is not None else "movie",
        "season": season,
        "episode": episode,
        "checks": checks,
        "source": f"anitopy/{_TABLE}",
    }
    numbers = elements.get("episode_number")
    if isinstance(numbers, list) and len(numbers) > 1 and _number(numbers[-1]) is not None:
        out["episode_end"] = _number(numbers[-1])  # a range: "01-04", "316-317"
        out["checks"].append("episode_end")
    if options:
        out["options"] = options
    return out


def convert(checkout: Path) -> list[dict]:
    rows, seen = [], set()
    for name, options, elements in table((checkout / _TABLE).read_text(encoding="utf-8")):
        if name in seen or not elements.get("anime_title"):
            continue
        seen.add(name)
        rows.append(record(name, options, elements))
    return rows


def main(argv: list[str]) -> int:
    checkout = Path(argv[1])
    out = Path(argv[2]) if len(argv) > 2 else Path("tests/data/corpora/anitopy/anitopy.jsonl")
    from benchmarks.harness.workloads.parse_accuracy import write_corpus

    print(write_corpus(convert(checkout), out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
