import json
import shutil
import struct
import subprocess
import zlib
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import needs_program

from benchmarks.harness.report import memray_runs, report
from benchmarks.harness.report.data import load_asv, throughput_charts
from benchmarks.harness.report.html import render_index
from core.cli import cli

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--no-first-run",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
]
COLUMNS = ["result", "params", "version", "started_at", "duration"]
SIZES = ["1000", "10000", "100000"]


def asv_result(folder: Path, commit: str, started: int, results: dict) -> None:
    """An asv result file: ``results`` maps benchmark -> (values, params)."""
    rows = {b: [values, params, "v", started, 1.0] for b, (values, params) in results.items()}
    data = {"commit_hash": commit * 5, "date": started, "result_columns": COLUMNS}
    (folder / f"{commit[:8]}-existing-venv.json").write_text(json.dumps(data | {"results": rows}))


@pytest.fixture
def report_dirs(tmp_path):
    """results/-like folders: two asv result files, a batch sweep, memray for two workloads."""
    machine = tmp_path / "asv" / "box"
    reports, html = tmp_path / "reports", tmp_path / "html"
    for folder in (machine, reports, html):
        folder.mkdir(parents=True)
    (tmp_path / "asv" / "benchmarks.json").write_text(
        json.dumps(
            {
                "bench_classify.ClassifySweep.track_requests": {
                    "param_names": ["batch_size", "library_size"]
                },
                "version": 2,
            }
        )
    )
    asv_result(
        machine,
        "aaaaaaaa",
        1000,
        {
            "bench_scan.FirstScan.time_first_scan": ([0.5, 4.0, None], [SIZES]),
            "bench_scan.Rescan.time_rescan": ([0.1, 1.0, 10.0], [SIZES]),
            "bench_classify.ClassifyTime.time_classify": ([0.25, 2.0, float("nan")], [SIZES]),
            "bench_run.RunEndToEnd.track_first_run_seconds": ([2.0, 8.0, 64.0], [SIZES]),
            "bench_run.RunEndToEnd.track_rerun_seconds": ([0.5, 2.0, 20.0], [SIZES]),
            "bench_parse.Parse.time_parse_corpus": ([0.01], []),
        },
    )
    asv_result(
        machine,
        "bbbbbbbb",
        2000,
        {
            "bench_scan.FirstScan.time_first_scan": ([0.25, 2.5, 25.0], [SIZES]),
            "bench_classify.ClassifySweep.track_requests": (
                [20, 200, 10, 100],
                [["5", "50"], ["1000", "10000"]],
            ),
        },
    )
    sweep = [
        (5, 0.00097, 1.0, 0.997),
        (10, 0.00090, 0.994, 0.997),
        (25, 0.00087, 0.993, 0.996),
        (50, 0.00089, 0.990, 0.993),
        (100, 0.00094, 0.985, 0.988),
    ]
    rows = [{"batch_size": b, "cost_per_1k": c, "agreement": a, "truth": t} for b, c, a, t in sweep]
    (reports / "batch-size.json").write_text(json.dumps({"recommended": 25, "rows": rows}))
    for workload in memray_runs.WORKLOADS[:2]:
        stats = {
            "total_num_allocations": 1234,
            "total_bytes_allocated": 5_000_000,
            "metadata": {"peak_memory": 3_200_000},
        }
        (reports / memray_runs.stats_name(workload.name)).write_text(json.dumps(stats))
        (reports / memray_runs.flamegraph_name(workload.name)).write_text("<html>flame</html>")
    (html / "index.html").write_text("<html>asv</html>")
    return {"machine": machine, "reports": reports, "html": html}


def test_asv_results_become_items_per_second(report_dirs):
    machine = report_dirs["machine"]
    measured = load_asv(machine, machine.parent / "benchmarks.json")
    # The newer file wins for first scan; None and NaN are dropped; parse has no library size.
    assert measured["bench_scan.FirstScan.time_first_scan"].commit == "bbbbbbbb"
    assert measured["bench_classify.ClassifyTime.time_classify"].values == {1000: 0.25, 10000: 2.0}
    assert "bench_parse.Parse.time_parse_corpus" not in measured
    # A two-parameter sweep is keyed by its library_size axis (first batch size that has one).
    assert measured["bench_classify.ClassifySweep.track_requests"].values == {1000: 20, 10000: 200}

    charts, notices = throughput_charts(measured)
    by_id = {c.chart_id: {s.label: s.points for s in c.series} for c in charts}
    assert by_id["scan"]["first scan"] == [(1000, 4000.0), (10000, 4000.0), (100000, 4000.0)]
    assert by_id["scan"]["rescan, nothing changed"] == [
        (1000, 10000.0),
        (10000, 10000.0),
        (100000, 10000.0),
    ]
    assert by_id["run"]["first run"] == [(1000, 500.0), (10000, 1250.0), (100000, 1562.5)]
    assert by_id["enrich"]["first enrich"] == []
    assert any("time_first_enrich" in n for n in notices)
    assert any("time_find" in n for n in notices)


def test_missing_data_is_listed_not_skipped(tmp_path):
    data = report.gather(tmp_path / "reports", None, tmp_path / "html")
    text = "\n".join(data.notices)
    assert "no asv results" in text and "batch-size.json not found" in text
    assert "no asv dashboard" in text
    assert all(f"memray {w.name}" in text for w in memray_runs.WORKLOADS)
    page = render_index(data)
    assert page.count('class="missing"') >= len(data.notices)
    assert '<svg class="chart"' not in page


def test_cli_json_lists_what_it_wrote(report_dirs, monkeypatch):
    monkeypatch.setattr(report, "REPORTS", report_dirs["reports"])
    monkeypatch.setattr(report, "HTML", report_dirs["html"])
    monkeypatch.setattr(report, "ASV_RESULTS", report_dirs["machine"].parent)
    args = ["bench", "report", "--skip-publish", "--skip-memray", "--machine", "box", "--json"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    index = report_dirs["reports"] / "index.html"
    assert out["written"] == [str(index)] and index.is_file()
    assert any("run-1k-movies" in m for m in out["missing"])
    assert not any("scan-10k-files" in m for m in out["missing"])


class _Dom(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.svgs: dict[str, dict[str, int]] = {}
        self.links: list[str] = []
        self._svg: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "svg":
            self._svg = attrs.get("id", "")
            self.svgs[self._svg] = {"series": 0, "markers": 0}
        elif self._svg is not None and (attrs.get("id") or "").startswith(self._svg + "-series-"):
            self.svgs[self._svg]["series"] += 1
        elif tag == "use" and self._svg is not None:
            self.svgs[self._svg]["markers"] += 1
        elif tag == "a":
            self.links.append(attrs.get("href", ""))

    def handle_endtag(self, tag):
        if tag == "svg":
            self._svg = None


def png_pixels(path: Path) -> tuple[int, int, list[bytes]]:
    """Decode an 8-bit RGB/RGBA PNG with the standard library: (width, channels, rows)."""
    data, pos, idat = path.read_bytes(), 8, []
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", body[:10])
            assert depth == 8 and colour in (2, 6), "expected 8-bit RGB(A)"
        elif kind == b"IDAT":
            idat.append(body)
        pos += 12 + length
    raw, bpp = zlib.decompress(b"".join(idat)), 3 if colour == 2 else 4
    stride, rows, prev = width * bpp, [], bytes(width * bpp)
    for y in range(height):
        start = y * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1 : start + 1 + stride])
        if kind == 1:
            for i in range(bpp, stride):
                line[i] = (line[i] + line[i - bpp]) & 255
        elif kind == 2:
            line = bytearray((a + b) & 255 for a, b in zip(line, prev, strict=True))
        elif kind == 3:
            for i in range(stride):
                left = line[i - bpp] if i >= bpp else 0
                line[i] = (line[i] + ((left + prev[i]) >> 1)) & 255
        elif kind == 4:
            for i in range(stride):
                a = line[i - bpp] if i >= bpp else 0
                b, c = prev[i], prev[i - bpp] if i >= bpp else 0
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else b if pb <= pc else c
                line[i] = (line[i] + pred) & 255
        prev = bytes(line)
        rows.append(prev)
    return width, bpp, rows


@needs_program("chromium", "chromium-browser")
def test_index_renders_its_charts_in_chromium(report_dirs, tmp_path):
    assert CHROMIUM, "chromium is required here (REELSCALE_REQUIRE_PROGRAMS=1) but not installed"
    reports = report_dirs["reports"]
    data = report.gather(reports, report_dirs["machine"], report_dirs["html"])
    index = reports / "index.html"
    index.write_text(render_index(data), encoding="utf-8")
    browser = [CHROMIUM, *CHROMIUM_FLAGS, f"--user-data-dir={tmp_path / 'profile'}"]

    dom = subprocess.run(
        [*browser, "--dump-dom", index.as_uri()],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout
    parsed = _Dom()
    parsed.feed(dom)
    charts = parsed.svgs
    for chart_id, lines in [
        ("batch-cost", 1),
        ("batch-accuracy", 2),
        ("throughput-scan", 2),
        ("throughput-classify", 1),
        ("throughput-run", 2),
    ]:
        assert charts[chart_id]["series"] == lines, chart_id
        assert charts[chart_id]["markers"] >= 2 * lines, chart_id
    assert "throughput-enrich" not in charts  # no data: a notice instead of an empty chart
    assert "no saved asv result for bench_enrich.EnrichTime.time_first_enrich" in dom
    for workload in memray_runs.WORKLOADS[:2]:
        assert memray_runs.flamegraph_name(workload.name) in parsed.links
        assert memray_runs.stats_name(workload.name) in parsed.links
    assert "../html/index.html" in parsed.links

    shot = tmp_path / "index.png"
    subprocess.run(
        [*browser, f"--screenshot={shot}", "--window-size=1280,2000", index.as_uri()],
        capture_output=True,
        timeout=120,
        check=True,
    )
    width, bpp, rows = png_pixels(shot)
    assert width == 1280 and len(rows) == 2000
    background = rows[0][:bpp]
    colours, inked = set(), 0
    for row in rows[::2]:
        for x in range(0, width * bpp, 2 * bpp):
            pixel = row[x : x + bpp]
            colours.add(pixel)
            inked += pixel != background
    # Text, axes and six coloured series: far from a blank page.
    assert inked > 20_000
    assert len(colours) > 50
    series_blue, series_orange = b"\x22\x66\xcc", b"\xdd\x66\x22"
    assert series_blue in {c[:3] for c in colours} and series_orange in {c[:3] for c in colours}
