"""``reelscale bench report``: the asv dashboard, memray flamegraphs and one index page.

Reproduce the committed reports with ``reelscale bench report`` (from a checkout): it runs ``asv
publish`` into results/html/, traces the four workloads of
:mod:`benchmarks.harness.report.memray_runs` into results/reports/memray-*.html and *-stats.json,
and writes results/reports/index.html from what is on disk (results/asv/<machine>/*.json,
results/reports/batch-size.json and the memray stats). Anything missing is listed on the page and in
the returned :class:`ReportOutcome`, never skipped silently.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.harness.paths import ASV_RESULTS, RESULTS, require_checkout
from benchmarks.harness.report import memray_runs, offline
from benchmarks.harness.report.data import (
    MemrayEntry,
    asv_machine_dir,
    load_asv,
    load_batch_size,
    load_memray,
    throughput_charts,
)
from benchmarks.harness.report.html import ReportData, render_index
from core.errors import BenchError
from core.progress import NULL_REPORTER, Reporter

REPORTS = RESULTS / "reports"
HTML = RESULTS / "html"


@dataclass(slots=True)
class ReportOutcome:
    index: Path
    written: list[Path] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    html_bytes: int | None = None

    def as_dict(self, root: Path) -> dict:
        return {
            "index": _rel(self.index, root),
            "written": [_rel(p, root) for p in self.written],
            "missing": self.notices,
            "asv_html_bytes": self.html_bytes,
        }


def build_report(
    *,
    publish: bool = True,
    memray: bool = True,
    machine: str | None = None,
    reporter: Reporter = NULL_REPORTER,
) -> ReportOutcome:
    """Publish, trace, gather and write the index; see the module docstring."""
    repo = require_checkout()
    REPORTS.mkdir(parents=True, exist_ok=True)
    outcome = ReportOutcome(REPORTS / "index.html")
    machine_dir = _machine_dir(machine)
    has_results = machine_dir is not None and any(machine_dir.glob("*-*.json"))
    if publish:
        reporter.start("asv publish", total=1)
        if has_results:
            outcome.html_bytes = publish_asv(repo)
            outcome.written.append(HTML / "index.html")
        else:
            outcome.notices.append(
                "no asv results under results/asv/: run `reelscale bench run` before publishing"
            )
        reporter.advance("asv publish")
        reporter.finish("asv publish")
    if memray:
        for workload in memray_runs.WORKLOADS:
            stage = f"memray {workload.name}"
            reporter.start(stage, total=1)
            outcome.written.extend(memray_runs.profile(workload, REPORTS))
            reporter.advance(stage)
            reporter.finish(stage)
    outcome.written += make_offline(REPORTS, HTML)
    data = gather(REPORTS, machine_dir, HTML)
    REPORTS.joinpath("index.html").write_text(render_index(data), encoding="utf-8")
    outcome.written.append(outcome.index)
    outcome.notices.extend(n for n in data.notices if n not in outcome.notices)
    if outcome.html_bytes is None and HTML.is_dir():
        outcome.html_bytes = _tree_size(HTML)
    return outcome


def make_offline(reports: Path, html_dir: Path) -> list[Path]:
    """Point every flamegraph in ``reports`` and the asv dashboard at local copies of their
    scripts (:mod:`benchmarks.harness.report.offline`); returns the pages changed."""
    changed = []
    for page in sorted(reports.glob(memray_runs.flamegraph_name("*"))):
        if offline.remote_assets(page.read_text(encoding="utf-8")):
            offline.vendor_memray(page)
            changed.append(page)
    dashboard = html_dir / "index.html"
    if dashboard.is_file() and offline.remote_assets(dashboard.read_text(encoding="utf-8")):
        offline.vendor_asv(html_dir)
        changed.append(dashboard)
    return changed


def gather(reports: Path, machine_dir: Path | None, html_dir: Path) -> ReportData:
    """Read everything the page shows from disk; links are relative to ``reports``."""
    notices: list[str] = []
    if machine_dir is None or not machine_dir.is_dir():
        measured = {}
        notices.append("no asv results folder under results/asv/: run `reelscale bench run`")
    else:
        measured = load_asv(machine_dir, machine_dir.parent / "benchmarks.json")
    charts, missing = throughput_charts(measured)
    notices += missing
    batch, missing = load_batch_size(reports / "batch-size.json")
    notices += missing
    entries = [
        MemrayEntry(
            w.name,
            w.description,
            reports / memray_runs.flamegraph_name(w.name),
            reports / memray_runs.stats_name(w.name),
        )
        for w in memray_runs.WORKLOADS
    ]
    notices += load_memray(entries)
    dashboard = html_dir / "index.html"
    if not dashboard.is_file():
        notices.append("no asv dashboard in results/html/: run `reelscale bench report`")
    links = {p.name: p.name for e in entries for p in (e.flamegraph, e.stats)}
    peers = load_peers(reports.parent / "numbers")
    if not peers:
        notices.append(
            "no comparison with the real Kometa-AI in results/numbers/: run "
            "`reelscale bench peer --kometa-ai PATH`"
        )
    return ReportData(
        machine=machine_dir.name if machine_dir else None,
        dashboard=os.path.relpath(dashboard, reports) if dashboard.is_file() else None,
        charts=charts,
        batch=batch,
        memray=entries,
        peers=peers,
        links=links,
        notices=notices,
        generated=time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
    )


def load_peers(numbers: Path) -> list[dict]:
    """The ``reelscale bench peer`` results (results/numbers/peer-*.json), by model and size."""
    found = []
    for path in sorted(numbers.glob("peer-*.json")):
        try:
            result = json.loads(path.read_text(encoding="utf-8"))
            result["file"] = path.name
            result["first"] = {t: result[t]["first"] for t in ("kometa_ai", "reelscale")}
        except (ValueError, KeyError, TypeError):
            continue
        found.append(result)
    return found


def publish_asv(repo: Path) -> int:
    """``asv publish`` into the configured html_dir (results/html); returns its size in bytes."""
    cmd = [sys.executable, "-m", "asv", "publish", "--no-pull"]
    proc = subprocess.run(cmd, cwd=repo, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        tail = (proc.stderr.strip() or proc.stdout.strip())[-600:]
        raise BenchError(f"asv publish failed (it needs commits on branch main): {tail}")
    return _tree_size(HTML)


def _machine_dir(machine: str | None) -> Path | None:
    from benchmarks.harness.suite import machine_name

    if machine:
        return ASV_RESULTS / machine
    here = ASV_RESULTS / machine_name()
    return here if here.is_dir() else asv_machine_dir(ASV_RESULTS)


def _tree_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def _rel(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root))
    except ValueError:
        return str(path)
