"""``reelscale bench numbers sonarr-run``: the real run in a child process against the stand-in
Sonarr and Claude, twice, with the promised checks computed from what the stand-ins saw."""

from click.testing import CliRunner

from benchmarks.harness.cli import bench
from benchmarks.harness.numbers import sonarr_run


def test_measure_checks_the_request_formula_and_the_rerun():
    result = sonarr_run.measure(150)
    checks = result["checks"]
    assert checks["sonarr_requests_as_expected"], checks
    assert checks["sonarr_requests_measured"] > 3  # the list, tags, and editor PUTs
    assert checks["tags_match_decisions"] and checks["rerun_as_promised"]
    assert (checks["rerun_claude_requests"], checks["rerun_sonarr_gets"]) == (0, 2)
    assert result["first"]["requests"] > 0 and result["rerun"]["requests"] == 0
    assert result["accuracy"]["pairs"] == 1500 and result["accuracy"]["accuracy"] > 0.95
    assert sonarr_run.failed_checks(result) == []


def test_a_broken_promise_is_named():
    result = {"checks": {
        "sonarr_requests_as_expected": True,
        "tags_match_decisions": True,
        "rerun_as_promised": False,
        "peak_rss_within_bound": False,
    }}  # fmt: skip
    assert sonarr_run.failed_checks(result) == ["rerun_as_promised", "peak_rss_within_bound"]


def test_the_command_is_registered_with_help():
    answer = CliRunner().invoke(bench, ["numbers", "sonarr-run", "--help"])
    assert answer.exit_code == 0 and "ceil(changes/100)" in answer.output
