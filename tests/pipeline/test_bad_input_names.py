"""Bad input, file names: the release parser and ``reelscale scan`` over names no one would choose.

The properties and their strategies are in :mod:`benchmarks.harness.reliability.bad_input.names`
(``reelscale bench reliability bad-input`` runs them with thousands of examples); here they run
under hypothesis with a few dozen.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import example, given, settings

from benchmarks.harness.reliability.bad_input.common import invoke
from benchmarks.harness.reliability.bad_input.names import (
    any_text,
    check_deep_tree,
    check_parse,
    check_scan,
    file_names,
    folders,
    long_text,
    release_ish,
    scan_context,
)


@settings(max_examples=200, deadline=None)
@given(name=any_text | release_ish)
def test_parse_any_text(name):
    check_parse(None, name)


@settings(max_examples=30, deadline=None)
@given(name=long_text)
def test_parse_4k_long_names(name):
    check_parse(None, name)


def test_parse_cli_reads_undecodable_stdin():
    lines = b"Good.Movie.2001.1080p.mkv\n\xff\xfe\x80 Bad (1999).mkv\n\x1b[2J\x00.mkv\n"
    result = invoke(["parse"], stdin=lines)
    assert result.exit_code == 0
    records = [json.loads(line) for line in result.output.splitlines()]
    assert [r["year"] for r in records] == [2001, 1999, None]


# -- scan --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def scan_base():
    with scan_context() as base:
        yield base


@settings(max_examples=60, deadline=None)
@given(names=file_names, folder=folders)
# An undecodable show folder above a season folder once reached the series table raw.
@example(names=[b"Show.S01E01.mkv"], folder=[b"A\x80", "Season 01"])
def test_scan_any_file_names(scan_base, names, folder):
    check_scan(scan_base, names, folder)


@pytest.mark.parametrize(("depth", "some_missed"), [(3, False), (25, False), (70, True)])
def test_scan_a_tree_deeper_than_path_max(scan_base, depth, some_missed):
    """25 levels of ~200 bytes make ~5,000-byte paths, beyond PATH_MAX: the walk opens each
    folder relative to its parent, as find does, and reaches them all. Deeper than 64 levels
    it opens folders by their path, and what is beyond PATH_MAX there is reported, not indexed."""
    missed = check_deep_tree(scan_base, depth)
    assert (missed > 0) == some_missed
