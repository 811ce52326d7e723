"""The demo's last line names a command the user's shell can run (#16: `reelscale` was not
on the PATH after `make demo`)."""

import os
import shlex
import subprocess
import sys
from pathlib import Path

from core.cli.demo import command_name

SCRIPT = Path(sys.executable).parent / "reelscale"


def runs(program: str, path: str) -> bool:
    argv = [*shlex.split(program), "--version"]
    env = dict(os.environ, PATH=path)
    done = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=60, check=False)
    return done.returncode == 0 and "version" in done.stdout


def test_without_reelscale_on_path_the_hint_is_the_installed_script(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))  # a shell where `reelscale` is not found
    monkeypatch.chdir(tmp_path)
    program = command_name()
    assert program != "reelscale"
    assert runs(program, str(tmp_path))


def test_with_this_reelscale_on_path_the_hint_is_its_name(monkeypatch):
    path = f"{SCRIPT.parent}{os.pathsep}{os.environ.get('PATH', '')}"
    monkeypatch.setenv("PATH", path)
    assert command_name() == "reelscale"
    assert runs("reelscale", path)


def test_inside_a_clone_the_hint_is_relative(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.chdir(SCRIPT.parent.parent.parent)  # the folder holding .venv
    assert command_name() == str(SCRIPT.relative_to(Path.cwd()))
