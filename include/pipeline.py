"""What the DAG's Python tasks do, importable and testable without Airflow.

Each function takes a psycopg connection (the DAG gets it from PostgresHook) and the
batch date; the DAG file only wires them together.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path

import psycopg

from include.config import REPORTS_DIR, SQL_DIR
from include.generator import config
from include.generator.loader import BatchSettings, ensure_customer_base, load_day, validate_day
from include.schema import run_sql_file

#: Keys a run's conf may hold (the DAG's params); anything else is a typo to reject.
PARAM_KEYS = ("batch_date", "interactions_per_day", "seed", "new_customers_per_day")


class DataQualityError(RuntimeError):
    """A day's batch broke a data-quality check; the message names checks and rows."""


def resolve_batch_date(
    batch_date: str | None, logical_date: dt.datetime | None, run_after: dt.datetime | None
) -> dt.date:
    """The UTC day a run loads.

    An explicit `batch_date` param wins. Otherwise the UTC day of the run's logical date:
    with CronDataIntervalTimetable("@daily") that is the start of its data interval, so
    the scheduled run that starts just after midnight loads the day that just ended, and
    a backfill run for D (or `airflow dags test ... D`) loads D. Manual runs triggered
    without a logical date load the last full day before the trigger.
    """
    if batch_date:
        try:
            day = dt.date.fromisoformat(str(batch_date))
        except ValueError:
            raise ValueError(f"batch_date must be YYYY-MM-DD, got {batch_date!r}") from None
    elif logical_date is not None:
        day = logical_date.astimezone(dt.UTC).date()
    elif run_after is not None:
        day = run_after.astimezone(dt.UTC).date() - dt.timedelta(days=1)
    else:
        raise ValueError("cannot tell which day to load: no batch_date, data interval or run time")
    validate_day(day)
    return day


def settings_from_params(
    params: Mapping[str, object], conf: Mapping[str, object] | None = None
) -> BatchSettings:
    """Validated generator settings from the run's params; unknown conf keys are rejected."""
    unknown = sorted(set(conf or {}) - set(PARAM_KEYS))
    if unknown:
        raise ValueError(
            f"unknown parameter(s) {', '.join(map(repr, unknown))}; allowed: {', '.join(PARAM_KEYS)}"
        )
    return BatchSettings(
        interactions_per_day=params.get("interactions_per_day", config.DEFAULT_INTERACTIONS_PER_DAY),
        seed=params.get("seed", config.DEFAULT_SEED),
        new_customers_per_day=params.get("new_customers_per_day", config.DEFAULT_NEW_CUSTOMERS_PER_DAY),
    )


def extend_customer_base(conn: psycopg.Connection, day: dt.date, settings: BatchSettings) -> int:
    return ensure_customer_base(conn, day, settings)


def generate_interactions(conn: psycopg.Connection, day: dt.date, settings: BatchSettings) -> int:
    return load_day(conn, day, settings)


def check_data_quality(conn: psycopg.Connection, day: dt.date) -> None:
    """Fail with every broken check, how many rows break it and a few of their ids."""
    with conn.transaction():
        failures = run_sql_file(conn, SQL_DIR / "checks" / "daily_batch.sql", {"day": day})
    if failures:
        details = "; ".join(
            f"{name}: {count:,} row(s)" + (f" e.g. interaction_id {', '.join(map(str, ids))}" if ids else "")
            for name, count, ids in failures
        )
        raise DataQualityError(f"data-quality checks failed for {day}: {details}")


def write_report(conn: psycopg.Connection, day: dt.date, out_dir: Path = REPORTS_DIR) -> Path:
    from include.report import render_report

    return render_report(conn, day, out_dir)
