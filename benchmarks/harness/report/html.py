"""Render the one-page benchmark report from gathered data (no file access but the template)."""

from __future__ import annotations

from dataclasses import dataclass, field

from benchmarks.harness.report.data import Chart, MemrayEntry
from core.tuning.plot import lines_chart

STYLE = (
    "body{font:14px sans-serif;margin:2em;max-width:1300px;color:#222}"
    "h2{margin-top:1.6em;border-bottom:1px solid #ddd}"
    "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px}"
    "td.num{text-align:right}.missing{color:#a40;background:#fff4e5;padding:2px 6px}"
    "figure{display:inline-block;margin:0 1em 1em 0;vertical-align:top}"
    "figcaption{font-weight:bold;margin-bottom:4px;max-width:420px}"
    "small{color:#666}"
)


@dataclass(slots=True)
class ReportData:
    """Everything the page shows; paths are already relative to the page."""

    machine: str | None
    dashboard: str | None
    charts: list[Chart]
    batch: dict | None
    memray: list[MemrayEntry]
    peers: list[dict] = field(default_factory=list)
    links: dict[str, str] = field(default_factory=dict)
    notices: list[str] = field(default_factory=list)
    generated: str = ""


def render_index(data: ReportData) -> str:
    """The page (template ``index.html.j2``, autoescaped): notices, the asv dashboard link, memray
    reports, the batch-size curves and throughput by library size."""
    from core.templating import render

    return render(
        __file__,
        "index.html.j2",
        style=STYLE,
        generated=data.generated,
        machine=data.machine,
        notices=data.notices,
        dashboard=data.dashboard,
        peers=data.peers,
        memray=[_memray_row(e, data.links) for e in data.memray],
        batch=_batch(data.batch),
        throughput=[_throughput(chart) for chart in data.charts],
    )


def _memray_row(e: MemrayEntry, links: dict[str, str]) -> dict:
    row = {"name": e.name, "description": e.description, "measured": e.peak_bytes is not None}
    if row["measured"]:
        row.update(
            peak=f"{e.peak_bytes / 1e6:.1f} MB",
            allocations=f"{e.allocations:,}",
            allocated=f"{(e.allocated_bytes or 0) / 1e6:,.0f} MB",
            flamegraph=links.get(e.flamegraph.name) or "",
            stats=links.get(e.stats.name) or "",
        )
    return row


def _batch(batch: dict | None) -> dict | None:
    """The two batch-size charts (SVG) and the recommended size, or None without a sweep."""
    if batch is None:
        return None
    rows, best = batch["rows"], batch.get("recommended")
    cost = lines_chart(
        [("USD per 1k judgments", [(r["batch_size"], r["cost_per_1k"]) for r in rows])],
        "batch size",
        "USD per 1k judgments",
        log_x=True,
        zero_based=False,
        mark=best,
        chart_id="batch-cost",
    )
    accuracy = [
        ("agreement with the smallest batch", "agreement"),
        ("agreement with truth", "truth"),
    ]
    agree = lines_chart(
        [
            (label, [(r["batch_size"], 100 * r[key]) for r in rows if r.get(key) is not None])
            for label, key in accuracy
        ],
        "batch size",
        "% of judgments",
        log_x=True,
        zero_based=False,
        mark=best,
        chart_id="batch-accuracy",
    )
    return {"recommended": best, "cost": cost, "accuracy": agree}


def _throughput(chart: Chart) -> dict:
    """One figure: the chart of the series that have points (None if none has), its commits."""
    drawn = [(s.label, s.points) for s in chart.series if s.points]
    body = None
    if drawn:
        chart_id = f"throughput-{chart.chart_id}"
        body = lines_chart(drawn, "library size", chart.unit, log_x=True, chart_id=chart_id)
    return {
        "title": chart.title,
        "unit": chart.unit,
        "commits": sorted({s.commit for s in chart.series if s.commit}),
        "chart": body,
    }
