"""``reelscale run --source sonarr`` and the combined run over Radarr and Sonarr, on the stand-ins.

Every guarantee of the movie path, for series: the tags equal the decisions, which equal the
ground truth (the stand-in Claude judges series from their hidden traits, perfectly here); a rerun
over an unchanged library sends Claude nothing and Sonarr two GETs; a dry run sends and writes
nothing; a budget defers; a stopped run resumes without paying twice; a refused series is isolated;
one run at a time; users' own tags are never touched.
"""

import json
import math

import pytest
from click.testing import CliRunner
from run_fixtures import SIZE, cli_env, count, rows, stored_members, truth

from benchmarks.harness.workloads.series import series_tags, series_toml, stored_series_members
from core.cli import cli
from core.config import load_config
from core.errors import RunLocked
from core.pipeline.run import RunOptions, run_pipeline
from synthetic.library.series import truth as series_truth
from synthetic.servers.claude.server import PERFECT

CHUNK = 7  # SONARR_CHUNK_SIZE: small, so a collection's changes take several editor PUTs


class Servers:
    """The stand-ins of one test: Sonarr (and Radarr, for a combined run) and Claude."""

    def __init__(self, sonarr, claude, radarr=None, movies=()):
        self.sonarr, self.claude, self.radarr, self.movies = sonarr, claude, radarr, movies

    @property
    def env(self) -> dict[str, str]:
        env = {
            "SONARR_URL": self.sonarr.url,
            "SONARR_API_KEY": self.sonarr.config.api_key,
            "SONARR_CHUNK_SIZE": str(CHUNK),
            "ANTHROPIC_API_KEY": self.claude.config.api_key,
            "ANTHROPIC_BASE_URL": self.claude.url,
            "CLAUDE_CONCURRENCY": "4",
        }
        if self.radarr is not None:
            env |= {"RADARR_URL": self.radarr.url, "RADARR_API_KEY": self.radarr.config.api_key}
        return env

    def config(self, config_path, **flags):
        base = {
            "sonarr.url": self.sonarr.url,
            "sonarr.api_key": self.sonarr.config.api_key,
            "sonarr.chunk_size": CHUNK,
            "claude.api_key": self.claude.config.api_key,
            "claude.base_url": self.claude.url,
            "claude.concurrency": 4,
            "run.source": "sonarr",
        }
        if self.radarr is not None:
            base |= {"radarr.url": self.radarr.url, "radarr.api_key": self.radarr.config.api_key}
        return load_config(config_path, {**base, **flags}, collections=True)


@pytest.fixture
def series_config(tmp_path):
    path = tmp_path / "reelscale.toml"
    path.write_text(series_toml(), encoding="utf-8")
    return path


@pytest.fixture
def both_config(tmp_path):
    path = tmp_path / "reelscale.toml"
    path.write_text(series_toml(with_movies=True), encoding="utf-8")
    return path


@pytest.fixture
def servers(make_sonarr_server, make_claude_server, series_library):
    return Servers(
        make_sonarr_server(), make_claude_server(accuracy=PERFECT, series=series_library)
    )


@pytest.fixture
def both(make_sonarr_server, make_claude_server, make_radarr_server, series_library, tmdb_library):
    movies = tmdb_library[:SIZE]
    claude = make_claude_server(accuracy=PERFECT, series=series_library)
    return Servers(make_sonarr_server(), claude, make_radarr_server(movies), movies)


def invoke(config_path, db_path, servers, *args):
    argv = ["run", "--config", str(config_path), "--db", str(db_path), *args]
    return CliRunner().invoke(cli, argv, env=cli_env(**servers.env))


def expected_truth(series) -> dict[str, set[int]]:
    tags = series_tags()
    return {tags[name]: ids for name, ids in series_truth(series).items()}


def sonarr_tags(sonarr) -> dict[str, set[int]]:
    have = sonarr.tags_by_label()
    return {tag: have.get(tag, set()) for tag in series_tags().values()}


def expected_sonarr_requests(report: dict, created: int) -> int:
    """1 series list + 1 tag/detail (+ 1 tag list and a POST per created tag) + ⌈changes/CHUNK⌉."""
    puts = sum(
        math.ceil(r["added"] / CHUNK) + math.ceil(r["removed"] / CHUNK)
        for r in report["collections"]
    )
    return 2 + (1 + created if created else 0) + puts


@pytest.fixture
def first_run(series_config, db_path, servers):
    result = invoke(series_config, db_path, servers, "--source", "sonarr", "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_first_run_tags_the_series_the_truth_holds(first_run, db_path, servers, series_library):
    report = first_run
    assert (report["status"], report["source"], report["errors"]) == ("ok", "sonarr", [])
    wanted = expected_truth(series_library)
    assert stored_series_members(db_path) == {t: ids for t, ids in wanted.items() if ids}
    assert sonarr_tags(servers.sonarr) == wanted
    created = sum(1 for ids in wanted.values() if ids)
    assert report["sonarr_requests"] == expected_sonarr_requests(report, created)
    assert report["sonarr_writes"] == report["sonarr_requests"] - 3  # all but 3 GETs are writes
    assert report["radarr_requests"] == 0
    source = report["sources"]["sonarr"]
    assert (source["kind"], source["library"]["seen"]) == ("series", len(series_library))
    assert source["claude"]["items_admitted"] == len(series_library)
    assert {r["source"] for r in report["collections"]} == {"sonarr"}
    # every request told Claude these are TV series, and only the series collections were sent
    records = servers.claude.requests()
    assert records and all(r.dialect == "reelscale" for r in records)
    assert count(db_path, "SELECT count(*) FROM items WHERE type = 'series'") == len(series_library)


def test_rerun_sends_claude_nothing_and_sonarr_two_gets(first_run, series_config, db_path, servers):
    sonarr, claude = servers.sonarr, servers.claude
    claude.reset_counters()
    seen = len(sonarr.requests())
    result = invoke(series_config, db_path, servers, "--source", "sonarr", "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert claude.counters.total == report["requests"] == 0
    new = sonarr.requests()[seen:]
    assert [(r.method, r.endpoint) for r in new] == [("GET", "series_list"), ("GET", "tag_detail")]
    assert (report["sonarr_requests"], report["sonarr_writes"]) == (2, 0)


def test_a_changed_series_is_judged_again_and_only_it(
    first_run, series_config, db_path, servers, series_library
):
    """A new season changes the fingerprint (what is sent); nothing else is re-sent."""
    import dataclasses

    sonarr, claude = servers.sonarr, servers.claude
    changed = series_library[5]
    sonarr._series[changed.id - 1] = dataclasses.replace(changed, seasons=changed.seasons + 1)
    sonarr._by_id[changed.id] = sonarr._series[changed.id - 1]
    claude.reset_counters()
    result = invoke(series_config, db_path, servers, "--source", "sonarr", "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["sources"]["sonarr"]["claude"]["items_admitted"] == 1
    assert claude.counters.total == report["requests"] >= 1


def test_users_own_tags_are_never_touched(series_config, db_path, servers, series_library):
    sonarr = servers.sonarr
    sonarr.set_tags("my-favourites", [1, 2, 3])
    sonarr.set_tags("kai-anime", [1])  # reelscale's tag on a series that is not anime (or is)
    result = invoke(series_config, db_path, servers, "--source", "sonarr", "--json")
    assert result.exit_code == 0, result.output
    tags = sonarr.tags_by_label()
    assert tags["my-favourites"] == {1, 2, 3}
    assert tags["kai-anime"] == expected_truth(series_library)["kai-anime"]


def test_dry_run_sends_nothing_and_writes_nothing(series_config, db_path, servers):
    result = invoke(series_config, db_path, servers, "--source", "sonarr", "--dry-run", "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert servers.claude.counters.total == 0
    assert [r.method for r in servers.sonarr.requests()] == ["GET", "GET"]
    assert servers.sonarr.tags_by_label() == {}
    assert not db_path.exists()
    assert report["estimate"]["movies"] == len(servers.sonarr.series)


def test_budget_defers_and_the_next_run_takes_the_rest(series_config, db_path, servers):
    config = servers.config(series_config, **{"run.max_items": 100})
    report = run_pipeline(db_path, config, RunOptions())
    assert report.sources["sonarr"]["kind"] == "series"
    assert report.by_kind["series"]["items_admitted"] == 100
    assert sum(r["deferred"] for r in report.collections) > 0
    assert count(db_path, "SELECT count(DISTINCT item_id) FROM decisions") == 100
    report = run_pipeline(db_path, servers.config(series_config), RunOptions())
    # the deferred 200, and the first run's near-threshold verdicts asked once more
    assert report.by_kind["series"]["items_admitted"] >= len(servers.sonarr.series) - 100
    assert count(db_path, "SELECT count(DISTINCT item_id) FROM decisions") == 300


def test_a_stopped_run_resumes_without_paying_twice(series_config, db_path, servers):
    claude = servers.claude
    config = servers.config(series_config, **{"run.batch_size": 25, "claude.concurrency": 1})
    stopped = run_pipeline(
        db_path, config, RunOptions(), should_stop=lambda: claude.counters.total >= 3
    )
    assert stopped.status == "stopped"
    decided = set(rows(db_path, "SELECT DISTINCT item_id FROM decisions"))
    assert 0 < len(decided) < len(servers.sonarr.series)
    report = run_pipeline(db_path, servers.config(series_config), RunOptions())
    assert report.status == "ok"
    assert count(db_path, "SELECT count(DISTINCT item_id) FROM decisions") == 300
    # what the stopped run paid for is not paid again: only its near-threshold verdicts are
    # asked once more (a recheck, which the stopped run did not get to)
    again = rows(
        db_path,
        "SELECT DISTINCT item_id FROM decisions WHERE run_id = ? AND rechecks = 0",
        report.run_id,
    )
    assert not set(again) & decided


def test_a_refused_series_is_isolated(
    series_config, db_path, make_sonarr_server, make_claude_server, series_library
):
    refused = series_library[10]
    claude = make_claude_server(
        accuracy=PERFECT, series=series_library, refuse_titles=frozenset({refused.title})
    )
    servers = Servers(make_sonarr_server(), claude)
    report = run_pipeline(db_path, servers.config(series_config), RunOptions())
    assert report.refused == [f"{refused.title} ({refused.year})"]
    judged = count(db_path, "SELECT count(DISTINCT item_id) FROM decisions")
    assert judged == len(series_library) - 1


def test_one_run_at_a_time(series_config, db_path, servers):
    from core.store.lock import run_lock

    with run_lock(db_path), pytest.raises(RunLocked):
        run_pipeline(db_path, servers.config(series_config), RunOptions())


def test_no_series_collection_is_a_config_error(config_path, db_path, servers):
    result = invoke(config_path, db_path, servers, "--source", "sonarr")
    assert result.exit_code == 2
    assert "the source sonarr holds series, but no enabled collection is for series" in (
        result.output
    )


def test_a_bad_source_is_a_usage_error(series_config, db_path, servers):
    result = invoke(series_config, db_path, servers, "--source", "radarr,plex")
    assert result.exit_code == 2
    assert "choose radarr, sonarr, radarr,sonarr (both in one run) or files" in result.output


# --- a run over Radarr and Sonarr ------------------------------------------------------------


def test_combined_run_one_lock_one_record_one_summary(
    both_config, db_path, both, series_library, tmp_path
):
    movies_file, series_file = tmp_path / "movies.yml", tmp_path / "shows.yml"
    result = invoke(
        both_config,
        db_path,
        both,
        "--source",
        "radarr,sonarr",
        "--kometa-file",
        str(movies_file),
        "--kometa-series-file",
        str(series_file),
        "--json",
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert (report["status"], report["source"]) == ("ok", "radarr,sonarr")
    assert set(report["sources"]) == {"radarr", "sonarr"}
    assert report["sources"]["radarr"]["library"]["seen"] == SIZE
    assert report["sources"]["sonarr"]["library"]["seen"] == len(series_library)
    assert set(report["library"]) == {"radarr", "sonarr"}
    # one run record
    assert count(db_path, "SELECT count(*) FROM runs") == 1
    # movies judged only against the movie collections, series only against the series ones
    series_tagset = set(series_tags().values())
    pairs = rows(
        db_path,
        "SELECT i.type, d.collection FROM decisions d JOIN items i ON i.id = d.item_id",
    )
    assert {tag for kind, tag in pairs if kind == "series"} <= series_tagset
    assert not {tag for kind, tag in pairs if kind == "movie"} & series_tagset
    from core.config.files import load_collections

    movie_collections = [c for c in load_collections(both_config) if c.kind == "movies"]
    assert stored_members(db_path, movie_collections) == truth(both.movies, movie_collections)
    assert sonarr_tags(both.sonarr) == expected_truth(series_library)
    assert {r["source"] for r in report["collections"]} == {"radarr", "sonarr"}
    # each server's Kometa file lists its own collections with its own builder
    assert "sonarr_taglist" not in movies_file.read_text()
    assert series_file.read_text().count("sonarr_taglist:") == 10
    assert movies_file.read_text().count("radarr_taglist:") == 10
    # the rerun: nothing to Claude, two GETs to each server
    both.claude.reset_counters()
    result = invoke(both_config, db_path, both, "--source", "radarr,sonarr", "--json")
    again = json.loads(result.stdout)
    assert both.claude.counters.total == again["requests"] == 0
    assert (again["radarr_requests"], again["sonarr_requests"]) == (2, 2)


def test_combined_run_shares_the_budget(both_config, db_path, both):
    config = both.config(both_config, **{"run.source": "radarr,sonarr", "run.max_items": 250})
    report = run_pipeline(db_path, config, RunOptions())
    admitted = {k: v["items_admitted"] for k, v in report.by_kind.items()}
    assert admitted == {"movies": SIZE, "series": 50}


def test_combined_run_text_summary_has_both_servers(both_config, db_path, both):
    result = invoke(both_config, db_path, both, "--source", "radarr,sonarr")
    assert result.exit_code == 0, result.output
    assert "  Radarr: " in result.output and "  Sonarr: " in result.output
    assert "SOURCE" in result.output.splitlines()[1]


# --- failures ----------------------------------------------------------------------------------


def test_a_sonarr_chunk_that_keeps_failing_is_reported_and_written_next_run(
    series_config, db_path, servers, series_library
):
    sonarr = servers.sonarr
    retries = 1
    sonarr.fail_next(retries + 1, 500, endpoint="series_editor")
    config = servers.config(series_config, **{"sonarr.retries": retries, "sonarr.backoff": 0.0})
    report = run_pipeline(db_path, config, RunOptions())
    assert report.status == "partial"
    (error,) = report.errors
    assert error["cause"].startswith("Sonarr editor add failed: ")
    assert " series (ids " in error["examples"][0]
    assert sum(row["failed"] for row in report.collections) > 0
    again = run_pipeline(db_path, config, RunOptions())
    assert (again.status, again.errors) == ("ok", [])
    assert sonarr_tags(sonarr) == expected_truth(series_library)


def test_a_sonarr_that_fails_is_exit_1_and_keeps_the_store(series_config, db_path, servers):
    result = invoke(series_config, db_path, servers, "--source", "sonarr")
    assert result.exit_code == 0, result.output
    before = count(db_path, "SELECT count(*) FROM items WHERE source = 'sonarr'")
    servers.sonarr.fail_next(20, 503, endpoint="series_list")
    env = {**servers.env, "SONARR_URL": servers.sonarr.url}
    argv = ["run", "--config", str(series_config), "--db", str(db_path), "--source", "sonarr"]
    result = CliRunner().invoke(cli, argv, env=cli_env(**env))
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: ") and "Sonarr" in result.stderr
    assert count(db_path, "SELECT count(*) FROM items WHERE source = 'sonarr'") == before


def test_a_sonarr_address_where_nothing_answers_is_exit_2(series_config, db_path, servers):
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {**servers.env, "SONARR_URL": f"http://127.0.0.1:{port}"}
    argv = ["run", "--config", str(series_config), "--db", str(db_path), "--source", "sonarr"]
    result = CliRunner().invoke(cli, argv, env=cli_env(**env))
    assert result.exit_code == 2
    assert "SONARR_URL" in result.stderr


def test_health_checks_sonarr_when_the_run_reads_it(series_config, db_path, servers):
    import httpx

    sonarr = servers.sonarr
    key = {"X-Api-Key": sonarr.config.api_key}
    version = httpx.get(f"{sonarr.url}/api/v3/system/status", headers=key).json()["version"]
    args = ["health", "--config", str(series_config), "--db", str(db_path), "--json"]
    result = CliRunner().invoke(cli, args, env=cli_env(**servers.env))
    assert result.exit_code == 0, result.output
    checks = {c["name"]: c for c in json.loads(result.stdout)["checks"]}
    sonarr_check = checks["sonarr"]
    assert sonarr_check["ok"] and not sonarr_check["skipped"]
    # the stand-in, like a fresh Sonarr, warns that no indexer is set up; health passes it on
    assert sonarr_check["detail"] == (
        f"{sonarr.url}: Sonarr {version}; Sonarr reports 1 problems: "
        "No indexers available with Automatic Search enabled"
    )
    assert checks["radarr"]["skipped"]
    wrong = "fedcba9876543210" * 2
    result = CliRunner().invoke(cli, args, env=cli_env(**{**servers.env, "SONARR_API_KEY": wrong}))
    assert result.exit_code == 1
    checks = {c["name"]: c for c in json.loads(result.stdout)["checks"]}
    assert not checks["sonarr"]["ok"] and "SONARR_API_KEY" in checks["sonarr"]["detail"]
