import json

import click
import pytest
from click.testing import CliRunner

from core.cli import cli
from tests.conftest import make_files

SCAN_KEYS = {
    "files",
    "videos",
    "new",
    "changed",
    "unchanged",
    "removed",
    "errors",
    "parsed",
    "seconds",
    "paths_per_min",
    "peak_rss_mb",
}
PARSE_KEYS = ["name", "title", "year", "type", "season", "episode"]


@pytest.fixture
def runner():
    return CliRunner()


def test_scan_json_summary(runner, tmp_path):
    make_files(tmp_path / "lib", ["Heat (1995)/Heat.1995.720p.mkv", "x.nfo"])
    db = tmp_path / "r.db"
    result = runner.invoke(cli, ["scan", str(tmp_path / "lib"), "--db", str(db), "--json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    assert set(summary) >= SCAN_KEYS
    assert (summary["files"], summary["videos"], summary["new"]) == (2, 1, 1)
    again = json.loads(
        runner.invoke(cli, ["scan", str(tmp_path / "lib"), "--db", str(db), "--json"]).output
    )
    assert (again["unchanged"], again["parsed"]) == (1, 0)


def test_scan_human_summary(runner, tmp_path):
    make_files(tmp_path / "lib", ["Heat (1995)/Heat.1995.720p.mkv"])
    result = runner.invoke(cli, ["scan", str(tmp_path / "lib"), "--db", str(tmp_path / "r.db")])
    assert result.exit_code == 0
    assert "new 1" in result.output and "paths/min" in result.output


def test_scan_missing_folder_exits_2_with_one_line(runner, tmp_path):
    result = runner.invoke(cli, ["scan", str(tmp_path / "nope"), "--db", str(tmp_path / "r.db")])
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [
        f"Error: folder {tmp_path / 'nope'} does not exist; pass the folder that holds your movies"
    ]
    assert not (tmp_path / "r.db").exists()


def test_scan_file_instead_of_folder_exits_2(runner, tmp_path):
    (tmp_path / "f.mkv").touch()
    result = runner.invoke(cli, ["scan", str(tmp_path / "f.mkv"), "--db", str(tmp_path / "r.db")])
    assert result.exit_code == 2 and "is not a folder" in result.output


def test_corrupt_db_exits_2_and_is_not_overwritten(runner, tmp_path):
    db = tmp_path / "r.db"
    db.write_bytes(b"not a database at all")
    result = runner.invoke(cli, ["scan", str(tmp_path), "--db", str(db)])
    assert result.exit_code == 2
    assert len(result.output.strip().splitlines()) == 1 and str(db) in result.output
    assert db.read_bytes() == b"not a database at all"


def test_unwritable_db_path_exits_2(runner, tmp_path):
    (tmp_path / "blocker").write_text("a file where a folder should be")
    result = runner.invoke(cli, ["scan", str(tmp_path), "--db", str(tmp_path / "blocker/r.db")])
    assert result.exit_code == 2
    assert result.output.startswith("Error: cannot create database")


def test_db_from_environment(runner, tmp_path):
    make_files(tmp_path / "lib", ["a.mkv"])
    result = runner.invoke(
        cli, ["scan", str(tmp_path / "lib")], env={"REELSCALE_DB": str(tmp_path / "env.db")}
    )
    assert result.exit_code == 0 and (tmp_path / "env.db").exists()


def test_parse_arguments_and_stdin_one_object_per_line(runner):
    result = runner.invoke(cli, ["parse", "Heat.1995.1080p.BluRay.x264-GRP.mkv", "Up"])
    lines = [json.loads(line) for line in result.output.splitlines()]
    assert [r["title"] for r in lines] == ["Heat", "Up"]
    assert list(lines[0])[: len(PARSE_KEYS)] == PARSE_KEYS
    assert lines[1]["year"] is None

    stdin = "Some.Show.S01E02.720p.HDTV.x264-GRP\n\nLéon.1994.mkv\n"
    result = runner.invoke(cli, ["parse"], input=stdin)
    lines = [json.loads(line) for line in result.output.splitlines()]
    assert len(lines) == 3
    assert (lines[0]["type"], lines[0]["season"], lines[0]["episode"]) == ("episode", 1, 2)
    assert lines[1]["name"] == "" and lines[2]["title"] == "Léon"


def test_parse_survives_undecodable_stdin(runner):
    result = runner.invoke(cli, ["parse"], input=b"Caf\xe9.2001.mkv\n")
    assert result.exit_code == 0
    record = json.loads(result.output)
    assert record["year"] == 2001


def test_synth_library_is_deterministic(runner, tmp_path):
    a, b, c = (tmp_path / n for n in ("a.jsonl", "b.jsonl", "c.jsonl"))
    for path, seed in ((a, "7"), (b, "7"), (c, "8")):
        result = runner.invoke(
            cli, ["synth", "library", "--size", "300", "--seed", seed, "-o", str(path)]
        )
        assert result.exit_code == 0, result.output
    assert a.read_bytes() == b.read_bytes() != c.read_bytes()
    assert len(a.read_text().splitlines()) == 300


def test_synth_tree_refuses_a_non_empty_folder(runner, tmp_path):
    (tmp_path / "keep.txt").write_text("mine")
    result = runner.invoke(cli, ["synth", "tree", str(tmp_path), "--size", "10"])
    assert result.exit_code == 2 and (tmp_path / "keep.txt").read_text() == "mine"


def _commands(group, prefix=()):
    for name, command in group.commands.items():
        yield (*prefix, name)
        if isinstance(command, click.Group):
            yield from _commands(command, (*prefix, name))


@pytest.mark.parametrize("path", list(_commands(cli)), ids=" ".join)
def test_every_command_has_help(runner, path):
    result = runner.invoke(cli, [*path, "--help"])
    assert result.exit_code == 0
    assert "Usage:" in result.output and len(result.output.splitlines()) > 3


def test_every_command_loads_under_its_name_and_only_when_used():
    import subprocess
    import sys

    from core.cli import COMMANDS, cli

    for name in COMMANDS:
        assert cli.get_command(None, name).name == name
    code = "import sys, core.cli; print(sorted(m for m in sys.modules if m.startswith('core.')))"
    loaded = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert "core.cli.run" not in loaded.stdout and "core.cli.library" not in loaded.stdout


@pytest.mark.parametrize(
    ("args", "said"),
    [(["--bogus"], "No such option '--bogus'"), (["--parse-workers", "5"], "'--parse-workers'")],
)
def test_a_usage_error_with_json_is_a_json_object_too(runner, tmp_path, args, said):
    result = runner.invoke(cli, ["scan", str(tmp_path), "--json", *args])
    assert result.exit_code == 2
    error = json.loads(result.stdout)
    assert error["exit_code"] == 2 and said in error["error"]
    assert "Error:" in result.stderr
    plain = runner.invoke(cli, ["scan", str(tmp_path), *args])
    assert plain.exit_code == 2 and plain.stdout == ""
    not_json = runner.invoke(cli, ["parse", "--json"])  # parse has no --json: a plain error
    assert not_json.exit_code == 2 and not_json.stdout == ""
    nested = runner.invoke(cli, ["db", "backup", "--json", *args[:1]])  # a group's command too
    assert nested.exit_code == 2 and json.loads(nested.stdout)["exit_code"] == 2
