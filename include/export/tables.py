"""What the lake holds and where (docs/lake.md): the pure layout, no I/O.

Three kinds of file, each one SELECT in include/sql/export/<file>.sql:
- a day's rows: `<table>/day=YYYY-MM-DD/part-00000.parquet` (facts, workforce, summaries);
- dimension versions that began in the day's month up to the day:
  `<dimension>_changes/day=YYYY-MM-DD/part-00000.parquet` (a day's export costs its month's
  changes, never the base);
- a dimension as at the end of the month before, written once a month:
  `<dimension>_snapshots/month=YYYY-MM/part-00000.parquet`.
A day is published by its manifest, `_manifests/day=YYYY-MM-DD.json`, written last.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from include.config import SQL_DIR

EXPORT_SQL_DIR = SQL_DIR / "export"
PART = "part-00000.parquet"
MANIFESTS = "_manifests"

#: Tables with one partition per day (their rows of that UTC day).
DAY_TABLES = (
    "customer_interactions",
    "agent_shifts",
    "interval_queue_summary",
    "daily_channel_summary",
    "daily_interaction_type_summary",
    "daily_agent_performance",
    "daily_service_plan_summary",
    "daily_customer_activity",
    "interaction_batches",
    "planted_events",
)
#: Dimensions with versions: rebuilt as of any day from a month's snapshot and a day's changes.
#: Each maps to its key (the as-of query keeps each key's latest version).
VERSIONED_DIMENSIONS = {
    "customers": "customer_id",
    "customer_service_plans": "customer_service_plan_id",
    "agents": "agent_id",
}
#: Reference tables: a snapshot a month (they do not change by day).
REFERENCE_TABLES = ("channels", "interaction_types", "service_plans", "service_queues", "contact_routing")


@dataclass(frozen=True)
class LakeFile:
    """One file of a day's export: which table, where under the root, and its query."""

    table: str
    path: str
    sql_file: str
    #: Shared by the days of a month (written once, kept while any day of the month is exported).
    monthly: bool = False


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def manifest_path(day: dt.date) -> str:
    return f"{MANIFESTS}/day={day.isoformat()}.json"


def snapshot_path(table: str, day: dt.date) -> str:
    return f"{table}_snapshots/month={day:%Y-%m}/{PART}"


def day_files(day: dt.date) -> list[LakeFile]:
    """Every file a day's manifest lists, in the order they are written."""
    files = [LakeFile(t, f"{t}/day={day.isoformat()}/{PART}", f"{t}.sql") for t in DAY_TABLES]
    for table in VERSIONED_DIMENSIONS:
        files.append(
            LakeFile(
                f"{table}_changes", f"{table}_changes/day={day.isoformat()}/{PART}", f"{table}_changes.sql"
            )
        )
    for table in (*VERSIONED_DIMENSIONS, *REFERENCE_TABLES):
        files.append(
            LakeFile(f"{table}_snapshots", snapshot_path(table, day), f"{table}_snapshot.sql", monthly=True)
        )
    return files


def query_params(day: dt.date) -> dict[str, object]:
    """The parameters of every export query: the day, its month's change window, the snapshot's date."""
    first = month_start(day)
    return {"day": day, "first_day": first, "last_day": day, "as_of": first - dt.timedelta(days=1)}


def dimension_as_of_sql(root: str, table: str, day: dt.date) -> str:
    """DuckDB SQL for a versioned dimension (or a reference table) as at the end of `day`, an
    exported day: the month's snapshot plus the day's file of the month's changes, keeping each
    key's latest version. `root` is the lake as DuckDB reads it (a folder, or s3://bucket/prefix).
    """
    root = root.rstrip("/")
    snapshot = f"'{root}/{snapshot_path(table, day)}'"
    if table in REFERENCE_TABLES:
        return f"SELECT * FROM read_parquet({snapshot})"
    key = VERSIONED_DIMENSIONS[table]
    changes = f"'{root}/{table}_changes/day={day.isoformat()}/{PART}'"
    return (
        f"SELECT * EXCLUDE (changed_on, version) FROM ("
        f"SELECT * FROM read_parquet({snapshot}) UNION ALL BY NAME "
        f"SELECT * FROM read_parquet({changes})) "
        f"QUALIFY row_number() OVER (PARTITION BY {key} ORDER BY changed_on DESC, version DESC) = 1"
    )


def duckdb_views(root: str, day: dt.date) -> dict[str, str]:
    """CREATE VIEW statements giving DuckDB the seed's tables: every exported day's rows (the
    day column from the Hive path), and the dimensions as at the end of `day`."""
    root = root.rstrip("/")
    views = {
        table: f"SELECT * FROM read_parquet('{root}/{table}/day=*/*.parquet', hive_partitioning = true)"
        for table in DAY_TABLES
    }
    for table in (*VERSIONED_DIMENSIONS, *REFERENCE_TABLES):
        views[table] = dimension_as_of_sql(root, table, day)
    return {name: f"CREATE OR REPLACE VIEW {name} AS {sql}" for name, sql in views.items()}
