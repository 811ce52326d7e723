"""Accuracy of the release-name parser on third-party corpora and on the synthetic tree's truth.

Corpus rule (``score``): a record counts as correct when the title matches under the chosen
normalisation and, if ``"year"`` is in the record's ``checks``, the year matches exactly (a
``null`` year there means "no year expected", which PTN asserts). Without ``"title"`` in
``checks`` only the year is compared. Records with per-case ``options`` (guessit CLI options) are
skipped, as every evaluator of guessit's suite does.

Synthetic rule (``score_truth``): loose title (when the truth has one), year always (null == null)
and type; truth rows typed ``extra`` are skipped (``parse`` only says movie or episode). A name the
tree wrote with two titles in two scripts (truth ``noise`` "cyrillic" or "native": a translation
or the native title before the name) has no single right title string, since the title as
written is both: it counts when one of ``Release.titles`` (the candidates matching tries) is the
truth's title.
"""

from __future__ import annotations

import hashlib
import json
import unicodedata
from pathlib import Path

from benchmarks.harness.paths import REPO
from core.pipeline.source.release_name import parse

_CORPORA = REPO / "tests" / "data" / "corpora"
CORPORA = {
    "ptn": _CORPORA / "ptn" / "ptn.jsonl",
    "guessit_movies": _CORPORA / "guessit" / "movies.jsonl",
}
HELD_OUT = {
    "guessit_episodes": _CORPORA / "guessit" / "episodes.jsonl",
    "guessit_various": _CORPORA / "guessit" / "various.jsonl",
}
_MAX_FAILURES = 20
_TWO_TITLES = frozenset(("cyrillic", "native"))


def load_corpus(path) -> list[dict]:
    """The records of a JSONL file (blank lines ignored)."""
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def write_corpus(rows: list[dict], out: Path) -> str:
    """Write ``rows`` as the JSONL :func:`load_corpus` reads; a line saying what was written."""
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    digest = hashlib.sha256(out.read_bytes()).hexdigest()[:16]
    return f"{len(rows)} cases -> {out} (sha256 {digest}...)"


def normalise_ci(s: str | None) -> str:
    """NFKC, casefold, whitespace collapsed and stripped."""
    if s is None:
        return ""
    return " ".join(unicodedata.normalize("NFKC", s).casefold().split())


def normalise_loose(s: str | None) -> str:
    """ci, then no diacritics, '&' -> 'and', apostrophes dropped, other punctuation -> space."""
    s = unicodedata.normalize("NFKD", normalise_ci(s))
    s = "".join(c for c in s if not unicodedata.combining(c))
    s = s.replace("&", " and ").replace("'", "").replace("’", "")
    return " ".join("".join(c if c.isalnum() else " " for c in s).split())


_NORMALISERS = {"ci": normalise_ci, "loose": normalise_loose}


def _same_title(expected, got, norm) -> bool:
    if expected is None:
        return got is None
    return got is not None and norm(got) == norm(expected)


def _same_number(expected, got) -> bool:
    """Multi-season/-episode truths are lists; ``Release`` holds the first one."""
    if isinstance(expected, list):
        expected = expected[0] if expected else None
    return expected == got


def score(records, parse=parse, mode: str = "ci") -> dict:
    """Title (+ year where checked) accuracy; ``score_episodes`` also compares season/episode."""
    norm = _NORMALISERS[mode]
    n = correct = 0
    failures = []
    for rec in records:
        if "options" in rec:
            continue
        checks = rec.get("checks") or ["title", "year"]
        got = parse(rec["name"])
        ok = True
        if "title" in checks:
            ok = _same_title(rec.get("title"), got.title, norm)
        if ok and "year" in checks:
            ok = rec.get("year") == got.year
        n += 1
        if ok:
            correct += 1
        elif len(failures) < _MAX_FAILURES:
            failures.append(
                {
                    "name": rec["name"],
                    "expected": _expected(rec, checks),
                    "got": {"title": got.title, "year": got.year},
                }
            )
    return {"n": n, "correct": correct, "accuracy": correct / n if n else 0.0, "failures": failures}


def score_episodes(records, parse=parse, mode: str = "ci") -> dict:
    """Like ``score`` but also compares season and episode where the record checks them."""
    norm = _NORMALISERS[mode]
    n = correct = 0
    failures = []
    for rec in records:
        if "options" in rec:
            continue
        checks = rec.get("checks") or []
        got = parse(rec["name"])
        ok = (
            ("title" not in checks or _same_title(rec.get("title"), got.title, norm))
            and ("year" not in checks or rec.get("year") == got.year)
            and all(
                _same_number(rec.get(f), getattr(got, f))
                for f in ("season", "episode")
                if f in checks
            )
        )
        n += 1
        if ok:
            correct += 1
        elif len(failures) < _MAX_FAILURES:
            failures.append(
                {
                    "name": rec["name"],
                    "expected": _expected(rec, checks),
                    "got": {f: getattr(got, f) for f in ("title", "year", "season", "episode")},
                }
            )
    return {"n": n, "correct": correct, "accuracy": correct / n if n else 0.0, "failures": failures}


def score_truth(records, parse=parse) -> dict:
    """Synthetic-tree truth rows ``{path, title, year, type, season, episode, tmdb_id}``: loose
    title (when expected), year (always, null == null) and type."""
    n = correct = skipped = 0
    failures = []
    for rec in records:
        if rec.get("type") not in ("movie", "episode"):
            skipped += 1
            continue
        got = parse(rec["path"])
        titles = got.titles if rec.get("noise") in _TWO_TITLES else (got.title,)
        ok = (
            (
                rec.get("title") is None
                or any(_same_title(rec["title"], t, normalise_loose) for t in titles)
            )
            and rec.get("year") == got.year
            and rec["type"] == got.type
        )
        n += 1
        if ok:
            correct += 1
        elif len(failures) < _MAX_FAILURES:
            failures.append(
                {
                    "name": rec["path"],
                    "expected": {k: rec.get(k) for k in ("title", "year", "type")},
                    "got": {"title": got.title, "year": got.year, "type": got.type},
                }
            )
    return {
        "n": n,
        "correct": correct,
        "accuracy": correct / n if n else 0.0,
        "skipped": skipped,
        "failures": failures,
    }


def _expected(rec: dict, checks) -> dict:
    return {k: rec.get(k) for k in ("title", "year", "season", "episode") if k in checks}
