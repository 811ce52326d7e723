"""The Sonarr source (core.pipeline.source.sonarr): the series list mirrored into ``items``."""

import dataclasses
import json

import pytest
from sonarr_fixtures import sonarr_settings

from core.clients.sonarr import SonarrClient
from core.errors import SonarrError
from core.pipeline.plan.series import SERIES_FIELDS
from core.pipeline.source.radarr import sync_library
from core.pipeline.source.sonarr import sync_series


def items(store, source="sonarr"):
    return store.conn.execute(
        "SELECT key, type, title, year, tmdb_id, metadata FROM items WHERE source = ? "
        "ORDER BY CAST(key AS INTEGER)",
        (source,),
    ).fetchall()


def test_a_sync_mirrors_every_series_with_what_the_prompt_needs(
    store, sonarr_client, series_library
):
    summary = sync_series(store, sonarr_client, batch_size=64)
    assert (summary.seen, summary.added, summary.removed) == (300, 300, 0)
    assert sonarr_client.requests == 1
    rows = items(store)
    assert len(rows) == 300 and {r[1] for r in rows} == {"series"}
    first = series_library[0]
    key, _, title, year, tmdb_id, metadata = rows[0]
    meta = json.loads(metadata)
    assert (key, title, year, tmdb_id) == (str(first.id), first.title, first.year, first.tmdb_id)
    assert set(SERIES_FIELDS) <= set(meta)
    assert (meta["network"], meta["seasons"], meta["tvdb_id"]) == (
        first.network,
        first.seasons,
        first.tvdb_id,
    )


def test_a_rerun_rewrites_nothing_and_a_gone_series_is_removed(
    store, make_sonarr_server, series_library
):
    server = make_sonarr_server()
    with SonarrClient(sonarr_settings(server)) as client:
        sync_series(store, client)
    with SonarrClient(sonarr_settings(server)) as client:
        again = sync_series(store, client)
    assert (again.unchanged, again.updated, again.added) == (300, 0, 0)
    changed = dataclasses.replace(series_library[3], status="ended", seasons=9)
    smaller = make_sonarr_server([changed, *series_library[4:]])
    with SonarrClient(sonarr_settings(smaller)) as client:
        summary = sync_series(store, client)
    assert (summary.removed, summary.updated) == (3, 1)


def test_an_empty_list_never_empties_the_mirror(store, sonarr_client, make_sonarr_server):
    sync_series(store, sonarr_client)
    with (
        SonarrClient(sonarr_settings(make_sonarr_server([]))) as client,
        pytest.raises(SonarrError, match="Sonarr sent an empty library, but the store holds 300"),
    ):
        sync_series(store, client)
    assert len(items(store)) == 300


def test_radarr_and_sonarr_mirrors_stay_apart(store, sonarr_client, radarr_client):
    sync_series(store, sonarr_client)
    radarr = sync_library(store, radarr_client)
    assert radarr.removed == 0 and len(items(store)) == 300
    assert {r[1] for r in items(store, "radarr")} == {"movie"}
