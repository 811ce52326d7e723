"""The parser's shortcuts give what the general path gives, on any text (speed work, issue #17).

Each shortcut skips work for the common shapes of a name; its docstring says why the answer
cannot differ, and each test here checks that claim against the general path on generated text
made of the characters the shortcut looks at.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from core.pipeline.source import release_name as N

_PATHS = st.text(st.sampled_from("/\\ ab(.)[]\t\u00a0\u3000"), max_size=30)


@settings(max_examples=500)
@given(_PATHS)
def test_split_path_is_the_path_pattern(name):
    assert N._split_path(name) == N._PATH.split(name)
