"""HTML pages from jinja2 templates: escaped by default, strict about missing names, and jinja2
loaded only when a page is rendered (a run that sends no email never imports it)."""

import subprocess
import sys

import jinja2
import pytest

from core.ops.email_body import html_body, sample_report
from core.templating import render
from core.tuning.recommend import SweepRow, render_html

HOSTILE = "<script>alert(\"x\")</script> & 'q'"


def test_values_are_escaped(tmp_path):
    page = tmp_path / "page.py"
    (tmp_path / "t.html.j2").write_text("<p>{{ text }}</p>{{ svg | safe }}\n")
    out = render(str(page), "t.html.j2", text=HOSTILE, svg="<svg></svg>")
    assert out == (
        "<p>&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &#39;q&#39;</p><svg></svg>\n"
    )


def test_a_missing_name_is_an_error_not_an_empty_string(tmp_path):
    (tmp_path / "t.html.j2").write_text("{{ nothing_given }}")
    with pytest.raises(jinja2.UndefinedError):
        render(str(tmp_path / "page.py"), "t.html.j2")


def test_the_email_escapes_what_the_report_holds():
    report = sample_report()
    report["collections"][0]["name"] = HOSTILE
    report["errors"][0]["examples"] = [HOSTILE]
    page = html_body(report, None)
    assert "<script>" not in page and page.count("&lt;script&gt;") == 2
    assert "<td>Heist Movies</td>" in page and "<li>e.g. &lt;script&gt;" in page


def test_the_batch_size_page_escapes_its_title():
    rows = [SweepRow(5, 3.0, 1.0, 1.0, 0.0, 0.1, 1), SweepRow(25, 1.0, 2.0, 0.99, 0.0, 0.2, 1)]
    page = render_html(rows, 25, HOSTILE)
    assert "<script>" not in page and "<h1>&lt;script&gt;" in page
    assert "<tr class=rec><td>25</td><td>1.00000</td>" in page
    assert page.count("<svg") == 2


def test_jinja2_is_imported_only_to_render():
    probe = (
        "import sys\n"
        "import core.cli, core.pipeline.run, core.ops.notify, core.ops.email_body\n"
        "import core.tuning.recommend, benchmarks.harness.report.html\n"
        "before = 'jinja2' in sys.modules\n"
        "from core.ops.email_body import html_body, sample_report\n"
        "html_body(sample_report(), None)\n"
        "print(before, 'jinja2' in sys.modules)\n"
    )
    proc = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert proc.stdout.split() == ["False", "True"]


def test_the_email_names_sonarr_when_the_run_read_it():
    from core.ops.email_body import text_body

    report = sample_report()
    assert "Sonarr" not in text_body(report, None)
    report |= {"sources": {"sonarr": {"kind": "series"}}, "sonarr_requests": 4, "sonarr_writes": 2}
    assert "4 requests, 2 writes" in text_body(report, None).split("Sonarr", 1)[1].splitlines()[0]
