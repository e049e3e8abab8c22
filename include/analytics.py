"""Refresh the analytics summary tables: per day (incremental) or all of them (rebuild)."""

from __future__ import annotations

import datetime as dt

import psycopg

from include.config import ANALYTICS_SQL_DIR
from include.storage.days import DURABLE_COMMIT
from include.storage.sql import run_sql_file

#: One file per table, run in this order for a day.
SUMMARY_FILES = (
    "daily_channel_summary.sql",
    "daily_interaction_type_summary.sql",
    "daily_agent_performance.sql",
    "daily_service_plan_summary.sql",
    "customer_summary.sql",
    "interval_queue_summary.sql",
)
_LOCK = "SELECT pg_advisory_xact_lock(hashtext('customer_care_pipeline:summaries'))"


def refresh_day(conn: psycopg.Connection, day: dt.date) -> None:
    """Replace `day`'s rows of every summary table in one transaction.

    Serialized by one lock: a backfill and a scheduled run may refresh at the same time,
    and customer_summary's increments must not interleave.
    """
    with conn.transaction():
        conn.execute(DURABLE_COMMIT)
        conn.execute(_LOCK)
        for name in SUMMARY_FILES:
            run_sql_file(conn, ANALYTICS_SQL_DIR / name, {"day": day})


def rebuild_all(conn: psycopg.Connection) -> list[dt.date]:
    """Empty the summaries and refresh every day that has interactions or a batch."""
    with conn.transaction():
        conn.execute(DURABLE_COMMIT)
        conn.execute(_LOCK)
        run_sql_file(conn, ANALYTICS_SQL_DIR / "rebuild_all.sql")
        days = [
            row[0]
            for row in conn.execute(
                "SELECT DISTINCT (start_timestamp AT TIME ZONE 'UTC')::date FROM customer_interactions "
                "UNION SELECT batch_date FROM interaction_batches ORDER BY 1"
            )
        ]
        for day in days:
            for name in SUMMARY_FILES:
                run_sql_file(conn, ANALYTICS_SQL_DIR / name, {"day": day})
    return days
