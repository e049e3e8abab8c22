"""SVG building blocks of the report's charts: text, legends, a day-by-day plot area with its
gridlines, axes and lines.

Every string that reaches the SVG goes through `esc` (or `text`, which escapes its body);
coordinates go through `num`. Pure functions of their arguments, so a chart renders to the
same bytes for the same data.
"""

from __future__ import annotations

import datetime as dt
import html
import math
from collections.abc import Callable
from dataclasses import dataclass

INK = "#1f2937"
MUTED = "#6b7280"
GRID = "#e5e7eb"
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"


def esc(value: object) -> str:
    """Escape everything that reaches the page: names come from upstream data."""
    return html.escape(str(value), quote=True)


def num(x: float) -> str:
    """Compact coordinates keep the file small and diff-friendly."""
    return f"{x:.1f}".rstrip("0").rstrip(".")


def nice_ticks(hi: float, count: int = 5) -> list[float]:
    """0..hi axis ticks on 1/2/2.5/5 x 10^n steps, so gridlines land on round numbers."""
    hi = hi if hi > 0 else 1.0
    raw = hi / count
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)
    top = math.ceil(hi / step - 1e-9) * step
    n = round(top / step)
    return [i * step for i in range(n + 1)]


def tick_label(value: float) -> str:
    if value >= 1000:
        return f"{value / 1000:g}k"
    return f"{value:g}"


def text_width(text: str, size: float = 12) -> float:
    """Rough width estimate (no font metrics in pure Python) for legend layout."""
    return len(text) * size * 0.58


# ---------------------------------------------------------------------------- svg helpers
def svg_open(chart: str, width: int, height: int, label: str) -> str:
    return (
        f'<svg data-chart="{esc(chart)}" viewBox="0 0 {width} {height}" width="100%" '
        f'preserveAspectRatio="xMidYMid meet" role="img" aria-label="{esc(label)}" '
        f'xmlns="http://www.w3.org/2000/svg" font-family="{esc(FONT)}">'
    )


def empty_svg(chart: str, label: str, width: int = 1120, height: int = 160) -> str:
    """Placeholder so the layout (and the chart's anchor) exist before the first DAG run."""
    return (
        svg_open(chart, width, height, f"{label}: no data yet")
        + f'<rect class="empty" x="1" y="1" width="{width - 2}" height="{height - 2}" rx="8" '
        f'fill="#f9fafb" stroke="{GRID}" stroke-dasharray="6 4"/>'
        f'<text x="{width / 2}" y="{height / 2 + 5}" text-anchor="middle" font-size="16" '
        f'fill="{MUTED}">No data yet for this period</text></svg>'
    )


def text(
    x: float, y: float, body: str, colour: str, *, anchor: str = "", rotate: int = 0, size: int = 12
) -> str:
    """One line of chart text, escaped here; `rotate` turns it about its own anchor point."""
    turn = f' transform="rotate({rotate} {num(x)} {num(y)})"' if rotate else ""
    align = f' text-anchor="{anchor}"' if anchor else ""
    return (
        f'<text x="{num(x)}" y="{num(y)}"{turn}{align} font-size="{size}" fill="{colour}">{esc(body)}</text>'
    )


def legend_positions(labels: list[str], x: float, max_x: float) -> list[tuple[float, int]]:
    """Where each legend entry starts: (x, row), wrapping to a new row at `max_x`."""
    out, cx, row = [], x, 0
    for label in labels:
        w = 22 + text_width(label) + 18
        if cx + w > max_x and cx > x:
            cx, row = x, row + 1
        out.append((cx, row))
        cx += w
    return out


def legend(items: list[tuple[str, str, str]], x: float, y: float, max_x: float) -> str:
    """Legend swatches in rows of 20 px; items are (label, colour, shape 'rect'|'line')."""
    out = []
    for (label, colour, shape), (cx, row) in zip(
        items, legend_positions([i[0] for i in items], x, max_x), strict=True
    ):
        cy = y + 20 * row
        if shape == "line":
            out.append(
                f'<line x1="{num(cx)}" y1="{num(cy)}" x2="{num(cx + 16)}" y2="{num(cy)}" '
                f'stroke="{colour}" stroke-width="3" stroke-linecap="round"/>'
            )
        else:
            out.append(
                f'<rect x="{num(cx)}" y="{num(cy - 6)}" width="12" height="12" rx="2" fill="{colour}"/>'
            )
        out.append(text(cx + 20, cy + 4, label, INK))
    return "".join(out)


def date_label_step(n: int, max_labels: int = 16) -> int:
    return max(1, math.ceil(n / max_labels))


@dataclass(frozen=True)
class DayPlot:
    """Geometry of a chart over the report's days: the SVG box, the plot area inside its
    margins, one slot per day along x, value axes along y (`lo` on the bottom line)."""

    width: int
    height: int
    left: int
    right: int
    top: int
    plot_h: int
    start: dt.date
    days: int

    @property
    def bottom(self) -> int:
        return self.top + self.plot_h

    @property
    def end(self) -> int:
        """Right edge of the plot area."""
        return self.width - self.right

    @property
    def plot_w(self) -> int:
        return self.width - self.left - self.right

    @property
    def slot(self) -> float:
        return self.plot_w / self.days

    def slot_x(self, day: dt.date) -> float:
        """Left edge of the day's slot."""
        return self.left + (day - self.start).days * self.slot

    def x(self, day: dt.date) -> float:
        """Centre of the day's slot."""
        return self.left + ((day - self.start).days + 0.5) * self.slot

    def span(self, value: float, hi: float) -> float:
        """Height of `value` on a 0..hi axis."""
        return value / hi * self.plot_h

    def y(self, value: float, hi: float, lo: float = 0) -> float:
        return self.bottom - self.span(value - lo, hi - lo)


def gridline(plot: DayPlot, y: float, label: str, colour: str, right: tuple[str, str] | None = None) -> str:
    """A horizontal gridline with its value on the left axis and, for a second scale, on the right."""
    out = f'<line x1="{plot.left}" x2="{plot.end}" y1="{num(y)}" y2="{num(y)}" stroke="{GRID}"/>'
    out += text(plot.left - 8, y + 4, label, colour, anchor="end")
    if right is not None:
        out += text(plot.end + 8, y + 4, *right)
    return out


def date_label(plot: DayPlot, x: float, day: dt.date) -> str:
    return text(x, plot.bottom + 18, day.strftime("%b %d"), MUTED, anchor="middle")


def date_axis(plot: DayPlot, dates: list[dt.date], max_labels: int = 16) -> str:
    """Every n-th date under the plot (at most about `max_labels`), then the x axis line."""
    step = date_label_step(len(dates), max_labels)
    labels = [date_label(plot, plot.x(d), d) for i, d in enumerate(dates) if i % step == 0]
    return "".join(labels) + x_axis_line(plot)


def x_axis_line(plot: DayPlot) -> str:
    return f'<line x1="{plot.left}" x2="{plot.end}" y1="{plot.bottom}" y2="{plot.bottom}" stroke="#9ca3af"/>'


def y_title(plot: DayPlot, body: str, colour: str, *, right: bool = False, x: int = 14) -> str:
    """An axis title along the side of the plot: bottom-up on the left, top-down on the right."""
    mid = plot.top + plot.plot_h / 2
    if right:
        return text(plot.width - 10, mid, body, colour, anchor="middle", rotate=90)
    return text(x, mid, body, colour, anchor="middle", rotate=-90)


def x_title(plot: DayPlot, y: float, body: str) -> str:
    return text(plot.left + plot.plot_w / 2, y, body, MUTED, anchor="middle")


def polyline(points: list[tuple[float, float]], colour: str) -> str:
    return (
        f'<polyline points="{" ".join(f"{num(x)},{num(y)}" for x, y in points)}" fill="none" '
        f'stroke="{colour}" stroke-width="2.5" stroke-linejoin="round" stroke-linecap="round"/>'
    )


def dot(x: float, y: float, colour: str, title: str) -> str:
    return (
        f'<circle cx="{num(x)}" cy="{num(y)}" r="3" fill="#fff" stroke="{colour}" '
        f'stroke-width="2"><title>{esc(title)}</title></circle>'
    )


def daily_line(
    plot: DayPlot,
    values: list[tuple[dt.date, float | None]],
    y_of: Callable[[float], float],
    colour: str,
    describe: Callable[[float], str],
    gaps_in: list[dt.date] | None = None,
) -> str:
    """A daily series as a line, then a dot per value with the day and `describe(value)` on hover.

    With `gaps_in`, a day of it without a value breaks the line instead of bridging it;
    without, the line joins the values in the order given."""
    points = [(d, v) for d, v in values if v is not None]
    runs = [points]
    if gaps_in is not None:
        by_date, runs = dict(values), [[]]
        for d in gaps_in:
            v = by_date.get(d)
            if v is None:
                runs.append([])
            else:
                runs[-1].append((d, v))
    lines = [polyline([(plot.x(d), y_of(v)) for d, v in run], colour) for run in runs if len(run) > 1]
    dots = [dot(plot.x(d), y_of(v), colour, f"{d.isoformat()}: {describe(v)}") for d, v in points]
    return "".join(lines + dots)
