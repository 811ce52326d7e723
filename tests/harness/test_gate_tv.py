"""The gate's ``tv`` stage: the folder-series workload measures what it promises (series found
against the truth, nothing regrouped on a rescan, TMDB TV requests per series not per episode,
none on a second enrich), and every metric it yields has a gating rule and a baseline."""

import pytest

from benchmarks.harness.gate import metrics, tv
from benchmarks.harness.gate.gate import Baseline, check, load_baselines
from synthetic.tree.tv_library import build_tv_tree

EPISODES = 600


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    """The workload over a small TV tree (the gate's 3,000-episode one lives in .bench-work)."""
    folder = tmp_path_factory.mktemp("tv")
    root, truth = folder / "tree", folder / "truth.jsonl"
    stats = build_tv_tree(root, EPISODES, seed=5, truth=truth)
    return stats, tv.tv_scan_twice(EPISODES, seed=5, root=root, truth=truth)


def test_the_workload_groups_rescans_and_enriches_per_series(small):
    stats, r = small
    assert r["scan"]["episodes"] == EPISODES and r["scan"]["errors"] == 0
    assert r["series"]["grouped"] == EPISODES
    assert r["series"]["series"] == r["grouping"]["shows"] == stats.series
    assert r["grouping"]["episode_accuracy"] >= 0.99 and r["grouping"]["ungrouped_episodes"] == 0
    assert r["rescan"] == {"reparses": 0, "regrouped": 0, "series_removed": 0}
    first = r["enrich"]
    # one TV search per series and one details request per matched series: never per episode
    assert first["by_endpoint"]["search_tv"] == first["series"] == stats.series
    assert first["by_endpoint"]["tv_details"] == first["series_matched"]
    assert first["tmdb_requests"] == first["series"] + first["series_matched"] < EPISODES
    assert r["second_enrich"] == {"tmdb_requests": 0, "seen_by_tmdb": 0}
    assert r["match"]["right"] >= 0.9 and r["match"]["wrong"] == 0
    assert 0 < r["peak_heap_bytes"] < 50e6


def test_every_tv_metric_is_gated_and_baselined(small, monkeypatch):
    monkeypatch.setattr(tv, "tv_scan_twice", lambda episodes: small[1])
    measured = metrics._tv_metrics(EPISODES)
    assert measured[f"tv.series_off_truth[{EPISODES}]"] == 0
    assert measured[f"tv.tmdb_requests_over_expected[{EPISODES}]"] == 0
    assert measured[f"tv.tmdb_searches_per_series[{EPISODES}]"] == 1
    for metric in measured:
        metrics.baseline_entry(metric, 0)  # a KeyError names a metric without a rule
    quick = {m.replace(f"[{EPISODES}]", f"[{metrics.TV_EPISODES}]") for m in measured}
    assert quick == {m for m in load_baselines() if m.startswith("tv.")}


def test_a_split_or_merged_show_or_a_request_per_episode_fails_the_gate(small, monkeypatch):
    monkeypatch.setattr(tv, "tv_scan_twice", lambda episodes: small[1])
    measured = metrics._tv_metrics(EPISODES)
    baselines = {
        m: Baseline(m, **{k: v for k, v in metrics.baseline_entry(m, value).items()})
        for m, value in measured.items()
    }
    assert not check(baselines, measured).regressions
    tag = f"[{EPISODES}]"
    for change in (
        {"tv.series_found": +1},
        {"tv.series_found": -1},
        {"tv.rescan_regrouped": +1},
        {"tv.tmdb_requests": +1, "tv.tmdb_requests_over_expected": +1},
        {"tv.second_tmdb_requests": +1},
    ):
        now = dict(measured)
        for name, delta in change.items():
            now[name + tag] += delta
        flagged = {c.metric for c in check(baselines, now).regressions}
        assert flagged == {name + tag for name in change}, change
