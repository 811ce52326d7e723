"""Third-party Radarr clients, unmodified, against the stand-in: pyarr and arrapi (from the
package index) list, get, update tags and use the bulk editor as they would on a real Radarr."""

import warnings

import pytest

pyarr = pytest.importorskip("pyarr")
arrapi = pytest.importorskip("arrapi")


@pytest.fixture
def server(make_radarr_server, tmdb_library):
    return make_radarr_server(tmdb_library[:400], catalogue=tmdb_library[400:])


def test_pyarr_lists_gets_and_updates_tags(server, tmdb_library):
    radarr = pyarr.RadarrAPI(server.url, server.config.api_key)
    assert radarr.get_system_status()["appName"] == "Radarr"
    movies = radarr.get_movie()
    assert len(movies) == 400 and movies[0]["id"] == 1
    assert radarr.get_movie(7)["tmdbId"] == tmdb_library[6].tmdb_id
    (by_tmdb,) = radarr.get_movie(tmdb_library[6].tmdb_id, tmdb=True)  # sends ``tmdbid``
    assert by_tmdb["id"] == 7
    tag = radarr.create_tag("kai-noir")
    assert radarr.get_tag() == [tag] and radarr.get_tag(tag["id"]) == tag
    movie = radarr.get_movie(7)
    movie["tags"] = [tag["id"]]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        updated = radarr.upd_movie(movie)  # PUT /api/v3/movie, the id in the body
    assert updated["tags"] == [tag["id"]]
    edited = radarr.upd_movies({"movieIds": [8, 9], "tags": [tag["id"]], "applyTags": "add"})
    assert [m["id"] for m in edited] == [8, 9]
    assert server.tags_by_label() == {"kai-noir": {7, 8, 9}}
    assert radarr.get_tag_detail(tag["id"])["movieIds"] == [7, 8, 9]
    radarr.upd_movies({"movieIds": [7, 8, 9], "tags": [tag["id"]], "applyTags": "remove"})
    radarr.del_tag(tag["id"])
    assert radarr.get_tag() == []


def test_pyarr_looks_up_adds_and_deletes(server, tmdb_library):
    radarr = pyarr.RadarrAPI(server.url, server.config.api_key)
    (found,) = radarr.lookup_movie(f"tmdb:{tmdb_library[420].tmdb_id}")
    profile = radarr.get_quality_profile()[0]["id"]
    root = radarr.get_root_folder()[0]["path"]
    added = radarr.add_movie(found, root, profile, search_for_movie=False)
    assert added["id"] == 401 and added["tmdbId"] == tmdb_library[420].tmdb_id
    radarr.del_movie(401, delete_files=True)
    radarr.del_movie([1, 2])
    assert len(radarr.get_movie()) == 398
    with pytest.raises(pyarr.exceptions.PyarrResourceNotFound):
        radarr.get_movie(401)


def test_arrapi_lists_gets_and_edits_tags(server):
    radarr = arrapi.RadarrAPI(server.url, server.config.api_key)
    movies = radarr.all_movies()
    assert len(movies) == 400
    movie = radarr.get_movie(movie_id=12)
    assert movie.id == 12 and movie.qualityProfile.name in ("Any", "HD-1080p")
    movie.edit(tags=["KAI-Heist"], apply_tags="add")  # creates the tag, then PUT movie/{id}
    assert server.tags_by_label() == {"kai-heist": {12}}
    tmdb = {m.id: m.tmdbId for m in movies}  # arrapi's editor takes TMDb ids, as Kometa uses it
    edited, missing = radarr.edit_multiple_movies(
        [tmdb[13], tmdb[14], tmdb[15], 1], tags=["kai-heist"], apply_tags="add", per_request=2
    )
    assert [m.id for m in edited] == [15] and missing == [1]  # the last chunk's movies
    radarr.edit_multiple_movies([tmdb[12], tmdb[13]], tags=["kai-heist"], apply_tags="remove")
    assert server.tags_by_label() == {"kai-heist": {14, 15}}
    (tag,) = radarr.all_tags()
    assert tag.label == "kai-heist"
    assert radarr.quality_profile()[0].name == "Any"
    assert radarr.root_folder()[0].path == "/movies/"


def test_arrapi_searches_and_adds(server, tmdb_library):
    radarr = arrapi.RadarrAPI(server.url, server.config.api_key)
    wanted = tmdb_library[430]
    results = radarr.search_movies(wanted.title)
    assert wanted.tmdb_id in [m.tmdbId for m in results]
    movie = radarr.get_movie(tmdb_id=wanted.tmdb_id)
    movie.add("/movies/", "HD-1080p", search=False)
    assert movie.id == 401
    assert server.book.by_tmdb(wanted.tmdb_id).id == 401
