"""The parser's answers, pinned: a digest of ``reelscale parse``'s output for every name of every
corpus in ``tests/data/corpora/`` and for 3,000 paths of a synthetic tree
(``tests/data/parse_pins/synthetic_paths.txt``, the last three components of its video files).

Speed work on the parser and the scan must not change a single answer; this test says when one
did. A rule change that means to change answers regenerates the digests and says why in its
commit::

    REELSCALE_UPDATE_PARSE_PINS=1 .venv/bin/python -m pytest tests/pipeline/test_parse_pins.py

To see which names changed, run ``reelscale parse < names.txt`` at both commits and diff.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest

from benchmarks.harness.workloads.parse_accuracy import load_corpus
from core.pipeline.source.release_name import parse

DATA = Path(__file__).resolve().parents[1] / "data"
PINS = DATA / "parse_pins" / "digests.json"
_UPDATE = os.environ.get("REELSCALE_UPDATE_PARSE_PINS") == "1"


def _name_sets() -> dict[str, list[str]]:
    sets = {
        path.relative_to(DATA / "corpora").as_posix(): [r["name"] for r in load_corpus(path)]
        for path in sorted((DATA / "corpora").glob("*/*.jsonl"))
    }
    paths = DATA / "parse_pins" / "synthetic_paths.txt"
    sets["synthetic_paths"] = paths.read_text(encoding="utf-8").splitlines()
    return sets


def parses_digest(names: list[str]) -> str:
    """sha256 of the JSON lines ``reelscale parse`` prints for ``names`` (titles included)."""
    digest = hashlib.sha256()
    for name in names:
        release = parse(name)
        fields = release.as_dict()
        fields["titles"] = list(release.titles)
        digest.update(json.dumps(fields, ensure_ascii=False, sort_keys=True).encode("utf-8"))
        digest.update(b"\n")
    return digest.hexdigest()


def test_parses_are_pinned():
    digests = {name: parses_digest(names) for name, names in _name_sets().items()}
    assert min(len(names) for names in _name_sets().values()) >= 40
    if _UPDATE:
        PINS.write_text(json.dumps(digests, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        pytest.skip("parse pins rewritten")
    pinned = json.loads(PINS.read_text(encoding="utf-8"))
    changed = sorted(name for name in digests if digests[name] != pinned.get(name))
    assert not changed, (
        f"the parser's answers changed for {changed}; if a rule change means that, regenerate "
        "the pins (see this module's docstring) and say why in the commit"
    )
    assert sorted(pinned) == sorted(digests)


def test_digest_sees_a_changed_answer():
    names = ["Heat.1995.1080p.BluRay.x264-GRP", "The.Wire.S01E02.720p.HDTV"]
    assert parses_digest(names) != parses_digest([names[0], "The.Wire.S01E03.720p.HDTV"])
    assert parses_digest(names) == parses_digest(list(names))
