import json

import pytest
from click.testing import CliRunner

from core.cli import cli
from core.config.model import TMDBSettings
from core.errors import ProviderAuthError
from core.pipeline.enrich.stage import enrich
from core.pipeline.source.files import scan
from synthetic.tree import build_tree


@pytest.fixture
def scanned(tmp_path, store):
    """A 400-file synthetic tree (movies from the 500-movie stand-in library), scanned."""
    root = tmp_path / "tree"
    truth = tmp_path / "truth.jsonl"
    build_tree(root, 400, seed=1, truth=truth)
    scan(root, store)
    expected = {
        str(root / row["path"]): row["tmdb_id"]
        for row in map(json.loads, truth.open())
        if row["type"] == "movie"
    }
    return store, expected


def _settings(server, **overrides):
    values = dict(
        url=server.url,
        api_key=server.config.api_key,
        rate=1000,
        per_seconds=1.0,
        concurrency=8,
        attempts=3,
    )
    values.update(overrides)
    return TMDBSettings(**values)


def _matches(store):
    return dict(
        store.conn.execute("SELECT key, tmdb_id FROM items WHERE type = 'movie'").fetchall()
    )


def test_enrich_matches_and_second_run_is_all_cache(scanned, tmdb_server):
    store, expected = scanned
    first = enrich(store, _settings(tmdb_server))
    movies = store.conn.execute("SELECT count(*) FROM items WHERE type = 'movie'").fetchone()[0]
    assert first.items == movies >= len(expected) and first.errors == 0
    assert first.tmdb_requests == tmdb_server.counters.total
    got = _matches(store)
    correct = sum(got[path] == tmdb_id for path, tmdb_id in expected.items())
    wrong = sum(got[p] is not None and got[p] != t for p, t in expected.items())
    assert correct / len(expected) >= 0.97 and wrong <= 1
    meta = json.loads(
        store.conn.execute(
            "SELECT metadata FROM items WHERE tmdb_id IS NOT NULL LIMIT 1"
        ).fetchone()[0]
    )
    assert meta["genres"] and meta["overview"] and "keywords" in meta

    tmdb_server.reset_counters()
    second = enrich(store, _settings(tmdb_server))
    assert (second.tmdb_requests, tmdb_server.counters.total, second.cache_misses) == (0, 0, 0)
    assert second.hit_rate == 1.0 and second.matched == first.matched and second.updated == 0


def test_v4_token_is_sent_as_bearer(scanned, tmdb_server):
    store, _ = scanned
    settings = _settings(tmdb_server, api_key=None, token=tmdb_server.config.bearer_token)
    assert enrich(store, settings).matched > 0
    assert all("api_key" not in r.query for r in tmdb_server.requests())


def test_rejected_key_stops_without_retries(scanned, tmdb_server):
    store, _ = scanned
    with pytest.raises(ProviderAuthError, match="rejected the credentials"):
        enrich(store, _settings(tmdb_server, api_key="wrong"))
    assert tmdb_server.counters.total <= 8  # one per request in flight, none retried


def test_server_errors_leave_items_unmatched_and_counted(scanned, make_tmdb_server):
    store, expected = scanned
    server = make_tmdb_server(rate_limit=None, faults={"500": 1.0})
    summary = enrich(store, _settings(server, attempts=2))
    assert summary.errors == summary.items >= len(expected)
    assert summary.matched == 0 and summary.retries == summary.cache_misses <= summary.items
    assert "server error 500" in summary.error_details[0]["error"]
    healthy = make_tmdb_server(rate_limit=None)
    assert enrich(store, _settings(healthy)).errors == 0


def test_malformed_json_is_an_item_error(scanned, make_tmdb_server):
    store, _ = scanned
    server = make_tmdb_server(rate_limit=None, faults={"malformed": 1.0})
    summary = enrich(store, _settings(server))
    assert summary.errors == summary.items and "malformed JSON" in summary.error_details[0]["error"]


def test_server_rate_limit_is_honoured(tmp_path, store, make_tmdb_server):
    """Eight lookups start at once against a bucket of two refilled at 20/s: the first burst
    meets 429s however slow the machine is (the rest would have to spread over 0.3 s), and
    every one is waited out (``Retry-After``)."""
    from synthetic.servers.base import RateLimit

    build_tree(tmp_path / "tree", 6, seed=1)
    scan(tmp_path / "tree", store)
    server = make_tmdb_server(rate_limit=RateLimit(requests=2, per_s=0.1))
    summary = enrich(store, _settings(server, rate=1000, attempts=20))
    assert summary.errors == 0 and summary.rate_limited > 0
    assert summary.rate_limited == server.counters.rate_limited


def test_client_rate_limit_avoids_429(scanned, make_tmdb_server):
    from synthetic.servers.base import RateLimit

    store, _ = scanned
    server = make_tmdb_server(rate_limit=RateLimit(requests=40, per_s=0.25))
    summary = enrich(store, _settings(server, rate=40, per_seconds=0.25))
    assert summary.errors == 0 and server.counters.rate_limited == 0


def test_cli_enrich_json_and_export(scanned, tmdb_server, db_path, tmp_path):
    env = {"TMDB_API_KEY": tmdb_server.config.api_key, "TMDB_TOKEN": ""}
    runner = CliRunner()
    result = runner.invoke(
        cli,
        [
            "enrich",
            "--db",
            str(db_path),
            "--tmdb-url",
            tmdb_server.url,
            "--rate",
            "1000",
            "--per",
            "1",
            "--json",
        ],
        env=env,
    )
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    assert {
        "items",
        "matched",
        "unmatched",
        "cache_hits",
        "cache_misses",
        "tmdb_requests",
        "seconds",
    } <= set(summary)
    out = tmp_path / "export.jsonl"
    result = runner.invoke(cli, ["export", "--db", str(db_path), "-o", str(out)])
    assert result.exit_code == 0
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert {"path", "title", "year", "tmdb_id", "match_confidence", "genres"} <= set(rows[0])
    assert sum(r["tmdb_id"] is not None for r in rows) == summary["matched"]

    stats = json.loads(
        runner.invoke(cli, ["cache", "stats", "--db", str(db_path), "--json"]).output
    )
    assert stats["sqlite"]["entries"] > 0 and stats["totals"]["sqlite"]["misses"] > 0
    warm = json.loads(runner.invoke(cli, ["cache", "warm", "--db", str(db_path), "--json"]).output)
    assert warm["loaded"] >= len({r["tmdb_id"] for r in rows if r["tmdb_id"]})
    result = runner.invoke(cli, ["cache", "clear", "--db", str(db_path)])
    assert result.exit_code == 0 and "Deleted" in result.output


def test_cli_missing_credentials_exit_2(db_path):
    result = CliRunner().invoke(
        cli, ["enrich", "--db", str(db_path)], env={"TMDB_API_KEY": "", "TMDB_TOKEN": ""}
    )
    assert result.exit_code == 2
    assert "TMDB_API_KEY" in result.output and "TMDB_TOKEN" in result.output


def test_cli_wrong_key_exit_2(scanned, tmdb_server, db_path):
    result = CliRunner().invoke(
        cli,
        ["enrich", "--db", str(db_path), "--tmdb-url", tmdb_server.url],
        env={"TMDB_API_KEY": "not-the-key", "TMDB_TOKEN": ""},
    )
    assert result.exit_code == 2 and "rejected the credentials" in result.output


def test_ambiguous_titles_stay_unmatched():
    from core.pipeline.enrich.match import Candidate, best_match

    twins = [Candidate(1, "Red", "Red", 2002, 9.0), Candidate(2, "Red", "Red", 2002, 3.0)]
    assert best_match("Red", 2002, twins, threshold=0.8)[0] is None
    remakes = [Candidate(3, "Dune", "Dune", 1984, 5.0), Candidate(4, "Dune", "Dune", 2021, 50.0)]
    assert best_match("Dune", None, remakes, threshold=0.8)[0] is None
    assert best_match("Dune", 2021, remakes, threshold=0.8)[0].tmdb_id == 4
    assert (
        best_match("Dune", 2020, remakes, threshold=0.8)[0].tmdb_id == 4
    )  # one year off still fits


def test_tmdb_id_in_the_name_is_used_without_a_search(tmp_path, store, tmdb_server):
    movie = tmdb_server.movies[0]
    folder = tmp_path / "lib" / f"Whatever (1900) [tmdbid-{movie.tmdb_id}]"
    folder.mkdir(parents=True)
    (folder / "whatever.mkv").touch()
    scan(tmp_path / "lib", store)
    summary = enrich(store, _settings(tmdb_server))
    assert summary.matched == 1
    assert tmdb_server.counters.by_endpoint == {"movie_details": 1}
    assert store.conn.execute("SELECT tmdb_id FROM items").fetchone()[0] == movie.tmdb_id


def test_cli_ttl_flags(db_path, scanned, tmdb_server):
    from core.pipeline.enrich.cache import DAY

    env = {"TMDB_API_KEY": tmdb_server.config.api_key, "TMDB_TOKEN": ""}
    bad = CliRunner().invoke(cli, ["enrich", "--db", str(db_path), "--ttl", "bogus=3"], env=env)
    assert bad.exit_code == 2 and "NAMESPACE=DAYS" in bad.output
    result = CliRunner().invoke(
        cli,
        [
            "enrich",
            "--db",
            str(db_path),
            "--tmdb-url",
            tmdb_server.url,
            "--rate",
            "1000",
            "--per",
            "1",
            "--ttl",
            "search=2",
            "--json",
        ],
        env=env,
    )
    assert result.exit_code == 0, result.output
    store, _ = scanned
    lifetimes = store.conn.execute(
        "SELECT min(expires_at - accessed_at), max(expires_at - accessed_at) FROM provider_cache "
        "WHERE key LIKE 'search:%' AND value != 'null'"
    ).fetchone()
    assert lifetimes[0] == pytest.approx(2 * DAY, abs=60) == lifetimes[1]


def _plain_movies(movies, count):
    """Movies whose title is plain ASCII words, unique in the library, and found by itself."""
    seen: dict[str, int] = {}
    for m in movies:
        seen[m.title.casefold()] = seen.get(m.title.casefold(), 0) + 1
    plain = [
        m
        for m in movies
        if m.title.replace(" ", "").isalnum()
        and m.title.isascii()
        and seen[m.title.casefold()] == 1
        and len(m.title.split()) >= 2
    ]
    return plain[:count]


def test_title_candidates_resolve_bilingual_and_prefixed_names(tmp_path, store, tmdb_server):
    """The title as parsed matches nothing; one of its candidates does (#17)."""
    a, b, c, d = _plain_movies(tmdb_server.movies, 4)
    lib = tmp_path / "lib"
    lib.mkdir()
    names = {
        f"Фильм.Без.Имени.{a.title.replace(' ', '.')}.{a.year}.1080p.BluRay.x264.mkv": a,
        f"Someprefix - {b.title} ({b.year}) 1080p WEB-DL.mkv": b,
        f"{c.title} - {d.title}.mkv": None,  # both sides are films: ambiguous, left unmatched
    }
    for name in names:
        (lib / name).touch()
    scan(lib, store)
    enrich(store, _settings(tmdb_server))
    got = _matches(store)
    for name, movie in names.items():
        assert got[str(lib / name)] == (movie.tmdb_id if movie else None), name


def test_titles_in_other_scripts_are_compared_by_their_letters():
    from core.pipeline.enrich.match import Candidate, best_match, normalise

    assert normalise("Брат 2") == "брат 2" and normalise("Amélie & Léon") == "amelie and leon"
    films = [Candidate(1, "Brother", "Брат", 1997, 5.0), Candidate(2, "Leon", "Леон", 1994, 5.0)]
    assert best_match("Брат", 1997, films, threshold=0.8)[0].tmdb_id == 1
    assert best_match("Сестра", 1997, films, threshold=0.8)[0] is None
