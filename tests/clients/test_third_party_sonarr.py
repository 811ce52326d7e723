"""Third-party Sonarr clients, unmodified, against the stand-in: pyarr's ``SonarrAPI`` and
arrapi's ``SonarrAPI`` (from the package index) list, get, look up, create and edit tags and use
the series editor as they would on a real Sonarr v4.

pyarr 5.2 (the last release for Python 3.11; 6.x needs 3.12) has no series-editor method, so the
editor is exercised through arrapi, which is what Kometa itself uses.
"""

import warnings

import pytest

pyarr = pytest.importorskip("pyarr")
arrapi = pytest.importorskip("arrapi")


def test_pyarr_lists_gets_looks_up_and_tags(sonarr_server, series_library):
    sonarr = pyarr.SonarrAPI(sonarr_server.url, sonarr_server.config.api_key)
    assert sonarr.get_system_status()["appName"] == "Sonarr"
    series = sonarr.get_series()
    assert len(series) == 300 and series[0]["id"] == 1
    target = series_library[6]
    assert sonarr.get_series(7)["tvdbId"] == target.tvdb_id
    (by_tvdb,) = sonarr.get_series(target.tvdb_id, tvdb=True)
    assert by_tvdb["id"] == 7
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        assert sonarr.lookup_series(id_=target.tvdb_id)[0]["title"] == target.title
    assert sonarr.lookup_series(term=target.title)[0]["tvdbId"] == target.tvdb_id
    tag = sonarr.create_tag("kai-anime")
    assert sonarr.get_tag() == [tag] and sonarr.get_tag(tag["id"]) == tag
    show = sonarr.get_series(7)
    show["tags"] = [tag["id"]]
    assert sonarr.upd_series(show)["tags"] == [tag["id"]]  # PUT /api/v3/series, id in the body
    assert sonarr.get_tag_detail(tag["id"])["seriesIds"] == [7]
    assert sonarr.upd_tag(tag["id"], "kai-anime-2")["label"] == "kai-anime-2"
    show["tags"] = []
    sonarr.upd_series(show)
    sonarr.del_tag(tag["id"])
    assert sonarr.get_tag() == []
    assert sonarr.get_quality_profile()[0]["name"] == "HD-1080p"
    assert sonarr.get_root_folder()[0]["path"] == "/tv/"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        assert sonarr.get_language_profile()[0]["name"] == "Deprecated"


def test_arrapi_lists_gets_and_edits_tags_in_bulk(sonarr_server):
    sonarr = arrapi.SonarrAPI(sonarr_server.url, sonarr_server.config.api_key)
    assert sonarr._raw.v4  # read from system/status: no language profile needed
    shows = sonarr.all_series()
    assert len(shows) == 300
    show = sonarr.get_series(series_id=12)
    assert show.id == 12 and show.tvdbId == shows[11].tvdbId
    assert show.qualityProfile.name in ("HD-1080p", "Any")
    show.edit(tags=["KAI-Sitcoms"], apply_tags="add")  # creates the tag, then PUT series/{id}
    assert sonarr_server.tags_by_label() == {"kai-sitcoms": {12}}
    tvdb = {s.id: s.tvdbId for s in shows}  # arrapi's editor takes TVDb ids, as Kometa uses it
    edited, missing = sonarr.edit_multiple_series(
        [tvdb[13], tvdb[14], tvdb[15], 1], tags=["kai-sitcoms"], apply_tags="add", per_request=2
    )
    assert sorted(s.id for s in edited) == [13, 14, 15] and missing == [1]
    sonarr.edit_multiple_series([tvdb[12], tvdb[13]], tags=["kai-sitcoms"], apply_tags="remove")
    assert sonarr_server.tags_by_label() == {"kai-sitcoms": {14, 15}}
    (tag,) = sonarr.all_tags()
    assert tag.label == "kai-sitcoms"
    assert [s.id for s in sonarr.search_series(shows[40].title)][:1] == [41]
    assert sonarr.root_folder()[0].path == "/tv/"
    editor_puts = [r for r in sonarr_server.requests() if r.endpoint == "series_editor"]
    assert len(editor_puts) == 3
