"""A small SVG line chart, so reports need no plotting library."""

from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape

WIDTH, HEIGHT, PAD = 420, 260, 48


def line_chart(
    points: Sequence[tuple[float, float]], x_label: str, y_label: str, *, mark: float | None = None
) -> str:
    """``points`` as a polyline with axes, labels and a dot per point (``mark`` highlighted)."""
    if not points:
        return "<svg class=chart></svg>"
    xs = [x for x, _ in points]
    ys = [y for _, y in points]
    x0, x1 = min(xs), max(xs) or 1
    y0, y1 = min(0.0, min(ys)), max(ys) or 1.0
    span_x = (x1 - x0) or 1
    span_y = (y1 - y0) or 1

    def at(x: float, y: float) -> tuple[float, float]:
        return (
            PAD + (x - x0) / span_x * (WIDTH - 2 * PAD),
            HEIGHT - PAD - (y - y0) / span_y * (HEIGHT - 2 * PAD),
        )

    line = " ".join(f"{a:.1f},{b:.1f}" for a, b in (at(x, y) for x, y in points))
    dots = "".join(
        f'<circle cx="{a:.1f}" cy="{b:.1f}" r="{5 if x == mark else 3}" '
        f'fill="{"#2a2" if x == mark else "#26c"}"><title>{x:g}: {y:.5g}</title></circle>'
        for (x, y), (a, b) in ((p, at(*p)) for p in points)
    )
    ticks = "".join(
        f'<text x="{at(x, y0)[0]:.1f}" y="{HEIGHT - PAD + 16}" font-size="11" '
        f'text-anchor="middle">{x:g}</text>'
        for x in xs
    )
    return (
        f'<svg class="chart" width="{WIDTH}" height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{escape(y_label)}">'
        f'<line x1="{PAD}" y1="{HEIGHT - PAD}" x2="{WIDTH - PAD}" y2="{HEIGHT - PAD}" '
        f'stroke="#333"/><line x1="{PAD}" y1="{PAD}" x2="{PAD}" y2="{HEIGHT - PAD}" stroke="#333"/>'
        f'<polyline points="{line}" fill="none" stroke="#26c" stroke-width="2"/>{dots}{ticks}'
        f'<text x="{WIDTH / 2}" y="{HEIGHT - 8}" font-size="12" text-anchor="middle">'
        f"{escape(x_label)}</text>"
        f'<text x="12" y="{PAD - 16}" font-size="12">{escape(y_label)} '
        f"({y0:.3g} to {y1:.3g})</text></svg>"
    )


PALETTE = ("#26c", "#d62", "#2a2", "#a3c", "#c90", "#177")
LEFT, Y_TICKS = 64, 4


def lines_chart(
    series: Sequence[tuple[str, Sequence[tuple[float, float]]]],
    x_label: str,
    y_label: str,
    *,
    log_x: bool = False,
    zero_based: bool = True,
    mark: float | None = None,
    chart_id: str = "",
) -> str:
    """Several named ``(x, y)`` series on shared axes, with a legend and y ticks.

    ``log_x`` for size sweeps; ``zero_based=False`` fits the y axis to the data (small
    differences stay visible); the points at x == ``mark`` are drawn larger, in green.
    """
    drawn = [(name, sorted(p for p in pts if p[0] > 0 or not log_x)) for name, pts in series]
    drawn = [(name, pts) for name, pts in drawn if pts]
    if not drawn:
        return f'<svg class="chart empty" id="{escape(chart_id)}" width="0" height="0"></svg>'
    xs = sorted({x for _, pts in drawn for x, _ in pts})
    ys = [y for _, pts in drawn for _, y in pts]
    fx = math.log10 if log_x else float
    x0, x1 = fx(xs[0]), fx(xs[-1])
    if zero_based:
        y0, y1 = min(0.0, min(ys)), max(ys) or 1.0
    else:
        margin = (max(ys) - min(ys)) * 0.08 or abs(max(ys)) * 0.05 or 1.0
        y0, y1 = min(ys) - margin, max(ys) + margin
    legend_h = 16 * len(drawn)
    top, bottom, height = PAD + legend_h, HEIGHT + legend_h - PAD, HEIGHT + legend_h

    def at(x: float, y: float) -> tuple[float, float]:
        share = (fx(x) - x0) / (x1 - x0) if x1 != x0 else 0.5
        return LEFT + share * (WIDTH - LEFT - PAD), bottom - (y - y0) / (y1 - y0) * (bottom - top)

    parts = []
    for k in range(Y_TICKS + 1):
        value = y0 + (y1 - y0) * k / Y_TICKS
        y = at(xs[0], value)[1]
        parts.append(
            f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - PAD}" y2="{y:.1f}" stroke="#eee"/>'
            f'<text x="{LEFT - 4}" y="{y + 4:.1f}" font-size="10" text-anchor="end">'
            f"{_short_y(value)}</text>"
        )
    for i, (name, pts) in enumerate(drawn):
        colour = PALETTE[i % len(PALETTE)]
        line = " ".join(f"{a:.1f},{b:.1f}" for a, b in (at(x, y) for x, y in pts))
        parts.append(
            f'<polyline class="series" points="{line}" fill="none" stroke="{colour}" '
            f'stroke-width="2"><title>{escape(name)}</title></polyline>'
        )
        parts.extend(
            f'<circle cx="{a:.1f}" cy="{b:.1f}" r="{5 if x == mark else 3}" '
            f'fill="{"#2a2" if x == mark else colour}">'
            f"<title>{escape(name)} at {x:g}: {y:.4g}</title></circle>"
            for (x, y), (a, b) in ((p, at(*p)) for p in pts)
        )
        parts.append(
            f'<rect x="{LEFT}" y="{PAD - 10 + 16 * i}" width="10" height="10" fill="{colour}"/>'
            f'<text x="{LEFT + 16}" y="{PAD + 16 * i}" font-size="11">{escape(name)}</text>'
        )
    ticks = "".join(
        f'<text x="{at(x, y0)[0]:.1f}" y="{bottom + 16}" font-size="11" '
        f'text-anchor="middle">{_short(x)}</text>'
        for x in xs
    )
    return (
        f'<svg class="chart" id="{escape(chart_id)}" width="{WIDTH}" height="{height}" '
        f'viewBox="0 0 {WIDTH} {height}" xmlns="http://www.w3.org/2000/svg" role="img" '
        f'aria-label="{escape(y_label)}">{"".join(parts)}'
        f'<line x1="{LEFT}" y1="{bottom}" x2="{WIDTH - PAD}" y2="{bottom}" stroke="#333"/>'
        f'<line x1="{LEFT}" y1="{top}" x2="{LEFT}" y2="{bottom}" stroke="#333"/>{ticks}'
        f'<text x="{WIDTH / 2}" y="{height - 8}" font-size="12" text-anchor="middle">'
        f"{escape(x_label)}{' (log scale)' if log_x else ''}</text>"
        f'<text x="12" y="{PAD - 24}" font-size="12">{escape(y_label)}</text></svg>'
    )


def _short(x: float) -> str:
    """1000 -> 1k, 300000 -> 300k: tick labels for library sizes."""
    for factor, suffix in ((1e6, "M"), (1e3, "k")):
        if abs(x) >= factor and x % factor == 0:
            return f"{x / factor:g}{suffix}"
    return f"{x:g}"


def _short_y(y: float) -> str:
    for factor, suffix in ((1e6, "M"), (1e3, "k")):
        if abs(y) >= factor:
            return f"{y / factor:.3g}{suffix}"
    return f"{y:.3g}"
