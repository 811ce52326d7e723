"""Bad input, Radarr's payloads: missing, extra, null and wrongly typed fields, odd titles.

The properties and their strategies are in :mod:`benchmarks.harness.reliability.bad_input.radarr`
(``reelscale bench reliability bad-input`` runs them with thousands of examples); here they run
under hypothesis with a few dozen, plus named cases.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmarks.harness.reliability.bad_input.common import DataLost, db_fingerprint
from benchmarks.harness.reliability.bad_input.radarr import (
    check_run,
    check_sync,
    libraries,
    payload,
    radarr_client,
    radarr_context,
    tag_bodies,
)
from core.errors import RadarrError
from core.pipeline.source.radarr import sync_library
from core.store.db import open_store


@pytest.fixture(scope="module")
def radarr_ctx():
    with radarr_context() as ctx:
        yield ctx


@settings(max_examples=60, deadline=None)
@given(records=libraries)
def test_sync_any_movie_list(radarr_ctx, records):
    check_sync(radarr_ctx, records)


@pytest.mark.slow
@settings(max_examples=15, deadline=None)
@given(records=libraries, tags=st.none() | tag_bodies, detail=st.none() | tag_bodies)
def test_run_any_radarr_payloads(radarr_ctx, records, tags, detail):
    check_run(radarr_ctx, records, tags, detail)


def test_a_run_names_the_skipped_movie(radarr_ctx):
    base, radarr, _ = radarr_ctx
    records = [{"id": 1, "title": "Good"}, {"id": "2", "title": "Text \ud800 Id"}, None]
    check_run(radarr_ctx, records, None, None)
    radarr.movie_body = payload(records)
    with open_store(base / "named.db") as store, radarr_client(radarr) as client:
        summary = sync_library(store, client)
    assert summary.skipped_examples == [
        "element 2 'Text \ufffd Id': id '2' is not a positive whole number",
        "element 3: not an object (NoneType)",
    ]


def test_a_list_of_only_broken_movies_changes_nothing(radarr_ctx):
    base, radarr, _ = radarr_ctx
    db = base / "kept.db"
    radarr.movie_body = payload([{"id": 1, "title": "A"}, {"id": 2, "title": "B"}])
    with open_store(db) as store, radarr_client(radarr) as client:
        sync_library(store, client)
    before = db_fingerprint(db)
    radarr.movie_body = payload([{"title": "A"}, {"id": None}, "x"])
    with open_store(db) as store, radarr_client(radarr) as client:
        with pytest.raises(RadarrError, match="3 elements and none is a usable movie"):
            sync_library(store, client)
        kept = store.conn.execute("SELECT count(*) FROM items").fetchone()[0]
    if kept != 2:
        raise DataLost(f"{2 - kept} stored movies removed after an unusable list")
    assert before is not None


def test_numbers_beyond_sqlite_integers_are_dropped_not_fatal(radarr_ctx):
    base, radarr, _ = radarr_ctx
    radarr.movie_body = payload(
        [{"id": 1, "title": "A", "year": 2**70, "tmdbId": 2**64, "runtime": 2**63}, {"id": 2**63}]
    )
    with open_store(base / "big.db") as store, radarr_client(radarr) as client:
        summary = sync_library(store, client)
        rows = store.conn.execute("SELECT key, year, tmdb_id FROM items").fetchall()
    assert rows == [("1", None, None)]
    assert summary.skipped_examples == [
        "element 2: id 9223372036854775808 is not a positive whole number"
    ]
