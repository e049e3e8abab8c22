"""Summary tables equal a recomputation from the facts, incrementally and on rebuild (issue 5);
the read layer rolls any date range up exactly, and older layouts upgrade in place (issue 12)."""

from __future__ import annotations

import datetime as dt
import subprocess
from collections.abc import Iterator
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import psycopg
import pytest
from psycopg.rows import dict_row

from devtools.database import connect, psql_path
from include.analytics import SUMMARY_FILES, rebuild_all, refresh_day
from include.config import SQL_DIR
from include.storage.sql import SCHEMA_FILE, run_sql_file
from tests.support import forget_schema_upgrades, pointing_at, run_days_successfully, table_checksums

DAYS = [dt.date(2026, 4, 6) + dt.timedelta(days=i) for i in range(4)]
CONF = {"interactions_per_day": 800}


#: Each day's figures through the read layer: the function over the range day..day.
def per_day(function: str, columns: str, key: str) -> str:
    return f"""
        WITH days AS (SELECT DISTINCT summary_date FROM analytics.daily_channel_summary)
        SELECT d.summary_date, {columns}
        FROM days AS d
        CROSS JOIN LATERAL analytics.{function}(d.summary_date, d.summary_date) AS k
        ORDER BY 1, k.{key}"""


RECOMPUTE = {
    "daily_channel_summary": (
        "summary_date, channel_id",
        """SELECT (start_timestamp AT TIME ZONE 'UTC')::date AS d, channel_id, count(*), avg(satisfaction_score),
                  avg(duration_seconds), avg(queue_time_seconds),
                  100.0 * count(*) FILTER (WHERE satisfaction_score >= 4) / nullif(count(satisfaction_score), 0),
                  count(satisfaction_score)::numeric / count(*),
                  avg(first_contact_resolution::int), avg(is_escalated::int), avg(is_repeat_contact::int),
                  count(*) FILTER (WHERE resolution_status = 'Escalated')
           FROM customer_interactions GROUP BY 1, 2 ORDER BY 1, 2""",
        per_day(
            "channel_kpis",
            """k.channel_id, k.interaction_count, k.avg_satisfaction, k.avg_duration_seconds,
               k.avg_queue_time_seconds, k.csat_pct, k.survey_response_rate, k.first_contact_resolution_rate,
               k.escalation_rate, k.repeat_contact_rate, k.escalated_count""",
            "channel_id",
        ),
    ),
    "daily_channel_summary percentiles": (
        "",
        """SELECT (start_timestamp AT TIME ZONE 'UTC')::date AS d, channel_id,
                  percentile_cont(0.5) WITHIN GROUP (ORDER BY duration_seconds),
                  percentile_cont(0.9) WITHIN GROUP (ORDER BY duration_seconds)
           FROM customer_interactions GROUP BY 1, 2 ORDER BY 1, 2""",
        """SELECT summary_date, channel_id, median_duration_seconds, p90_duration_seconds
           FROM analytics.daily_channel_summary ORDER BY 1, 2""",
    ),
    "daily_interaction_type_summary": (
        "",
        """SELECT (start_timestamp AT TIME ZONE 'UTC')::date, interaction_type_id, count(*), avg(duration_seconds),
                  percentile_cont(0.5) WITHIN GROUP (ORDER BY duration_seconds), avg(satisfaction_score),
                  100.0 * count(*) FILTER (WHERE satisfaction_score >= 4) / nullif(count(satisfaction_score), 0),
                  avg(first_contact_resolution::int), avg(is_escalated::int), avg(is_repeat_contact::int)
           FROM customer_interactions GROUP BY 1, 2 ORDER BY 1, 2""",
        """WITH days AS (SELECT DISTINCT summary_date FROM analytics.daily_interaction_type_summary)
           SELECT d.summary_date, k.interaction_type_id, k.interaction_count, k.avg_duration_seconds,
                  s.median_duration_seconds, k.avg_satisfaction, k.csat_pct, k.first_contact_resolution_rate,
                  k.escalation_rate, k.repeat_contact_rate
           FROM days AS d
           CROSS JOIN LATERAL analytics.interaction_type_kpis(d.summary_date, d.summary_date) AS k
           JOIN analytics.daily_interaction_type_summary AS s
             ON s.summary_date = d.summary_date AND s.interaction_type_id = k.interaction_type_id
           ORDER BY 1, 2""",
    ),
    "daily_agent_performance": (
        "",
        """SELECT (start_timestamp AT TIME ZONE 'UTC')::date, agent_id, count(*), avg(satisfaction_score),
                  avg(duration_seconds),
                  100.0 * count(*) FILTER (WHERE satisfaction_score >= 4) / nullif(count(satisfaction_score), 0),
                  avg(first_contact_resolution::int), avg(is_escalated::int),
                  count(*) FILTER (WHERE resolution_status = 'Resolved')
           FROM customer_interactions WHERE agent_id IS NOT NULL GROUP BY 1, 2 ORDER BY 1, 2""",
        per_day(
            "agent_kpis",
            """k.agent_id, k.interactions_handled, k.avg_satisfaction, k.avg_duration_seconds, k.csat_pct,
               k.first_contact_resolution_rate, k.escalation_rate, k.resolved_count""",
            "agent_id",
        ),
    ),
    "customer_summary": (
        "",
        """SELECT customer_id, count(*), avg(satisfaction_score), max(start_timestamp), min(start_timestamp),
                  count(DISTINCT (start_timestamp AT TIME ZONE 'UTC')::date)
           FROM customer_interactions GROUP BY 1 ORDER BY 1""",
        """SELECT customer_id, total_interactions, avg_satisfaction, last_interaction_at, first_interaction_at,
                  active_days
           FROM analytics.customer_kpis ORDER BY 1""",
    ),
    "daily_service_plan_summary": (
        "",
        """SELECT d, p.service_plan_id,
                  (SELECT count(*) FROM customer_service_plans c WHERE c.service_plan_id = p.service_plan_id
                     AND c.start_date <= d AND (c.end_date IS NULL OR c.end_date >= d)),
                  (SELECT count(*) FROM customer_interactions i JOIN customer_service_plans c
                     ON c.customer_id = i.customer_id AND c.start_date <= d AND (c.end_date IS NULL OR c.end_date >= d)
                   WHERE c.service_plan_id = p.service_plan_id AND (i.start_timestamp AT TIME ZONE 'UTC')::date = d)
           FROM (SELECT DISTINCT (start_timestamp AT TIME ZONE 'UTC')::date AS d FROM customer_interactions) days
           CROSS JOIN service_plans p
           WHERE EXISTS (SELECT 1 FROM customer_service_plans c WHERE c.service_plan_id = p.service_plan_id
                           AND c.start_date <= d AND (c.end_date IS NULL OR c.end_date >= d))
           ORDER BY 1, 2""",
        per_day(
            "service_plan_kpis", "k.service_plan_id, k.customer_days, k.interaction_count", "service_plan_id"
        ),
    ),
}


@pytest.fixture(scope="module")
def backfilled(pipeline_dag, make_database):
    return run_days_successfully(pipeline_dag, make_database(), DAYS, CONF)


def assert_rows_equal(expected, actual):
    assert len(expected) == len(actual) > 0
    for e_row, a_row in zip(expected, actual, strict=True):
        for e, a in zip(e_row, a_row, strict=True):
            if isinstance(e, (float, Decimal)) and e is not None and a is not None:
                assert float(a) == pytest.approx(float(e), abs=1e-9), (e_row, a_row)
            else:
                assert e == a, (e_row, a_row)


@pytest.mark.slow
@pytest.mark.parametrize("table", sorted(RECOMPUTE))
def test_summary_equals_recomputation_from_the_facts(backfilled, table):
    _, recompute, stored = RECOMPUTE[table]
    with connect(backfilled) as conn:
        assert_rows_equal(conn.execute(recompute).fetchall(), conn.execute(stored).fetchall())


@pytest.mark.slow
def test_the_interval_table_reconciles_with_the_facts_and_the_shifts_every_day(backfilled):
    """Issue #14: offered, handled and abandoned per day equal the fact table's counts; agent time
    equals the shifts' time on duty; every live contact is in some interval of its queue."""
    with connect(backfilled) as conn:
        intervals = conn.execute(
            "SELECT (interval_start AT TIME ZONE 'UTC')::date, sum(offered), sum(handled), sum(abandoned), "
            "sum(agent_seconds) FROM analytics.interval_queue_summary GROUP BY 1 ORDER BY 1"
        ).fetchall()
        facts = conn.execute(
            "SELECT (i.start_timestamp AT TIME ZONE 'UTC')::date, "
            "count(*) FILTER (WHERE i.agent_id IS NOT NULL OR i.resolution_status = 'Cancelled'), "
            "count(*) FILTER (WHERE i.agent_id IS NOT NULL), "
            "count(*) FILTER (WHERE i.agent_id IS NULL AND i.resolution_status = 'Cancelled') "
            "FROM customer_interactions i JOIN channels c USING (channel_id) WHERE c.is_synchronous "
            "GROUP BY 1 ORDER BY 1"
        ).fetchall()
        # Time on duty per UTC day: every shift and break clipped to the day (shifts cross midnight).
        shifts = dict(
            conn.execute(
                "WITH days AS (SELECT d::date AS day, d AS s, d + interval '1 day' AS e FROM generate_series("
                "(SELECT min(shift_start) FROM agent_shifts)::date::timestamptz, "
                "(SELECT max(shift_end) FROM agent_shifts), interval '1 day') AS d), "
                "spans AS (SELECT shift_start AS a, shift_end AS b, 1 AS sign FROM agent_shifts "
                "UNION ALL SELECT break_start, break_end, -1 FROM agent_shifts WHERE break_start IS NOT NULL "
                "UNION ALL SELECT break_start, break_end, -1 FROM agent_shift_breaks) "
                "SELECT day, sum(sign * extract(epoch FROM least(b, e) - greatest(a, s)))::bigint "
                "FROM days JOIN spans ON a < e AND b > s GROUP BY 1"
            ).fetchall()
        )
    assert [f[0] for f in facts] == DAYS
    assert [row[:4] for row in intervals] == facts
    assert {row[0]: row[4] for row in intervals} == {d: shifts[d] for d in DAYS}
    assert all(row[3] > 0 for row in intervals)  # some callers give up every day


@pytest.mark.slow
def test_seed_queries_match_rollups_of_the_summaries(backfilled):
    with connect(backfilled) as conn:
        seed = conn.execute(
            "SELECT c.channel_name, COUNT(*), AVG(ci.satisfaction_score) FROM customer_interactions ci "
            "JOIN channels c ON ci.channel_id = c.channel_id GROUP BY c.channel_name ORDER BY 1"
        ).fetchall()
        rollup = conn.execute(
            "SELECT channel_name, interaction_count, avg_satisfaction "
            "FROM analytics.channel_kpis('-infinity', 'infinity') ORDER BY 1"
        ).fetchall()
        assert_rows_equal(seed, rollup)
        agents_seed = conn.execute(
            "SELECT a.agent_name, COUNT(*), AVG(ci.satisfaction_score), AVG(ci.duration_seconds) "
            "FROM customer_interactions ci JOIN agents a ON ci.agent_id = a.agent_id "
            "WHERE ci.duration_seconds IS NOT NULL GROUP BY a.agent_name ORDER BY 1"
        ).fetchall()
        agents_rollup = conn.execute(
            "SELECT agent_name, duration_count, NULL::numeric, avg_duration_seconds "
            "FROM analytics.agent_kpis('-infinity', 'infinity') WHERE duration_count > 0 ORDER BY 1"
        ).fetchall()
        # The seed's agent query filters on duration, so compare what the summary can answer exactly
        # (agents who only answered e-mail have no handle time and are not in the seed's result).
        assert_rows_equal(
            [(r[0], r[1], r[3]) for r in agents_seed], [(r[0], r[1], r[3]) for r in agents_rollup]
        )


@pytest.mark.slow
def test_refreshing_a_day_again_changes_nothing_and_rebuild_matches(backfilled):
    before = table_checksums(backfilled)
    with connect(backfilled) as conn:
        refresh_day(conn, DAYS[1])
        refresh_day(conn, DAYS[0])
    assert table_checksums(backfilled) == before
    with connect(backfilled) as conn:
        assert rebuild_all(conn) == DAYS
    assert table_checksums(backfilled) == before


@pytest.mark.slow
def test_customer_summary_follows_a_changed_day(backfilled, make_database):
    """Replacing a day with other data moves lifetime totals by exactly the difference."""
    url = make_database()
    with pointing_at(url):
        from include.generator.settings import BatchSettings
        from include.storage.days import load_day
        from include.storage.sql import apply_schema

        with connect(url) as conn:
            apply_schema(conn)
            for day in DAYS[:2]:
                load_day(conn, day, BatchSettings(interactions_per_day=800))
                refresh_day(conn, day)
            load_day(conn, DAYS[1], BatchSettings(interactions_per_day=200))  # the day shrinks
            refresh_day(conn, DAYS[1])
            _, recompute, stored = RECOMPUTE["customer_summary"]
            assert_rows_equal(conn.execute(recompute).fetchall(), conn.execute(stored).fetchall())


#: The two per-customer tables, each as one digest of its rows in key order.
CUSTOMER_TABLES = {
    "daily_customer_activity": "summary_date, customer_id",
    "customer_summary": "customer_id",
}


def customer_digests(conn) -> dict[str, tuple]:
    return {
        table: conn.execute(
            f"SELECT count(*), md5(string_agg(t::text, '|' ORDER BY {key})) FROM analytics.{table} t"
        ).fetchone()
        for table, key in CUSTOMER_TABLES.items()
    }


@pytest.mark.slow
def test_per_customer_summaries_refreshed_in_any_order_with_reruns_equal_a_rebuild(make_database):
    """Issue 25: days loaded out of order, some loaded again at another volume (customers gain and
    lose contacts, first/last contacts move), some refreshed twice: the same rows as a rebuild."""
    url = make_database()
    with pointing_at(url):
        from include.generator.settings import BatchSettings
        from include.storage.days import load_day
        from include.storage.sql import apply_schema

        with connect(url) as conn:
            apply_schema(conn)
            runs = [(DAYS[2], 300), (DAYS[0], 300), (DAYS[3], 300), (DAYS[1], 300), (DAYS[0], 120)]
            runs += [(DAYS[2], 500), (DAYS[3], 300)]
            for day, volume in runs:
                load_day(conn, day, BatchSettings(interactions_per_day=volume))
                refresh_day(conn, day)
            refresh_day(conn, DAYS[1])
            incremental = customer_digests(conn)
            assert rebuild_all(conn) == sorted(DAYS)
            assert customer_digests(conn) == incremental
            assert incremental["customer_summary"][0] > 500
            _, recompute, stored = RECOMPUTE["customer_summary"]
            assert_rows_equal(conn.execute(recompute).fetchall(), conn.execute(stored).fetchall())


def statements(path: Path) -> list[str]:
    """The SQL file's statements (these files hold no function bodies: `;` ends a statement)."""
    text = "\n".join(line for line in path.read_text().splitlines() if not line.lstrip().startswith("--"))
    return [part.strip() for part in text.split(";") if part.strip()]


def scans_of(plan: dict, tables: set[str]) -> Iterator[dict]:
    """Every node of an EXPLAIN (FORMAT JSON) plan that reads one of `tables`."""
    if plan.get("Relation Name") in tables:
        yield plan
    for child in plan.get("Plans", []):
        yield from scans_of(child, tables)


@pytest.mark.slow
def test_a_days_customer_refresh_reads_the_history_by_index_only(backfilled):
    """Issue 25: with a long history of other customers (200,000 rows in each table, analyzed),
    each statement of the day's refresh reaches customer_summary and daily_customer_activity
    through an index condition: no sequential scan, no index walked end to end."""
    history = """
        INSERT INTO analytics.daily_customer_activity
        SELECT date '2025-01-01' + n % 200, 9e15::bigint + n / 200, 1, 0, 0, now(), now()
        FROM generate_series(0, 199999) AS n;
        INSERT INTO analytics.customer_summary
        SELECT 9e15::bigint + n, 1, 0, 0, 1, now(), now() FROM generate_series(0, 199999) AS n;
        ANALYZE analytics.daily_customer_activity, analytics.customer_summary"""
    tables = set(CUSTOMER_TABLES)
    with connect(backfilled) as conn:
        try:  # rolled back below: the module's database stays as it was
            for statement in history.split(";"):
                conn.execute(statement)
            cursor = psycopg.ClientCursor(conn)
            for statement in statements(SQL_DIR / "analytics" / "customer_summary.sql"):
                if statement.startswith("DROP"):
                    continue
                cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {statement}", {"day": DAYS[1]})
                plan = cursor.fetchone()[0][0]["Plan"]
                for node in scans_of(plan, tables):
                    assert node["Node Type"] != "Seq Scan", (statement, node)
                    if node["Node Type"] in ("Index Scan", "Index Only Scan"):
                        assert "Index Cond" in node, (statement, node)
        finally:
            conn.rollback()


def test_summary_sql_is_templated_only_with_the_date():
    for path in (SQL_DIR / "analytics").glob("*.sql"):
        text = path.read_text()
        assert "{{" not in text
        placeholders = {p.split(")")[0] for p in text.split("%(")[1:]}
        assert placeholders <= {"day"}, (path.name, placeholders)


# ---------------------------------------------------------------------------- the read layer
#: Every count the read layer sums, as computed from the raw rows.
RAW_COUNTS = {
    "interaction_count": "count(*)",
    "survey_responses": "count(satisfaction_score)",
    "satisfaction_sum": "coalesce(sum(satisfaction_score), 0)",
    "csat_positive_count": "count(*) FILTER (WHERE satisfaction_score >= 4)",
    "duration_count": "count(duration_seconds)",
    "duration_sum": "coalesce(sum(duration_seconds), 0)",
    "queue_time_sum": "sum(queue_time_seconds)",
    "first_contact_resolutions": "count(*) FILTER (WHERE first_contact_resolution)",
    "escalations": "count(*) FILTER (WHERE is_escalated)",
    "repeat_contacts": "count(*) FILTER (WHERE is_repeat_contact)",
    "resolved_count": "count(*) FILTER (WHERE resolution_status = 'Resolved')",
    "pending_count": "count(*) FILTER (WHERE resolution_status = 'Pending')",
    "escalated_count": "count(*) FILTER (WHERE resolution_status = 'Escalated')",
    "cancelled_count": "count(*) FILTER (WHERE resolution_status = 'Cancelled')",
}
#: Every ratio the read layer offers: (numerator, denominator, scale), as counts above.
RATIOS = {
    "avg_satisfaction": ("satisfaction_sum", "survey_responses", 1),
    "csat_pct": ("csat_positive_count", "survey_responses", 100),
    "survey_response_rate": ("survey_responses", "interaction_count", 1),
    "first_contact_resolution_rate": ("first_contact_resolutions", "interaction_count", 1),
    "escalation_rate": ("escalations", "interaction_count", 1),
    "repeat_contact_rate": ("repeat_contacts", "interaction_count", 1),
    "avg_duration_seconds": ("duration_sum", "duration_count", 1),
    "avg_queue_time_seconds": ("queue_time_sum", "interaction_count", 1),
}
#: Read-layer function: the fact table's column it groups by (None: everything).
DIMENSIONS = {
    "overall_kpis": None,
    "channel_kpis": "channel_id",
    "interaction_type_kpis": "interaction_type_id",
    "agent_kpis": "agent_id",
}
#: Three of the four loaded days: a range that is neither one day nor everything.
RANGE = {"first": DAYS[0], "last": DAYS[2]}


def raw_counts(conn, key: str | None) -> dict:
    """{key value: {count: value}} straight from customer_interactions over RANGE."""
    counts = ", ".join(f"{expr} AS {name}" for name, expr in RAW_COUNTS.items())
    rows = conn.cursor(row_factory=dict_row).execute(
        f"""SELECT {key or "NULL"} AS key, {counts}
            FROM customer_interactions
            WHERE start_timestamp >= %(first)s::timestamp AT TIME ZONE 'UTC'
              AND start_timestamp < (%(last)s + 1)::timestamp AT TIME ZONE 'UTC'
              AND {key or "true"} IS NOT NULL
            GROUP BY 1""",
        RANGE,
    )
    return {row.pop("key"): row for row in rows}


@pytest.mark.slow
@pytest.mark.parametrize("function", sorted(DIMENSIONS))
def test_a_range_rolls_up_exactly_through_the_read_layer(backfilled, function):
    """Over several days, each count equals the raw rows' and each ratio is their quotient."""
    key = DIMENSIONS[function]
    with connect(backfilled) as conn:
        expected = raw_counts(conn, key)
        rows = (
            conn.cursor(row_factory=dict_row)
            .execute(f"SELECT * FROM analytics.{function}(%(first)s, %(last)s)", RANGE)
            .fetchall()
        )
    assert {"interaction_count", "csat_pct", "avg_satisfaction", "avg_duration_seconds"} <= {
        "interaction_count" if name == "interactions_handled" else name for name in rows[0]
    }
    assert {row.get(key) for row in rows} == set(expected)
    for row in rows:
        if "interactions_handled" in row:  # the agent table's name for it
            row["interaction_count"] = row.pop("interactions_handled")
        want = expected[row.get(key)]
        for name in RAW_COUNTS.keys() & row.keys():
            assert row[name] == want[name], (function, row.get(key), name)
        for name in RATIOS.keys() & row.keys():
            numerator, denominator, scale = RATIOS[name]
            if want[denominator] == 0:
                assert row[name] is None, (function, row.get(key), name)
                continue
            exact = Fraction(scale * want[numerator], want[denominator])
            # numeric division keeps at least 16 significant digits
            assert abs(Fraction(row[name]) - exact) <= exact / 10**15, (function, row.get(key), name)


@pytest.mark.slow
def test_a_range_is_not_an_average_of_daily_ratios(backfilled):
    """The range's CSAT % differs from the mean of its days' CSAT %: the test above has teeth."""
    with connect(backfilled) as conn:
        (whole,) = conn.execute(
            "SELECT csat_pct FROM analytics.overall_kpis(%(first)s, %(last)s)", RANGE
        ).fetchone()
        daily = [
            conn.execute("SELECT csat_pct FROM analytics.overall_kpis(%s, %s)", (day, day)).fetchone()[0]
            for day in DAYS[:3]
        ]
        assert abs(whole - sum(daily) / 3) > Decimal("1e-6")


@pytest.mark.slow
def test_make_run_summary_reads_the_read_layer_and_groups_agents_by_id(backfilled, capsys):
    """Two agents sharing a name stay two rows, each with its own figures."""
    from devtools.runner import print_summary

    with connect(backfilled) as conn:
        top = conn.execute(
            "SELECT agent_id, agent_name, interactions_handled FROM analytics.agent_kpis(%s, %s) "
            "ORDER BY interactions_handled DESC, agent_name, agent_id LIMIT 2",
            (DAYS[0], DAYS[-1]),
        ).fetchall()
        channels = conn.execute(
            "SELECT channel_name, count(*) FROM customer_interactions JOIN channels USING (channel_id) "
            "GROUP BY 1"
        ).fetchall()
        try:  # in a transaction rolled back below: the module's database stays as it was
            conn.execute("UPDATE agents SET agent_name = %s WHERE agent_id = %s", (top[0][1], top[1][0]))
            print_summary(conn, DAYS)
        finally:
            conn.rollback()
    out = capsys.readouterr().out
    agents = out.split("Top agents")[1].splitlines()
    assert [line.split()[-3] for line in agents if line.strip().startswith(top[0][1])] == [
        str(top[0][2]),
        str(top[1][2]),
    ]
    by_channel = out.split("Volume and satisfaction by channel")[1].split("Top interaction types")[0]
    for name, count in channels:
        assert any(
            line.split()[:-3] == name.split() and line.split()[-3] == str(count)
            for line in by_channel.splitlines()
        ), (name, count)


# ---------------------------------------------------------------------------- upgrade in place
#: Release 0.3's analytics tables and per-day SQL, verbatim: the layout that stored ratios.
LAYOUT_0_3 = Path(__file__).parent / "fixtures" / "analytics_0_3"
ANALYTICS_TABLES = (
    "daily_channel_summary",
    "daily_interaction_type_summary",
    "daily_agent_performance",
    "daily_service_plan_summary",
    "daily_customer_activity",
    "customer_summary",
)


def analytics_state(conn) -> dict:
    """Each analytics table's columns (in order, with types) and rows."""
    state = {}
    for table in ANALYTICS_TABLES:
        columns = conn.execute(
            "SELECT column_name, data_type, is_nullable, column_default FROM information_schema.columns "
            "WHERE table_schema = 'analytics' AND table_name = %s ORDER BY ordinal_position",
            (table,),
        ).fetchall()
        rows = conn.execute(
            f"SELECT count(*), md5(string_agg(t::text, '|' ORDER BY t::text)) FROM analytics.{table} t"
        ).fetchone()
        state[table] = (columns, rows)
    return state


@pytest.mark.slow
def test_previous_analytics_layout_upgrades_in_place(make_database):
    """0.3's tables, filled by 0.3's SQL, become the fresh layout with the same rows when the
    schema file runs again (counts filled from the stored ratios); a rebuild agrees."""
    url = make_database()
    days = DAYS[:2]
    with pointing_at(url):
        from include.generator.settings import BatchSettings
        from include.storage.days import load_day
        from include.storage.sql import apply_schema

        with connect(url) as conn:
            apply_schema(conn)
            for day in days:
                load_day(conn, day, BatchSettings(interactions_per_day=400))
                refresh_day(conn, day)
            fresh = analytics_state(conn)
            assert all(rows[0] > 0 for _, rows in fresh.values())

            conn.execute("DROP SCHEMA analytics CASCADE")
            forget_schema_upgrades(conn)  # 0.3 had no ledger
            run_sql_file(conn, LAYOUT_0_3 / "schema.sql")
            conn.commit()
            for day in days:
                with conn.transaction():
                    for name in SUMMARY_FILES:
                        if (LAYOUT_0_3 / name).exists():  # (0.3 had no interval table)
                            run_sql_file(conn, LAYOUT_0_3 / name, {"day": day})
            old = analytics_state(conn)
            assert "csat_pct" in [c[0] for c in old["daily_channel_summary"][0]]
            assert old != fresh

    for _ in range(2):  # plain psql, any number of times
        done = subprocess.run(
            [psql_path(), url, "-q", "-v", "ON_ERROR_STOP=1", "-f", str(SCHEMA_FILE)],
            capture_output=True,
            text=True,
        )
        assert done.returncode == 0, done.stderr
    with connect(url) as conn:
        assert analytics_state(conn) == fresh
        assert rebuild_all(conn) == days
        assert analytics_state(conn) == fresh


@pytest.mark.slow
def test_interval_occupancy_is_a_share_of_staffed_time(backfilled):
    """Issue #24: busy time is sliced across the intervals it ran in, so no interval's
    occupancy exceeds 1 (booked to the arrival interval, 17 % of voice intervals did)."""
    with connect(backfilled) as conn:
        worst, busy_voice, forecast_rows = conn.execute(
            "SELECT max(s.busy_seconds::numeric / nullif(s.agent_seconds * q.concurrency, 0)), "
            "percentile_cont(0.9) WITHIN GROUP (ORDER BY s.busy_seconds::numeric / s.agent_seconds) "
            "FILTER (WHERE q.service_group = 'Voice' AND s.agent_seconds > 0), "
            "count(*) FILTER (WHERE s.forecast_offered IS NOT NULL) "
            "FROM analytics.interval_queue_summary s JOIN service_queues q USING (queue_id)"
        ).fetchone()
    assert worst <= 1
    assert busy_voice > 0.5  # busy intervals are busy
    assert forecast_rows > 0
