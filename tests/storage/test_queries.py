"""Analysts' queries on the partitioned fact table: what they read (EXPLAIN), and upgrades.

Days are partitions by start_timestamp, so windows written with date arithmetic, now() or
current_date are pruned when the query starts ("Subplans Removed"); lookups by customer,
session or id probe each partition's index; closed months are one partition each; and
a database with the previous layout (day partitions by interaction_id) upgrades in place.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import psycopg

from devtools.database import connect
from devtools.reliability import RUN_SIGNUPS
from include.generator.calendar import day_volume
from include.generator.settings import BatchSettings
from include.storage.days import load_day
from include.storage.sql import BASELINE_FILE, apply_schema, run_sql_file
from tests.support import add_this_releases_dimensions, table_checksums

#: `make run`'s volume on a small customer base (the plans read the days' partitions; a base sized
#: to 2,000 a day through today is half a million customers, 20 s of writing per database).
SETTINGS = BatchSettings(interactions_per_day=2000, new_customers_per_day=RUN_SIGNUPS)
SMALL = BatchSettings(interactions_per_day=40)
PREVIOUS_SCHEMA_FILE = Path(__file__).parent / "fixtures" / "00_schema_days_by_id.sql"
TODAY = dt.datetime.now(dt.UTC).date()


def explain(conn: psycopg.Connection, sql: str, params: dict | None = None, analyze: bool = True) -> str:
    options = "ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF, BUFFERS OFF" if analyze else "COSTS OFF"
    with psycopg.ClientCursor(conn) as cur:  # literals, as psql sends them
        cur.execute(f"EXPLAIN ({options}) {sql}", params)
        return "\n".join(r[0] for r in cur)


def scanned(plan: str) -> set[str]:
    """Partitions a plan reads (those it ran; pruned ones are not listed at all)."""
    return set(re.findall(r" on (d\d{8}|m\d{6}|default_partition)\b", plan))


def partitions(conn: psycopg.Connection) -> set[str]:
    return {
        r[0]
        for r in conn.execute(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
            "WHERE i.inhparent = 'customer_interactions'::regclass"
        )
    }


def digest(url: str) -> str:
    return table_checksums(url)["customer_interactions"]


def test_windows_relative_to_now_and_current_date_read_only_their_days(schema_url):
    days = [TODAY - dt.timedelta(days=n) for n in (1, 2, 5, 9)]
    with connect(schema_url, autocommit=True) as conn:
        for day in days:
            load_day(conn, day, SETTINGS)
        for window in (
            "start_timestamp >= now() - interval '3 days'",
            "start_timestamp >= current_date - 3",
            "start_timestamp >= current_date - 3 AND start_timestamp < current_date",
        ):
            plan = explain(
                conn, f"SELECT channel_id, count(*) FROM customer_interactions WHERE {window} GROUP BY 1"
            )
            assert "Subplans Removed: 2" in plan, plan  # the two older days
            # (the default partition stays: rows of days with no partition, today's, may be there)
            assert scanned(plan) == {f"d{d:%Y%m%d}" for d in days[:2]} | {"default_partition"}, plan


def test_a_window_in_date_arithmetic_or_interval_arithmetic_reads_one_day(schema_url):
    monday, tuesday = dt.date(2026, 4, 6), dt.date(2026, 4, 7)
    with connect(schema_url, autocommit=True) as conn:
        for day in (monday, tuesday):
            load_day(conn, day, SETTINGS)
        for window in (
            "start_timestamp >= %(day)s::date AND start_timestamp < %(day)s::date + 1",
            "start_timestamp >= timestamptz %(midnight)s + interval '10 hours' "
            "AND start_timestamp < timestamptz %(midnight)s + interval '11 hours'",
        ):
            params = {"day": tuesday.isoformat(), "midnight": f"{tuesday}T00:00:00+00:00"}
            plan = explain(conn, f"SELECT count(*) FROM customer_interactions WHERE {window}", params)
            assert "Subplans Removed: 2" in plan, plan  # pruned when the query starts
            assert scanned(plan) == {"d20260407"}, plan
        # Plain literals are pruned while planning: the plan names Tuesday alone.
        plan = explain(
            conn,
            "SELECT count(*) FROM customer_interactions "
            "WHERE start_timestamp >= '2026-04-07 10:00+00' AND start_timestamp < '2026-04-07 11:00+00'",
            analyze=False,
        )
        assert scanned(plan) == {"d20260407"} and "Subplans Removed" not in plan, plan


def test_customer_session_and_id_lookups_use_each_partitions_index(schema_url):
    days = [dt.date(2026, 4, 6) + dt.timedelta(days=n) for n in range(3)]
    with connect(schema_url, autocommit=True) as conn:
        for day in days:
            load_day(conn, day, SETTINGS)
        conn.execute("ANALYZE customer_interactions")
        customer, session, interaction = conn.execute(
            "SELECT customer_id, session_id, interaction_id FROM customer_interactions "
            "WHERE start_timestamp >= '2026-04-07' ORDER BY start_timestamp LIMIT 1"
        ).fetchone()
        lookups = {
            "customer_last_50": "SELECT * FROM customer_interactions WHERE customer_id = %(customer)s "
            "ORDER BY start_timestamp DESC LIMIT 50",
            "session": "SELECT * FROM customer_interactions WHERE session_id = %(session)s",
        }
        params = {"customer": customer, "session": session}
        for name, sql in lookups.items():
            plan = explain(conn, sql, params)
            for day in days:
                index = rf"d{day:%Y%m%d}_(customer|session)"
                assert re.search(
                    rf"Index Scan( Backward)? using {index} on|Bitmap Index Scan on {index}", plan
                ), plan
            assert "Seq Scan on d2" not in plan, (name, plan)
        # An id carries its day: the planner keeps that day's partition alone (its id CHECK).
        plan = explain(
            conn, "SELECT * FROM customer_interactions WHERE interaction_id = %(id)s", {"id": interaction}
        )
        assert scanned(plan) <= {"d20260407", "default_partition"} and "d20260407_pkey" in plan, plan


def test_each_repeat_contact_links_to_its_earlier_unresolved_contact_whatever_the_load_order(schema_url):
    """analytics.repeat_contact_links: a repeat's first contact, on its day or up to 7 days before."""
    days = [dt.date(2026, 4, 1) + dt.timedelta(days=n) for n in range(9)]
    with connect(schema_url, autocommit=True) as conn:
        for day in reversed(days):  # the latest first: the links are found on read
            load_day(conn, day, SETTINGS)
        linked, later_day, max_days, other_customer = conn.execute(
            "SELECT count(*), count(*) FILTER (WHERE days_after >= 1), max(days_after), "
            "count(*) FILTER (WHERE repeat_of_customer <> customer_id) "
            "FROM (SELECT l.*, e.customer_id AS repeat_of_customer FROM analytics.repeat_contact_links AS l "
            "      JOIN customer_interactions AS e ON e.interaction_id = l.repeat_of_interaction_id) AS l "
            "WHERE start_timestamp >= %s",
            (days[-2],),
        ).fetchone()
        unlinked = conn.execute(
            "SELECT count(*) FROM analytics.repeat_contact_links "
            "WHERE start_timestamp >= %s AND repeat_of_interaction_id IS NULL",
            (days[-2],),
        ).fetchone()[0]
    assert linked > 100 and unlinked == 0 and other_customer == 0
    assert later_day > 0.3 * linked and max_days == 7


def test_an_agents_day_reads_one_day(schema_url):
    """No index on agent_id: the day's partition (or its month's start_timestamp index) narrows it."""
    month = [dt.date(2026, 2, 1) + dt.timedelta(days=n) for n in range(28)]
    with connect(schema_url, autocommit=True) as conn:
        for day in month:
            load_day(conn, day, SMALL)
        load_day(conn, dt.date(2026, 4, 7), SETTINGS)
        conn.execute("ANALYZE customer_interactions")
        sql = (
            "SELECT * FROM customer_interactions WHERE agent_id = 3 "
            "AND start_timestamp >= %(day)s::date AND start_timestamp < %(day)s::date + 1"
        )
        plan = explain(conn, sql, {"day": "2026-04-07"})
        assert scanned(plan) == {"d20260407"}, plan
        plan = explain(conn, sql, {"day": "2026-02-10"})
        assert scanned(plan) == {"m202602"} and "using m202602_start" in plan, plan


def test_a_closed_month_becomes_one_partition_and_its_days_still_reload(schema_url):
    month = [dt.date(2026, 2, 1) + dt.timedelta(days=n) for n in range(28)]
    with connect(schema_url, autocommit=True) as conn:
        for day in reversed(month[1:]):  # any order
            load_day(conn, day, SMALL)
        assert partitions(conn) == {f"d{d:%Y%m%d}" for d in month[1:]} | {"default_partition"}
        before_last = digest(schema_url)
        load_day(conn, month[0], SMALL)  # the month's last missing day: the month merges
        assert partitions(conn) == {"m202602", "default_partition"}
        merged = digest(schema_url)
        assert merged != before_last
        count = conn.execute("SELECT count(*) FROM customer_interactions").fetchone()[0]
        assert count == sum(day_volume(d, 40) for d in month)
        assert conn.execute("SELECT count(*) FROM interaction_days.of_day('2026-02-10')").fetchone()[0] == (
            day_volume(dt.date(2026, 2, 10), 40)
        )
        load_day(conn, dt.date(2026, 2, 10), SMALL)  # a re-run replaces the day inside the month
        assert partitions(conn) == {"m202602", "default_partition"}
        assert digest(schema_url) == merged
        indexes = {
            r[0]
            for r in conn.execute(
                "SELECT indexrelid::regclass::text FROM pg_index WHERE indrelid = "
                "'interaction_days.m202602'::regclass"
            )
        }
        assert indexes == {f"interaction_days.m202602_{s}" for s in ("pkey", "customer", "session", "start")}


def test_the_previous_layout_is_upgraded_in_place_with_every_row(fresh_url):
    """Day partitions by interaction_id (the release before) become partitions by start_timestamp."""
    feb = [dt.date(2026, 2, 1) + dt.timedelta(days=n) for n in range(28)]
    with connect(fresh_url, autocommit=True) as conn:
        with conn.transaction():
            run_sql_file(conn, PREVIOUS_SCHEMA_FILE)
            run_sql_file(conn, BASELINE_FILE)
            add_this_releases_dimensions(conn)
        assert (
            conn.execute("SELECT pg_get_partkeydef('customer_interactions'::regclass)").fetchone()[0]
            == "RANGE (interaction_id)"
        )
        for day in [*feb, dt.date(2026, 4, 6), dt.date(2026, 4, 7)]:
            load_day(conn, day, SMALL)  # the previous release's own create_pending/publish
        # and a hand-written row outside any loaded day, in the default partition
        conn.execute(
            "INSERT INTO customer_interactions SELECT 20260409000000001, customer_id, channel_id, "
            "interaction_type_id, agent_id, 'S-hand', start_timestamp + interval '3 days', "
            "end_timestamp + interval '3 days', duration_seconds, queue_time_seconds, resolution_status, "
            "is_escalated, first_contact_resolution, is_repeat_contact, satisfaction_score, interaction_summary, "
            "language, created_at FROM customer_interactions WHERE interaction_id = 20260406000000001"
        )
        before = table_checksums(fresh_url)

        apply_schema(conn)
        assert (
            conn.execute("SELECT pg_get_partkeydef('customer_interactions'::regclass)").fetchone()[0]
            == "RANGE (start_timestamp)"
        )
        assert table_checksums(fresh_url) == before  # every row kept, nothing added
        assert partitions(conn) == {"m202602", "d20260406", "d20260407", "default_partition"}
        assert conn.execute("SELECT to_regclass('interaction_days.days_by_id')").fetchone()[0] is None
        index_counts = dict(
            conn.execute(
                "SELECT c.relname, count(*) FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
                "JOIN pg_index x ON x.indrelid = c.oid WHERE i.inhparent = 'customer_interactions'::regclass "
                "GROUP BY 1"
            )
        )
        assert set(index_counts.values()) == {4}, index_counts  # primary key + the three indexes
        apply_schema(conn)  # the upgrade happens once
        assert table_checksums(fresh_url) == before

        load_day(conn, dt.date(2026, 4, 7), SMALL)  # and loads go on, with the same rows
        load_day(conn, dt.date(2026, 2, 3), SMALL)
        assert table_checksums(fresh_url) == before
        assert partitions(conn) == {"m202602", "d20260406", "d20260407", "default_partition"}
