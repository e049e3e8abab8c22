"""Self-contained HTML report of the analytics summary tables.

One file, no external JS/CSS/fonts: hand-written inline SVG charts, so the report can be
mailed, archived next to the DAG run, or opened offline. Data access (`fetch_report_data`)
is separate from rendering (`build_html`, a pure function) so rendering is testable
without a database. SQL lives in `include/sql/report/`.
"""

from __future__ import annotations

import datetime as dt
import html
import math
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path

import psycopg

from include.config import SQL_DIR

REPORT_SQL_DIR = SQL_DIR / "report"

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


# ---------------------------------------------------------------------------- data model
@dataclass(frozen=True)
class Kpis:
    """Window-level headline numbers; None where there is nothing to divide by."""

    total_interactions: int = 0
    avg_satisfaction: float | None = None
    csat_pct: float | None = None
    survey_response_rate: float | None = None
    first_contact_resolution_rate: float | None = None
    escalation_rate: float | None = None
    avg_handle_seconds: float | None = None


@dataclass(frozen=True)
class ChannelDay:
    summary_date: dt.date
    channel_name: str
    interactions: int


@dataclass(frozen=True)
class QualityDay:
    summary_date: dt.date
    interactions: int
    survey_responses: int
    csat_pct: float | None
    avg_satisfaction: float | None


@dataclass(frozen=True)
class TypeAht:
    interaction_name: str
    interactions: int
    avg_handle_seconds: float


@dataclass(frozen=True)
class AgentRow:
    agent_name: str
    team: str
    interactions: int
    csat_pct: float | None
    avg_satisfaction: float | None
    avg_handle_seconds: float | None


@dataclass(frozen=True)
class ReportData:
    """Everything the report shows, already rolled up: rendering does no arithmetic on raw rows."""

    as_of: dt.date
    days: int
    kpis: Kpis = field(default_factory=Kpis)
    volume: list[ChannelDay] = field(default_factory=list)
    quality: list[QualityDay] = field(default_factory=list)
    aht_by_type: list[TypeAht] = field(default_factory=list)
    agents: list[AgentRow] = field(default_factory=list)

    @property
    def start(self) -> dt.date:
        """First day of the window (the window ends at `as_of`, inclusive)."""
        return self.as_of - dt.timedelta(days=self.days - 1)

    @property
    def dates(self) -> list[dt.date]:
        """Every day of the window, so missing days show as gaps instead of vanishing."""
        return [self.start + dt.timedelta(days=i) for i in range(self.days)]


# ---------------------------------------------------------------------------- data access
@cache
def load_sql(name: str) -> str:
    """Read `include/sql/report/<name>.sql` (cached: the files never change at runtime)."""
    return (REPORT_SQL_DIR / f"{name}.sql").read_text()


def _num(value: object) -> float | None:
    """Decimal/None from Postgres -> float/None for formatting and geometry."""
    if value is None:
        return None
    return float(value) if isinstance(value, (Decimal, int, float)) else float(str(value))


def fetch_report_data(conn: psycopg.Connection, as_of: dt.date, days: int = 30) -> ReportData:
    """Query the analytics summary tables for the `days` days ending at `as_of` (inclusive)."""
    if days < 1:
        raise ValueError(f"days must be >= 1, got {days}")
    start = as_of - dt.timedelta(days=days - 1)
    params = {"start": start, "end": as_of}

    def rows(name: str) -> list[tuple]:
        return conn.execute(load_sql(name), params).fetchall()

    k = rows("kpis")[0]
    kpis = Kpis(
        total_interactions=int(k[0] or 0),
        avg_satisfaction=_num(k[1]),
        csat_pct=_num(k[2]),
        survey_response_rate=_num(k[3]),
        first_contact_resolution_rate=_num(k[4]),
        escalation_rate=_num(k[5]),
        avg_handle_seconds=_num(k[6]),
    )
    return ReportData(
        as_of=as_of,
        days=days,
        kpis=kpis,
        volume=[ChannelDay(d, str(c), int(n or 0)) for d, c, n in rows("daily_volume_by_channel")],
        quality=[
            QualityDay(d, int(n or 0), int(r or 0), _num(c), _num(s))
            for d, n, r, c, s in rows("daily_quality")
        ],
        aht_by_type=[TypeAht(str(t), int(n or 0), float(a)) for t, n, a in rows("aht_by_type")],
        agents=[
            AgentRow(str(name), str(team), int(n or 0), _num(c), _num(s), _num(a))
            for name, team, n, c, s, a in rows("agent_leaderboard")
        ],
    )


# ---------------------------------------------------------------------------- formatting
def _e(value: object) -> str:
    """Escape everything that reaches the page: names come from upstream data."""
    return html.escape(str(value), quote=True)


def _fmt_int(value: float | None) -> str:
    return "–" if value is None else f"{value:,.0f}"


def _fmt_pct(value: float | None, scale: float = 1.0, digits: int = 1) -> str:
    """`scale=100` for 0-1 rates, 1 for values already in percent."""
    return "–" if value is None else f"{value * scale:.{digits}f}%"


def _fmt_minutes(seconds: float | None) -> str:
    return "–" if seconds is None else f"{seconds / 60:.1f} min"


def _fmt_sat(value: float | None) -> str:
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
            f'font-weight="600" fill="{chip}">{_e(_fmt_pct(r.csat_pct))}</text>'
            f'<text x="{cols["sat"]}" y="{_f(mid + 4)}" text-anchor="middle" font-size="13" '
            f'fill="{INK}">{_e(_fmt_sat(r.avg_satisfaction))}</text>'
            f'<text x="{cols["aht"]}" y="{_f(mid + 4)}" text-anchor="middle" font-size="13" '
            f'fill="{INK}">{_e(_fmt_minutes(r.avg_handle_seconds))}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


# ---------------------------------------------------------------------------- page
CSS = """
*{box-sizing:border-box}
body{margin:0;background:#f3f4f6;color:#1f2937;font-family:%(font)s;font-size:14px;line-height:1.4}
header{background:#111827;color:#f9fafb;padding:20px 32px}
header h1{margin:0;font-size:22px;font-weight:650;letter-spacing:.2px}
header p{margin:4px 0 0;color:#9ca3af;font-size:13px}
main{max-width:1180px;margin:0 auto;padding:20px 16px 40px}
.kpis{display:grid;grid-template-columns:repeat(auto-fit,minmax(150px,1fr));gap:12px;margin-bottom:16px}
.kpi{background:#fff;border-radius:10px;padding:14px 16px;box-shadow:0 1px 2px rgba(0,0,0,.06);
     border-top:3px solid #4e79a7}
.kpi .label{color:#6b7280;font-size:12px;text-transform:uppercase;letter-spacing:.4px}
.kpi .value{font-size:26px;font-weight:650;margin-top:4px;font-variant-numeric:tabular-nums}
.kpi .hint{color:#9ca3af;font-size:12px;margin-top:2px}
.grid{display:grid;grid-template-columns:1fr 1fr;gap:16px}
.card{background:#fff;border-radius:10px;padding:16px 18px;box-shadow:0 1px 2px rgba(0,0,0,.06);
      margin-bottom:16px;min-width:0}
.card h2{margin:0 0 2px;font-size:16px;font-weight:650}
.card .sub{margin:0 0 10px;color:#6b7280;font-size:12px}
.card svg{display:block;height:auto}
.empty-note{color:#6b7280}
footer{color:#9ca3af;font-size:12px;text-align:center;padding:8px 0 24px}
@media (max-width:900px){.grid{grid-template-columns:1fr}}
"""


def _kpi_cards(data: ReportData) -> str:
    k = data.kpis
    cards = [
        ("Total interactions", _fmt_int(k.total_interactions), f"{data.days}-day window"),
        ("Avg satisfaction", _fmt_sat(k.avg_satisfaction), "survey score, 1-5"),
        ("CSAT", _fmt_pct(k.csat_pct), "surveys scoring 4-5"),
        ("Survey response rate", _fmt_pct(k.survey_response_rate, 100), "surveys / interactions"),
        ("First-contact resolution", _fmt_pct(k.first_contact_resolution_rate, 100), "resolved first time"),
        ("Escalation rate", _fmt_pct(k.escalation_rate, 100), "share escalated"),
        ("Avg handle time", _fmt_minutes(k.avg_handle_seconds), "live channels"),
    ]
    return "".join(
        f'<div class="kpi" data-kpi="{_e(label.lower().replace(" ", "-"))}"><div class="label">{_e(label)}</div>'
        f'<div class="value">{_e(value)}</div><div class="hint">{_e(hint)}</div></div>'
        for label, value, hint in cards
    )


def _card(title: str, subtitle: str, body: str) -> str:
    return f'<section class="card"><h2>{_e(title)}</h2><p class="sub">{_e(subtitle)}</p>{body}</section>'


def build_html(data: ReportData) -> str:
    """Render the whole report as one HTML string (pure: same data, same bytes)."""
    period = f"{data.start:%d %b %Y} – {data.as_of:%d %b %Y}"
    has_data = data.kpis.total_interactions > 0 or bool(data.volume or data.agents or data.aht_by_type)
    note = (
        ""
        if has_data
        else '<p class="empty-note">No data yet: the analytics tables are empty for this period.</p>'
    )
    return "".join(
        [
            '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>{_e(f'Customer care report · {data.as_of.isoformat()}')}</title>",
            f"<style>{CSS.replace('%(font)s', FONT)}</style></head><body>",
            (
                f"<header><h1>Customer Care Analytics</h1><p>{_e(period)} · {data.days} days ending "
                f"{_e(data.as_of.isoformat())}</p></header><main>"
            ),
            note,
            f'<section class="kpis">{_kpi_cards(data)}</section>',
            _card(
                "Daily volume by channel",
                "Interactions per day, stacked by channel (hover a bar for counts)",
                volume_chart(data),
            ),
            '<div class="grid">',
            _card(
                "CSAT trend", "Daily CSAT % and average satisfaction across all channels", csat_chart(data)
            ),
            _card(
                "Average handle time by interaction type",
                "Minutes per timed interaction, longest first",
                aht_chart(data),
            ),
            "</div>",
            _card("Agent leaderboard", "Top 10 agents by interactions handled", agent_chart(data)),
            (
                f"<footer>Source: analytics.daily_* summary tables · window {_e(data.start.isoformat())} to "
                f"{_e(data.as_of.isoformat())}</footer>"
            ),
            "</main></body></html>\n",
        ]
    )


def _atomic_write(path: Path, text: str) -> None:
    """Write beside the target then rename, so a reader never sees a half-written report."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def render_report(conn: psycopg.Connection, as_of: dt.date, out_dir: Path, days: int = 30) -> Path:
    """Fetch, render and publish the report; `latest.html` always points at the newest content."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    text = build_html(fetch_report_data(conn, as_of, days))
    dated = out_dir / f"customer_care_report_{as_of.isoformat()}.html"
    _atomic_write(dated, text)
    fd, tmp = tempfile.mkstemp(dir=out_dir, prefix=".latest.html.", suffix=".tmp")
    os.close(fd)
    try:
        shutil.copyfile(dated, tmp)
        os.replace(tmp, out_dir / "latest.html")
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return dated
