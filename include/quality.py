"""Data-quality checks of a day: audited before it is published, reconciled after.

Write, audit, publish: a day's rows are written to a pending table, audited inside the load's
transaction (include/storage/audit.py, a step of the load) and only then swapped in. A failed
audit rolls the load back, so the previous version of the day (and the summaries that describe
it) stays visible and untouched. `check_published` holds the checks that need the published
day: rows of other days and the summaries, after the refresh.
"""

from __future__ import annotations

import datetime as dt

import psycopg

from include.config import SQL_DIR
from include.storage.audit import DataQualityError, raise_for
from include.storage.sql import run_sql_file

PUBLISHED_CHECKS = SQL_DIR / "checks" / "published_day.sql"

__all__ = ["DataQualityError", "check_published"]


def check_published(conn: psycopg.Connection, day: dt.date) -> None:
    """Cross-day and summary checks of a published day; raise on any failure."""
    with conn.transaction():
        failures = run_sql_file(conn, PUBLISHED_CHECKS, {"day": day})
    raise_for(failures, f"data-quality checks failed for published day {day}")
