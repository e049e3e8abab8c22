"""The HTML report: data from the analytics read layer, a Jinja2 template, SVG charts.

One self-contained file (no JS, CSS or fonts from elsewhere), so it can be mailed,
archived next to the DAG run, or opened offline. Three rooms:

- data access (`fetch_report_data`): the queries in `include/sql/report/`, each a thin
  SELECT over the read layer's functions (`analytics.*_kpis`, include/sql/schema/read/);
- charts (`include/reporting/charts.py`): pure functions from the data to SVG markup;
- the page (`templates/report.html.j2`, autoescaped): `build_html`, pure as well.

`render_report` ties them together and publishes the page atomically.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from decimal import Decimal
from functools import cache
from pathlib import Path

import jinja2
import psycopg
from markupsafe import Markup

from include.config import SQL_DIR
from include.reporting import charts, svg
from include.reporting.model import AgentRow, ChannelDay, Kpis, QualityDay, ReportData, ServiceDay, TypeAht

__all__ = [
    "AgentRow",
    "ChannelDay",
    "Kpis",
    "QualityDay",
    "ReportData",
    "ServiceDay",
    "TypeAht",
    "build_html",
    "fetch_report_data",
    "load_sql",
    "render_report",
]

REPORT_SQL_DIR = SQL_DIR / "report"
TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"
TEMPLATE = "report.html.j2"


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
    """Query the read layer for the `days` days ending at `as_of` (inclusive)."""
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
        voice_service=[
            ServiceDay(d, int(n or 0), _num(sl), _num(ab), float(h or 0))
            for d, n, sl, ab, h in rows("voice_service")
        ],
    )


# ---------------------------------------------------------------------------- page
@cache
def environment() -> jinja2.Environment:
    """The template environment: autoescaping on for the report's HTML templates."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATE_DIR),
        autoescape=jinja2.select_autoescape(enabled_extensions=("html", "html.j2"), default=True),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters.update(
        number=charts.fmt_int,
        sat=charts.fmt_sat,
        pct=charts.fmt_pct,
        rate=lambda value: charts.fmt_pct(value, 100),
        minutes=charts.fmt_minutes,
    )
    return env


#: The charts the template draws, by the name it calls them.
CHARTS = {
    "volume": charts.volume_chart,
    "csat": charts.csat_chart,
    "aht": charts.aht_chart,
    "agents": charts.agent_chart,
    "service": charts.service_level_chart,
}


def build_html(data: ReportData) -> str:
    """Render the whole report as one HTML string (pure: same data, same bytes)."""
    has_data = data.kpis.total_interactions > 0 or bool(data.volume or data.agents or data.aht_by_type)
    return (
        environment()
        .get_template(TEMPLATE)
        .render(
            data=data,
            has_data=has_data,
            charts=CHARTS,
            # A constant of ours, inside <style> where entities are not decoded: not escaped.
            font=Markup(svg.FONT),
        )
    )


# ---------------------------------------------------------------------------- publishing
def _atomic_write(path: Path, text: str) -> None:
    """Write beside the target then rename, so a reader never sees a half-written file."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


REPORT_PREFIX = "customer_care_report_"


def render_report(conn: psycopg.Connection, as_of: dt.date, out_dir: Path, days: int = 30) -> Path:
    """Fetch, render and publish the report: the dated file, then `latest.html`, each written
    whole and renamed into place (a reader sees the old page or the new one, never half).

    `latest.html` is the newest day's report: a backfill of older days leaves it alone.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    text = build_html(fetch_report_data(conn, as_of, days))
    dated = out_dir / f"{REPORT_PREFIX}{as_of.isoformat()}.html"
    _atomic_write(dated, text)
    newest = max(path.name for path in out_dir.glob(f"{REPORT_PREFIX}????-??-??.html"))
    if newest == dated.name:
        _atomic_write(out_dir / "latest.html", text)
    return dated
