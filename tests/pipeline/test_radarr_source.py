import json
import subprocess
import sys
import textwrap
import time
from dataclasses import replace

import httpx
import pytest
from radarr_fixtures import radarr_settings

from core.clients.radarr import RadarrClient, RadarrSettings
from core.errors import RadarrError
from core.pipeline.plan.stage import _movie
from core.pipeline.source.radarr import sync_library

KEYS = {
    "title",
    "year",
    "genres",
    "overview",
    "keywords",
    "original_title",
    "imdb_id",
    "certification",
    "studio",
    "runtime",
    "original_language",
    "collection",
    "alternate_titles",
    "radarr_id",
}


def radarr_rows(store):
    return {
        key: (title, year, tmdb_id, json.loads(metadata), kind, status)
        for key, title, year, tmdb_id, metadata, kind, status in store.conn.execute(
            "SELECT key, title, year, tmdb_id, metadata, type, match_status FROM items "
            "WHERE source = 'radarr'"
        )
    }


class Recorder:
    def __init__(self):
        self.calls = []

    def start(self, stage, total=None):
        self.calls.append(("start", stage))

    def advance(self, stage, amount=1, **counters):
        self.calls.append(("advance", amount))

    def finish(self, stage):
        self.calls.append(("finish", stage))


def test_first_sync_writes_every_movie(store, radarr_client, tmdb_library):
    recorder = Recorder()
    summary = sync_library(store, radarr_client, reporter=recorder, batch_size=200)
    assert (summary.seen, summary.added, summary.updated, summary.removed) == (500, 500, 0, 0)
    assert (summary.unchanged, summary.skipped) == (0, 0)
    rows = radarr_rows(store)
    assert set(rows) == {str(m.id) for m in tmdb_library}
    movie = tmdb_library[0]
    title, year, tmdb_id, meta, kind, status = rows[str(movie.id)]
    assert (title, year, tmdb_id, kind, status) == (
        movie.title,
        movie.year,
        movie.tmdb_id,
        "movie",
        "matched",
    )
    assert set(meta) == KEYS and meta["radarr_id"] == movie.id
    assert meta["genres"] == movie.genres and meta["keywords"] == movie.keywords
    assert meta["overview"] == movie.overview and meta["original_language"] == "English"
    assert recorder.calls == [
        ("start", "radarr"),
        ("advance", 200),
        ("advance", 200),
        ("advance", 100),
        ("finish", "radarr"),
    ]


def test_the_plan_reads_what_the_sync_wrote(store, radarr_client, tmdb_library):
    sync_library(store, radarr_client)
    row = store.conn.execute(
        "SELECT id, title, year, metadata FROM items WHERE key = ?", (str(tmdb_library[3].id),)
    ).fetchone()
    wire = _movie(row)
    movie = tmdb_library[3]
    assert (wire.title, wire.year, wire.overview) == (movie.title, movie.year, movie.overview)
    assert wire.genres == tuple(movie.genres) and wire.keywords == tuple(movie.keywords)


def test_a_second_sync_rewrites_only_what_changed(store, radarr_server, radarr_client):
    sync_library(store, radarr_client)
    ids = dict(store.conn.execute("SELECT key, id FROM items WHERE source = 'radarr'"))
    statements = []
    store.conn.set_trace_callback(statements.append)
    again = sync_library(store, radarr_client)
    store.conn.set_trace_callback(None)
    assert (again.seen, again.unchanged, again.added, again.updated, again.removed) == (
        500,
        500,
        0,
        0,
        0,
    )
    assert not [s for s in statements if s.startswith(("INSERT INTO items", "UPDATE items"))]
    radarr_server.put_movie(replace(radarr_server.movies[4], overview="A new overview."))
    radarr_server.remove_movie(10)
    store.conn.execute("DELETE FROM items WHERE key = '3'")
    changed = sync_library(store, radarr_client)
    assert (changed.seen, changed.added, changed.updated, changed.removed) == (499, 1, 1, 1)
    rows = radarr_rows(store)
    assert rows["5"][3]["overview"] == "A new overview." and "10" not in rows
    assert dict(store.conn.execute("SELECT key, id FROM items WHERE key = '5'"))["5"] == ids["5"]


def test_removed_movies_take_their_decisions_along(store, radarr_server, radarr_client):
    sync_library(store, radarr_client)
    item_id = store.conn.execute("SELECT id FROM items WHERE key = '2'").fetchone()[0]
    with store.atomic():
        store.conn.execute(
            "INSERT INTO decisions (item_id, collection, include, confidence, model, prompt_hash, "
            "fingerprint, run_id, decided_at) VALUES (?, 'kai-noir', 1, 0.9, 'm', 'p', 'f', 1, 0)",
            (item_id,),
        )
    radarr_server.remove_movie(2)
    assert sync_library(store, radarr_client).removed == 1
    assert store.conn.execute("SELECT count(*) FROM decisions").fetchone()[0] == 0


def test_other_sources_are_left_alone(store, radarr_client):
    with store.atomic():
        store.conn.execute(
            "INSERT INTO items (source, key, title, type) "
            "VALUES ('files', '/m/a.mkv', 'A', 'movie')"
        )
    sync_library(store, radarr_client)
    assert (
        store.conn.execute("SELECT count(*) FROM items WHERE source = 'files'").fetchone()[0] == 1
    )


def mock_client(payloads) -> RadarrClient:
    answers = iter(payloads)

    def handler(request):
        return httpx.Response(
            200, content=next(answers), headers={"Content-Type": "application/json"}
        )

    settings = RadarrSettings(url="http://radarr.test", api_key="k", retries=0)
    return RadarrClient(settings, transport=httpx.MockTransport(handler))


def test_skipped_and_repeated_movies_are_counted(store):
    payload = json.dumps([{"id": 1, "title": "A"}, {"title": "no id"}, {"id": 1, "title": "A2"}])
    summary = sync_library(store, mock_client([payload.encode()]))
    assert (summary.seen, summary.added, summary.skipped, summary.duplicates) == (1, 1, 1, 1)
    assert radarr_rows(store)["1"][0] == "A"


@pytest.mark.parametrize("batch_size", [1, 2, 3, 500])
def test_a_repeated_movie_id_keeps_its_first_copy_wherever_the_batches_are_cut(
    tmp_path, batch_size
):
    from core.store.db import open_store

    movies = [{"id": i, "title": f"M{i}"} for i in range(1, 6)]
    movies[3:3] = [{"id": 2, "title": "M2 again"}, {"id": 5, "title": "M5 early"}]
    payload = json.dumps(movies).encode()
    with open_store(tmp_path / f"b{batch_size}.db") as store:
        summary = sync_library(store, mock_client([payload]), batch_size=batch_size)
        titles = {key: row[0] for key, row in radarr_rows(store).items()}
    assert titles == {"1": "M1", "2": "M2", "3": "M3", "4": "M4", "5": "M5 early"}
    assert (summary.seen, summary.duplicates, summary.skipped) == (5, 2, 0)
    assert summary.duplicate_examples


def test_a_broken_download_removes_nothing(store):
    good = json.dumps([{"id": 1, "title": "A"}, {"id": 2, "title": "B"}]).encode()
    client = mock_client([good, b'[{"id": 1, "title": "A"}, {"id": 2', b"[]"])
    sync_library(store, client)
    with pytest.raises(RadarrError, match="unusable"):
        sync_library(store, client)
    with pytest.raises(RadarrError, match=r"empty library.*2 of its movies"):
        sync_library(store, client)
    assert set(radarr_rows(store)) == {"1", "2"}


@pytest.mark.slow
def test_streaming_100k_movies_keeps_memory_flat(tmp_path):
    """Peak RSS of a client process streaming 100k movies (~350 MB of JSON) from the stand-in."""
    server = subprocess.Popen(
        [sys.executable, "-m", "core", "synth", "serve", "--radarr", "--radarr-size", "100000"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        announced = json.loads(server.stdout.readline())
        script = textwrap.dedent(
            """
            import json, sys
            from core.clients.radarr import RadarrClient, RadarrSettings

            def rss(field):
                with open("/proc/self/status") as fh:
                    return next(int(l.split()[1]) for l in fh if l.startswith(field)) / 1024

            base = rss("VmRSS:")
            url, key = sys.argv[1], sys.argv[2]
            with RadarrClient(RadarrSettings(url=url, api_key=key)) as client:
                count = sum(1 for _ in client.movies())
            print(json.dumps({"count": count, "growth_mb": rss("VmHWM:") - base}))
            """
        )
        started = time.perf_counter()
        out = subprocess.run(
            [sys.executable, "-c", script, announced["url"], announced["api_key"]],
            capture_output=True,
            text=True,
            check=True,
            timeout=300,
        )
        measured = json.loads(out.stdout)
        print(measured, f"{time.perf_counter() - started:.1f} s")
        assert measured["count"] == 100_000
        assert measured["growth_mb"] < 60
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_sync_from_a_stand_in_with_a_url_base(store, make_radarr_server, tmdb_library):
    server = make_radarr_server(tmdb_library[:30], url_base="/radarr")
    with RadarrClient(radarr_settings(server)) as client:
        assert sync_library(store, client).added == 30
