"""What the lake holds and where (docs/lake.md): the pure layout, no I/O.

Each file is one SELECT in include/sql/export/<file>.sql:
- a day's rows: `<table>/day=YYYY-MM-DD/part-00000.parquet` (facts, workforce, summaries);
- versioned dimensions (customers, plans, agents) in three levels, so a day's export costs
  its month's changes and the base is written once a year, not once a month:
  `<dimension>_snapshots/year=YYYY/...` every row as at the end of the year before;
  `<dimension>_month_changes/month=YYYY-MM/...` the versions begun in that month (each day of
  the year's later months lists every earlier month's); `<dimension>_changes/day=YYYY-MM-DD/...`
  versions begun from the 1st of the day's month to the day;
- reference tables as at the end of the month before: `<table>_snapshots/month=YYYY-MM/...`.
A year's and a month's files are shared by the days that list them: written by the first of
them exported, kept while any of them is (the base holds a past month's changes whole once any
later day is loaded: include/storage/customers.py materializes it forward). A day is published by its manifest, `_manifests/day=YYYY-MM-DD.json`, written last.
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
#: Dimensions with versions: rebuilt as of any day from a year's snapshot, a month's and a day's changes.
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
    """One file of a day's export: which table, where under the root, its query and the
    window its query reads (first_day..last_day for changes, as_of for snapshots)."""

    table: str
    path: str
    sql_file: str
    first_day: dt.date
    last_day: dt.date
    #: Listed by other days of the year too (written once, kept while one of them is exported).
    shared: bool = False

    @property
    def as_of(self) -> dt.date:
        """A snapshot's date: the day before its window."""
        return self.first_day - dt.timedelta(days=1)


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def year_start(day: dt.date) -> dt.date:
    return day.replace(month=1, day=1)


def manifest_path(day: dt.date) -> str:
    return f"{MANIFESTS}/day={day.isoformat()}.json"


def manifest_prefix(day: dt.date) -> str:
    """The manifest names of the days that may share files with `day`: its year's."""
    return f"day={day:%Y}-"


def snapshot_path(table: str, day: dt.date) -> str:
    if table in VERSIONED_DIMENSIONS:
        return f"{table}_snapshots/year={day:%Y}/{PART}"
    return f"{table}_snapshots/month={day:%Y-%m}/{PART}"


def month_changes_path(table: str, day: dt.date) -> str:
    return f"{table}_month_changes/month={day:%Y-%m}/{PART}"


def day_changes_path(table: str, day: dt.date) -> str:
    return f"{table}_changes/day={day.isoformat()}/{PART}"


def month_starts_before(day: dt.date) -> list[dt.date]:
    """The first days of the months of `day`'s year before its own."""
    return [dt.date(day.year, m, 1) for m in range(1, day.month)]


def day_files(day: dt.date) -> list[LakeFile]:
    """Every file a day's manifest lists, in the order they are written."""
    month, year = month_start(day), year_start(day)
    files = [LakeFile(t, f"{t}/day={day.isoformat()}/{PART}", f"{t}.sql", day, day) for t in DAY_TABLES]
    for table in VERSIONED_DIMENSIONS:
        changes = f"{table}_changes.sql"
        files.append(LakeFile(f"{table}_changes", day_changes_path(table, day), changes, month, day))
        for first in month_starts_before(day):
            last = (first + dt.timedelta(days=31)).replace(day=1) - dt.timedelta(days=1)
            path = month_changes_path(table, first)
            files.append(LakeFile(f"{table}_month_changes", path, changes, first, last, shared=True))
        path = snapshot_path(table, day)
        files.append(LakeFile(f"{table}_snapshots", path, f"{table}_snapshot.sql", year, year, shared=True))
    for table in REFERENCE_TABLES:
        path = snapshot_path(table, day)
        files.append(LakeFile(f"{table}_snapshots", path, f"{table}_snapshot.sql", month, month, shared=True))
    return files


def query_params(spec: LakeFile, day: dt.date) -> dict[str, object]:
    """The parameters of a file's query: the day, the file's window and its snapshot date."""
    return {"day": day, "first_day": spec.first_day, "last_day": spec.last_day, "as_of": spec.as_of}


def dimension_as_of_sql(root: str, table: str, day: dt.date) -> str:
    """DuckDB SQL for a versioned dimension (or a reference table) as at the end of `day`, an
    exported day: the year's snapshot, the changes of each earlier month of the year and the
    day's since its month began, keeping each key's latest version. `root` is the lake as
    DuckDB reads it (a folder, or s3://bucket/prefix).
    """
    root = root.rstrip("/")
    snapshot = f"'{root}/{snapshot_path(table, day)}'"
    if table in REFERENCE_TABLES:
        return f"SELECT * FROM read_parquet({snapshot})"
    key = VERSIONED_DIMENSIONS[table]
    files = [
        snapshot,
        *(f"'{root}/{month_changes_path(table, first)}'" for first in month_starts_before(day)),
        f"'{root}/{day_changes_path(table, day)}'",
    ]
    versions = " UNION ALL BY NAME ".join(f"SELECT * FROM read_parquet({f})" for f in files)
    return (
        f"SELECT * EXCLUDE (changed_on, version) FROM ({versions}) "
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
