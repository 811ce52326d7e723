"""`reelscale run --source files` over a folder of movies and shows: the shows are grouped into
series, matched on TMDB TV, judged once per series against the series collections, and written
to a show-library Kometa file of TVDB ids; a rerun sends nothing to TMDB or Claude."""

import json

import pytest
import yaml
from click.testing import CliRunner
from run_fixtures import cli_env, column

from core.cli import cli
from synthetic.library.series import SERIES_COLLECTIONS, generate_series
from synthetic.library.series_toml import series_toml
from synthetic.servers.claude.server import PERFECT
from synthetic.tree import build_tree
from synthetic.tree.tv_library import build_tv_tree

EPISODES = 400


@pytest.fixture
def library(tmp_path):
    root = tmp_path / "library"
    build_tree(root / "Movies", 120, seed=1)
    stats = build_tv_tree(root / "Shows", EPISODES, seed=1)
    return root, stats


@pytest.fixture
def shows():
    return list(generate_series(40, seed=1))


def _run(tmp_path, db_path, library, tmdb, claude, *extra, with_movies=True):
    config = tmp_path / "both.toml"
    config.write_text(series_toml(with_movies=with_movies), encoding="utf-8")
    env = cli_env(
        TMDB_API_KEY=tmdb.config.api_key,
        TMDB_URL=tmdb.url,
        TMDB_RATE="100000",
        ANTHROPIC_API_KEY=claude.config.api_key,
        ANTHROPIC_BASE_URL=claude.url,
    )
    args = ["run", "--config", str(config), "--db", str(db_path), "--source", "files"]
    args += ["--library", str(library), "--kometa-file", str(tmp_path / "movies.yml"), "--json"]
    result = CliRunner().invoke(cli, [*args, *extra], env=env)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_folder_series_are_judged_once_each_and_listed_by_tvdb_id(
    tmp_path, db_path, library, shows, make_tmdb_server, make_claude_server, tmdb_library
):
    root, stats = library
    tmdb = make_tmdb_server(series=shows, rate_limit=None)
    claude = make_claude_server(accuracy=PERFECT, series=shows)
    report = _run(tmp_path, db_path, root, tmdb, claude)
    assert report["status"] == "ok"

    series_items = column(db_path, "SELECT count(*) FROM items WHERE type = 'series'")[0]
    assert series_items >= stats.series  # the movie tree holds a few TV seasons too
    judged = column(
        db_path,
        "SELECT count(DISTINCT d.item_id) FROM decisions d JOIN items i ON i.id = d.item_id "
        "WHERE i.type = 'series'",
    )[0]
    episodes_judged = column(
        db_path,
        "SELECT count(*) FROM decisions d JOIN items i ON i.id = d.item_id "
        "WHERE i.type = 'episode'",
    )[0]
    assert judged == series_items and episodes_judged == 0

    series_file = db_path.with_name("reelscale-series-collections.yml")
    lists = yaml.safe_load(series_file.read_text(encoding="utf-8"))["collections"]
    movie_lists = yaml.safe_load((tmp_path / "movies.yml").read_text(encoding="utf-8"))
    assert all(set(v) <= {"tmdb_movie", "sync_mode"} for v in movie_lists["collections"].values())
    assert all(set(v) <= {"tvdb_show", "tmdb_show", "sync_mode"} for v in lists.values())
    by_tvdb = {s.tvdb_id: s for s in shows}
    trait = {c.name: c.trait for c in SERIES_COLLECTIONS}
    listed = [(name, tvdb) for name, v in lists.items() for tvdb in v.get("tvdb_show", ())]
    assert len(listed) >= 5
    assert all(trait[name] in by_tvdb[tvdb].traits for name, tvdb in listed)

    tmdb.reset_counters()
    before = claude.counters.total
    again = _run(tmp_path, db_path, root, tmdb, claude)
    assert again["status"] == "ok" and tmdb.counters.total == 0
    assert claude.counters.total == before


def test_a_tv_folder_with_series_collections_only_is_a_run(
    tmp_path, db_path, shows, make_tmdb_server, make_claude_server
):
    root = tmp_path / "tv"
    build_tv_tree(root, 150, seed=1)
    tmdb = make_tmdb_server(movies=[], series=shows, rate_limit=None)
    claude = make_claude_server(accuracy=PERFECT, series=shows)
    report = _run(tmp_path, db_path, root, tmdb, claude, with_movies=False)
    assert report["status"] == "ok"
    judged = "SELECT count(DISTINCT item_id) FROM decisions"
    assert (
        column(db_path, judged)[0]
        == column(db_path, "SELECT count(*) FROM items WHERE type = 'series'")[0]
        > 0
    )
