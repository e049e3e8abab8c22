"""Tests for include/reporting/: pure rendering, a scratch-database render, and a real browser look."""

from __future__ import annotations

import datetime as dt
import random
import re
from pathlib import Path

import pytest
from markupsafe import Markup

from include.config import PROJECT_ROOT
from include.reporting import charts, report
from include.reporting.report import (
    AgentRow,
    ChannelDay,
    Kpis,
    QualityDay,
    ReportData,
    ServiceDay,
    TypeAht,
    build_html,
    fetch_report_data,
    load_sql,
    render_report,
)
from include.storage.rows.workforce import queue_rows
from tests.support import CHROMIUM, CHROMIUM_ARGS

CHARTS = ("daily-volume-by-channel", "csat-trend", "aht-by-type", "agent-leaderboard")
HOSTILE = "<script>alert(1)</script>"
AS_OF = dt.date(2024, 3, 14)
DAYS = 14
SCREENSHOT = PROJECT_ROOT / "reports" / "screenshots" / "report.png"


def synthetic_data() -> ReportData:
    """A small hand-made window, including a hostile agent name and a day without surveys."""
    start = AS_OF - dt.timedelta(days=DAYS - 1)
    dates = [start + dt.timedelta(days=i) for i in range(DAYS)]
    volume = [
        ChannelDay(d, ch, 100 + 10 * i + j * 37)
        for i, d in enumerate(dates)
        for j, ch in enumerate(["Phone", "Email", "Web Chat", "A&B <Chat>"])
    ]
    quality = [
        QualityDay(d, 500, 0 if i == 5 else 120, None if i == 5 else 70 + i, None if i == 5 else 3.8 + i / 50)
        for i, d in enumerate(dates)
    ]
    return ReportData(
        as_of=AS_OF,
        days=DAYS,
        kpis=Kpis(7000, 4.01, 78.5, 0.24, 0.71, 0.08, 412.0),
        volume=volume,
        quality=quality,
        aht_by_type=[TypeAht("Technical Support", 900, 780.0), TypeAht("Billing Inquiry", 800, 360.0)],
        agents=[
            AgentRow(HOSTILE, "Frontline A", 320, 91.0, 4.4, 300.0),
            AgentRow("Brenda Smith", "R&D <Ops>", 280, 55.0, 3.1, None),
        ],
        voice_service=[
            ServiceDay(d, 900, None if i == 3 else 75.0 + i, 4.0 + i / 10, 180.0 + i)
            for i, d in enumerate(dates)
        ],
    )


# ---------------------------------------------------------------------------- pure rendering
def test_build_html_has_all_charts_and_escapes_text() -> None:
    page = build_html(synthetic_data())
    for chart in CHARTS:
        assert re.search(rf'<svg[^>]*data-chart="{chart}"', page), chart
    assert "<h2>" in page and page.count("<h2>") >= 4
    assert HOSTILE not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "A&amp;B &lt;Chat&gt;" in page and "R&amp;D &lt;Ops&gt;" in page
    assert "<script" not in page.lower()  # self-contained and script-free
    assert "http://" not in page.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "https://" not in page
    assert "7,000" in page and "78.5%" in page and "71.0%" in page


def test_build_html_empty_data_says_no_data_yet() -> None:
    page = build_html(ReportData(as_of=AS_OF, days=30))
    for chart in CHARTS:
        assert f'data-chart="{chart}"' in page
    assert page.count("No data yet") >= 4


def test_sql_files_load() -> None:
    for name in ("kpis", "daily_volume_by_channel", "daily_quality", "aht_by_type", "agent_leaderboard"):
        text = load_sql(name)
        assert "%(start)s" in text and "%(end)s" in text
        # psycopg treats any other % (even in a comment) as a placeholder
        assert "%" not in text.replace("%(start)s", "").replace("%(end)s", ""), name


def test_template_autoescapes_and_charts_are_escaped_markup() -> None:
    env = report.environment()
    assert env.autoescape(report.TEMPLATE) is True
    assert env.from_string("{{ name }}").render(name=HOSTILE) == "&lt;script&gt;alert(1)&lt;/script&gt;"
    data = synthetic_data()
    for chart in (charts.volume_chart, charts.csat_chart, charts.aht_chart, charts.agent_chart):
        svg = chart(data)
        assert isinstance(svg, Markup) and svg.startswith("<svg")
        assert HOSTILE not in svg and "<script" not in svg
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in charts.agent_chart(data)
    assert "A&amp;B &lt;Chat&gt;" in charts.volume_chart(data)


# ---------------------------------------------------------------------------- scratch database
def _seed(conn) -> None:
    """A few weeks of plausible, internally consistent summary rows (deterministic)."""
    rng = random.Random(42)
    channels = [r[0] for r in conn.execute("SELECT channel_id FROM channels ORDER BY 1")]
    types = [r[0] for r in conn.execute("SELECT interaction_type_id FROM interaction_types ORDER BY 1")]
    agents = [r[0] for r in conn.execute("SELECT agent_id FROM agents ORDER BY 1")]
    conn.execute("UPDATE agents SET agent_name = %s WHERE agent_id = %s", (HOSTILE, agents[0]))
    start = AS_OF - dt.timedelta(days=DAYS + 5)  # some rows before the window: must be ignored
    conn.cursor().executemany(
        "INSERT INTO service_queues (queue_id, department, service_group, concurrency, target_share, "
        "target_seconds) VALUES (%s, %s, %s, %s, %s, %s)",
        queue_rows(),
    )
    with conn.cursor() as cur:
        for day in range(DAYS + 6):
            d = start + dt.timedelta(days=day)
            weekend = d.weekday() >= 5
            for ch in channels:
                n = int(rng.randint(80, 400) * (0.6 if weekend else 1.0) / ch**0.5)
                surveys = n // 4
                sat_sum = int(surveys * rng.uniform(3.5, 4.3))
                timed = 0 if ch in (2, 6, 7) else n
                dur_sum = timed * rng.randint(240, 600)
                cur.execute(
                    """INSERT INTO analytics.daily_channel_summary (
                           summary_date, channel_id, interaction_count, survey_responses, satisfaction_sum,
                           duration_count, duration_sum, resolved_count, pending_count, escalated_count,
                           cancelled_count, queue_time_sum, csat_positive_count, first_contact_resolutions,
                           escalations, repeat_contacts)
                       VALUES (%s, %s, %s, %s, %s, %s, %s, %s, 0, %s, 0, %s, %s, %s, %s, %s)""",
                    (
                        d,
                        ch,
                        n,
                        surveys,
                        sat_sum,
                        timed,
                        dur_sum,
                        int(n * 0.7),
                        int(n * 0.08),
                        n * 40,
                        round(surveys * rng.uniform(0.65, 0.9)),
                        round(n * rng.uniform(0.6, 0.8)),
                        round(n * rng.uniform(0.05, 0.12)),
                        round(n * 0.05),
                    ),
                )
            for t in types:
                n = rng.randint(20, 120)
                surveys = n // 4
                dur_sum = n * rng.randint(150 + 30 * t, 300 + 40 * t)
                cur.execute(
                    """INSERT INTO analytics.daily_interaction_type_summary (
                           summary_date, interaction_type_id, interaction_count, survey_responses,
                           satisfaction_sum, duration_count, duration_sum, csat_positive_count,
                           first_contact_resolutions, escalations, repeat_contacts)
                       VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)""",
                    (
                        d,
                        t,
                        n,
                        surveys,
                        surveys * 4,
                        n,
                        dur_sum,
                        round(surveys * 0.75),
                        round(n * 0.7),
                        n // 10,
                        n // 20,
                    ),
                )
            for a in agents:
                n = rng.randint(5, 40) + a % 7 + (30 if a == agents[0] else 0)  # hostile name on top
                surveys = n // 3
                dur_sum = n * rng.randint(240, 540)
                cur.execute(
                    """INSERT INTO analytics.daily_agent_performance (
                           summary_date, agent_id, interactions_handled, survey_responses, satisfaction_sum,
                           duration_count, duration_sum, resolved_count, csat_positive_count,
                           first_contact_resolutions, escalations)
                       VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)""",
                    (
                        d,
                        a,
                        n,
                        surveys,
                        surveys * 4,
                        n,
                        dur_sum,
                        int(n * 0.7),
                        round(surveys * rng.uniform(0.55, 0.95)),
                        round(n * 0.7),
                        n // 10,
                    ),
                )
            for queue_id, _, group, *_ in queue_rows():
                if group != "Voice":
                    continue
                for interval in range(0, 96, 4):  # one interval an hour is enough for daily sums
                    offered = rng.randint(20, 60)
                    abandoned = rng.randint(0, 4)
                    cur.execute(
                        """INSERT INTO analytics.interval_queue_summary (
                               interval_start, queue_id, offered, handled, abandoned, answered_within_target,
                               answer_wait_seconds, handle_seconds, agent_seconds)
                           VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)""",
                        (
                            dt.datetime.combine(d, dt.time(), dt.UTC) + dt.timedelta(minutes=15 * interval),
                            queue_id,
                            offered,
                            offered - abandoned,
                            abandoned,
                            round((offered - abandoned) * 0.8),
                            (offered - abandoned) * 25,
                            (offered - abandoned) * 400,
                            rng.randint(8, 16) * 900,
                        ),
                    )
    conn.commit()


@pytest.fixture(scope="module")
def scratch_conn(make_database):
    """A scratch database with the schema applied and seeded."""
    from devtools.database import connect
    from include.storage.sql import apply_schema

    with connect(make_database()) as conn:
        apply_schema(conn)
        _seed(conn)
        yield conn


@pytest.fixture(scope="module")
def rendered(scratch_conn, tmp_path_factory) -> Path:
    return render_report(scratch_conn, AS_OF, tmp_path_factory.mktemp("reports"), days=DAYS)


def test_fetch_report_data_rolls_up_window(scratch_conn) -> None:
    data = fetch_report_data(scratch_conn, AS_OF, days=DAYS)
    start = AS_OF - dt.timedelta(days=DAYS - 1)
    expected = scratch_conn.execute(
        "SELECT sum(interaction_count), sum(satisfaction_sum)::numeric / sum(survey_responses) "
        "FROM analytics.daily_channel_summary WHERE summary_date BETWEEN %s AND %s",
        (start, AS_OF),
    ).fetchone()
    assert data.kpis.total_interactions == expected[0]
    assert data.kpis.avg_satisfaction == pytest.approx(float(expected[1]))
    assert 0 < data.kpis.csat_pct < 100
    assert {q.summary_date for q in data.quality} == set(data.dates)
    assert min(r.summary_date for r in data.volume) == start
    assert len(data.agents) == 10
    assert [a.interactions for a in data.agents] == sorted(
        (a.interactions for a in data.agents), reverse=True
    )
    assert data.aht_by_type and all(t.avg_handle_seconds > 0 for t in data.aht_by_type)
    # Phone service per day, ratios of the interval table's sums (not averages of ratios).
    voice = scratch_conn.execute(
        "SELECT (s.interval_start AT TIME ZONE 'UTC')::date, 100.0 * sum(answered_within_target) / sum(offered), "
        "100.0 * sum(abandoned) / sum(offered), sum(agent_seconds) / 3600.0 FROM analytics.interval_queue_summary s "
        "JOIN service_queues q USING (queue_id) WHERE q.service_group = 'Voice' AND s.interval_start >= %s "
        "AND s.interval_start < %s GROUP BY 1 ORDER BY 1",
        (start, AS_OF + dt.timedelta(days=1)),
    ).fetchall()
    assert [
        (v.summary_date, v.service_level_pct, v.abandoned_pct, v.agent_hours) for v in data.voice_service
    ] == [
        (d, pytest.approx(float(sl)), pytest.approx(float(ab)), pytest.approx(float(h)))
        for d, sl, ab, h in voice
    ]
    assert len(data.voice_service) == DAYS


def test_render_report_writes_dated_and_latest(rendered: Path) -> None:
    assert rendered.name == f"customer_care_report_{AS_OF.isoformat()}.html"
    assert rendered.is_file()
    text = rendered.read_text(encoding="utf-8")
    assert (rendered.parent / "latest.html").read_text(encoding="utf-8") == text
    for chart in CHARTS:
        assert f'data-chart="{chart}"' in text
    assert HOSTILE not in text and "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert not list(rendered.parent.glob("*.tmp"))


def test_a_failed_write_leaves_the_published_report_whole(scratch_conn, rendered: Path, monkeypatch) -> None:
    before = rendered.read_text(encoding="utf-8")

    def broken_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(report.os, "replace", broken_replace)
    with pytest.raises(OSError, match="disk full"):
        render_report(scratch_conn, AS_OF - dt.timedelta(days=1), rendered.parent, days=DAYS)
    assert rendered.read_text(encoding="utf-8") == before
    assert (rendered.parent / "latest.html").read_text(encoding="utf-8") == before
    assert not list(rendered.parent.glob("*.tmp"))
    assert not (rendered.parent / f"customer_care_report_{AS_OF - dt.timedelta(days=1)}.html").exists()


def test_latest_is_the_newest_days_report_whatever_the_order(scratch_conn, tmp_path: Path) -> None:
    """A backfill of older days after the scheduled run leaves latest.html on the newest day."""
    newest = render_report(scratch_conn, AS_OF, tmp_path, days=DAYS)
    older = render_report(scratch_conn, AS_OF - dt.timedelta(days=3), tmp_path, days=DAYS)
    assert older.is_file() and older.read_text(encoding="utf-8") != newest.read_text(encoding="utf-8")
    assert (tmp_path / "latest.html").read_text(encoding="utf-8") == newest.read_text(encoding="utf-8")


def test_render_report_empty_window(scratch_conn, tmp_path: Path) -> None:
    path = render_report(scratch_conn, dt.date(2001, 1, 1), tmp_path)
    assert "No data yet" in path.read_text(encoding="utf-8")


# ---------------------------------------------------------------------------- browser
@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM.exists(), reason=f"{CHROMIUM} not installed (apt-get install chromium)")
def test_report_in_headless_chromium(rendered: Path) -> None:
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1200, "height": 900})
            errors: list[str] = []
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.goto(rendered.as_uri())
            counts = page.evaluate(
                """() => Object.fromEntries([...document.querySelectorAll('svg[data-chart]')].map(s => {
                    const box = s.getBoundingClientRect();
                    return [s.dataset.chart, {
                        marks: s.querySelectorAll('rect, path, polyline, circle').length,
                        width: box.width, height: box.height}];
                }))"""
            )
            for chart in CHARTS:
                assert chart in counts, chart
                assert counts[chart]["marks"] > 0, (chart, counts[chart])
                assert counts[chart]["width"] > 300 and counts[chart]["height"] > 100, (chart, counts[chart])
            assert page.locator("h2").count() >= 4
            assert page.locator("script").count() == 0
            board = page.locator('svg[data-chart="agent-leaderboard"]').text_content() or ""
            assert HOSTILE in board  # shown literally, not executed
            assert page.locator(".kpi").count() >= 6
            assert not errors
            assert page.evaluate("document.body.scrollWidth") <= 1200  # no horizontal scrolling
            SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SCREENSHOT), full_page=True)
        finally:
            browser.close()
    assert SCREENSHOT.stat().st_size > 10_000
