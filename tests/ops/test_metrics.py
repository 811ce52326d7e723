import socket
from datetime import UTC, datetime

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from core.errors import ConfigError
from core.ops.metrics import RunMetrics, cause_class

REPORT = {
    "collections": [
        {"name": "Film Noir", "tag": "kai-film-noir", "members": 120, "added": 5, "removed": 1,
         "deferred": 0, "tokens": 12345, "cost_usd": 0.0123},
    ],
    "requests": 40, "radarr_requests": 5, "radarr_writes": 2, "cost_usd": 0.05,
    "tokens": {"input": 1, "output": 2, "cache_read": 3, "cache_write": 4},
    "seconds": 12.3, "peak_rss_mb": 80.0, "dry_run": False, "status": "ok",
    "errors": [
        {"cause": "Radarr 503 on PUT /api/v3/movie/editor", "count": 3, "examples": []},
        {"cause": "Claude answered 529 overloaded", "count": 1, "examples": []},
        {"cause": "disk full", "count": 2, "examples": []},
    ],
    "stages": {"source": 1.2, "enrich": 0.0, "classify": 9.8, "tag": 0.4},
}  # fmt: skip


def scrape(port):
    text = httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=5).text
    samples = {}
    for family in text_string_to_metric_families(text):
        for s in family.samples:
            samples[(s.name, tuple(sorted(s.labels.items())))] = s.value
    return samples


def test_observe_and_scrape():
    metrics = RunMetrics()
    next_run = datetime(2026, 5, 5, 3, 0, tzinfo=UTC)
    with metrics.serve(0) as server:
        metrics.observe(REPORT, next_run)
        metrics.observe({**REPORT, "status": "failed", "collections": [], "errors": []})
        got = scrape(server.port)
    assert got[("reelscale_runs_total", (("status", "ok"),))] == 1
    assert got[("reelscale_runs_total", (("status", "failed"),))] == 1
    assert got[("reelscale_claude_requests_total", ())] == 80
    assert got[("reelscale_tokens_total", (("kind", "cache_write"),))] == 8
    assert got[("reelscale_cost_dollars_total", ())] == pytest.approx(0.1)
    assert got[("reelscale_errors_total", (("cause", "radarr"),))] == 3
    assert got[("reelscale_errors_total", (("cause", "claude"),))] == 1
    assert got[("reelscale_errors_total", (("cause", "other"),))] == 2
    assert got[("reelscale_radarr_requests_total", ())] == 10
    assert got[("reelscale_radarr_writes_total", ())] == 4
    assert got[("reelscale_stage_seconds", (("stage", "classify"),))] == 9.8
    assert got[("reelscale_run_seconds", ())] == 12.3
    assert got[("reelscale_collection_members", (("collection", "Film Noir"),))] == 120
    key = ("reelscale_collection_changes_total", (("change", "added"), ("collection", "Film Noir")))
    assert got[key] == 5
    assert got[("reelscale_peak_rss_bytes", ())] == 80 * 1024 * 1024
    assert got[("reelscale_next_run_timestamp_seconds", ())] == next_run.timestamp()
    assert got[("reelscale_last_success_timestamp_seconds", ())] > 1.7e9


def test_failed_and_dry_runs_do_not_count_as_success():
    metrics = RunMetrics()
    metrics.observe({"status": "failed"})
    metrics.observe({"status": "ok", "dry_run": True})
    assert metrics.registry.get_sample_value("reelscale_last_success_timestamp_seconds") == 0


def test_registries_are_private():
    a, b = RunMetrics(), RunMetrics()
    a.observe(REPORT)
    assert b.registry.get_sample_value("reelscale_claude_requests_total") == 0


def test_cause_classes():
    assert cause_class({"cause": "TMDB timed out"}) == "tmdb"
    assert cause_class({"cause": "Radarr 503", "class": "network"}) == "network"
    assert cause_class({}) == "other"


def test_port_is_freed_on_close_and_busy_port_is_a_config_error():
    server = RunMetrics().serve(0)
    port = server.port
    with pytest.raises(ConfigError, match=rf"127\.0\.0\.1:{port}.*--metrics-port"):
        RunMetrics().serve(port)
    server.close()
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=2)
    with socket.socket() as s:
        s.bind(("127.0.0.1", port))  # free again


def test_sonarr_requests_and_errors_are_counted():
    metrics = RunMetrics()
    with metrics.serve(0) as server:
        metrics.observe(
            {
                "status": "ok",
                "sonarr_requests": 7,
                "sonarr_writes": 3,
                "errors": [{"cause": "Sonarr editor add failed: 500", "count": 2}],
            }
        )
        got = scrape(server.port)
    assert got[("reelscale_sonarr_requests_total", ())] == 7
    assert got[("reelscale_sonarr_writes_total", ())] == 3
    assert got[("reelscale_errors_total", (("cause", "sonarr"),))] == 2


def test_a_both_collection_counts_its_members_over_its_sources():
    rows = [
        {"name": "Crime Time", "source": "radarr", "members": 30, "added": 2, "removed": 0},
        {"name": "Crime Time", "source": "sonarr", "members": 7, "added": 1, "removed": 1},
    ]
    metrics = RunMetrics()
    with metrics.serve(0) as server:
        metrics.observe({**REPORT, "collections": rows})
        metrics.observe({**REPORT, "collections": rows[:1]})  # members: the last run's
        got = scrape(server.port)
    assert got[("reelscale_collection_members", (("collection", "Crime Time"),))] == 30
    key = (
        "reelscale_collection_changes_total",
        (("change", "added"), ("collection", "Crime Time")),
    )
    assert got[key] == 5
    metrics = RunMetrics()
    with metrics.serve(0) as server:
        metrics.observe({**REPORT, "collections": rows})
        assert (
            scrape(server.port)[("reelscale_collection_members", (("collection", "Crime Time"),))]
            == 37
        )
