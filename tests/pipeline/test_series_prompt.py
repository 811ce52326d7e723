"""What a series is sent as (core.pipeline.plan.series), its fingerprint, and the series prompt."""

import json

import pytest

from core.clients.claude import wire
from core.config.collection import Collection
from core.pipeline.classify.request import Prefix
from core.pipeline.plan.series import series_wire
from core.pipeline.plan.stage import fingerprint

META = {
    "title": "The Long Watch",
    "year": 2002,
    "genres": ["Crime", "Drama"],
    "overview": "Detectives and dealers in one city, season after season.",
    "network": "HBO",
    "status": "ended",
    "seasons": 5,
    "original_language": "English",
    "certification": "TV-MA",
    "runtime": 58,
    "tvdb_id": 79126,
}


def test_a_series_line_carries_its_facts():
    line = wire.render_movies([_with_mid(series_wire(META, None, None))])
    assert line == (
        "m1|The Long Watch|2002|Crime,Drama|HBO,ended (5 seasons),English,TV-MA|"
        "Detectives and dealers in one city, season after season."
    )


def _with_mid(movie):
    import dataclasses

    return dataclasses.replace(movie, mid="m1")


@pytest.mark.parametrize(
    "key,value",
    [
        ("title", "The Wire"),
        ("year", 2003),
        ("genres", ["Crime"]),
        ("overview", "Something else entirely."),
        ("network", "FX"),
        ("status", "continuing"),
        ("seasons", 6),
        ("original_language", "Spanish"),
        ("certification", "TV-14"),
    ],
)
def test_what_is_sent_changes_the_fingerprint(key, value):
    before = fingerprint(series_wire(META, None, None))
    assert fingerprint(series_wire({**META, key: value}, None, None)) != before


@pytest.mark.parametrize("key,value", [("runtime", 60), ("tvdb_id", 1), ("rating", 9.1)])
def test_what_is_not_sent_leaves_it(key, value):
    before = fingerprint(series_wire(META, None, None))
    assert fingerprint(series_wire({**META, key: value}, None, None)) == before


def test_missing_facts_are_left_out():
    bare = series_wire({"title": "X"}, None, 1999)
    assert (bare.year, bare.keywords) == (1999, ())
    assert wire.series_details(None, None, 1, None, None) == ("1 season",)


def test_the_series_prompt_says_tv_series_and_lists_series_collections():
    cops = Collection(name="Cop Shows", slug="cop-shows", prompt="Police.", tag="kai-cop-shows")
    movies = Prefix.build([cops])
    series = Prefix.build([cops], kind="series")
    assert series.system.startswith("You sort TV series into a user's collections.")
    assert movies.system.startswith("You sort movies")
    assert series.system.endswith("1 | Cop Shows | Police.")
    assert (wire.request_kind(series.system), wire.request_kind(movies.system)) == (
        "series",
        "movies",
    )
    assert json.dumps(series.schema) == json.dumps(movies.schema)
