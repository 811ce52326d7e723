"""The parser's shortcuts give what the general path gives, on any text (speed work, issue #17).

Each shortcut skips work for the common shapes of a name; its docstring says why the answer
cannot differ, and each test here checks that claim against the general path on generated text
made of the characters the shortcut looks at.
"""

from __future__ import annotations

import re
import sys

from hypothesis import given, settings
from hypothesis import strategies as st

from core.pipeline.source import release_name as N
from core.pipeline.source import release_scan as S
from core.pipeline.source import release_title as T
from core.pipeline.source import release_tokens as K

_PATHS = st.text(st.sampled_from("/\\ ab(.)[]\t\u00a0\u3000"), max_size=30)


@settings(max_examples=500)
@given(_PATHS)
def test_split_path_is_the_path_pattern(name):
    assert N._split_path(name) == N._PATH.split(name)


# The patterns as first written: the rewritten ones open with a character class (faster to search
# for) and must find the same matches.
_SPLIT_PLUS = re.compile(r"([\s._\-+,~*=|/\\()\[\]{}\"【】「」‒–—]+)")
_ALNUM_PLUS = re.compile(r"[^\W_]+")
_ACRONYM_BEHIND_FIRST = re.compile(r"(?<![^._])[^\W\d_]\.[^\W\d_](?![^._])")
_CHARS = 'aB1é_. -()[]{}+,~*=|/\\"【】「」‒–—\n\t\u00a0\u3000x'
_NAMES = st.text(st.sampled_from(_CHARS), max_size=40)


@settings(max_examples=500)
@given(_NAMES)
def test_patterns_find_what_the_first_patterns_found(text):
    assert K.SPLIT.split(text) == _SPLIT_PLUS.split(text)
    assert N._ALNUM.findall(text) == _ALNUM_PLUS.findall(text)
    got, first = T._ACRONYM.search(text), _ACRONYM_BEHIND_FIRST.search(text)
    assert (got and got.start() - 1) == (first and first.start())  # the letter before the dot


@settings(max_examples=300)
@given(_NAMES | st.sampled_from(["Title (2001)", "Show - S01E02", "[Grp] Show 12 [1080p]"]))
def test_a_folder_scan_reads_a_name_as_a_file_scan_does(text):
    """``_scan_stem`` hands a file the scan of its same-named folder."""
    file, folder = S.scan(text), S.scan(text, folder=True)
    for field in S.Scan.__slots__:
        if field not in ("clean", "informative"):
            assert getattr(file, field, None) == getattr(folder, field, None), field


def test_season_folder_words_start_with_the_letters_it_checks():
    starts = {c for c in map(chr, range(sys.maxunicode + 1)) if re.match(r"(?i)[st]", c)}
    assert starts == set(N._SEASON_START)


_FOLDER_HEADS = st.sampled_from(["Season", "saison", "ſeason", "S", "Specials", "Temporada", "Ta"])


@settings(max_examples=300)
@given(st.tuples(st.sampled_from(["", " ", "x", "The ", "Ŝ"]), _FOLDER_HEADS, _NAMES, _NAMES))
def test_season_folder_check_is_the_pattern(parts):
    folder = "".join((parts[0], parts[1], parts[2][:3], "1", parts[3][:5]))
    for name in (folder, folder.upper(), folder.lower()):
        got, full = N._season_dir(name), N._SEASON_DIR.fullmatch(name)
        assert (got and got.groups()) == (full and full.groups())


@settings(max_examples=300)
@given(_NAMES | st.sampled_from(["www.x - Title", "[site.com] Title", "Site.org_title", "a.b"]))
def test_site_pattern_needs_a_dot(text):
    """``scan`` tries the site pattern only on names with a dot: without one it cannot match."""
    for name in (text, text.replace(".", " ")):
        assert S._SITE.match(name) is None or "." in name
    assert S._SITE.match("www.x - Title") and S._SITE.match("[site.com] Title")
