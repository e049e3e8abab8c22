"""SVG charts of the report: pure functions from ReportData to inline SVG markup.

No JS, no external assets: the page can be mailed, archived or opened offline. Every piece
of text that reaches the SVG (channel, type, agent and team names, dates, numbers) is
escaped here; only then is the whole chart marked safe (`Markup`) for the template, whose
autoescaping would otherwise print the SVG as text.
"""

from __future__ import annotations

import datetime as dt
import functools
import html
import math
from collections.abc import Callable

from markupsafe import Markup

from include.reporting.model import ReportData

#: Colour-blind friendly categorical palette (Okabe-Ito / Tableau mix), one per channel.
PALETTE = (
    "#4e79a7",
    "#f28e2b",
    "#59a14f",
    "#e15759",
    "#76b7b2",
    "#edc948",
    "#b07aa1",
    "#ff9da7",
    "#9c755f",
    "#bab0ac",
)
INK = "#1f2937"
MUTED = "#6b7280"
GRID = "#e5e7eb"
CSAT_COLOUR = "#2563eb"
SAT_COLOUR = "#f59e0b"
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"


# ---------------------------------------------------------------------------- formatting
def _e(value: object) -> str:
    """Escape everything that reaches the page: names come from upstream data."""
    return html.escape(str(value), quote=True)


def fmt_int(value: float | None) -> str:
    return "–" if value is None else f"{value:,.0f}"


def fmt_pct(value: float | None, scale: float = 1.0, digits: int = 1) -> str:
    """`scale=100` for 0-1 rates, 1 for values already in percent."""
    return "–" if value is None else f"{value * scale:.{digits}f}%"


def fmt_minutes(seconds: float | None) -> str:
    return "–" if seconds is None else f"{seconds / 60:.1f} min"


def fmt_sat(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"


def _f(x: float) -> str:
    """Compact coordinates keep the file small and diff-friendly."""
    return f"{x:.1f}".rstrip("0").rstrip(".")


def _nice_ticks(hi: float, count: int = 5) -> list[float]:
    """0..hi axis ticks on 1/2/2.5/5 x 10^n steps, so gridlines land on round numbers."""
    hi = hi if hi > 0 else 1.0
    raw = hi / count
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)
    top = math.ceil(hi / step - 1e-9) * step
    n = round(top / step)
    return [i * step for i in range(n + 1)]


def _tick_label(value: float) -> str:
    if value >= 1000:
        return f"{value / 1000:g}k"
    return f"{value:g}"


def _text_width(text: str, size: float = 12) -> float:
    """Rough width estimate (no font metrics in pure Python) for legend layout."""
    return len(text) * size * 0.58


# ---------------------------------------------------------------------------- svg helpers
def _svg_open(chart: str, width: int, height: int, label: str) -> str:
    return (
        f'<svg data-chart="{_e(chart)}" viewBox="0 0 {width} {height}" width="100%" '
        f'preserveAspectRatio="xMidYMid meet" role="img" aria-label="{_e(label)}" '
        f'xmlns="http://www.w3.org/2000/svg" font-family="{_e(FONT)}">'
    )


def _empty_svg(chart: str, label: str, width: int = 1120, height: int = 160) -> str:
    """Placeholder so the layout (and the chart's anchor) exist before the first DAG run."""
    return (
        _svg_open(chart, width, height, f"{label}: no data yet")
        + f'<rect class="empty" x="1" y="1" width="{width - 2}" height="{height - 2}" rx="8" '
        f'fill="#f9fafb" stroke="{GRID}" stroke-dasharray="6 4"/>'
        f'<text x="{width / 2}" y="{height / 2 + 5}" text-anchor="middle" font-size="16" '
        f'fill="{MUTED}">No data yet for this period</text></svg>'
    )


def _legend(items: list[tuple[str, str, str]], x: float, y: float, max_x: float) -> str:
    """Legend swatches in rows; items are (label, colour, shape 'rect'|'line')."""
    out, cx, cy = [], x, y
    for label, colour, shape in items:
        w = 22 + _text_width(label) + 18
        if cx + w > max_x and cx > x:
            cx, cy = x, cy + 20
        if shape == "line":
            out.append(
                f'<line x1="{_f(cx)}" y1="{_f(cy)}" x2="{_f(cx + 16)}" y2="{_f(cy)}" '
                f'stroke="{colour}" stroke-width="3" stroke-linecap="round"/>'
            )
        else:
            out.append(f'<rect x="{_f(cx)}" y="{_f(cy - 6)}" width="12" height="12" rx="2" fill="{colour}"/>')
        out.append(f'<text x="{_f(cx + 20)}" y="{_f(cy + 4)}" font-size="12" fill="{INK}">{_e(label)}</text>')
        cx += w
    return "".join(out)


def _date_label_step(n: int, max_labels: int = 16) -> int:
    return max(1, math.ceil(n / max_labels))


# ---------------------------------------------------------------------------- charts
def _markup(chart: Callable[[ReportData], str]) -> Callable[[ReportData], Markup]:
    """Mark a chart's SVG safe for the template: every text it holds went through `_e`."""

    @functools.wraps(chart)
    def safe(data: ReportData) -> Markup:
        return Markup(chart(data))

    return safe


@_markup
def volume_chart(data: ReportData) -> str:
    """Stacked daily bars per channel: shows both total load and channel mix shifts."""
    chart, title = "daily-volume-by-channel", "Daily volume by channel"
    if not data.volume:
        return _empty_svg(chart, title)
    totals: dict[str, int] = {}
    by_day: dict[dt.date, dict[str, int]] = {}
    for row in data.volume:
        totals[row.channel_name] = totals.get(row.channel_name, 0) + row.interactions
        by_day.setdefault(row.summary_date, {})[row.channel_name] = row.interactions
    channels = sorted(totals, key=lambda c: (-totals[c], c))  # biggest channel at the bottom
    colours = {c: PALETTE[i % len(PALETTE)] for i, c in enumerate(channels)}
    dates = data.dates

    width, left, right = 1120, 64, 20
    legend_rows = 1
    cx = left
    for c in channels:
        w = 22 + _text_width(c) + 18
        if cx + w > width - right and cx > left:
            legend_rows, cx = legend_rows + 1, left
        cx += w
    top = 20 + legend_rows * 20 + 14
    plot_h = 300
    height = top + plot_h + 44
    bottom = top + plot_h
    plot_w = width - left - right
    day_max = max((sum(v.values()) for v in by_day.values()), default=0)
    ticks = _nice_ticks(day_max)
    y_max = ticks[-1]

    def y(v: float) -> float:
        return bottom - v / y_max * plot_h

    slot = plot_w / len(dates)
    bar_w = max(2.0, slot * 0.72)
    parts = [_svg_open(chart, width, height, title)]
    parts.append(_legend([(c, colours[c], "rect") for c in channels], left, 20, width - right))
    for i, d in enumerate(dates):  # weekend shading: contact centres have strong weekly cycles
        if d.weekday() >= 5:
            parts.append(
                f'<rect class="weekend" x="{_f(left + i * slot)}" y="{_f(top)}" width="{_f(slot)}" '
                f'height="{plot_h}" fill="#f3f4f6"/>'
            )
    for t in ticks:
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{_f(y(t))}" y2="{_f(y(t))}" stroke="{GRID}"/>'
            f'<text x="{left - 8}" y="{_f(y(t) + 4)}" text-anchor="end" font-size="12" '
            f'fill="{MUTED}">{_tick_label(t)}</text>'
        )
    step = _date_label_step(len(dates))
    for i, d in enumerate(dates):
        x = left + i * slot + (slot - bar_w) / 2
        base = 0.0
        day = by_day.get(d, {})
        day_total = sum(day.values())
        for c in channels:
            n = day.get(c, 0)
            if n <= 0:
                continue
            h = n / y_max * plot_h
            parts.append(
                f'<rect x="{_f(x)}" y="{_f(y(base) - h)}" width="{_f(bar_w)}" height="{_f(h)}" '
                f'fill="{colours[c]}"><title>{_e(d.isoformat())} · {_e(c)}: {n:,}'
                f" of {day_total:,}</title></rect>"
            )
            base += n
        if i % step == 0 or i == len(dates) - 1 and len(dates) <= 16:
            parts.append(
                f'<text x="{_f(left + (i + 0.5) * slot)}" y="{bottom + 18}" text-anchor="middle" '
                f'font-size="12" fill="{MUTED}">{_e(d.strftime("%b %d"))}</text>'
            )
    parts.append(f'<line x1="{left}" x2="{width - right}" y1="{bottom}" y2="{bottom}" stroke="#9ca3af"/>')
    parts.append(
        f'<text x="16" y="{_f(top + plot_h / 2)}" transform="rotate(-90 16 {_f(top + plot_h / 2)})" '
        f'text-anchor="middle" font-size="12" fill="{MUTED}">Interactions per day</text>'
        f'<text x="{_f(left + plot_w / 2)}" y="{height - 6}" text-anchor="middle" font-size="12" '
        f'fill="{MUTED}">Date (shaded: weekends)</text>'
    )
    parts.append("</svg>")
    return "".join(parts)


@_markup
def csat_chart(data: ReportData) -> str:
    """CSAT % (left axis) and average satisfaction (right axis) on aligned gridlines.

    The two scales are tied (0-100% <-> 1-5, or zoomed 50-100% <-> 3-5 when all points fit)
    so one set of gridlines serves both and the eye is not fooled by unrelated axes.
    """
    chart, title = "csat-trend", "CSAT trend"
    points = [q for q in data.quality if q.csat_pct is not None or q.avg_satisfaction is not None]
    if not points:
        return _empty_svg(chart, title, width=560, height=340)
    csats = [q.csat_pct for q in points if q.csat_pct is not None]
    sats = [q.avg_satisfaction for q in points if q.avg_satisfaction is not None]
    zoom = (not csats or min(csats) >= 50) and (not sats or min(sats) >= 3)
    c_lo, s_lo = (50.0, 3.0) if zoom else (0.0, 1.0)
    c_ticks = [c_lo + i * (100 - c_lo) / 4 for i in range(5)]
    s_ticks = [s_lo + i * (5 - s_lo) / 4 for i in range(5)]

    width, height, left, right, top = 560, 340, 56, 56, 52
    plot_h, bottom = 220, 52 + 220
    plot_w = width - left - right
    dates = data.dates
    slot = plot_w / len(dates)

    def x(d: dt.date) -> float:
        return left + ((d - data.start).days + 0.5) * slot

    def yc(v: float) -> float:
        return bottom - (v - c_lo) / (100 - c_lo) * plot_h

    def ys(v: float) -> float:
        return bottom - (v - s_lo) / (5 - s_lo) * plot_h

    parts = [_svg_open(chart, width, height, title)]
    parts.append(
        _legend(
            [("CSAT % (4-5 of 5)", CSAT_COLOUR, "line"), ("Avg satisfaction (1-5)", SAT_COLOUR, "line")],
            left,
            20,
            width - right,
        )
    )
    for ct, st in zip(c_ticks, s_ticks, strict=False):
        yy = yc(ct)
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{_f(yy)}" y2="{_f(yy)}" stroke="{GRID}"/>'
            f'<text x="{left - 8}" y="{_f(yy + 4)}" text-anchor="end" font-size="12" '
            f'fill="{CSAT_COLOUR}">{ct:g}%</text>'
            f'<text x="{width - right + 8}" y="{_f(yy + 4)}" font-size="12" fill="{SAT_COLOUR}">{st:g}</text>'
        )

    def series(values: list[tuple[dt.date, float | None]], ymap, colour: str, fmt) -> None:
        segment: list[str] = []
        by_date = dict(values)
        for d in dates:  # a day without surveys breaks the line instead of bridging it
            v = by_date.get(d)
            if v is None:
                if len(segment) > 1:
                    parts.append(_polyline(segment, colour))
                segment = []
                continue
            segment.append(f"{_f(x(d))},{_f(ymap(v))}")
        if len(segment) > 1:
            parts.append(_polyline(segment, colour))
        for d, v in values:
            if v is not None:
                parts.append(
                    f'<circle cx="{_f(x(d))}" cy="{_f(ymap(v))}" r="3" fill="#fff" stroke="{colour}" '
                    f'stroke-width="2"><title>{_e(d.isoformat())}: {_e(fmt(v))}</title></circle>'
                )

    series([(q.summary_date, q.csat_pct) for q in points], yc, CSAT_COLOUR, lambda v: f"CSAT {v:.1f}%")
    series(
        [(q.summary_date, q.avg_satisfaction) for q in points],
        ys,
        SAT_COLOUR,
        lambda v: f"avg satisfaction {v:.2f}",
    )
    step = _date_label_step(len(dates), max_labels=7)
    for i, d in enumerate(dates):
        if i % step == 0:
            parts.append(
                f'<text x="{_f(x(d))}" y="{bottom + 18}" text-anchor="middle" font-size="12" '
                f'fill="{MUTED}">{_e(d.strftime("%b %d"))}</text>'
            )
    parts.append(f'<line x1="{left}" x2="{width - right}" y1="{bottom}" y2="{bottom}" stroke="#9ca3af"/>')
    mid = top + plot_h / 2
    parts.append(
        f'<text x="14" y="{_f(mid)}" transform="rotate(-90 14 {_f(mid)})" text-anchor="middle" '
        f'font-size="12" fill="{CSAT_COLOUR}">CSAT %</text>'
        f'<text x="{width - 10}" y="{_f(mid)}" transform="rotate(90 {width - 10} {_f(mid)})" '
        f'text-anchor="middle" font-size="12" fill="{SAT_COLOUR}">Avg satisfaction</text>'
        f'<text x="{_f(left + plot_w / 2)}" y="{bottom + 40}" text-anchor="middle" font-size="12" '
        f'fill="{MUTED}">Date</text>'
    )
    parts.append("</svg>")
    return "".join(parts)


def _polyline(points: list[str], colour: str) -> str:
    return (
        f'<polyline points="{" ".join(points)}" fill="none" stroke="{colour}" stroke-width="2.5" '
        f'stroke-linejoin="round" stroke-linecap="round"/>'
    )


@_markup
def aht_chart(data: ReportData) -> str:
    """Horizontal bars, longest first: the types that eat agent time stand out at the top."""
    chart, title = "aht-by-type", "Average handle time by interaction type"
    rows = sorted(data.aht_by_type, key=lambda r: (-r.avg_handle_seconds, r.interaction_name))
    if not rows:
        return _empty_svg(chart, title, width=560, height=340)
    width, label_w, right, top, row_h = 560, 150, 70, 12, 24
    plot_w = width - label_w - right
    bottom = top + row_h * len(rows)
    height = bottom + 46
    ticks = _nice_ticks(max(r.avg_handle_seconds for r in rows) / 60, count=4)
    x_max = ticks[-1]

    def x(minutes: float) -> float:
        return label_w + minutes / x_max * plot_w

    parts = [_svg_open(chart, width, height, title)]
    for t in ticks:
        parts.append(
            f'<line x1="{_f(x(t))}" x2="{_f(x(t))}" y1="{top}" y2="{bottom}" stroke="{GRID}"/>'
            f'<text x="{_f(x(t))}" y="{bottom + 16}" text-anchor="middle" font-size="12" '
            f'fill="{MUTED}">{t:g}</text>'
        )
    for i, r in enumerate(rows):
        minutes = r.avg_handle_seconds / 60
        yy = top + i * row_h
        name = r.interaction_name if len(r.interaction_name) <= 22 else r.interaction_name[:21] + "…"
        parts.append(
            f'<text x="{label_w - 8}" y="{_f(yy + row_h / 2 + 4)}" text-anchor="end" font-size="12" '
            f'fill="{INK}">{_e(name)}</text>'
            f'<rect x="{label_w}" y="{_f(yy + 4)}" width="{_f(max(1.0, x(minutes) - label_w))}" '
            f'height="{row_h - 8}" rx="2" fill="{PALETTE[0]}"><title>{_e(r.interaction_name)}: '
            f"{minutes:.1f} min over {r.interactions:,} interactions</title></rect>"
            f'<text x="{_f(x(minutes) + 6)}" y="{_f(yy + row_h / 2 + 4)}" font-size="12" '
            f'fill="{INK}">{minutes:.1f}</text>'
        )
    parts.append(
        f'<line x1="{label_w}" x2="{label_w}" y1="{top}" y2="{bottom}" stroke="#9ca3af"/>'
        f'<text x="{_f(label_w + plot_w / 2)}" y="{height - 6}" text-anchor="middle" font-size="12" '
        f'fill="{MUTED}">Average handle time (minutes)</text></svg>'
    )
    return "".join(parts)


def _csat_colour(pct: float | None) -> str:
    """Traffic-light chip: the leaderboard is scanned for who needs coaching."""
    if pct is None:
        return "#9ca3af"
    return "#15803d" if pct >= 80 else "#b45309" if pct >= 60 else "#b91c1c"


@_markup
def agent_chart(data: ReportData) -> str:
    """Top-10 leaderboard as an SVG table: volume bars plus quality and speed columns."""
    chart, title = "agent-leaderboard", "Agent leaderboard"
    rows = data.agents[:10]
    if not rows:
        return _empty_svg(chart, title)
    width, head_h, row_h = 1120, 34, 36
    height = head_h + row_h * len(rows) + 8
    cols = {"rank": 16, "agent": 52, "bar": 320, "csat": 740, "sat": 880, "aht": 1040}
    bar_w = 320
    max_n = max(r.interactions for r in rows) or 1
    parts = [_svg_open(chart, width, height, title)]
    headers = [
        ("rank", "#", "start"),
        ("agent", "Agent · team", "start"),
        ("bar", "Interactions handled", "start"),
        ("csat", "CSAT %", "middle"),
        ("sat", "Avg satisfaction", "middle"),
        ("aht", "Avg handle time", "middle"),
    ]
    for key, label, anchor in headers:
        parts.append(
            f'<text x="{cols[key]}" y="22" text-anchor="{anchor}" font-size="12" font-weight="600" '
            f'fill="{MUTED}" letter-spacing="0.3">{_e(label.upper())}</text>'
        )
    parts.append(f'<line x1="0" x2="{width}" y1="{head_h - 4}" y2="{head_h - 4}" stroke="#d1d5db"/>')
    for i, r in enumerate(rows):
        yy = head_h + i * row_h
        mid = yy + row_h / 2
        if i % 2 == 1:
            parts.append(f'<rect x="0" y="{yy}" width="{width}" height="{row_h}" fill="#f9fafb"/>')
        name = r.agent_name if len(r.agent_name) <= 26 else r.agent_name[:25] + "…"
        room = int((cols["bar"] - cols["agent"] - 16 - _text_width(name, 13.5)) / (12 * 0.58)) - 3
        team = r.team if len(r.team) <= room else (r.team[: room - 1] + "…" if room >= 5 else "")
        bw = max(1.0, r.interactions / max_n * bar_w)
        parts.append(
            f'<text x="{cols["rank"]}" y="{_f(mid + 4)}" font-size="13" fill="{MUTED}">{i + 1}</text>'
            f'<text x="{cols["agent"]}" y="{_f(mid + 4)}" font-size="13" fill="{INK}">'
            f'<tspan font-weight="600">{_e(name)}</tspan>'
            + (f'<tspan fill="{MUTED}" font-size="12"> · {_e(team)}</tspan>' if team else "")
            + "</text>"
            f'<rect x="{cols["bar"]}" y="{_f(yy + 9)}" width="{_f(bw)}" height="{row_h - 18}" rx="3" '
            f'fill="{PALETTE[0]}"><title>{_e(r.agent_name)} · {_e(r.team)}: {r.interactions:,} interactions'
            "</title></rect>"
            f'<text x="{_f(cols["bar"] + bw + 8)}" y="{_f(mid + 4)}" font-size="13" fill="{INK}">'
            f"{r.interactions:,}</text>"
        )
        chip = _csat_colour(r.csat_pct)
        parts.append(
            f'<rect x="{cols["csat"] - 34}" y="{_f(mid - 11)}" width="68" height="22" rx="11" '
            f'fill="{chip}" fill-opacity="0.12"/>'
            f'<text x="{cols["csat"]}" y="{_f(mid + 4)}" text-anchor="middle" font-size="13" '
            f'font-weight="600" fill="{chip}">{_e(fmt_pct(r.csat_pct))}</text>'
            f'<text x="{cols["sat"]}" y="{_f(mid + 4)}" text-anchor="middle" font-size="13" '
            f'fill="{INK}">{_e(fmt_sat(r.avg_satisfaction))}</text>'
            f'<text x="{cols["aht"]}" y="{_f(mid + 4)}" text-anchor="middle" font-size="13" '
            f'fill="{INK}">{_e(fmt_minutes(r.avg_handle_seconds))}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


STAFF_COLOUR = "#cbd5e1"
ABANDON_COLOUR = "#e15759"


@_markup
def service_level_chart(data: ReportData) -> str:
    """Phone service per day against staffing: agent hours on shift as bars (right axis), the
    share answered within target and the share abandoned as lines (left axis, 0-100 %).

    Days short of agents show as a dip of the service line over a low bar, or as a line that
    falls while the bar stays put (more contacts than the forecast planned for)."""
    chart, title = "service-level", "Phone service level and staffing"
    days = data.voice_service
    if not days:
        return _empty_svg(chart, title)
    width, height, left, right, top = 1120, 340, 56, 72, 52
    plot_h, bottom = 220, 52 + 220
    plot_w = width - left - right
    dates = data.dates
    slot = plot_w / len(dates)
    hours_ticks = _nice_ticks(max(d.agent_hours for d in days))
    hours_top = hours_ticks[-1] or 1.0

    def x(d: dt.date) -> float:
        return left + ((d - data.start).days + 0.5) * slot

    def y_pct(v: float) -> float:
        return bottom - v / 100 * plot_h

    parts = [_svg_open(chart, width, height, title)]
    parts.append(
        _legend(
            [
                ("Agent hours on shift", STAFF_COLOUR, "rect"),
                ("Answered within target %", CSAT_COLOUR, "line"),
                ("Abandoned %", ABANDON_COLOUR, "line"),
            ],
            left,
            20,
            width - right,
        )
    )
    for i in range(5):
        pct = i * 25
        yy = y_pct(pct)
        hours = hours_top * i / 4
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{_f(yy)}" y2="{_f(yy)}" stroke="{GRID}"/>'
            f'<text x="{left - 8}" y="{_f(yy + 4)}" text-anchor="end" font-size="12" fill="{INK}">{pct}%</text>'
            f'<text x="{width - right + 8}" y="{_f(yy + 4)}" font-size="12" fill="{MUTED}">'
            f"{_e(_tick_label(hours))}</text>"
        )
    bar_w = max(slot * 0.7, 1.0)
    for d in days:
        h = d.agent_hours / hours_top * plot_h
        parts.append(
            f'<rect x="{_f(x(d.summary_date) - bar_w / 2)}" y="{_f(bottom - h)}" width="{_f(bar_w)}" '
            f'height="{_f(h)}" fill="{STAFF_COLOUR}"><title>{_e(d.summary_date.isoformat())}: '
            f"{_e(fmt_int(d.agent_hours))} agent hours, {_e(fmt_int(d.offered))} calls offered</title></rect>"
        )
    for values, colour, label in (
        ([(d.summary_date, d.service_level_pct) for d in days], CSAT_COLOUR, "answered within target"),
        ([(d.summary_date, d.abandoned_pct) for d in days], ABANDON_COLOUR, "abandoned"),
    ):
        points = [(day, v) for day, v in values if v is not None]
        if len(points) > 1:
            parts.append(_polyline([f"{_f(x(day))},{_f(y_pct(v))}" for day, v in points], colour))
        for day, v in points:
            parts.append(
                f'<circle cx="{_f(x(day))}" cy="{_f(y_pct(v))}" r="3" fill="#fff" stroke="{colour}" '
                f'stroke-width="2"><title>{_e(day.isoformat())}: {_e(fmt_pct(v))} {label}</title></circle>'
            )
    step = _date_label_step(len(dates))
    for i, d in enumerate(dates):
        if i % step == 0:
            parts.append(
                f'<text x="{_f(x(d))}" y="{bottom + 18}" text-anchor="middle" font-size="12" '
                f'fill="{MUTED}">{_e(d.strftime("%b %d"))}</text>'
            )
    parts.append(f'<line x1="{left}" x2="{width - right}" y1="{bottom}" y2="{bottom}" stroke="#9ca3af"/>')
    mid = top + plot_h / 2
    parts.append(
        f'<text x="14" y="{_f(mid)}" transform="rotate(-90 14 {_f(mid)})" text-anchor="middle" '
        f'font-size="12" fill="{INK}">Share of calls offered</text>'
        f'<text x="{width - 10}" y="{_f(mid)}" transform="rotate(90 {width - 10} {_f(mid)})" '
        f'text-anchor="middle" font-size="12" fill="{MUTED}">Agent hours</text>'
    )
    parts.append("</svg>")
    return "".join(parts)
