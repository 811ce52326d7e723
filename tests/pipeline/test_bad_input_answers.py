"""Bad input, Claude's answers: any text or JSON as the model's answer, through the real SDK.

The property and its strategies are in :mod:`benchmarks.harness.reliability.bad_input.answers`
(``reelscale bench reliability bad-input`` runs it with thousands of examples); here it runs under
hypothesis with a few dozen.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmarks.harness.reliability.bad_input.answers import (
    N_ITEMS,
    STOPS,
    answers,
    answers_context,
    check_answer_text,
    decisions,
)


@pytest.fixture(scope="module")
def answers_ctx():
    with answers_context() as ctx:
        yield ctx


@settings(max_examples=40, deadline=None)
@given(text=answers, stop_reason=st.sampled_from(STOPS))
def test_any_answer_text(answers_ctx, text, stop_reason):
    check_answer_text(answers_ctx, text, stop_reason)


def test_a_good_answer_after_bad_ones_decides_everything(answers_ctx):
    store, collections, _ = answers_ctx
    check_answer_text(answers_ctx, "not json at all", "end_turn")
    good = json.dumps({"r": [f"m{i} 1:9" for i in range(1, N_ITEMS + 1)]})
    check_answer_text(answers_ctx, good, "end_turn")
    decided = decisions(store)
    assert len(decided) == N_ITEMS * len(collections)
    assert sum(inc for inc, _ in decided.values()) == N_ITEMS  # collection "1" only
