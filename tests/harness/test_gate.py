import json

import pytest

from benchmarks.harness.gate.gate import Baseline, check, load_baselines
from core.errors import BenchError


def _b(value, tolerance, better):
    return Baseline("m", value, "u", tolerance, better)


@pytest.mark.parametrize(
    ("base", "now", "status"),
    [
        (_b(100, 0.05, "lower"), 105, "ok"),
        (_b(100, 0.05, "lower"), 105.1, "regressed"),
        (_b(100, 0.05, "lower"), 90, "improved"),
        (_b(0.95, 0.02, "higher"), 0.932, "ok"),
        (_b(0.95, 0.02, "higher"), 0.93, "regressed"),
        (_b(0, 0, "lower"), 1, "regressed"),
        (_b(0, 0, "lower"), 0, "ok"),
        (_b(66, 0, "equal"), 66, "ok"),
        (_b(66, 0, "equal"), 67, "regressed"),
        (_b(66, 0, "equal"), 65, "regressed"),
        (_b(100, 0.05, "equal"), 95, "ok"),
        (_b(100, 0.05, "equal"), 105.1, "regressed"),
    ],
)
def test_statuses(base, now, status):
    report = check({"m": base}, {"m": now})
    assert [c.status for c in report.comparisons] == [status]
    assert bool(report.regressions) == (status == "regressed")


def test_regression_lines_name_metric_baseline_now_ratio():
    report = check({"m": _b(100, 0.05, "lower")}, {"m": 120, "extra": 3})
    text = "\n".join(report.lines())
    assert "REGRESSED    m: baseline 100 u, now 120, ratio 1.200, tolerance 0.05" in text
    assert "NEW" in text and "1 regression(s)" in text


def test_unmeasured_baseline_is_reported_not_failed():
    report = check({"m": _b(1, 0, "lower")}, {})
    assert report.comparisons[0].status == "not measured" and not report.regressions


def test_load_baselines(tmp_path):
    (tmp_path / "a.json").write_text(
        json.dumps({"x": {"value": 3, "unit": "files", "tolerance": 0, "better": "lower"}})
    )
    assert load_baselines(tmp_path)["x"] == Baseline("x", 3.0, "files", 0.0, "lower")
    (tmp_path / "c.json").write_text(
        json.dumps({"z": {"value": 3, "unit": "n", "tolerance": 0, "better": "equal"}})
    )
    assert load_baselines(tmp_path)["z"].better == "equal"
    (tmp_path / "b.json").write_text(json.dumps({"y": {"value": 3, "tolerance": 0}}))
    with pytest.raises(BenchError, match=r"b\.json"):
        load_baselines(tmp_path)
