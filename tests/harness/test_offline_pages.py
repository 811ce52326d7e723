"""Every report page opens in headless Chromium with the network off, and draws.

Chromium is started with a proxy on 127.0.0.1 that answers every request 403 and writes down
what was asked: a page that loads anything from another machine (a CDN script, a font) shows up
there and fails the test. Requests to 127.0.0.1 (the asv dashboard's local server) go direct.
Chromium's own background requests to Google's hosts, which no page of ours names, are left out.
"""

import json
import shutil
import socketserver
import subprocess
import sys
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from conftest import needs_program

from benchmarks.harness.report import offline
from core.tuning.recommend import SweepRow, render_html

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
BROWSER_OWN = (".google.com", ".googleapis.com", ".gstatic.com", ".gvt1.com")


class RecordingProxy(socketserver.ThreadingTCPServer):
    """An HTTP proxy that refuses everything and keeps each request line."""

    daemon_threads = True

    def __init__(self) -> None:
        self.seen: list[str] = []
        seen = self.seen

        class Handler(socketserver.StreamRequestHandler):
            def handle(self):
                seen.append(self.rfile.readline().decode("latin-1").strip())
                self.wfile.write(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n")

        super().__init__(("127.0.0.1", 0), Handler)

    def page_requests(self) -> list[str]:
        """The requests a page made: the browser's own calls home are not the page's."""
        hosts = []
        for line in self.seen:
            target = line.split(" ")[1] if " " in line else line
            host = target.split("://")[-1].split("/")[0].split(":")[0]
            if not host.endswith(BROWSER_OWN):
                hosts.append(line)
        return hosts


@pytest.fixture
def browser(tmp_path):
    """``open(url) -> DOM after its scripts ran``; fails the test on any network request."""
    assert CHROMIUM, "chromium is required here (REELSCALE_REQUIRE_PROGRAMS=1) but not installed"
    proxy = RecordingProxy()
    threading.Thread(target=proxy.serve_forever, daemon=True).start()
    opened = []

    def open_page(url: str) -> str:
        opened.append(url)
        command = [
            CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            f"--proxy-server=http://127.0.0.1:{proxy.server_address[1]}",
            f"--user-data-dir={tmp_path / 'chromium-profile'}",
            "--virtual-time-budget=8000", "--dump-dom", url,
        ]  # fmt: skip
        done = subprocess.run(command, capture_output=True, text=True, timeout=180, check=True)
        assert proxy.page_requests() == [], f"{url} asked the network for {proxy.page_requests()}"
        return done.stdout

    yield open_page
    proxy.shutdown()
    proxy.server_close()
    assert opened


@pytest.fixture
def served(tmp_path):
    """``serve(folder) -> base URL`` on 127.0.0.1 (asv's dashboard reads JSON over HTTP)."""
    servers = []

    def serve(folder: Path) -> str:
        handler = partial(SimpleHTTPRequestHandler, directory=str(folder))
        handler.log_message = lambda *a: None
        server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}"

    yield serve
    for server in servers:
        server.shutdown()
        server.server_close()


def small_flamegraph(folder: Path, *extra: str) -> Path:
    """A memray capture of a few allocations and its flamegraph, as memray writes it."""
    pytest.importorskip("memray")
    capture, page = folder / "small.bin", folder / "memray-small.html"
    code = "blocks = [bytearray(4096) for _ in range(2000)]"
    subprocess.run(
        [sys.executable, "-m", "memray", "run", "-q", "-o", str(capture), "-c", code], check=True
    )
    subprocess.run(
        [sys.executable, "-m", "memray", "flamegraph", "-f", *extra, "-o", str(page), str(capture)],
        check=True,
        capture_output=True,
    )
    return page


def test_remote_assets_are_found_and_rewritten(tmp_path):
    page = small_flamegraph(tmp_path)
    before = offline.remote_assets(page.read_text(encoding="utf-8"))
    assert any("d3" in url for url in before) and all("//" in url for url in before)
    copied = offline.vendor_memray(page)
    assert offline.remote_assets(page.read_text(encoding="utf-8")) == []
    assert {p.name for p in copied} == {url.rsplit("/", 1)[-1] for url in before}
    assert all(p.parent == tmp_path / "vendor" and p.stat().st_size > 0 for p in copied)


@needs_program("chromium", "chromium-browser")
@pytest.mark.slow
def test_flamegraphs_draw_offline(browser, tmp_path):
    vendored = small_flamegraph(tmp_path)  # what `bench report` keeps in results/reports
    offline.vendor_memray(vendored)
    inline = tmp_path / "inline"
    inline.mkdir()
    no_web = small_flamegraph(inline, "--no-web")  # what `run --memory-profile` writes
    for page in (vendored, no_web):
        dom = browser(page.as_uri())
        assert 'class="partition d3-flame-graph"' in dom, page  # d3 drew the flamegraph


@needs_program("chromium", "chromium-browser")
def test_batch_size_page_opens_offline(browser, tmp_path):
    rows = [
        SweepRow(5, 0.001, 1.0, 1.0, 0.0, 0.05, 2, 0.99),
        SweepRow(25, 0.0008, 0.5, 0.99, 0.0, 0.1, 1),
    ]
    page = tmp_path / "batch-size.html"
    page.write_text(render_html(rows, 25, "sweep"), encoding="utf-8")
    dom = browser(page.as_uri())
    assert 'id="batch-cost"' in dom and 'id="batch-accuracy-series-0"' in dom


@needs_program("chromium", "chromium-browser")
def test_asv_dashboard_draws_offline(browser, served, tmp_path):
    asv_www = Path(__import__("asv").__file__).parent / "www"
    site = tmp_path / "html"
    shutil.copytree(REPO / "results" / "html", site, ignore=shutil.ignore_patterns("vendor"))
    shutil.copyfile(asv_www / "index.html", site / "index.html")  # as `asv publish` writes it
    assert offline.remote_assets((site / "index.html").read_text(encoding="utf-8"))
    offline.vendor_asv(site)
    benchmark = sorted(json.loads((site / "index.json").read_text())["benchmarks"])[0]
    dom = browser(served(site) + "/index.html")
    assert benchmark in dom  # the summary grid was built from index.json by asv's scripts


@needs_program("chromium", "chromium-browser")
@pytest.mark.slow  # one Chromium per committed page
@pytest.mark.parametrize(
    "page",
    sorted(p.relative_to(REPO).as_posix() for p in (REPO / "results" / "reports").glob("*.html")),
)
def test_committed_report_pages_open_offline(browser, page):
    html = (REPO / page).read_text(encoding="utf-8")
    assert offline.remote_assets(html) == []
    dom = browser((REPO / page).as_uri())
    if "memray-" in page:
        assert 'class="partition d3-flame-graph"' in dom
    else:
        assert '<svg class="chart"' in dom
