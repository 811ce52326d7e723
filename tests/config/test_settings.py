"""The one configuration: layers, Kometa-AI's variable names, masked secrets, errors with places."""

import ast
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from pydantic import ValidationError

from core.cli import cli
from core.config import load_config
from core.config.model import RadarrSettings
from core.config.secret_url import SecretUrl, mask_url
from core.config.sources import env_names, fields
from core.errors import ConfigError

KEY = "0123456789abcdef0123456789abcdef"


@pytest.fixture
def toml(tmp_path):
    path = tmp_path / "reelscale.toml"
    path.write_text(
        '[run]\nbatch_size = 30\nmode = "batch"\n\n[claude]\nmodel = "claude-sonnet-5"\n'
        '\n[[collection]]\nname = "Noir"\nprompt = "Noir films."\n',
        encoding="utf-8",
    )
    return path


def test_flags_over_environment_over_file_over_defaults(toml, monkeypatch):
    monkeypatch.setenv("BATCH_SIZE", "40")
    config = load_config(toml, {"run.batch_size": 50, "run.max_items": None}, collections=True)
    assert config.run.batch_size == 50 and config.where("run.batch_size") == "--batch-size"
    monkeypatch.setenv("CLAUDE_MODE", "auto")
    config = load_config(toml)
    assert config.run.batch_size == 40 and config.where("run.batch_size") == "BATCH_SIZE"
    assert config.run.mode == "auto"
    monkeypatch.delenv("BATCH_SIZE")
    monkeypatch.delenv("CLAUDE_MODE")
    config = load_config(toml)
    assert (config.run.batch_size, config.run.mode) == (30, "batch")
    assert config.shown()["run.batch_size"]["source"] == f"{toml} [run] batch_size"
    assert config.shown()["run.max_items"] == {"value": "-", "source": "default"}
    assert config.claude.model == "claude-sonnet-5"
    assert load_config(None).claude.model == "claude-haiku-5-5"  # the one default


def test_every_setting_is_shown_with_its_source():
    shown = load_config(None).shown()
    assert set(shown) == {f"{section}.{key}" for section, key, _ in fields()}
    assert all(row["source"] == "default" for row in shown.values())


def test_kometa_ai_variable_names(monkeypatch):
    monkeypatch.setenv("CLAUDE_API_KEY", KEY)
    monkeypatch.setenv("SMTP_HOST", "mail.example.org")
    monkeypatch.setenv("NOTIFICATION_RECIPIENTS", "a@example.org, b@example.org")
    config = load_config(None)
    assert config.claude.api_key.get_secret_value() == KEY
    assert config.where("claude.api_key") == "CLAUDE_API_KEY"
    assert config.smtp.server == "mail.example.org"
    assert config.smtp.recipients == ("a@example.org", "b@example.org")
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-first-" + KEY)  # the first name wins
    assert load_config(None).where("claude.api_key") == "ANTHROPIC_API_KEY"


def test_secrets_never_show(monkeypatch):
    monkeypatch.setenv("RADARR_URL", "http://admin:hunter2@radarr:7878/radarr")
    monkeypatch.setenv("RADARR_API_KEY", KEY)
    monkeypatch.setenv("SMTP_PASSWORD", "smtp-" + KEY)
    config = load_config(None)
    for text in (repr(config), str(config), repr(config.radarr), str(config.radarr.url)):
        assert "hunter2" not in text and KEY not in text
    assert str(config.radarr.url) == "http://admin:****@radarr:7878/radarr"
    assert config.radarr.url.get_secret_value().startswith("http://admin:hunter2@")
    assert config.shown()["radarr.api_key"]["value"] == "****" + KEY[-4:]
    assert config.shown()["smtp.password"]["value"] == "****" + KEY[-4:]
    assert mask_url("https://radarr.example.org") == "https://radarr.example.org"


def test_validation_errors_hide_secret_input():
    with pytest.raises(ValidationError) as info:
        RadarrSettings(url="ftp://user:s3cret-pass@host", api_key=KEY)
    assert "s3cret-pass" not in str(info.value) and "user:****@host" in str(info.value)
    with pytest.raises(ValidationError) as info:
        RadarrSettings(api_key=12345678901234567)
    assert "12345678901234567" not in str(info.value)
    assert "hunter2" not in repr(SecretUrl("http://u:hunter2@h"))


def test_bad_values_name_their_place(tmp_path, monkeypatch):
    path = tmp_path / "reelscale.toml"
    path.write_text(
        '[radar]\nurl = "x"\n\n[run]\nbatchsize = 4\nmode = "fast"\n\n[smtp]\nport = true\n',
        encoding="utf-8",
    )
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert str(info.value).splitlines() == [
        "4 problems in the config:",
        f"{path}:1: unknown table [radar]; did you mean 'radarr'?",
        f"{path}:5: unknown key 'batchsize' in [run]; did you mean 'batch_size'?",
        f"{path}:6: [run] mode 'fast' should be 'sync', 'batch' or 'auto'; fix it there",
        f"{path}:9: [smtp] port true is true/false, not a number; fix it there",
    ]
    monkeypatch.setenv("RADARR_TIMEOUT", "soon")
    with pytest.raises(ConfigError, match="environment variable RADARR_TIMEOUT: 'soon' is not a"):
        load_config(None)
    monkeypatch.delenv("RADARR_TIMEOUT")
    monkeypatch.setenv("RADARR_API_KEY", "")  # empty counts as not set
    assert load_config(None).radarr.api_key is None


def test_config_check_lists_every_setting_as_json(tmp_path):
    path = tmp_path / "reelscale.toml"
    path.write_text('[[collection]]\nname = "Noir"\nprompt = "Noir films."\n', encoding="utf-8")
    env = {"RADARR_URL": "http://radarr:7878", "RADARR_API_KEY": KEY, "ANTHROPIC_API_KEY": KEY}
    result = CliRunner().invoke(cli, ["config", "check", "--config", str(path), "--json"], env=env)
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["problems"] == [] and report["source"] == "radarr"
    assert len(report["settings"]) == len(list(fields())) and KEY not in result.output


def test_every_environment_variable_is_declared_once():
    names = [name for _, _, info in fields() for name in env_names(info)]
    assert len(names) == len(set(names))


def test_nothing_outside_the_config_reads_the_environment():
    """Settings enter through :mod:`core.config` only (the CLI's --db is click's envvar)."""
    core = Path(__file__).resolve().parents[2] / "core"
    readers = []
    for path in core.rglob("*.py"):
        if path.parent.name == "config":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and node.attr in ("environ", "getenv"):
                readers.append(f"{path.relative_to(core.parent)}:{node.lineno}")
    assert readers == []


def test_max_evals_per_run_zero_is_no_cap_as_in_kometa_ai(monkeypatch):
    monkeypatch.setenv("MAX_EVALS_PER_RUN", "0")
    assert load_config(None).run.max_items is None
    monkeypatch.setenv("MAX_EVALS_PER_RUN", "40")
    assert load_config(None).run.max_items == 40
    assert load_config(None, {"run.max_items": 0}).run.max_items is None
