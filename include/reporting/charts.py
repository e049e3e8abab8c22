"""SVG charts of the report: pure functions from ReportData to inline SVG markup.

No JS, no external assets: the page can be mailed, archived or opened offline. Every piece
of text that reaches the SVG (channel, type, agent and team names, dates, numbers) is
escaped here or by the building blocks in `include/reporting/svg.py`; only then is the whole
chart marked safe (`Markup`) for the template, whose autoescaping would otherwise print the
SVG as text.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable

from markupsafe import Markup

from include.reporting import svg
from include.reporting.model import AgentRow, ReportData, ServiceDay

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
CSAT_COLOUR = "#2563eb"
SAT_COLOUR = "#f59e0b"


# ---------------------------------------------------------------------------- formatting
def fmt_int(value: float | None) -> str:
    return "–" if value is None else f"{value:,.0f}"


def fmt_pct(value: float | None, scale: float = 1.0, digits: int = 1) -> str:
    """`scale=100` for 0-1 rates, 1 for values already in percent."""
    return "–" if value is None else f"{value * scale:.{digits}f}%"


def fmt_minutes(seconds: float | None) -> str:
    return "–" if seconds is None else f"{seconds / 60:.1f} min"


def fmt_sat(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"


# ---------------------------------------------------------------------------- charts
def _markup(chart: Callable[[ReportData], str]) -> Callable[[ReportData], Markup]:
    """Mark a chart's SVG safe for the template: every text it holds went through `svg.esc`."""

    @functools.wraps(chart)
    def safe(data: ReportData) -> Markup:
        return Markup(chart(data))

    return safe


@_markup
def volume_chart(data: ReportData) -> str:
    """Stacked daily bars per channel: shows both total load and channel mix shifts."""
    chart, title = "daily-volume-by-channel", "Daily volume by channel"
    if not data.volume:
        return svg.empty_svg(chart, title)
    totals: dict[str, int] = {}
    by_day: dict[dt.date, dict[str, int]] = {}
    for row in data.volume:
        totals[row.channel_name] = totals.get(row.channel_name, 0) + row.interactions
        by_day.setdefault(row.summary_date, {})[row.channel_name] = row.interactions
    channels = sorted(totals, key=lambda c: (-totals[c], c))  # biggest channel at the bottom
    colours = {c: PALETTE[i % len(PALETTE)] for i, c in enumerate(channels)}
    width, left, right, plot_h = 1120, 64, 20, 300
    legend_rows = svg.legend_positions(channels, left, width - right)[-1][1] + 1
    top = 20 + legend_rows * 20 + 14
    plot = svg.DayPlot(width, top + plot_h + 44, left, right, top, plot_h, data.start, data.days)
    ticks = svg.nice_ticks(max((sum(v.values()) for v in by_day.values()), default=0))
    y_max = ticks[-1]
    parts = [svg.svg_open(chart, plot.width, plot.height, title)]
    parts.append(svg.legend([(c, colours[c], "rect") for c in channels], left, 20, plot.end))
    parts += [_weekend(plot, d) for d in data.dates if d.weekday() >= 5]
    parts += [svg.gridline(plot, plot.y(t, y_max), svg.tick_label(t), svg.MUTED) for t in ticks]
    step = svg.date_label_step(data.days)
    for i, d in enumerate(data.dates):
        parts.append(
            _stacked_bar(plot, d, [(c, colours[c], by_day.get(d, {}).get(c, 0)) for c in channels], y_max)
        )
        if i % step == 0:
            parts.append(svg.date_label(plot, plot.x(d), d))
    parts.append(svg.x_axis_line(plot))
    parts.append(svg.y_title(plot, "Interactions per day", svg.MUTED, x=16))
    parts.append(svg.x_title(plot, plot.height - 6, "Date (shaded: weekends)"))
    parts.append("</svg>")
    return "".join(parts)


def _weekend(plot: svg.DayPlot, day: dt.date) -> str:
    """Weekend shading: contact centres have strong weekly cycles."""
    return (
        f'<rect class="weekend" x="{svg.num(plot.slot_x(day))}" y="{svg.num(plot.top)}" width="{svg.num(plot.slot)}" '
        f'height="{plot.plot_h}" fill="#f3f4f6"/>'
    )


def _stacked_bar(plot: svg.DayPlot, day: dt.date, stack: list[tuple[str, str, int]], hi: float) -> str:
    """One day's bar: (name, colour, count) stacked from the bottom, each with its share on hover."""
    bar_w = max(2.0, plot.slot * 0.72)
    x = plot.slot_x(day) + (plot.slot - bar_w) / 2
    total = sum(n for _, _, n in stack)
    out, base = [], 0.0
    for name, colour, n in stack:
        if n <= 0:
            continue
        h = plot.span(n, hi)
        out.append(
            f'<rect x="{svg.num(x)}" y="{svg.num(plot.y(base, hi) - h)}" width="{svg.num(bar_w)}" height="{svg.num(h)}" '
            f'fill="{colour}"><title>{svg.esc(f"{day.isoformat()} · {name}: {n:,} of {total:,}")}</title></rect>'
        )
        base += n
    return "".join(out)


@_markup
def csat_chart(data: ReportData) -> str:
    """CSAT % (left axis) and average satisfaction (right axis) on aligned gridlines.

    The two scales are tied (0-100% <-> 1-5, or zoomed 50-100% <-> 3-5 when all points fit)
    so one set of gridlines serves both and the eye is not fooled by unrelated axes.
    """
    chart, title = "csat-trend", "CSAT trend"
    points = [q for q in data.quality if q.csat_pct is not None or q.avg_satisfaction is not None]
    if not points:
        return svg.empty_svg(chart, title, width=560, height=340)
    csats = [q.csat_pct for q in points if q.csat_pct is not None]
    sats = [q.avg_satisfaction for q in points if q.avg_satisfaction is not None]
    zoom = (not csats or min(csats) >= 50) and (not sats or min(sats) >= 3)
    c_lo, s_lo = (50.0, 3.0) if zoom else (0.0, 1.0)
    c_ticks = [c_lo + i * (100 - c_lo) / 4 for i in range(5)]
    s_ticks = [s_lo + i * (5 - s_lo) / 4 for i in range(5)]
    plot = svg.DayPlot(560, 340, 56, 56, 52, 220, data.start, data.days)
    parts = [svg.svg_open(chart, plot.width, plot.height, title)]
    legend = [("CSAT % (4-5 of 5)", CSAT_COLOUR, "line"), ("Avg satisfaction (1-5)", SAT_COLOUR, "line")]
    parts.append(svg.legend(legend, plot.left, 20, plot.end))
    for ct, st in zip(c_ticks, s_ticks, strict=False):
        parts.append(
            svg.gridline(plot, plot.y(ct, 100, c_lo), f"{ct:g}%", CSAT_COLOUR, (f"{st:g}", SAT_COLOUR))
        )
    parts.append(
        svg.daily_line(
            plot,
            [(q.summary_date, q.csat_pct) for q in points],
            lambda v: plot.y(v, 100, c_lo),
            CSAT_COLOUR,
            lambda v: f"CSAT {v:.1f}%",
            gaps_in=data.dates,
        )
    )
    parts.append(
        svg.daily_line(
            plot,
            [(q.summary_date, q.avg_satisfaction) for q in points],
            lambda v: plot.y(v, 5, s_lo),
            SAT_COLOUR,
            lambda v: f"avg satisfaction {v:.2f}",
            gaps_in=data.dates,
        )
    )
    parts.append(svg.date_axis(plot, data.dates, max_labels=7))
    parts.append(
        svg.y_title(plot, "CSAT %", CSAT_COLOUR)
        + svg.y_title(plot, "Avg satisfaction", SAT_COLOUR, right=True)
    )
    parts.append(svg.x_title(plot, plot.bottom + 40, "Date"))
    parts.append("</svg>")
    return "".join(parts)


@_markup
def aht_chart(data: ReportData) -> str:
    """Horizontal bars, longest first: the types that eat agent time stand out at the top."""
    chart, title = "aht-by-type", "Average handle time by interaction type"
    rows = sorted(data.aht_by_type, key=lambda r: (-r.avg_handle_seconds, r.interaction_name))
    if not rows:
        return svg.empty_svg(chart, title, width=560, height=340)
    width, label_w, right, top, row_h = 560, 150, 70, 12, 24
    plot_w = width - label_w - right
    bottom = top + row_h * len(rows)
    height = bottom + 46
    ticks = svg.nice_ticks(max(r.avg_handle_seconds for r in rows) / 60, count=4)
    x_max = ticks[-1]

    def x(minutes: float) -> float:
        return label_w + minutes / x_max * plot_w

    parts = [svg.svg_open(chart, width, height, title)]
    for t in ticks:
        parts.append(
            f'<line x1="{svg.num(x(t))}" x2="{svg.num(x(t))}" y1="{top}" y2="{bottom}" stroke="{svg.GRID}"/>'
            + svg.text(x(t), bottom + 16, f"{t:g}", svg.MUTED, anchor="middle")
        )
    for i, r in enumerate(rows):
        minutes = r.avg_handle_seconds / 60
        yy = top + i * row_h
        name = r.interaction_name if len(r.interaction_name) <= 22 else r.interaction_name[:21] + "…"
        parts.append(
            svg.text(label_w - 8, yy + row_h / 2 + 4, name, svg.INK, anchor="end")
            + f'<rect x="{label_w}" y="{svg.num(yy + 4)}" width="{svg.num(max(1.0, x(minutes) - label_w))}" '
            f'height="{row_h - 8}" rx="2" fill="{PALETTE[0]}"><title>{svg.esc(r.interaction_name)}: '
            f"{minutes:.1f} min over {r.interactions:,} interactions</title></rect>"
            + svg.text(x(minutes) + 6, yy + row_h / 2 + 4, f"{minutes:.1f}", svg.INK)
        )
    parts.append(f'<line x1="{label_w}" x2="{label_w}" y1="{top}" y2="{bottom}" stroke="#9ca3af"/>')
    parts.append(
        svg.text(
            label_w + plot_w / 2, height - 6, "Average handle time (minutes)", svg.MUTED, anchor="middle"
        )
    )
    parts.append("</svg>")
    return "".join(parts)


def _csat_colour(pct: float | None) -> str:
    """Traffic-light chip: the leaderboard is scanned for who needs coaching."""
    if pct is None:
        return "#9ca3af"
    return "#15803d" if pct >= 80 else "#b45309" if pct >= 60 else "#b91c1c"


#: x of each leaderboard column (the bar column is BOARD_BAR_W wide); rows are BOARD_ROW_H high.
BOARD_COLUMNS = {"rank": 16, "agent": 52, "bar": 320, "csat": 740, "sat": 880, "aht": 1040}
BOARD_BAR_W, BOARD_ROW_H = 320, 36


@_markup
def agent_chart(data: ReportData) -> str:
    """Top-10 leaderboard as an SVG table: volume bars plus quality and speed columns."""
    chart, title = "agent-leaderboard", "Agent leaderboard"
    rows = data.agents[:10]
    if not rows:
        return svg.empty_svg(chart, title)
    width, head_h, row_h, cols = 1120, 34, BOARD_ROW_H, BOARD_COLUMNS
    height = head_h + row_h * len(rows) + 8
    max_n = max(r.interactions for r in rows) or 1
    parts = [svg.svg_open(chart, width, height, title)]
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
            f'fill="{svg.MUTED}" letter-spacing="0.3">{svg.esc(label.upper())}</text>'
        )
    parts.append(f'<line x1="0" x2="{width}" y1="{head_h - 4}" y2="{head_h - 4}" stroke="#d1d5db"/>')
    for i, r in enumerate(rows):
        yy = head_h + i * row_h
        if i % 2 == 1:
            parts.append(f'<rect x="0" y="{yy}" width="{width}" height="{row_h}" fill="#f9fafb"/>')
        parts.append(_leaderboard_row(i + 1, r, yy, max_n))
    parts.append("</svg>")
    return "".join(parts)


def _leaderboard_row(rank: int, r: AgentRow, yy: int, max_n: int) -> str:
    """One agent: rank, name and team (cut to fit), volume bar, CSAT chip, satisfaction, handle time."""
    cols, row_h = BOARD_COLUMNS, BOARD_ROW_H
    mid = yy + row_h / 2
    name = r.agent_name if len(r.agent_name) <= 26 else r.agent_name[:25] + "…"
    room = int((cols["bar"] - cols["agent"] - 16 - svg.text_width(name, 13.5)) / (12 * 0.58)) - 3
    team = r.team if len(r.team) <= room else (r.team[: room - 1] + "…" if room >= 5 else "")
    bw = max(1.0, r.interactions / max_n * BOARD_BAR_W)
    chip = _csat_colour(r.csat_pct)
    return (
        svg.text(cols["rank"], mid + 4, str(rank), svg.MUTED, size=13)
        + f'<text x="{cols["agent"]}" y="{svg.num(mid + 4)}" font-size="13" fill="{svg.INK}">'
        f'<tspan font-weight="600">{svg.esc(name)}</tspan>'
        + (f'<tspan fill="{svg.MUTED}" font-size="12"> · {svg.esc(team)}</tspan>' if team else "")
        + "</text>"
        f'<rect x="{cols["bar"]}" y="{svg.num(yy + 9)}" width="{svg.num(bw)}" height="{row_h - 18}" rx="3" '
        f'fill="{PALETTE[0]}"><title>{svg.esc(r.agent_name)} · {svg.esc(r.team)}: {r.interactions:,} interactions'
        "</title></rect>"
        + svg.text(cols["bar"] + bw + 8, mid + 4, f"{r.interactions:,}", svg.INK, size=13)
        + f'<rect x="{cols["csat"] - 34}" y="{svg.num(mid - 11)}" width="68" height="22" rx="11" '
        f'fill="{chip}" fill-opacity="0.12"/>'
        f'<text x="{cols["csat"]}" y="{svg.num(mid + 4)}" text-anchor="middle" font-size="13" '
        f'font-weight="600" fill="{chip}">{svg.esc(fmt_pct(r.csat_pct))}</text>'
        + svg.text(cols["sat"], mid + 4, fmt_sat(r.avg_satisfaction), svg.INK, anchor="middle", size=13)
        + svg.text(cols["aht"], mid + 4, fmt_minutes(r.avg_handle_seconds), svg.INK, anchor="middle", size=13)
    )


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
        return svg.empty_svg(chart, title)
    plot = svg.DayPlot(1120, 340, 56, 72, 52, 220, data.start, data.days)
    hours_top = svg.nice_ticks(max(d.agent_hours for d in days))[-1] or 1.0
    parts = [svg.svg_open(chart, plot.width, plot.height, title)]
    legend = [
        ("Agent hours on shift", STAFF_COLOUR, "rect"),
        ("Answered within target %", CSAT_COLOUR, "line"),
        ("Abandoned %", ABANDON_COLOUR, "line"),
    ]
    parts.append(svg.legend(legend, plot.left, 20, plot.end))
    for i in range(5):
        pct, hours = i * 25, hours_top * i / 4
        parts.append(
            svg.gridline(plot, plot.y(pct, 100), f"{pct}%", svg.INK, (svg.tick_label(hours), svg.MUTED))
        )
    parts += [_staffing_bar(plot, d, hours_top) for d in days]
    for values, colour, label in (
        ([(d.summary_date, d.service_level_pct) for d in days], CSAT_COLOUR, "answered within target"),
        ([(d.summary_date, d.abandoned_pct) for d in days], ABANDON_COLOUR, "abandoned"),
    ):
        parts.append(
            svg.daily_line(
                plot, values, lambda v: plot.y(v, 100), colour, lambda v, label=label: f"{fmt_pct(v)} {label}"
            )
        )
    parts.append(svg.date_axis(plot, data.dates))
    parts.append(
        svg.y_title(plot, "Share of calls offered", svg.INK)
        + svg.y_title(plot, "Agent hours", svg.MUTED, right=True)
    )
    parts.append("</svg>")
    return "".join(parts)


def _staffing_bar(plot: svg.DayPlot, day: ServiceDay, hours_top: float) -> str:
    """Agent hours on shift that day, with the calls offered on hover."""
    bar_w = max(plot.slot * 0.7, 1.0)
    h = plot.span(day.agent_hours, hours_top)
    return (
        f'<rect x="{svg.num(plot.x(day.summary_date) - bar_w / 2)}" y="{svg.num(plot.bottom - h)}" width="{svg.num(bar_w)}" '
        f'height="{svg.num(h)}" fill="{STAFF_COLOUR}"><title>{svg.esc(day.summary_date.isoformat())}: '
        f"{svg.esc(fmt_int(day.agent_hours))} agent hours, {svg.esc(fmt_int(day.offered))} calls offered</title></rect>"
    )
