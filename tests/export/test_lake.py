"""The Parquet lake (issue 28): verified, byte-identical, replaceable days; dimensions as of a
day; the seed's sample queries on the lake give PostgreSQL's answers (DuckDB)."""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
from pathlib import Path

import duckdb
import pytest

from devtools.cli import main as cca
from devtools.database import connect
from include.analytics import refresh_day
from include.export.lake import ExportMismatch, export_day, read_manifest
from include.export.tables import DAY_TABLES, dimension_as_of_sql, duckdb_views
from include.generator.settings import BatchSettings
from include.storage.days import load_day
from include.storage.sql import apply_schema

SETTINGS = BatchSettings(interactions_per_day=400, new_customers_per_day=20)
# The last day of a month and the first of the next: one year's snapshot of the versioned
# dimensions, the changes of the year's earlier months (March only D2 lists), two months'
# reference tables.
D1, D2 = dt.date(2026, 3, 31), dt.date(2026, 4, 1)
SAMPLE_QUERIES = Path(__file__).resolve().parents[2] / "include" / "sql" / "seed" / "sample_queries.sql"
CUSTOMER_COLUMNS = (
    "customer_id, customer_name, email, phone, address, city, state, registration_date, customer_segment, "
    "status, churn_date, created_at, time_zone, preferred_language"
)
PLAN_COLUMNS = "customer_service_plan_id, customer_id, service_plan_id, start_date, end_date, change_type, is_active, created_at"
AGENT_COLUMNS = "agent_id, agent_name, employee_id, department, team, skill_level, hire_date, created_at"


def load(url: str, day: dt.date, settings: BatchSettings = SETTINGS) -> None:
    with connect(url) as conn:
        load_day(conn, day, settings)
        refresh_day(conn, day)
        conn.commit()


def export(url: str, day: dt.date, lake: Path):
    with connect(url) as conn:
        conn.commit()
        return export_day(conn, day, lake.as_uri())


def file_hashes(lake: Path) -> dict[str, str]:
    return {
        str(p.relative_to(lake)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(lake.rglob("*"))
        if p.is_file()
    }


def pg_rows(url: str, sql: str, params=None) -> list[tuple]:
    with connect(url) as conn:
        return sorted(tuple(r) for r in conn.execute(sql, params).fetchall())


def lake_rows(sql: str) -> list[tuple]:
    return sorted(tuple(r) for r in duckdb.sql(sql).fetchall())


def as_of(lake: Path, table: str, day: dt.date, columns: str) -> list[tuple]:
    return lake_rows(f"SELECT {columns} FROM ({dimension_as_of_sql(str(lake), table, day)})")


@pytest.fixture(scope="module")
def two_days(make_database, tmp_path_factory):
    """A database with D1 then D2 loaded, and D1's lake and dimensions captured before D2 was."""
    url = make_database()
    with connect(url) as conn:
        apply_schema(conn)
    load(url, D1)
    lake = tmp_path_factory.mktemp("lake")
    export(url, D1, lake)
    before = {
        "hashes": file_hashes(lake),
        "customers": pg_rows(url, f"SELECT {CUSTOMER_COLUMNS} FROM customers"),
        "customer_service_plans": pg_rows(url, f"SELECT {PLAN_COLUMNS} FROM customer_service_plans"),
        "agents": pg_rows(url, f"SELECT {AGENT_COLUMNS} FROM agents WHERE hire_date <= %s", (D1,)),
    }
    load(url, D2)
    return url, lake, before


def test_a_day_is_published_by_its_manifest_with_each_files_rows_and_checksum(two_days):
    url, lake, _ = two_days
    manifest = read_manifest(D1, lake.as_uri())
    files = {f["path"]: f for f in manifest["files"]}
    interactions = files[f"customer_interactions/day={D1}/part-00000.parquet"]
    with connect(url) as conn:
        in_db = conn.execute("SELECT count(*) FROM interaction_days.of_day(%s)", (D1,)).fetchone()[0]
    assert interactions["rows"] == in_db > 0
    for table in DAY_TABLES:
        assert f"{table}/day={D1}/part-00000.parquet" in files, table
    assert "customers_snapshots/year=2026/part-00000.parquet" in files
    assert "customers_month_changes/month=2026-02/part-00000.parquet" in files
    assert "customers_month_changes/month=2026-03/part-00000.parquet" not in files  # D1's own month
    assert "channels_snapshots/month=2026-03/part-00000.parquet" in files
    for path, entry in files.items():
        assert hashlib.sha256((lake / path).read_bytes()).hexdigest() == entry["sha256"], path
    assert not [p for p in lake.rglob("*.tmp")]


def test_a_day_re_exported_after_later_days_loaded_has_identical_bytes(two_days):
    url, lake, before = two_days
    export(url, D1, lake)
    assert file_hashes(lake) == before["hashes"]


def test_dimensions_as_of_an_exported_day_are_postgres_as_it_was_that_day(two_days):
    url, lake, before = two_days
    export(url, D2, lake)
    levels = {f["table"]: f["rows"] for f in read_manifest(D2, lake.as_uri())["files"]}  # March's month
    for table in ("customers", "customer_service_plans"):  # each level holds rows here
        assert min(levels[f"{table}{level}"] for level in ("_snapshots", "_month_changes", "_changes")) > 0
    assert as_of(lake, "customers", D1, CUSTOMER_COLUMNS) == before["customers"]
    assert as_of(lake, "customer_service_plans", D1, PLAN_COLUMNS) == before["customer_service_plans"]
    assert as_of(lake, "agents", D1, AGENT_COLUMNS) == before["agents"]
    # The next day, in the next month (its own month's changes, through D1), is PostgreSQL now.
    assert as_of(lake, "customers", D2, CUSTOMER_COLUMNS) == pg_rows(
        url, f"SELECT {CUSTOMER_COLUMNS} FROM customers"
    )
    assert as_of(lake, "customer_service_plans", D2, PLAN_COLUMNS) == pg_rows(
        url, f"SELECT {PLAN_COLUMNS} FROM customer_service_plans"
    )
    assert before["customers"] != pg_rows(url, f"SELECT {CUSTOMER_COLUMNS} FROM customers")


def test_a_days_change_files_find_their_rows_by_index_not_by_reading_the_base(two_days):
    """A day's export costs its month's changes: the base (millions of customers and plans at
    20,000 contacts a day) is never read whole for them."""
    from include.export.lake import _query
    from include.export.tables import day_files

    url, _, _ = two_days
    with connect(url) as conn:
        conn.execute("SET enable_seqscan = off")  # the planner's choice on a small base aside
        for spec in day_files(D2):
            if spec.table.endswith("_changes") and not spec.table.startswith("agents"):
                plan = "\n".join(r[0] for r in conn.execute("EXPLAIN " + _query(conn, spec, D2, {})))
                assert "Seq Scan" not in plan, f"{spec.table}:\n{plan}"


def _normalized(rows: list[tuple]) -> list[tuple]:
    def value(v):
        if isinstance(v, (float, decimal.Decimal)):
            return round(float(v), 9)
        return v

    return sorted((tuple(value(v) for v in row) for row in rows), key=repr)


def test_the_seeds_sample_queries_on_the_lake_give_postgres_answers(two_days):
    url, lake, _ = two_days
    export(url, D1, lake)
    export(url, D2, lake)
    db = duckdb.connect()
    db.execute("SET TimeZone = 'UTC'")
    for statement in duckdb_views(str(lake), D2).values():
        db.execute(statement)
    queries = [q.strip() for q in SAMPLE_QUERIES.read_text().split(";") if "SELECT" in q]
    assert len(queries) == 5
    with connect(url) as conn:
        for query in queries:
            expected = _normalized(conn.execute(query).fetchall())
            assert _normalized(db.execute(query).fetchall()) == expected, query[:80]
            assert expected
    # Partition pruning by day: a filter on the Hive column reads one day's file.
    plan = db.execute(
        "EXPLAIN SELECT channel_id, sum(queue_time_seconds) FROM customer_interactions "
        f"WHERE day = DATE '{D1}' GROUP BY 1"
    ).fetchall()[0][1]
    assert "Scanning Files: 1/2" in plan, plan


def test_a_deleted_or_reloaded_day_leaves_the_lake_equal_to_the_database(two_days, use_database, capsys):
    url, lake, _ = two_days
    use_database(url)
    export(url, D2, lake)
    assert (lake / "customer_interactions" / f"day={D2}").exists()
    with connect(url) as conn:  # the user deletes D2
        conn.execute(
            "DELETE FROM customer_interactions WHERE start_timestamp >= %s AND start_timestamp < %s",
            (D2, D2 + dt.timedelta(days=1)),
        )
        conn.execute("DELETE FROM interaction_batches WHERE batch_date = %s", (D2,))
        conn.commit()
    load(url, D1, BatchSettings(interactions_per_day=250, new_customers_per_day=20))  # and reloads D1 smaller
    assert cca(["export", str(D1), str(D2), "--url", lake.as_uri()]) == 0
    assert "exported 1 day(s)" in capsys.readouterr().out
    assert read_manifest(D2, lake.as_uri()) is None
    assert not (lake / "customer_interactions" / f"day={D2}").exists()
    assert not (lake / "customers_month_changes" / "month=2026-03").exists()  # only D2 listed it
    assert (lake / "customers_month_changes" / "month=2026-02").exists()  # D1 lists it
    assert not (lake / "channels_snapshots" / "month=2026-04").exists()
    assert (lake / "customers_snapshots" / "year=2026").exists()  # D1 still uses it
    in_lake = duckdb.sql(
        f"SELECT count(*) FROM read_parquet('{lake}/customer_interactions/*/*.parquet')"
    ).fetchall()[0][0]
    with connect(url) as conn:
        assert in_lake == conn.execute("SELECT count(*) FROM customer_interactions").fetchone()[0]
    assert read_manifest(D1, lake.as_uri())["files"][0]["rows"] == in_lake


def test_a_write_that_fails_leaves_the_day_unpublished_and_its_previous_files_whole(two_days):
    url, lake, _ = two_days
    export(url, D1, lake)
    part = lake / "customer_interactions" / f"day={D1}" / "part-00000.parquet"
    kept = part.read_bytes()
    blocker = part.parent / f".{part.name}.tmp"
    blocker.mkdir()  # the file cannot be written
    try:
        with pytest.raises(IsADirectoryError):
            export(url, D1, lake)
        assert read_manifest(D1, lake.as_uri()) is None
        assert part.read_bytes() == kept
    finally:
        blocker.rmdir()
    export(url, D1, lake)
    assert read_manifest(D1, lake.as_uri()) is not None


def test_a_file_that_differs_from_postgres_fails_the_check(two_days):
    from include.export import lake as lake_module
    from include.export.tables import day_files

    url, lake, _ = two_days
    export(url, D1, lake)
    spec = next(f for f in day_files(D1) if f.table == "daily_channel_summary")
    other = lake / "daily_channel_summary" / f"day={D1}" / "part-00000.parquet"
    entry = next(
        f for f in read_manifest(D1, lake.as_uri())["files"] if f["table"] == "daily_channel_summary"
    )
    with connect(url) as conn:
        conn.commit()
        # The same day's channel summary checked against another day's rows in PostgreSQL.
        query = lake_module._query(conn, spec, D2, {})
        with pytest.raises(ExportMismatch, match="differs from PostgreSQL"):
            lake_module._verify(
                conn, lake_module.lake_root(lake.as_uri()) / spec.path, query, 8, entry["sha256"]
            )
    assert other.exists()


def test_export_refuses_a_reversed_range_in_one_line(capsys):
    assert cca(["export", "2026-03-05", "2026-03-01"]) == 2
    assert capsys.readouterr().err.strip() == "error: END 2026-03-01 is before START 2026-03-05"


def test_a_file_days_share_is_written_by_one_day_at_a_time(two_days, tmp_path):
    """Two days exported side by side (JOBS=2) must not write the year's snapshot at once: the
    second waits for the first (here, another session holds the file and the export gives up)."""
    import psycopg

    from include.export.lake import lake_root, shared_file_key
    from include.export.tables import day_files

    url, _, _ = two_days
    lake = tmp_path / "lake"
    spec = next(f for f in day_files(D1) if f.table == "customers_snapshots")
    with connect(url) as holder:
        holder.execute(
            "SELECT pg_advisory_xact_lock(hashtext('customer_care_pipeline:lake'), hashtext(%s))",
            (shared_file_key(lake_root(lake.as_uri()), spec),),
        )
        with connect(url) as conn:
            conn.execute("SET lock_timeout = '1s'")
            conn.commit()
            with pytest.raises(psycopg.errors.LockNotAvailable):
                export_day(conn, D1, lake.as_uri())
    assert read_manifest(D1, lake.as_uri()) is None


def test_the_checks_leave_out_the_querys_final_sort_only():
    """PostgreSQL's totals do not depend on the order: the final sort is skipped, a subquery's kept."""
    import pyarrow as pa

    from include.export.parquet import checks_sql

    schema = pa.schema([pa.field("a", pa.int64())])
    sql, _ = checks_sql(schema, "SELECT a FROM t\nORDER BY a, b")
    assert "ORDER BY" not in sql
    sql, _ = checks_sql(schema, "SELECT * FROM (SELECT a FROM t ORDER BY a LIMIT 5) AS s")
    assert "ORDER BY a LIMIT 5" in sql
