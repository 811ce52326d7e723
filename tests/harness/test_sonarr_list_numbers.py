"""``reelscale bench numbers sonarr-list``: the measurement runs the real client in child
processes against the stand-in and checks what it claims (one request, every series)."""

from click.testing import CliRunner

from benchmarks.harness.cli import bench
from benchmarks.harness.numbers import sonarr_list


def test_measure_runs_each_mode_in_a_child_and_counts_one_request():
    seen = []
    result = sonarr_list.measure([120], 1, progress=seen.append)
    [size] = result["sizes"]
    assert size["series"] == 120 and size["stream"]["requests"] == 1
    assert size["json_bytes_per_series"] > 2_000
    assert size["idle"]["peak_rss_mb"] > 10 and size["stream"]["peak_rss_mb"] > 10
    assert size["parse"]["series_per_second"] > 0 and "peak_rss_mb" not in size["parse"]
    assert len(seen) == len(sonarr_list.MODES)
    assert result["command"].endswith("--sizes 120 --repeat 1")


def test_the_command_is_registered_with_help():
    answer = CliRunner().invoke(bench, ["numbers", "sonarr-list", "--help"])
    assert answer.exit_code == 0 and "GET /api/v3/series" in answer.output
