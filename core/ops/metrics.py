"""Prometheus metrics of scheduled runs, served on 127.0.0.1 for a scraper.

:class:`RunMetrics` keeps its own registry (two instances never clash, tests included) and is
fed one run report at a time::

    metrics = RunMetrics()
    server = metrics.serve(9090)        # http://127.0.0.1:9090/metrics
    metrics.observe(report, next_run)   # fits run_on_schedule's on_report
    server.close()

Exported (all prefixed ``reelscale_``): ``runs_total{status}``, ``run_seconds`` and
``stage_seconds{stage}`` (the last run), ``claude_requests_total``, ``tokens_total{kind}``,
``cost_dollars_total``, ``errors_total{cause}``, ``radarr_requests_total``,
``radarr_writes_total``, ``sonarr_requests_total``, ``sonarr_writes_total``,
``collection_members{collection}``,
``collection_changes_total{collection,change}``, ``peak_rss_bytes``,
``last_success_timestamp_seconds`` and ``next_run_timestamp_seconds``.

Error causes are free text, so they are folded into a few classes (``radarr``, ``sonarr``,
``claude``, ``tmdb``, ``store``, ``config``, ``other``) to keep the label set small; an error
dict with a ``class`` key names its class itself.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from datetime import datetime
from wsgiref.simple_server import WSGIServer

from prometheus_client import CollectorRegistry, Counter, Gauge, start_http_server

from core.errors import ConfigError

__all__ = ["MetricsServer", "RunMetrics"]

_CAUSE_WORDS = (
    ("radarr", ("radarr",)),
    ("sonarr", ("sonarr",)),
    ("claude", ("claude", "anthropic")),
    ("tmdb", ("tmdb",)),
    ("store", ("sqlite", "database", "store")),
    ("config", ("config", "setting")),
)


@dataclass(slots=True)
class MetricsServer:
    """The running ``/metrics`` endpoint; :meth:`close` frees its port."""

    server: WSGIServer
    thread: threading.Thread

    @property
    def port(self) -> int:
        return self.server.server_address[1]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)

    shutdown = close  # the name prometheus_client's server uses

    def __enter__(self) -> MetricsServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class RunMetrics:
    """Counters and gauges over a private registry, updated from run reports."""

    def __init__(self) -> None:
        self.registry = r = CollectorRegistry()
        self.runs = Counter("reelscale_runs", "Runs by final status", ["status"], registry=r)
        self.run_seconds = Gauge("reelscale_run_seconds", "Duration of the last run", registry=r)
        self.stage_seconds = Gauge(
            "reelscale_stage_seconds", "Stage durations of the last run", ["stage"], registry=r
        )
        self.claude_requests = Counter(
            "reelscale_claude_requests", "Requests sent to Claude", registry=r
        )
        self.tokens = Counter("reelscale_tokens", "Claude tokens by kind", ["kind"], registry=r)
        self.cost = Counter("reelscale_cost_dollars", "Claude cost in US dollars", registry=r)
        self.errors = Counter("reelscale_errors", "Errors by cause class", ["cause"], registry=r)
        self.radarr_requests = Counter(
            "reelscale_radarr_requests", "Requests sent to Radarr", registry=r
        )
        self.radarr_writes = Counter(
            "reelscale_radarr_writes", "Radarr editor writes (tag chunks)", registry=r
        )
        self.sonarr_requests = Counter(
            "reelscale_sonarr_requests", "Requests sent to Sonarr", registry=r
        )
        self.sonarr_writes = Counter(
            "reelscale_sonarr_writes", "Sonarr editor writes (tag chunks)", registry=r
        )
        self.members = Gauge(
            "reelscale_collection_members",
            "Members per collection (movies and series, over the run's sources)",
            ["collection"],
            registry=r,
        )
        self.changes = Counter(
            "reelscale_collection_changes",
            "Movies added to or removed from collections",
            ["collection", "change"],
            registry=r,
        )
        self.peak_rss = Gauge(
            "reelscale_peak_rss_bytes", "Peak resident memory of the last run", registry=r
        )
        self.last_success = Gauge(
            "reelscale_last_success_timestamp_seconds",
            "Unix time the last successful run ended",
            registry=r,
        )
        self.next_run = Gauge(
            "reelscale_next_run_timestamp_seconds",
            "Unix time of the next scheduled run",
            registry=r,
        )

    def observe(self, report: dict, next_run: datetime | None = None) -> None:
        """Count one run from its report; ``next_run`` (if any) sets the next-run gauge."""
        status = str(report.get("status") or "ok")
        self.runs.labels(status).inc()
        self.run_seconds.set(float(report.get("seconds") or 0))
        for stage, seconds in (report.get("stages") or {}).items():
            self.stage_seconds.labels(stage).set(float(seconds or 0))
        self.claude_requests.inc(_count(report.get("requests")))
        for kind, amount in (report.get("tokens") or {}).items():
            self.tokens.labels(kind).inc(_count(amount))
        self.cost.inc(max(0.0, float(report.get("cost_usd") or 0)))
        for error in report.get("errors") or []:
            self.errors.labels(cause_class(error)).inc(_count(error.get("count"), 1))
        self.radarr_requests.inc(_count(report.get("radarr_requests")))
        self.radarr_writes.inc(_count(report.get("radarr_writes")))
        self.sonarr_requests.inc(_count(report.get("sonarr_requests")))
        self.sonarr_writes.inc(_count(report.get("sonarr_writes")))
        members: dict[str, float] = {}
        for c in report.get("collections") or []:
            name = str(c.get("name") or c.get("tag") or "?")
            if c.get("members") is not None:  # a row per source: a `both` collection has two
                members[name] = members.get(name, 0.0) + float(c["members"])
            self.changes.labels(name, "added").inc(_count(c.get("added")))
            self.changes.labels(name, "removed").inc(_count(c.get("removed")))
        for name, total in members.items():
            self.members.labels(name).set(total)
        if report.get("peak_rss_mb") is not None:
            self.peak_rss.set(float(report["peak_rss_mb"]) * 1024 * 1024)
        if status == "ok" and not report.get("dry_run"):
            self.last_success.set(time.time())
        if next_run is not None:
            self.set_next_run(next_run)

    def set_next_run(self, when: datetime) -> None:
        self.next_run.set(when.timestamp())

    def serve(self, port: int, *, addr: str = "127.0.0.1") -> MetricsServer:
        """Serve ``/metrics`` on ``addr:port`` (0 picks a free port) in a daemon thread."""
        try:
            server, thread = start_http_server(port, addr=addr, registry=self.registry)
        except OSError as exc:
            raise ConfigError(
                f"cannot serve metrics on {addr}:{port} ({exc.strerror or exc}): choose another "
                "--metrics-port"
            ) from None
        return MetricsServer(server, thread)


def cause_class(error: dict) -> str:
    """The class of an error dict, for the ``errors_total{cause}`` label."""
    if error.get("class"):
        return str(error["class"])
    text = str(error.get("cause") or "").lower()
    for name, words in _CAUSE_WORDS:
        if any(word in text for word in words):
            return name
    return "other"


def _count(value: object, default: int = 0) -> float:
    try:
        return max(0.0, float(value if value is not None else default))
    except (TypeError, ValueError):
        return float(default)
