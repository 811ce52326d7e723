"""Exit codes and errors as scripts see them (issue 16, item 5): a failing outside service is 1,
bad input 2; with ``--json`` an error is one JSON object on stdout as well as ``Error:`` on stderr;
a command that reads never creates or writes a database."""

import json
import socket
from pathlib import Path

import pytest
from click.testing import CliRunner
from run_fixtures import cli_env

from core.cli import cli


def invoke(args, env=None):
    return CliRunner().invoke(cli, [str(a) for a in args], env=env)


def run_args(config_path, db_path, *args):
    return ["run", "--config", config_path, "--db", db_path, *args]


def test_radarr_failing_during_a_run_exits_1(config_path, db_path, stand_ins, fast_retries):
    stand_ins.radarr.fail_next(20, 503, endpoint="movie_list")
    result = invoke(run_args(config_path, db_path, "--json"), cli_env(**stand_ins.env))
    assert result.exit_code == 1, result.output
    assert result.stderr.startswith("Error: Radarr at ")
    assert json.loads(result.stdout.splitlines()[-1])["exit_code"] == 1


def test_radarr_that_stops_answering_mid_run_is_an_outage_not_a_setting():
    """Radarr answered, then refused connections: exit 1 (RadarrError), not "check RADARR_URL"."""
    import httpx
    import pytest

    from core.clients.radarr.client import RadarrClient
    from core.config.model import RadarrSettings
    from core.errors import RadarrConfigError, RadarrError

    calls = []

    def handler(request):
        calls.append(request.url.path)
        if len(calls) == 1:
            return httpx.Response(200, json=[], headers={"Content-Type": "application/json"})
        raise httpx.ConnectError("[Errno 111] Connection refused")

    settings = RadarrSettings(url="http://radarr.test:7878", api_key="k" * 32, retries=1, backoff=0)
    with RadarrClient(settings, transport=httpx.MockTransport(handler)) as radarr:
        assert radarr.tags() == []
        with pytest.raises(RadarrError) as info:
            radarr.tag_details()
    assert not isinstance(info.value, RadarrConfigError) and info.value.exit_code == 1
    assert "connection refused" in str(info.value)


@pytest.mark.slow
def test_an_address_that_never_answered_stays_a_setting_error(config_path, db_path, stand_ins):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = cli_env(**{**stand_ins.env, "RADARR_URL": f"http://127.0.0.1:{port}"})
    result = invoke(run_args(config_path, db_path, "--json"), env)
    assert result.exit_code == 2
    assert "RADARR_URL" in result.stderr
    error = json.loads(result.stdout)
    assert error == {"error": result.stderr.removeprefix("Error: ").strip(), "exit_code": 2}


def test_json_error_of_a_bad_option_is_json_too(config_path, db_path):
    result = invoke(run_args(config_path, db_path, "--json", "--batch-size", "0"))
    assert result.exit_code == 2
    assert json.loads(result.stdout)["exit_code"] == 2
    assert "--batch-size" in json.loads(result.stdout)["error"]
    assert "Error:" in result.stderr


def test_reading_commands_never_create_a_database(tmp_path, config_path):
    typo = tmp_path / "typo.db"
    for args in (
        ["export", "--db", typo],
        ["list", "--db", typo, "--config", config_path],
        ["list", "--db", typo, "--config", config_path, "--json"],
    ):
        result = invoke(args)
        assert result.exit_code == 2, (args, result.output)
        assert f"Error: no database at {typo}; run `reelscale scan`" in result.stderr
        assert not typo.exists() and list(tmp_path.glob("typo.db*")) == []


def test_reading_commands_never_write_a_schema_into_an_empty_file(tmp_path, config_path):
    empty = tmp_path / "empty.db"
    empty.write_bytes(b"")
    for args in (["export", "--db", empty], ["list", "--db", empty, "--config", config_path]):
        result = invoke(args)
        assert result.exit_code == 2, (args, result.output)
        assert empty.read_bytes() == b""


def test_a_radarr_key_without_its_url_names_radarr_url(config_path, db_path, monkeypatch):
    env = {"RADARR_API_KEY": "k" * 32, "ANTHROPIC_API_KEY": "sk-ant-" + "x" * 40}
    result = invoke(run_args(config_path, db_path), cli_env(**env))
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: RADARR_URL is not set: export RADARR_URL")
    assert "library" not in result.stderr.splitlines()[0].split(";")[0]


def test_health_shows_radarr_as_not_configured(config_path, db_path):
    result = invoke(["health", "--config", config_path, "--db", db_path, "--json"], cli_env())
    checks = {c["name"]: c for c in json.loads(result.stdout)["checks"]}
    radarr = checks["radarr"]
    assert radarr["skipped"] and radarr["detail"].startswith("not configured (RADARR_URL is not")
    assert checks["database"]["ok"] and "the first run creates it" in checks["database"]["detail"]
    assert not Path(db_path).exists()  # a check creates nothing
