"""The way to production (#16): the README's steps, the systemd unit, the Dockerfile and
compose.yaml name settings and options that exist; the README cites nothing a clone lacks."""

import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest
from ruamel.yaml import YAML
from run_fixtures import ENV_NAMES

from core.cli import cli
from core.cli.run import run

REPO = Path(__file__).resolve().parents[2]
README = (REPO / "README.md").read_text(encoding="utf-8")
UNIT = (REPO / "deploy" / "reelscale.service").read_text(encoding="utf-8")
DOCKERFILE = (REPO / "Dockerfile").read_text(encoding="utf-8")
ENV_EXAMPLE = (REPO / "deploy" / "reelscale.env.example").read_text(encoding="utf-8")


def parses(command, args: list[str]) -> None:
    """Click parses ``args`` for ``command`` (unknown options and bad values raise)."""
    command.make_context(command.name, list(args))


def test_the_systemd_unit_starts_a_run_click_accepts():
    (exec_start,) = re.findall(r"^ExecStart=(.+)$", UNIT, flags=re.MULTILINE)
    program, name, *args = shlex.split(exec_start)
    assert program.endswith("/bin/reelscale") and name == "run"
    parses(run, args)
    assert re.search(r"^KillSignal=SIGTERM$", UNIT, flags=re.MULTILINE)
    assert "EnvironmentFile=/etc/reelscale/reelscale.env" in UNIT


@pytest.mark.skipif(not shutil.which("systemd-analyze"), reason="systemd-analyze not installed")
def test_systemd_analyze_finds_nothing_but_the_missing_program(tmp_path):
    unit = tmp_path / "reelscale.service"
    unit.write_text(UNIT, encoding="utf-8")
    done = subprocess.run(
        ["systemd-analyze", "verify", str(unit)], capture_output=True, text=True, timeout=60
    )
    complaints = [
        line
        for line in (done.stdout + done.stderr).splitlines()
        if line.strip() and "is not executable: No such file or directory" not in line
    ]
    assert complaints == []


def test_the_image_runs_a_command_click_accepts():
    entrypoint = re.search(r"^ENTRYPOINT (\[.*\])$", DOCKERFILE, flags=re.MULTILINE).group(1)
    cmd = re.search(r"^CMD (\[.*\])$", DOCKERFILE, flags=re.MULTILINE).group(1)
    program, name, *args = [*YAML(typ="safe").load(entrypoint), *YAML(typ="safe").load(cmd)]
    assert program == "reelscale" and name == "run"
    parses(run, args)
    for top in ("core", "synthetic", "benchmarks"):  # what the package holds is copied in
        assert f"COPY {top} ./{top}" in DOCKERFILE


def deployed_names() -> set[str]:
    """Every variable the env example, the Dockerfile and compose.yaml set, commented or not."""
    names = set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]+)=", ENV_EXAMPLE, flags=re.MULTILINE))
    block = DOCKERFILE.split("ENV REELSCALE_CONFIG", 1)[1].split("VOLUME", 1)[0]
    names |= {"REELSCALE_CONFIG", *re.findall(r"([A-Z][A-Z0-9_]+)=", block)}
    compose = YAML(typ="safe").load((REPO / "compose.yaml").read_text(encoding="utf-8"))
    names |= set(compose["services"]["reelscale"]["environment"])
    return names


def test_every_variable_the_deployment_sets_is_a_setting():
    names = deployed_names()
    assert {"RADARR_URL", "RADARR_API_KEY", "ANTHROPIC_API_KEY", "APPRISE_URLS"} <= names
    assert names - ENV_NAMES == set()


def test_compose_builds_this_folder_and_keeps_the_database_in_a_volume():
    compose = YAML(typ="safe").load((REPO / "compose.yaml").read_text(encoding="utf-8"))
    service = compose["services"]["reelscale"]
    assert service["build"] == "."
    assert any(v.endswith(":/data") for v in service["volumes"])
    assert "reelscale-data" in compose["volumes"]
    assert "/data/reelscale.db" in DOCKERFILE and "REELSCALE_DB" in ENV_NAMES


def test_readme_takes_a_user_to_production():
    section = README.split("## The way to production", 1)[1].split("\n## ", 1)[0]
    for step in (
        "pipx install .",
        ".venv/bin/reelscale",
        "RADARR_URL",
        "ANTHROPIC_API_KEY",
        "reelscale config check",
        "collection_files:",
        "- file: config/reelscale.yml",
        "deploy/reelscale.service",
        "compose.yaml",
        "Dockerfile",
        "APPRISE_URLS",
        "per 1,000 movies",
        "Docker image was never built",
    ):
        assert step in section, step
    # The commands it tells a user to type exist.
    for command in re.findall(r"^reelscale ([a-z][a-z-]*)", section, flags=re.MULTILINE):
        assert cli.get_command(None, command) is not None, command


def test_readme_cites_nothing_a_clone_lacks():
    assert "../shared" not in README
    assert not re.search(r"(?<![\w.])/(work|tmp)/", README)
    for path in re.findall(r"`((?:deploy|tests|benchmarks|core|results)/[\w./-]+)`", README):
        if not any(mark in path for mark in ("*", "<", "...")):
            assert (REPO / path).exists(), path
