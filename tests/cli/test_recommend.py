import json

from click.testing import CliRunner

from benchmarks.harness.workloads.classify import fill_store
from core.cli import cli
from core.store.db import open_store
from core.tuning.recommend import COLUMNS, SweepRow, recommend
from synthetic.library.collection_defs import to_toml


def row(size, cost, agreement, output_share=0.1):
    return SweepRow(size, cost, 1.0, agreement, 0.0, output_share, 1)


def test_recommend_takes_the_cheapest_size_that_agrees_and_fits():
    rows = [row(5, 3.0, 1.0), row(25, 1.0, 0.99), row(50, 0.9, 0.97), row(100, 0.8, 0.99, 0.7)]
    assert recommend(rows) == 25
    assert recommend([row(5, 1.0, 0.5)]) is None


def test_simulate_writes_report_and_json(tmp_path):
    result = CliRunner().invoke(
        cli,
        [
            "recommend-batch-size",
            "--simulate",
            "--movies",
            "200",
            "--sizes",
            "5,25,100",
            "--out",
            str(tmp_path),
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert [r["batch_size"] for r in out["rows"]] == [5, 25, 100]
    assert {"batch_size", "cost_per_1k", "seconds_per_1k", "agreement", "retry_share"} <= set(
        out["rows"][0]
    )
    assert out["rows"][0]["agreement"] == 1.0 and out["recommended"] in (5, 25, 100)
    html = (tmp_path / "batch-size.html").read_text()
    assert html.count('<svg class="chart"') == 2
    assert 'id="batch-cost-series-0"' in html and 'id="batch-accuracy-series-1"' in html
    for heading, meaning in COLUMNS:  # every column is explained on the page
        assert f"<th>{heading}</th>" in html and f"<dd>{meaning}</dd>" in html.replace("&#39;", "'")


def test_reports_go_next_to_the_database_by_default(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    db = tmp_path / "library" / "reelscale.db"
    args = ["recommend-batch-size", "--simulate", "--movies", "50", "--sizes", "5,10"]
    result = CliRunner().invoke(cli, [*args, "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "library" / "reelscale-reports" / "batch-size.html").is_file()
    assert not (tmp_path / "results").exists()
    for short in ("size", "$/1k", "agree", "retried", "budget", "truth"):
        assert f"  {short}: " in result.output  # the terminal table explains its columns too


def test_charts_have_numbered_axes_fitted_to_the_data_and_no_overlapping_labels():
    from core.tuning.plot import chart_figure, overlapping_ticks

    sizes = (5, 10, 25, 50, 100, 200)
    agreement = (100.0, 99.4, 99.3, 99.0, 98.5, 97.5)
    figure = chart_figure(
        [("agreement", list(zip(sizes, agreement, strict=True)))],
        "batch size",
        "%",
        log_x=True,
        zero_based=False,
    )
    axes = figure.axes[0]
    low, high = axes.get_ylim()
    assert 96.5 < low < 97.5 and 100 < high < 101  # zoomed to 97.5-100, not 0-100
    y_labels = [t.get_text() for t in axes.get_yticklabels() if low <= t.get_position()[1] <= high]
    assert len(y_labels) >= 3 and all(y_labels)
    assert [t.get_text() for t in axes.get_xticklabels()] == ["5", "10", "25", "50", "100", "200"]
    assert overlapping_ticks(figure) == []
    crowded = chart_figure(
        [("s", [(x, 1.0) for x in range(100_000, 1_000_001, 50_000)])], "n", "y",
        log_x=False, zero_based=True,
    )  # fmt: skip
    assert overlapping_ticks(crowded) == []
    assert crowded.axes[0].get_xticklabels()[0].get_rotation() > 0  # rotated to fit


def test_sample_asks_first_and_uses_the_real_path(tmp_path, make_claude_server):
    server = make_claude_server()
    db = tmp_path / "lib.db"
    with open_store(db) as store:
        fill_store(store, 60)
    config = tmp_path / "reelscale.toml"
    config.write_text(to_toml())
    env = {"ANTHROPIC_API_KEY": server.config.api_key, "ANTHROPIC_BASE_URL": server.url}
    args = [
        "recommend-batch-size",
        "--sample",
        "40",
        "--sizes",
        "10,20",
        "--db",
        str(db),
        "--config",
        str(config),
        "--out",
        str(tmp_path / "r"),
    ]
    declined = CliRunner().invoke(cli, args, env=env, input="n\n")
    assert declined.exit_code == 1 and "about $" in declined.output
    assert server.counters.total == 0
    accepted = CliRunner().invoke(cli, [*args, "--yes", "--json"], env=env)
    assert accepted.exit_code == 0, accepted.output
    assert server.counters.total > 0
    with open_store(db) as store:  # the user's store is only read
        assert store.conn.execute("SELECT count(*) FROM decisions").fetchone()[0] == 0


def test_choose_exactly_one_mode():
    result = CliRunner().invoke(cli, ["recommend-batch-size"])
    assert result.exit_code == 2 and "--simulate" in result.output
