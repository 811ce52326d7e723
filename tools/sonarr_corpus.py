"""Derive tests/data/corpora/sonarr/sonarr.jsonl from Sonarr's parser tests (GPL-3.0).

Usage: ``python tools/sonarr_corpus.py SONARR_CHECKOUT [OUT]``. Reads the NUnit ``[TestCase(...)]``
lines of the episode fixtures below (their C# literals with a small tokenizer: regular and
verbatim strings, integers, ``new[] { ... }``), and writes one JSON object per case with the
fields the fixture asserts (``episode_end``: the last of a multi-episode case's episodes).
Sonarr's series title keeps a trailing year ("Series Title 2010");
reelscale and guessit report the year apart, so a trailing year is moved to ``year`` and checked
there. No Sonarr code is copied; only test inputs and expected values.

**The split** (issue #17: a parser figure counts only on names it was not tuned on). Each record
gets a ``half`` by the fixture file it comes from, fixed before any failure was looked at: the
fixture files are partitioned into the two groups whose case counts are closest (see
:func:`halves`), and the larger group is the ``tune`` half (more to learn from), the other
``held_out``. At the commit used that is ``tune`` = SingleEpisodeParserFixture +
SeasonParserFixture (217 cases) and ``held_out`` = AbsoluteEpisodeNumberParserFixture +
MultiEpisodeParserFixture (198 cases). The parser may be developed against ``tune`` only.
"""

from __future__ import annotations

import itertools
import re
import sys
from pathlib import Path

_DIR = "src/NzbDrone.Core.Test/ParserTests/"
#: (fixture, method) -> the fields its arguments carry, in order (None: not used)
METHODS = {
    ("SingleEpisodeParserFixture", "should_parse_single_episode"): (
        "title", "season", "episode",
    ),
    ("MultiEpisodeParserFixture", "should_parse_multiple_episodes"): (
        "title", "season", "episodes",
    ),
    ("SeasonParserFixture", "should_parse_full_season_release"): ("title", "season"),
    ("SeasonParserFixture", "should_parse_multi_season_release"): ("title", "season"),
    ("AbsoluteEpisodeNumberParserFixture", "should_parse_absolute_numbers"): (
        "title", "absolute", "season", "episode",
    ),
}  # fmt: skip
_CASE = re.compile(r"^\s*\[TestCase\((.*)\)\]\s*$")
_METHOD = re.compile(r"public void (\w+)\(")
_LITERAL = re.compile(
    r'@"((?:[^"]|"")*)"|"((?:[^"\\]|\\.)*)"|new\s*\w*\[\]\s*\{([^}]*)\}|(-?\d+(?:\.\d+)?)|(null)'
)
_TRAILING_YEAR = re.compile(r"^(.+?)[\s.(]+((?:19|20)\d\d)\)?$")


def _unescape(s: str) -> str:
    return re.sub(r"\\(u[0-9a-fA-F]{4}|.)", lambda m: _escape(m.group(1)), s)


def _escape(code: str) -> str:
    if code[0] == "u":
        return chr(int(code[1:], 16))
    return {"n": "\n", "t": "\t"}.get(code, code)


def literals(args: str) -> list:
    """The values of a C# argument list."""
    out = []
    for m in _LITERAL.finditer(args):
        verbatim, regular, array, number, _null = m.groups()
        if verbatim is not None:
            out.append(verbatim.replace('""', '"'))
        elif regular is not None:
            out.append(_unescape(regular))
        elif array is not None:
            out.append([int(x) for x in re.findall(r"-?\d+", array)])
        elif number is not None:
            out.append(float(number) if "." in number else int(number))
        else:
            out.append(None)
    return out


def cases(text: str, fixture: str):
    """(method, arguments) of every TestCase line, paired with the method that follows it."""
    pending = []
    for line in text.splitlines():
        m = _CASE.match(line)
        if m:
            pending.append(literals(m.group(1)))
            continue
        m = _METHOD.search(line)
        if m:
            for args in pending:
                yield m.group(1), args
            pending = []


def record(name: str, fields: tuple, values: list, source: str) -> dict:
    rec = dict(zip(fields, values[: len(fields)], strict=True))
    title = rec.get("title") or None
    checks = ["title"]
    year = None
    m = _TRAILING_YEAR.match(title or "")
    if m:
        title, year = m.group(1), int(m.group(2))
        checks.append("year")
    out = {"name": name, "title": title, "year": year, "type": "episode"}
    if "episodes" in rec:
        episodes = rec.pop("episodes")
        rec["episode"] = episodes[0]
        if len(episodes) > 1:
            out["episode_end"] = episodes[-1]  # a range: its last episode
    if rec.get("absolute") and not rec.get("season") and not rec.get("episode"):
        out["season"], out["episode"] = None, rec["absolute"]
    else:
        out["season"] = rec.get("season")
        out["episode"] = rec.get("episode")
    checks += ["season", "episode"] + (["episode_end"] if "episode_end" in out else [])
    return {**out, "checks": checks, "source": source}


def fixture_of(source: str) -> str:
    """ "Sonarr/.../SeasonParserFixture.cs:method" -> "SeasonParserFixture"."""
    return source.rsplit("/", 1)[-1].split(".cs:", 1)[0]


def halves(rows: list[dict]) -> dict[str, str]:
    """fixture -> "tune" | "held_out": the partition of fixture files into two groups with the
    closest case counts (ties: the first in sorted order); the larger group is tuned on."""
    counts: dict[str, int] = {}
    for row in rows:
        fixture = fixture_of(row["source"])
        counts[fixture] = counts.get(fixture, 0) + 1
    names, total = sorted(counts), sum(counts.values())
    best = min(
        (group for k in range(1, len(names)) for group in itertools.combinations(names, k)),
        key=lambda g: abs(total - 2 * sum(counts[f] for f in g)),
    )
    larger = (
        best
        if 2 * sum(counts[f] for f in best) >= total
        else tuple(f for f in names if f not in best)
    )
    return {f: "tune" if f in larger else "held_out" for f in names}


def with_halves(rows: list[dict]) -> list[dict]:
    split = halves(rows)
    return [{**row, "half": split[fixture_of(row["source"])]} for row in rows]


def convert(checkout: Path) -> list[dict]:
    rows, seen = [], set()
    for (fixture, method), fields in METHODS.items():
        text = (checkout / _DIR / f"{fixture}.cs").read_text(encoding="utf-8-sig")
        for found, values in cases(text, fixture):
            if found != method or not values or values[0] in seen:
                continue
            seen.add(values[0])
            source = f"Sonarr/{_DIR}{fixture}.cs:{method}"
            rows.append(record(values[0], fields, values[1:], source))
    return with_halves(rows)


def main(argv: list[str]) -> int:
    checkout = Path(argv[1])
    out = Path(argv[2]) if len(argv) > 2 else Path("tests/data/corpora/sonarr/sonarr.jsonl")
    from benchmarks.harness.workloads.parse_accuracy import write_corpus

    print(write_corpus(convert(checkout), out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
