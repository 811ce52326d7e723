"""``reelscale run``, ``kometa-yaml``, ``health`` and ``config check`` as a user calls them."""

import json
import socket

import httpx
import pytest
from click.testing import CliRunner
from run_fixtures import cli_env, column, count, read_tmdb_lists, truth

from core.cli import cli
from core.store.db import open_store
from core.store.lock import run_lock
from synthetic.library.collection_defs import to_toml
from synthetic.servers.claude.server import PERFECT
from synthetic.tree import build_tree

STAGE_KEYS = {"seconds", "peak_rss_mb", "requests", "tokens", "cost_usd"}


def invoke(args, env):
    return CliRunner().invoke(cli, args, env=env)


def run_args(config_path, db_path, *args):
    return ["run", "--config", str(config_path), "--db", str(db_path), *args]


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def snapshot(folder):
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}


# -- one run at a time, and bad settings ---------------------------------------------------------


def test_a_run_while_another_holds_the_lock_changes_nothing(config_path, db_path, stand_ins):
    open_store(db_path).close()
    with run_lock(db_path):
        before = snapshot(db_path.parent)
        result = invoke(run_args(config_path, db_path), cli_env(**stand_ins.env))
        after = snapshot(db_path.parent)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == (
        f"Error: another reelscale run is using {db_path} (lock {db_path}.lock is held); wait "
        "for it to finish, or stop it first: nothing was changed"
    )
    assert after == before
    assert stand_ins.radarr.requests() == [] and stand_ins.claude.counters.total == 0


def test_unknown_collection_lists_the_known_ones(config_path, db_path, collections, stand_ins):
    result = invoke(
        run_args(config_path, db_path, "--collection", "Westerns"), cli_env(**stand_ins.env)
    )
    assert result.exit_code == 2
    known = ", ".join(c.name for c in collections)
    assert result.stderr.splitlines()[-1] == (
        f"Error: no enabled collection named 'Westerns'; known: {known}"
    )
    assert stand_ins.radarr.requests() == []


def test_radarr_url_where_nothing_answers_is_a_setting_error(
    config_path, db_path, stand_ins, fast_retries
):
    url = f"http://127.0.0.1:{closed_port()}"
    result = invoke(run_args(config_path, db_path), cli_env(**{**stand_ins.env, "RADARR_URL": url}))
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == (
        f"Error: RADARR_URL {url}: connection refused; check the URL and that Radarr is running"
    )
    assert stand_ins.claude.counters.total == 0


def test_wrong_radarr_key_is_named_but_never_shown(config_path, db_path, stand_ins):
    wrong = "0123456789abcdef" * 2
    env = cli_env(**{**stand_ins.env, "RADARR_API_KEY": wrong})
    result = invoke(run_args(config_path, db_path, "--json"), env)
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == (
        f"Error: Radarr at {stand_ins.radarr.url} answered 401 Unauthorized: check "
        "RADARR_API_KEY (Settings > General > Security > API Key)"
    )
    assert wrong not in result.output and wrong[-8:] not in result.output
    assert [r.status for r in stand_ins.radarr.requests()] == [401]
    assert stand_ins.claude.counters.total == 0


def test_wrong_claude_key_is_a_setting_error_not_a_stopped_run(config_path, db_path, stand_ins):
    wrong = "sk-ant-" + "0" * 40
    env = cli_env(**{**stand_ins.env, "ANTHROPIC_API_KEY": wrong})
    result = invoke(run_args(config_path, db_path, "--json"), env)
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == (
        "Error: Claude rejected the API key (401); check ANTHROPIC_API_KEY"
    )
    assert wrong not in result.output
    assert count(db_path, "SELECT count(*) FROM decisions") == 0


# -- the files source and Kometa files ------------------------------------------------------------


def test_files_source_writes_a_kometa_file_of_the_decided_tmdb_ids(
    tmp_path, config_path, db_path, collections, tmdb_server, make_claude_server, tmdb_library
):
    claude_server = make_claude_server(accuracy=PERFECT)
    library, kometa = tmp_path / "library", tmp_path / "kometa" / "reelscale.yml"
    build_tree(library, 150, seed=1)
    kometa.parent.mkdir()
    env = cli_env(
        TMDB_API_KEY=tmdb_server.config.api_key,
        TMDB_URL=tmdb_server.url,
        TMDB_RATE="100000",
        ANTHROPIC_API_KEY=claude_server.config.api_key,
        ANTHROPIC_BASE_URL=claude_server.url,
    )
    args = ["--source", "files", "--library", str(library), "--kometa-file", str(kometa)]
    result = invoke(run_args(config_path, db_path, *args, "--json"), env)
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert (report["status"], report["source"], report["kometa_file"]) == (
        "ok",
        "files",
        str(kometa),
    )
    assert report["radarr_requests"] == 0 and claude_server.counters.total == report["requests"]

    lists = read_tmdb_lists(kometa.read_text(encoding="utf-8"))
    sql = (
        "SELECT DISTINCT i.tmdb_id FROM decisions d JOIN items i ON i.id = d.item_id "
        "WHERE d.collection = ? AND d.include = 1 ORDER BY i.tmdb_id"
    )
    stored = {c.name: column(db_path, sql, c.tag) for c in collections}
    assert lists == {name: ids for name, ids in stored.items() if ids}
    assert sum(map(len, lists.values())) > 10
    expected = truth(tmdb_library, collections)
    by_tmdb = {m.tmdb_id: m.id for m in tmdb_library}
    assert all(by_tmdb[i] in expected[c.tag] for c in collections for i in lists.get(c.name, ()))
    members = {row["name"]: row["members"] for row in report["collections"]}
    included = "SELECT count(*) FROM decisions WHERE collection = ? AND include = 1"
    assert members == {c.name: count(db_path, included, c.tag) for c in collections}
    try:
        import yaml
    except ImportError:  # the line-by-line reading above is the check then
        return
    parsed = yaml.safe_load(kometa.read_text(encoding="utf-8"))["collections"]
    assert parsed == {n: {"tmdb_movie": ids, "sync_mode": "sync"} for n, ids in lists.items()}


def test_kometa_yaml_has_a_taglist_per_enabled_collection(tmp_path, collections):
    config = tmp_path / "kometa.toml"
    config.write_text(
        to_toml().replace('name = "Film Noir"', 'name = "Film Noir"\nenabled = false')
    )
    result = invoke(["kometa-yaml", "--config", str(config)], cli_env())
    assert result.exit_code == 0, result.output
    enabled = [c for c in collections if c.name != "Film Noir"]
    assert result.stdout == (
        "# Written by reelscale; edit the collections in its config, not here.\ncollections:\n"
        + "".join(
            f'  "{c.name}":\n    radarr_taglist: "{c.tag}"\n    sync_mode: sync\n' for c in enabled
        )
    )
    out = tmp_path / "taglist.yml"
    result = invoke(["kometa-yaml", "--config", str(config), "-o", str(out)], cli_env())
    assert result.exit_code == 0 and out.read_text(encoding="utf-8").count("radarr_taglist:") == 9


# -- profile ------------------------------------------------------------------------------------


def test_profile_has_time_memory_requests_tokens_and_cost_per_stage(
    tmp_path, config_path, db_path, stand_ins
):
    profile, kometa = tmp_path / "profile.json", tmp_path / "kometa.yml"
    args = ["--profile", str(profile), "--kometa-file", str(kometa), "--json"]
    result = invoke(run_args(config_path, db_path, *args), cli_env(**stand_ins.env))
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    stages = json.loads(profile.read_text(encoding="utf-8"))["stages"]
    assert list(stages) == ["source", "classify", "tag"]
    assert all(set(stage) >= STAGE_KEYS for stage in stages.values())
    assert all(s["seconds"] > 0 and s["peak_rss_mb"] > 0 for s in stages.values())
    assert stages["source"]["requests"] == 1  # the movie list
    assert stages["source"]["requests"] + stages["tag"]["requests"] == report["radarr_requests"]
    assert stages["classify"]["requests"] == report["requests"] == stand_ins.claude.counters.total
    assert stages["classify"]["tokens"] == sum(report["tokens"].values()) > 0
    assert stages["classify"]["cost_usd"] == pytest.approx(report["cost_usd"])
    assert report["cost_usd"] > 0
    assert stages["tag"]["tokens"] == stages["tag"]["cost_usd"] == 0
    assert kometa.read_text(encoding="utf-8").count("radarr_taglist:") == 10


# -- health and config check ---------------------------------------------------------------------


def test_health_checks_radarr_and_claude(config_path, db_path, stand_ins):
    radarr = stand_ins.radarr
    key = {"X-Api-Key": radarr.config.api_key}
    version = httpx.get(f"{radarr.url}/api/v3/system/status", headers=key).json()["version"]
    args = ["health", "--config", str(config_path), "--db", str(db_path), "--json"]
    result = invoke(args, cli_env(**stand_ins.env))
    assert result.exit_code == 0, result.output
    health = json.loads(result.stdout)
    checks = {c["name"]: c for c in health["checks"]}
    assert health["ok"] and all(c["ok"] for c in checks.values())
    assert set(checks) == {"config", "database", "radarr", "claude"}
    assert checks["radarr"]["detail"] == f"{radarr.url}: Radarr {version}"
    assert checks["claude"]["detail"].startswith("key accepted (")
    assert stand_ins.claude.counters.by_endpoint == {"count_tokens": 1}

    wrong = "fedcba9876543210" * 2
    result = invoke(args, cli_env(**{**stand_ins.env, "RADARR_API_KEY": wrong}))
    assert result.exit_code == 1
    checks = {c["name"]: c for c in json.loads(result.stdout)["checks"]}
    assert not checks["radarr"]["ok"] and "401" in checks["radarr"]["detail"]
    assert "RADARR_API_KEY" in checks["radarr"]["detail"] and wrong not in result.output
    assert all(c["ok"] for name, c in checks.items() if name != "radarr")


def test_health_of_the_files_source_checks_the_library_and_tmdb(
    tmp_path, config_path, db_path, tmdb_server, make_claude_server
):
    claude_server = make_claude_server(accuracy=PERFECT)
    library = tmp_path / "library"
    library.mkdir()
    env = {
        "TMDB_API_KEY": tmdb_server.config.api_key,
        "TMDB_URL": tmdb_server.url,
        "ANTHROPIC_API_KEY": claude_server.config.api_key,
        "ANTHROPIC_BASE_URL": claude_server.url,
        "REELSCALE_LIBRARY": str(library),
    }
    args = ["health", "--config", str(config_path), "--db", str(db_path), "--json"]
    result = invoke([*args, "--source", "files"], cli_env(**env))
    assert result.exit_code == 0, result.output
    checks = {c["name"]: c for c in json.loads(result.stdout)["checks"]}
    assert checks["library"] == {
        "name": "library",
        "ok": True,
        "detail": f"{library}: a readable folder",
        "skipped": False,
    }
    assert checks["tmdb"]["ok"] and checks["tmdb"]["detail"].startswith(tmdb_server.url)

    wrong = {**env, "TMDB_API_KEY": "0" * 32, "REELSCALE_LIBRARY": str(tmp_path / "nope")}
    result = invoke([*args, "--source", "files"], cli_env(**wrong))
    assert result.exit_code == 1
    checks = {c["name"]: c for c in json.loads(result.stdout)["checks"]}
    assert not checks["library"]["ok"] and "does not exist" in checks["library"]["detail"]
    assert not checks["tmdb"]["ok"] and "TMDB rejected the credentials" in checks["tmdb"]["detail"]
    assert "0" * 32 not in result.output


def test_config_check_shows_where_settings_come_from_and_masks_keys(config_path, stand_ins):
    key = stand_ins.radarr.config.api_key
    host = stand_ins.radarr.url.removeprefix("http://")
    result = invoke(
        ["config", "check", "--config", str(config_path), "--json"],
        cli_env(
            RADARR_API_KEY=key,
            RADARR_URL=f"http://admin:hunter2-secret@{host}",
            CLAUDE_API_KEY=stand_ins.claude.config.api_key,
        ),
    )
    assert result.exit_code == 0, result.output
    settings = json.loads(result.stdout)["settings"]
    assert settings["radarr.api_key"] == {
        "value": "****" + key[-4:],
        "source": "env RADARR_API_KEY",
    }
    assert settings["radarr.url"] == {
        "value": f"http://admin:****@{host}",
        "source": "env RADARR_URL",
    }
    assert settings["radarr.chunk_size"] == {"value": "100", "source": "default"}
    assert settings["claude.model"] == {"value": "claude-haiku-5-5", "source": "default"}
    assert settings["claude.api_key"]["source"] == "env CLAUDE_API_KEY"
    assert key not in result.output and key[:-4] not in result.output
    assert "hunter2" not in result.output


def test_kometa_yaml_for_sonarr_lists_the_series_collections(tmp_path):
    from synthetic.library.series_toml import series_toml

    config = tmp_path / "both.toml"
    config.write_text(series_toml(with_movies=True), encoding="utf-8")
    result = invoke(["kometa-yaml", "--config", str(config), "--kind", "series"], cli_env())
    assert result.exit_code == 0, result.output
    assert result.stdout.count("    sonarr_taglist: ") == 10
    assert '  "Anime":\n    sonarr_taglist: "kai-anime"\n    sync_mode: sync\n' in result.stdout
    assert "radarr_taglist" not in result.stdout
    movies = invoke(["kometa-yaml", "--config", str(config)], cli_env())
    assert movies.stdout.count("    radarr_taglist: ") == 10 and "Anime" not in movies.stdout
    try:
        import yaml
    except ImportError:
        return
    parsed = yaml.safe_load(result.stdout)["collections"]
    assert parsed["Anime"] == {"sonarr_taglist": "kai-anime", "sync_mode": "sync"}
