import json

from hypothesis import given
from hypothesis import strategies as st

from core.classify.answer import check_answer

SENT = {"m1", "m2", "m3"}
CIDS = {"c1", "c2"}


def test_good_answer():
    text = json.dumps(
        {
            "results": [
                {"id": "m1", "in": [{"c": "c1", "p": 0.9}]},
                {"id": "m2", "in": []},
                {"id": "m3", "in": [{"c": "c2", "p": 0.41}, {"c": "c1", "p": 0.8}]},
            ]
        }
    )
    out = check_answer(text, SENT, CIDS)
    assert out.found == {"m1": {"c1": 0.9}, "m2": {}, "m3": {"c2": 0.41, "c1": 0.8}}
    assert out.missing == [] and not out.malformed


def test_unknown_duplicate_missing_and_junk():
    text = json.dumps(
        {
            "results": [
                {
                    "id": "m1",
                    "in": [{"c": "c9", "p": 0.9}, {"c": "c1", "p": 7}, {"c": "c2", "p": True}],
                },
                {"id": "m1", "in": [{"c": "c2", "p": 0.9}]},
                {"id": "m77", "in": []},
                "junk",
            ]
        }
    )
    out = check_answer(text, SENT, CIDS)
    assert out.found == {"m1": {"c1": 1.0}}
    assert out.missing == ["m2", "m3"] and out.unknown == 1 and out.duplicates == 1


def test_malformed_means_everything_missing():
    out = check_answer('{"results": [{"id": "m1"', SENT, CIDS)
    assert out.malformed and out.missing == ["m1", "m2", "m3"]


json_values = st.recursive(
    st.none() | st.booleans() | st.floats() | st.integers() | st.text(max_size=5),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(["id", "in", "c", "p", "results", "x"]), children, max_size=4
        )
    ),
    max_leaves=30,
)


@given(value=json_values)
def test_any_json_is_handled(value):
    out = check_answer(json.dumps(value), SENT, CIDS)
    assert set(out.found) | set(out.missing) == SENT
    assert not set(out.found) & set(out.missing)
    for memberships in out.found.values():
        assert set(memberships) <= CIDS and all(0.0 <= p <= 1.0 for p in memberships.values())


@given(text=st.text())
def test_any_text_is_handled(text):
    out = check_answer(text, SENT, CIDS)
    assert set(out.found) | set(out.missing) == SENT


@given(
    records=st.lists(
        st.fixed_dictionaries(
            {
                "id": st.sampled_from(["m1", "m2", "m3", "m4", "x"]),
                "in": st.lists(
                    st.fixed_dictionaries(
                        {"c": st.sampled_from(["c1", "c2", "c3"]), "p": st.floats(-1, 2)}
                    ),
                    max_size=3,
                ),
            }
        ),
        max_size=8,
    )
)
def test_duplicate_unknown_missing_ids(records):
    out = check_answer(json.dumps({"results": records}), SENT, CIDS)
    ids = [r["id"] for r in records]
    assert set(out.found) == SENT & set(ids)
    assert out.unknown == sum(i not in SENT for i in ids)
    assert out.duplicates == sum(1 for n, i in enumerate(ids) if i in SENT and i in ids[:n])
