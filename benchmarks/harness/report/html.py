"""Render the one-page benchmark report from gathered data (no file access here)."""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape

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
    links: dict[str, str] = field(default_factory=dict)
    notices: list[str] = field(default_factory=list)
    generated: str = ""


def render_index(data: ReportData) -> str:
    parts = [
        "<!doctype html><html lang=en><meta charset=utf-8>",
        "<title>reelscale benchmark report</title>",
        f"<style>{STYLE}</style><body><h1>reelscale benchmark report</h1>",
        f"<p><small>generated {escape(data.generated)}"
        f"{f' · asv machine {escape(data.machine)}' if data.machine else ''}</small></p>",
        _notices(data.notices),
        _dashboard(data.dashboard),
        _memray(data.memray, data.links),
        _batch(data.batch),
        _throughput(data.charts),
        "</body></html>",
    ]
    return "\n".join(parts)


def _notices(notices: list[str]) -> str:
    if not notices:
        return '<p id="notices">All data present.</p>'
    items = "".join(f'<li class="missing">{escape(n)}</li>' for n in notices)
    return f'<h2>Missing data</h2><ul id="notices">{items}</ul>'


def _dashboard(link: str | None) -> str:
    if link is None:
        body = '<p class="missing">No asv dashboard yet (no asv results were published).</p>'
    else:
        body = (
            f'<p><a id="asv-dashboard" href="{escape(link)}">asv dashboard</a> '
            "(history of every benchmark). Serve it with <code>python -m asv preview</code> "
            "(browsers block its data files on file://); it loads its scripts from a CDN.</p>"
        )
    return f"<h2>asv history</h2>{body}"


def _memray(entries: list[MemrayEntry], links: dict[str, str]) -> str:
    rows = []
    for e in entries:
        if e.peak_bytes is None:
            cells = '<td colspan=5 class="missing">not measured</td>'
        else:
            flame, stats = links.get(e.flamegraph.name), links.get(e.stats.name)
            cells = (
                f'<td class="num">{e.peak_bytes / 1e6:.1f} MB</td>'
                f'<td class="num">{e.allocations:,}</td>'
                f'<td class="num">{(e.allocated_bytes or 0) / 1e6:,.0f} MB</td>'
                f'<td><a class="flamegraph" href="{escape(flame or "")}">flamegraph</a></td>'
                f'<td><a class="stats" href="{escape(stats or "")}">stats (json)</a></td>'
            )
        rows.append(f"<tr><td>{escape(e.name)}</td><td>{escape(e.description)}</td>{cells}</tr>")
    head = (
        "<tr><th>workload</th><th>what</th><th>peak heap</th><th>allocations</th>"
        "<th>allocated in total</th><th colspan=2>reports</th></tr>"
    )
    return (
        "<h2>Memory (memray, each workload in a fresh process)</h2>"
        f'<table id="memray">{head}{"".join(rows)}</table>'
        "<p><small>Flamegraphs show the stacks at the heap's high-water mark; they load their "
        "scripts from a CDN.</small></p>"
    )


def _batch(batch: dict | None) -> str:
    title = "<h2>Batch size: cost against accuracy</h2>"
    if batch is None:
        return f'{title}<p class="missing">No batch-size sweep on disk.</p>'
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
    return (
        f"{title}<p>Recommended batch size: <b id=recommended>{escape(str(best))}</b> "
        "(green dot: the cheapest size agreeing on at least 98 %)</p>"
        f'<div id="batch-size"><figure><figcaption>Cost</figcaption>{cost}</figure>'
        f"<figure><figcaption>Accuracy</figcaption>{agree}</figure></div>"
    )


def _throughput(charts: list[Chart]) -> str:
    figures = []
    for chart in charts:
        drawn = [(s.label, s.points) for s in chart.series if s.points]
        commits = sorted({s.commit for s in chart.series if s.commit})
        if drawn:
            chart_id = f"throughput-{chart.chart_id}"
            body = lines_chart(drawn, "library size", chart.unit, log_x=True, chart_id=chart_id)
        else:
            body = '<p class="missing">no saved asv results</p>'
        note = f"<br><small>commit {', '.join(commits)}</small>" if commits else ""
        figures.append(
            f"<figure><figcaption>{escape(chart.title)} ({escape(chart.unit)}){note}"
            f"</figcaption>{body}</figure>"
        )
    return (
        "<h2>Throughput by library size (saved asv results)</h2>"
        f'<div id="throughput">{"".join(figures)}</div>'
    )
