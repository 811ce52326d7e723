"""``reelscale run --memory-profile FILE``: a memray capture of the run and its flamegraph."""

import json
import sys
from pathlib import Path

import anthropic  # noqa: F401  imported untracked: tracking the SDK's import costs ~10 s
import memray
import pytest
from click.testing import CliRunner
from run_fixtures import cli_env

from core.cli import cli

# Slow (runs reelscale under memray): `make test-slow`, which CI runs too.
pytestmark = pytest.mark.slow


def invoke(config_path, db_path, stand_ins, *args):
    argv = ["run", "--config", str(config_path), "--db", str(db_path), *args]
    return CliRunner().invoke(cli, argv, env=cli_env(**stand_ins.env))


def assert_profile_of_a_run(capture, flamegraph):
    reader = memray.FileReader(capture)
    assert reader.metadata.peak_memory > 0 and reader.metadata.total_allocations > 0
    assert reader.metadata.end_time > reader.metadata.start_time
    at_peak = {
        frame[1]
        for record in reader.get_high_watermark_allocation_records(merge_threads=True)
        for frame in record.stack_trace()
    }
    run_py = next(f for f in at_peak if f.endswith(str(Path("core", "pipeline", "run.py"))))
    html = flamegraph.read_text(encoding="utf-8")
    assert "<title>memray - flamegraph report</title>" in html
    assert run_py in html  # the run's own frames are in the graph
    from benchmarks.harness.report.offline import remote_assets

    assert remote_assets(html) == []  # its scripts are inlined: it opens offline


def test_dry_run_json_names_the_capture_and_the_flamegraph(
    tmp_path, config_path, db_path, stand_ins
):
    capture = tmp_path / "run.bin"
    capture.write_bytes(b"an older capture")  # overwritten, like --profile's JSON
    (tmp_path / "run.html").write_text("an older graph", encoding="utf-8")
    result = invoke(
        config_path, db_path, stand_ins, "--dry-run", "--json", "--memory-profile", str(capture)
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["dry_run"] and report["status"] == "ok"
    assert report["memory_profile"] == {
        "capture": str(capture),
        "flamegraph": str(tmp_path / "run.html"),
    }
    assert_profile_of_a_run(capture, tmp_path / "run.html")
    assert all(r.method == "GET" for r in stand_ins.radarr.requests())
    assert stand_ins.claude.counters.total == 0  # a dry run sends Claude nothing (#16)


def test_summary_says_where_the_files_are(tmp_path, config_path, db_path, stand_ins):
    capture = tmp_path / "profiles" / "nightly"
    capture.parent.mkdir()
    result = invoke(config_path, db_path, stand_ins, "--memory-profile", str(capture))
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert f"  memray capture: {capture}" in lines
    assert f"  memray flamegraph: {capture}.html" in lines
    assert_profile_of_a_run(capture, tmp_path / "profiles" / "nightly.html")


@pytest.mark.parametrize(
    ("name", "extra", "message"),
    [
        ("run.html", (), "the flamegraph is written to FILE with .html"),
        ("missing/run.bin", (), "does not exist"),
        ("run.bin", ("--schedule", "1d"), "--memory-profile records one run: drop --schedule"),
    ],
)
def test_unusable_memory_profile_is_a_usage_error(
    tmp_path, config_path, db_path, stand_ins, name, extra, message
):
    result = invoke(
        config_path, db_path, stand_ins, "--memory-profile", str(tmp_path / name), *extra
    )
    assert result.exit_code == 2
    assert message in result.stderr.splitlines()[-1]
    assert stand_ins.radarr.requests() == [] and stand_ins.claude.counters.total == 0
    assert not db_path.exists()


def test_without_memray_the_flag_says_how_to_install_it(
    tmp_path, monkeypatch, config_path, db_path, stand_ins
):
    monkeypatch.setitem(sys.modules, "memray", None)  # import memray now raises ImportError
    result = invoke(config_path, db_path, stand_ins, "--memory-profile", str(tmp_path / "r.bin"))
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == (
        "Error: --memory-profile needs memray: pip install 'reelscale[profile]' "
        "(memray runs on Linux and macOS)"
    )
    assert stand_ins.radarr.requests() == [] and not (tmp_path / "r.bin").exists()


def test_a_failed_run_still_leaves_its_flamegraph(
    tmp_path, config_path, db_path, stand_ins, fast_retries
):
    capture = tmp_path / "run.bin"
    env = cli_env(**{**stand_ins.env, "RADARR_API_KEY": "0123456789abcdef" * 2})
    argv = ["run", "--config", str(config_path), "--db", str(db_path)]
    result = CliRunner().invoke(cli, [*argv, "--memory-profile", str(capture)], env=env)
    assert result.exit_code == 2, result.output
    lines = result.stderr.splitlines()
    assert "RADARR_API_KEY" in lines[-1]  # the run's own error is the one reported
    assert f"memray capture of the failed run: {capture}, flamegraph: {tmp_path / 'run.html'}" in (
        lines
    )
    assert memray.FileReader(capture).metadata.peak_memory > 0
    assert (tmp_path / "run.html").read_text(encoding="utf-8").count("flamegraph") > 0
