"""The audit of a day's pending table, a step of the load's own transaction (storage/days.py).

The checks are `include/sql/checks/pending_day.sql`; a failure raises DataQualityError before
the swap, so the previous version of the day stays. The checks that need the published day
live one layer up, in include/quality.py, and raise the same error.
"""

from __future__ import annotations

import datetime as dt

import psycopg

from include.config import SQL_DIR
from include.storage.sql import run_sql_file

PENDING_CHECKS = SQL_DIR / "checks" / "pending_day.sql"


class DataQualityError(RuntimeError):
    """A day broke a data-quality check; the message names the checks and sample rows."""


def audit_pending(conn: psycopg.Connection, day: dt.date, pending_table: str) -> None:
    """Check the day's unpublished rows in the caller's transaction; raise on any failure."""
    failures = run_sql_file(conn, PENDING_CHECKS, {"day": day}, identifiers={"pending": pending_table})
    raise_for(failures, f"data-quality audit failed for {day}, nothing published")


def raise_for(failures: list[tuple], what: str) -> None:
    """DataQualityError naming each failed check, its row count and sample ids (if any failed)."""
    if failures:
        details = "; ".join(
            f"{name}: {count:,} row(s)" + (f" e.g. interaction_id {', '.join(map(str, ids))}" if ids else "")
            for name, count, ids in failures
        )
        raise DataQualityError(f"{what}: {details}")
