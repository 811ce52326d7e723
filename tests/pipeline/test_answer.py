import json

from hypothesis import given
from hypothesis import strategies as st

from core.clients.claude.wire import parse_record, render_answer, render_record
from core.pipeline.classify.answer import check_answer

SENT = {"m1", "m2", "m3"}
CIDS = {"1", "2"}


def answer(*records):
    return json.dumps({"r": list(records)})


def test_good_answer_round_trips():
    text = render_answer(
        [
            render_record("m1", [("1", 0.9)]),
            render_record("m2", []),
            render_record("m3", [("2", 0.41), ("1", 0.8), ("2", 0.1)]),
        ]
    )
    assert text == '{"r":["m1 1:9","m2","m3 2:4 1:8"]}'
    out = check_answer(text, SENT, CIDS)
    assert out.found == {"m1": {"1": 0.9}, "m2": {}, "m3": {"2": 0.4, "1": 0.8}}
    assert out.missing == [] and not out.malformed


def test_explanations_are_allowed_after_a_bar():
    assert parse_record("m3 1:6 2:8 | a heist at Christmas") == ("m3", [("1", 0.6), ("2", 0.8)])


def test_unknown_duplicate_missing_and_junk():
    text = answer("m1 9:9 1:7 2:x", "m1 2:9", "m77", 5, "", "   ")
    out = check_answer(text, SENT, CIDS)
    assert out.found == {"m1": {"1": 0.7}}
    assert out.missing == ["m2", "m3"] and out.unknown == 1 and out.duplicates == 1


def test_malformed_means_everything_missing():
    out = check_answer('{"r": ["m1", "m2', SENT, CIDS)
    assert out.malformed and out.missing == ["m1", "m2", "m3"]


json_values = st.recursive(
    st.none() | st.booleans() | st.floats() | st.integers() | st.text(max_size=8),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.sampled_from(["r", "id", "x"]), children, max_size=3)
    ),
    max_leaves=30,
)


def _invariants(out):
    assert set(out.found) | set(out.missing) == SENT
    assert not set(out.found) & set(out.missing)
    for memberships in out.found.values():
        assert set(memberships) <= CIDS and all(0.0 <= p <= 1.0 for p in memberships.values())


@given(value=json_values)
def test_any_json_is_handled(value):
    _invariants(check_answer(json.dumps(value), SENT, CIDS))


@given(text=st.text())
def test_any_text_is_handled(text):
    _invariants(check_answer(text, SENT, CIDS))


record = st.builds(
    lambda mid, pairs: " ".join([mid, *(f"{c}:{d}" for c, d in pairs)]),
    st.sampled_from(["m1", "m2", "m3", "m4", "x"]),
    st.lists(st.tuples(st.sampled_from(["1", "2", "3"]), st.integers(0, 12)), max_size=3),
)


@given(records=st.lists(record, max_size=8))
def test_duplicate_unknown_missing_ids(records):
    out = check_answer(answer(*records), SENT, CIDS)
    ids = [r.split()[0] for r in records]
    assert set(out.found) == SENT & set(ids)
    assert out.unknown == sum(i not in SENT for i in ids)
    assert out.duplicates == sum(1 for n, i in enumerate(ids) if i in SENT and i in ids[:n])
    _invariants(out)
