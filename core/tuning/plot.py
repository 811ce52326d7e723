"""Report charts, drawn with matplotlib and inlined as SVG, so a page needs no file or network.

Each chart has numbered axes (matplotlib's tick locators), a legend naming every series, and
tick labels at the measured x values (``1k``, ``10k``; a log axis for sweeps). A y axis that is
not ``zero_based`` is fitted to the data, so a 97.5–100 % trade-off is not flattened into a
0–100 scale. Tick labels that would overlap are rotated until they do not
(:func:`overlapping_ticks` is what the tests check). Text is drawn as paths: no font is loaded.

The figure is built with the object API (``matplotlib.figure.Figure``), never ``pyplot``, so no
GUI backend or global state is involved; matplotlib is imported only when a report is drawn.
"""

from __future__ import annotations

import io
import itertools
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matplotlib.figure import Figure

PALETTE = ("#2266cc", "#dd6622", "#22aa22", "#aa33cc", "#cc9900", "#117777")
MARK = "#118811"
SIZE_INCHES = (5.2, 3.4)

Series = Sequence[tuple[str, Sequence[tuple[float, float]]]]


def lines_chart(
    series: Series,
    x_label: str,
    y_label: str,
    *,
    log_x: bool = False,
    zero_based: bool = True,
    mark: float | None = None,
    chart_id: str = "",
) -> str:
    """Several named ``(x, y)`` series on shared axes, as an inline ``<svg>`` element.

    ``log_x`` for sweeps over sizes; ``zero_based=False`` fits the y axis to the data; the
    points at x == ``mark`` (the recommendation) get a larger green ring. An empty chart (no
    series with a point) is an empty ``<svg class="chart empty">``.
    """
    drawn = [(name, sorted(p for p in pts if p[0] > 0 or not log_x)) for name, pts in series]
    drawn = [(name, pts) for name, pts in drawn if pts]
    if not drawn:
        return f'<svg class="chart empty" id="{_attr(chart_id)}" width="0" height="0"></svg>'
    figure = chart_figure(drawn, x_label, y_label, log_x=log_x, zero_based=zero_based, mark=mark)
    return _svg(figure, chart_id, y_label)


def line_chart(
    points: Sequence[tuple[float, float]], x_label: str, y_label: str, *, mark: float | None = None
) -> str:
    """One unnamed series (the legend is left out): what the batch-size page draws."""
    return lines_chart([("", points)], x_label, y_label, log_x=True, zero_based=False, mark=mark)


def chart_figure(
    drawn: Series, x_label: str, y_label: str, *, log_x: bool, zero_based: bool, mark=None
) -> Figure:
    """The matplotlib figure behind :func:`lines_chart` (tests measure its labels)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import FixedLocator, FuncFormatter, NullLocator

    figure = Figure(figsize=SIZE_INCHES, dpi=100, layout="constrained")
    FigureCanvasAgg(figure)  # a renderer to measure text with; the page gets SVG
    axes = figure.add_subplot()
    for i, (name, pts) in enumerate(drawn):
        colour = PALETTE[i % len(PALETTE)]
        (line,) = axes.plot(
            [x for x, _ in pts], [y for _, y in pts], marker="o", color=colour, label=name or None
        )
        line.set_gid(f"series-{i}")
        marked = [(x, y) for x, y in pts if x == mark]
        if marked:
            axes.plot(*zip(*marked, strict=True), "o", ms=11, mfc="none", mec=MARK, mew=2)
    xs = sorted({x for _, pts in drawn for x, _ in pts})
    if log_x:
        axes.set_xscale("log")
    axes.xaxis.set_major_locator(FixedLocator(xs))
    axes.xaxis.set_minor_locator(NullLocator())
    axes.xaxis.set_major_formatter(FuncFormatter(lambda x, _pos: _short(x)))
    axes.yaxis.set_major_formatter(FuncFormatter(lambda y, _pos: _short_y(y)))
    if zero_based:
        axes.set_ylim(bottom=min(0.0, *(y for _, pts in drawn for _, y in pts)))
    else:
        axes.margins(y=0.12)
    axes.set_xlabel(x_label + (" (log scale)" if log_x else ""))
    axes.set_ylabel(y_label)
    axes.grid(True, color="#e4e4e4", linewidth=0.8)
    if any(name for name, _ in drawn):  # below the axes, so it never covers a point
        figure.legend(
            loc="outside lower center", ncols=min(3, len(drawn)), fontsize="small", frameon=False
        )
    _unoverlap(figure)
    return figure


def overlapping_ticks(figure: Figure) -> list[tuple[str, str]]:
    """Pairs of neighbouring x tick labels whose drawn boxes overlap (none after drawing)."""
    renderer = figure.canvas.get_renderer()
    labels = [t for t in figure.axes[0].get_xticklabels() if t.get_text()]
    boxes = sorted(((t.get_window_extent(renderer), t.get_text()) for t in labels), key=_left)
    return [
        (a_text, b_text)
        for (a, a_text), (b, b_text) in itertools.pairwise(boxes)
        if a.x1 > b.x0 and a.y1 > b.y0 and b.y1 > a.y0
    ]


def _left(box_and_text) -> float:
    return box_and_text[0].x0


def _unoverlap(figure: Figure) -> None:
    """Rotate the x tick labels (45°, then 90°) while neighbours overlap."""
    for angle in (45, 90):
        figure.draw_without_rendering()
        if not overlapping_ticks(figure):
            return
        for label in figure.axes[0].get_xticklabels():
            label.set_rotation(angle)
            label.set_horizontalalignment("right" if angle == 45 else "center")
    figure.draw_without_rendering()


def _svg(figure: Figure, chart_id: str, label: str) -> str:
    """The figure as an ``<svg>`` element to inline in HTML (no XML prolog, our id and class)."""
    from matplotlib import rc_context

    buffer = io.StringIO()
    # A salt per chart: the ids matplotlib gives markers and clip paths stay unique on a page of
    # several charts, and the same chart gives the same bytes.
    with rc_context({"svg.hashsalt": chart_id or label, "svg.fonttype": "path"}):
        figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    text = buffer.getvalue()
    text = text[text.index("<svg") :].replace('id="series-', f'id="{_attr(chart_id)}-series-')
    return re.sub(
        r"<svg\b",
        f'<svg class="chart" id="{_attr(chart_id)}" role="img" aria-label="{_attr(label)}"',
        text,
        count=1,
    )


def _attr(text: str) -> str:
    from html import escape

    return escape(text, quote=True)


def _short(x: float) -> str:
    """1000 -> 1k, 300000 -> 300k: tick labels for library and batch sizes."""
    for factor, suffix in ((1e6, "M"), (1e3, "k")):
        if abs(x) >= factor and x % factor == 0:
            return f"{x / factor:g}{suffix}"
    return f"{x:g}"


def _short_y(y: float) -> str:
    for factor, suffix in ((1e6, "M"), (1e3, "k")):
        if abs(y) >= factor:
            return f"{y / factor:.3g}{suffix}"
    return f"{y:.4g}"
