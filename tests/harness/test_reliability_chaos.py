"""Chaos: ``reelscale run`` while Claude, Radarr and TMDB fail some of their requests.

The fault mixes and the billing rule are in ``benchmarks.harness.reliability.chaos``; these are the
small, fast cases (rates boosted so that a 200-movie run sees faults of every kind). The full trial
counts are ``reelscale bench reliability chaos``.
"""

import json

import pytest
from click.testing import CliRunner
from run_fixtures import SIZE, StandIns, cli_env, column, read_tmdb_lists, stored_members
from standins import stopping

from benchmarks.harness.reliability import chaos
from benchmarks.harness.workloads.run import tags_match_decisions
from core.cli import cli
from core.clients.radarr import RadarrSettings
from synthetic.tree import build_tree

BOOST = 2.0  # 21% of Claude's requests fail, 10% of Radarr's and TMDB's


@pytest.fixture
def make_chaos_claude(claude_library):
    """``make_chaos_claude(movies, seed)``: a started chaos Claude stand-in at time scale 0."""
    from synthetic.servers.traffic import set_time_scale

    previous = set_time_scale(0.0)
    try:
        with stopping() as start:

            def make(movies, seed, **faults):
                return start(chaos.claude_stand_in(movies, seed, **{"boost": BOOST, **faults}))

            yield make
    finally:
        set_time_scale(previous)


def invoke(config_path, db_path, env, *args):
    argv = ["run", "--config", str(config_path), "--db", str(db_path), "--json", *args]
    result = CliRunner().invoke(cli, argv, env=env)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert "Traceback" not in result.output
    return result


def assert_billed_once(claude, db_path):
    bill = chaos.billing(claude, db_path)
    assert bill.failed_billed == 0
    assert bill.judged_movies > 0 and bill.duplicate_charges == 0
    assert bill.usable_judgments == bill.judged_movies + bill.rechecked_movies
    return bill


@pytest.mark.slow
@pytest.mark.parametrize("seed", [3, 5])
def test_radarr_run_under_chaos_completes_and_reports_the_half_applied_chunk(
    seed,
    config_path,
    db_path,
    collections,
    tmdb_library,
    make_radarr_server,
    make_chaos_claude,
    fast_retries,
):
    movies = tmdb_library[:SIZE]
    radarr = make_radarr_server(movies, **chaos.radarr_config(seed, boost=BOOST))
    claude = make_chaos_claude(movies, seed)
    env = cli_env(**StandIns(radarr, claude, movies).env)
    attempts = RadarrSettings().retries + 1
    radarr.fail_next(attempts, 500, endpoint="movie_editor")  # one chunk fails for good

    first = invoke(config_path, db_path, env, "--batch-size", "10")
    assert first.exit_code == 1, first.output
    report = json.loads(first.stdout)
    assert report["status"] == "partial"
    (editor,) = [e for e in report["errors"] if e["cause"].startswith("Radarr editor")]
    assert editor["count"] == 1
    assert sum(row["failed"] for row in report["collections"]) > 0
    unapplied = column(db_path, "SELECT count(*) FROM tag_changes WHERE applied = 0")[0]
    assert unapplied == sum(row["failed"] for row in report["collections"])
    assert not tags_match_decisions(radarr, db_path)
    # Every failed request was retried (none given up but the forced chunk's last attempt),
    # and the report counts exactly those retries.
    assert report["retries"]["claude"] == chaos.claude_failed(claude) > 0
    radarr_failed = chaos.failed_requests(radarr.counters)
    assert report["retries"]["radarr"] == radarr_failed - 1 and radarr_failed > attempts

    second = invoke(config_path, db_path, env)
    assert second.exit_code == 0, second.output
    again = json.loads(second.stdout)
    assert (again["status"], again["errors"], again["requests"]) == ("ok", [], 0)
    assert sum(row["added"] + row["removed"] for row in again["collections"]) == unapplied
    assert tags_match_decisions(radarr, db_path)
    stored = stored_members(db_path, collections)
    assert {t: ids for t, ids in radarr.tags_by_label().items() if t in stored} == stored
    pending = "SELECT count(*) FROM tag_changes WHERE applied = 0 AND run_id = ?"
    assert column(db_path, pending, again["run_id"]) == [0]
    bill = assert_billed_once(claude, db_path)
    assert bill.judged_movies == SIZE and bill.wasted + bill.dropped > 0


@pytest.mark.slow
def test_files_run_under_chaos_completes_with_tmdb_rate_limited(
    tmp_path, config_path, db_path, make_tmdb_server, make_chaos_claude, tmdb_library
):
    library, kometa = tmp_path / "library", tmp_path / "reelscale.yml"
    build_tree(library, 150, seed=1)
    tmdb = make_tmdb_server(**chaos.tmdb_config(5, boost=BOOST))
    claude = make_chaos_claude(tmdb_library, 5)
    env = cli_env(
        TMDB_API_KEY=tmdb.config.api_key,
        TMDB_URL=tmdb.url,
        TMDB_RATE="100000",
        ANTHROPIC_API_KEY=claude.config.api_key,
        ANTHROPIC_BASE_URL=claude.url,
    )
    args = ("--source", "files", "--library", str(library), "--kometa-file", str(kometa))
    result = invoke(config_path, db_path, env, *args)
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert (report["status"], report["errors"]) == ("ok", [])
    assert report["retries"]["tmdb"] == tmdb.counters.faults["429"] > 0
    assert report["retries"]["claude"] == chaos.claude_failed(claude) > 0
    assert "radarr" not in report["retries"]
    sql = (
        "SELECT DISTINCT i.tmdb_id FROM decisions d JOIN items i ON i.id = d.item_id "
        "WHERE d.collection = ? AND d.include = 1 ORDER BY i.tmdb_id"
    )
    lists = read_tmdb_lists(kometa.read_text(encoding="utf-8"))
    stored = {row["name"]: column(db_path, sql, row["tag"]) for row in report["collections"]}
    assert lists == {name: ids for name, ids in stored.items() if ids}
    assert_billed_once(claude, db_path)


def test_the_summary_names_the_retries(
    config_path, db_path, tmdb_library, make_radarr_server, make_chaos_claude, fast_retries
):
    movies = tmdb_library[:50]
    radarr = make_radarr_server(movies)
    claude = make_chaos_claude(movies, 3)
    radarr.fail_next(2, 503, endpoint="tag_detail")
    env = cli_env(**StandIns(radarr, claude, movies).env)
    result = CliRunner().invoke(
        cli, ["run", "--config", str(config_path), "--db", str(db_path)], env=env
    )
    assert result.exit_code == 0, result.output
    (line,) = [line for line in result.stdout.splitlines() if "Retried:" in line]
    assert "radarr 2" in line
    assert ("claude" in line) == (chaos.claude_failed(claude) > 0)


def test_an_answer_cut_off_in_transit_is_sent_again(
    config_path, db_path, tmdb_library, make_radarr_server, make_chaos_claude
):
    """A 200 whose JSON body is cut short used to end the run with a traceback."""
    movies = tmdb_library[:100]
    radarr = make_radarr_server(movies)
    claude = make_chaos_claude(movies, 7, boost=1.0, network={"malformed": 0.3})
    result = invoke(config_path, db_path, cli_env(**StandIns(radarr, claude, movies).env),
                    "--batch-size", "10")  # fmt: skip
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert (report["status"], report["errors"]) == ("ok", [])
    cut = len(claude.traffic.cut)
    assert cut > 0 and report["retries"]["claude"] == chaos.claude_failed(claude) >= cut
    assert tags_match_decisions(radarr, db_path)
    bill = assert_billed_once(claude, db_path)
    assert bill.judged_movies == 100 and bill.wasted >= cut
