"""Data-quality checks of a day: audited before it is published, reconciled after.

Write, audit, publish: a day's rows are written to a pending table, `audit_pending` runs
the checks against it inside the load's transaction, and only then is it swapped in. A
failed audit rolls the load back, so the previous version of the day (and the summaries
that describe it) stays visible and untouched. `check_published` holds the checks that
need the published day: rows of other days and the summaries, after the refresh.
"""

from __future__ import annotations

import datetime as dt

import psycopg

from include.config import SQL_DIR
from include.storage.sql import run_sql_file

PENDING_CHECKS = SQL_DIR / "checks" / "pending_day.sql"
PUBLISHED_CHECKS = SQL_DIR / "checks" / "published_day.sql"


class DataQualityError(RuntimeError):
    """A day broke a data-quality check; the message names the checks and sample rows."""


def audit_pending(conn: psycopg.Connection, day: dt.date, pending_table: str) -> None:
    """Check the day's unpublished rows in the caller's transaction; raise on any failure."""
    failures = run_sql_file(conn, PENDING_CHECKS, {"day": day}, identifiers={"pending": pending_table})
    _raise_for(failures, f"data-quality audit failed for {day}, nothing published")


def check_published(conn: psycopg.Connection, day: dt.date) -> None:
    """Cross-day and summary checks of a published day; raise on any failure."""
    with conn.transaction():
        failures = run_sql_file(conn, PUBLISHED_CHECKS, {"day": day})
    _raise_for(failures, f"data-quality checks failed for published day {day}")


def _raise_for(failures: list[tuple], what: str) -> None:
    if failures:
        details = "; ".join(
            f"{name}: {count:,} row(s)" + (f" e.g. interaction_id {', '.join(map(str, ids))}" if ids else "")
            for name, count, ids in failures
        )
        raise DataQualityError(f"{what}: {details}")
