"""A small SVG line chart, so reports need no plotting library."""

from __future__ import annotations

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
