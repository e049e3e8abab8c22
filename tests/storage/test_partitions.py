"""The fact table's day partitions: what a load leaves behind, what a query reads, upgrades."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import psycopg
import pytest

from devtools.database import connect
from include.generator.calendar import day_volume
from include.generator.settings import BatchSettings
from include.storage.days import load_day, replace_day
from include.storage.sql import apply_schema
from tests.support import forget_schema_upgrades, table_checksums

SETTINGS = BatchSettings(interactions_per_day=500)
MONDAY, TUESDAY = dt.date(2026, 4, 6), dt.date(2026, 4, 7)


def partitions(conn) -> set[str]:
    return {
        r[0]
        for r in conn.execute(
            "SELECT c.oid::regclass::text FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
            "WHERE i.inhparent = 'customer_interactions'::regclass"
        )
    }


def leftover_tables(conn) -> list[str]:
    """Tables in interaction_days that are not partitions: failed or unfinished loads."""
    return [
        r[0]
        for r in conn.execute(
            "SELECT c.oid::regclass::text FROM pg_class c WHERE c.relnamespace = 'interaction_days'::regnamespace "
            "AND c.relkind = 'r' AND NOT c.relispartition AND c.relname <> 'template'"
        )
    ]


def interactions_digest(url: str) -> str:
    return table_checksums(url)["customer_interactions"]


def rows_by_partition(conn) -> dict[str, int]:
    return dict(
        conn.execute("SELECT tableoid::regclass::text, count(*) FROM customer_interactions GROUP BY 1")
    )


def test_each_loaded_day_is_one_partition_and_a_reload_replaces_it(schema_url):
    with connect(schema_url, autocommit=True) as conn:
        load_day(conn, MONDAY, SETTINGS)
        load_day(conn, TUESDAY, SETTINGS)
        first = interactions_digest(schema_url)
        load_day(conn, MONDAY, SETTINGS)
        assert partitions(conn) == {
            "interaction_days.d20260406",
            "interaction_days.d20260407",
            "interaction_days.default_partition",
        }
        assert rows_by_partition(conn) == {
            "interaction_days.d20260406": day_volume(MONDAY, 500),
            "interaction_days.d20260407": day_volume(TUESDAY, 500),
        }
        assert leftover_tables(conn) == []
        assert interactions_digest(schema_url) == first


def test_a_query_for_one_day_reads_only_that_days_partition(schema_url):
    with connect(schema_url, autocommit=True) as conn:
        for day in (MONDAY, TUESDAY):
            load_day(conn, day, SETTINGS)
        plan = "\n".join(
            r[0]
            for r in conn.execute(
                "EXPLAIN SELECT count(*) FROM customer_interactions "
                "WHERE start_timestamp >= ('2026-04-07'::date)::timestamp AT TIME ZONE 'UTC' "
                "AND start_timestamp < ('2026-04-07'::date + 1)::timestamp AT TIME ZONE 'UTC'"
            )
        )
    assert "d20260407" in plan
    assert "d20260406" not in plan  # excluded by its start_timestamp CHECK, not scanned


def test_the_per_day_sql_plans_one_partition_whatever_the_history(schema_url):
    """interaction_days.of_day, which every per-day check and summary reads, prunes while planning."""
    with connect(schema_url, autocommit=True) as conn:
        for day in (MONDAY, TUESDAY):
            load_day(conn, day, SETTINGS)
        with psycopg.ClientCursor(conn) as cur:  # the day bound as a literal, as run_sql_file does
            cur.execute(
                "EXPLAIN SELECT count(*) FROM interaction_days.of_day(%(day)s::date)", {"day": TUESDAY}
            )
            plan = "\n".join(r[0] for r in cur)
        assert conn.execute("SELECT count(*) FROM interaction_days.of_day(%s)", (TUESDAY,)).fetchone()[0] == (
            day_volume(TUESDAY, 500)
        )
    assert "d20260407" in plan
    assert "d20260406" not in plan and "default_partition" not in plan
    assert "Subplans Removed" not in plan  # pruned while planning, not at run time


def test_a_row_with_a_missing_key_fails_the_load_and_keeps_the_old_day(schema_url):
    """Rows go in unchecked (no per-row triggers); the audit names the orphan before the swap."""
    from include.quality import DataQualityError

    with connect(schema_url, autocommit=True) as conn:
        load_day(conn, MONDAY, SETTINGS)
        before = rows_by_partition(conn)

        def fill_with_an_orphan(table: str) -> int:
            start = dt.datetime(2026, 4, 6, 9, tzinfo=dt.UTC)
            conn.execute(
                f"INSERT INTO {table} (interaction_id, customer_id, channel_id, interaction_type_id, session_id, "
                "start_timestamp, end_timestamp, queue_time_seconds, resolution_status, is_escalated, "
                "first_contact_resolution, is_repeat_contact, language, created_at) VALUES (20260406000000001, "
                "424242, 1, 1, 'S', %s, %s, 0, 'Resolved', false, true, false, 'en', %s)",
                (start, start + dt.timedelta(minutes=5), start),
            )
            return 1

        with pytest.raises(
            DataQualityError, match=r"orphan_customer: 1 row\(s\) e\.g\. interaction_id 20260406000000001"
        ):
            replace_day(conn, MONDAY, 1, SETTINGS, fill_with_an_orphan)
        assert rows_by_partition(conn) == before
        assert leftover_tables(conn) == []
        load_day(conn, MONDAY, SETTINGS)  # and nothing is left locked
        assert rows_by_partition(conn) == before


def test_rows_of_a_day_in_the_default_partition_give_way_to_the_loaded_day(schema_url):
    """Hand-loaded rows (psql size files, INSERTs) sit in the default partition until their day is loaded."""
    with connect(schema_url, autocommit=True) as conn:
        load_day(conn, MONDAY, SETTINGS)
        clean = interactions_digest(schema_url)
        conn.execute("ALTER TABLE customer_interactions DETACH PARTITION interaction_days.d20260406")
        conn.execute("INSERT INTO customer_interactions SELECT * FROM interaction_days.d20260406")
        conn.execute("DROP TABLE interaction_days.d20260406")
        conn.commit()
        assert rows_by_partition(conn) == {"interaction_days.default_partition": day_volume(MONDAY, 500)}
        load_day(conn, MONDAY, SETTINGS)
        assert rows_by_partition(conn) == {"interaction_days.d20260406": day_volume(MONDAY, 500)}
        assert interactions_digest(schema_url) == clean


#: The schema file of the release before partitions by start_timestamp (days by interaction_id).
PREVIOUS_SCHEMA_FILE = Path(__file__).parent / "fixtures" / "00_schema_days_by_id.sql"


def unpartitioned_fact_table() -> str:
    """The fact table as releases before day partitions created it: the same DDL, unpartitioned."""
    ddl = re.search(
        r"CREATE TABLE IF NOT EXISTS customer_interactions \(.*?\) PARTITION BY RANGE \(interaction_id\);",
        PREVIOUS_SCHEMA_FILE.read_text(),
        re.S,
    ).group(0)
    return (
        ddl.replace(" PARTITION BY RANGE (interaction_id)", "")
        + "CREATE INDEX customer_interactions_start ON customer_interactions (start_timestamp);"
    )


def test_an_unpartitioned_fact_table_is_upgraded_in_place(schema_url):
    with connect(schema_url, autocommit=True) as conn:
        load_day(conn, MONDAY, SETTINGS)
        load_day(conn, TUESDAY, SETTINGS)
        digest = interactions_digest(schema_url)
        conn.execute("CREATE TEMP TABLE saved AS SELECT * FROM customer_interactions")
        conn.execute("DROP TABLE customer_interactions CASCADE")
        conn.execute(unpartitioned_fact_table())
        forget_schema_upgrades(conn)  # those releases had no ledger
        conn.execute("INSERT INTO customer_interactions SELECT * FROM saved")
        conn.commit()

        apply_schema(conn)
        assert (
            conn.execute(
                "SELECT relkind FROM pg_class WHERE oid = 'customer_interactions'::regclass"
            ).fetchone()[0]
            == "p"
        )
        assert interactions_digest(schema_url) == digest  # every row kept, in the default partition
        assert set(rows_by_partition(conn)) == {"interaction_days.default_partition"}
        apply_schema(conn)  # and the upgrade is done once

        load_day(conn, TUESDAY, SETTINGS)  # a reloaded day moves into its own partition
        assert rows_by_partition(conn) == {
            "interaction_days.default_partition": day_volume(MONDAY, 500),
            "interaction_days.d20260407": day_volume(TUESDAY, 500),
        }
        assert interactions_digest(schema_url) == digest


def test_a_row_whose_id_and_start_disagree_on_the_day_fails_the_quality_check(schema_url):
    from include.analytics import refresh_day
    from include.quality import DataQualityError, check_published

    with connect(schema_url, autocommit=True) as conn:
        load_day(conn, MONDAY, SETTINGS)
        refresh_day(conn, MONDAY)
        check_published(conn, MONDAY)  # a clean day passes
        # A Monday interaction filed under another day's id.
        conn.execute(
            "CREATE TEMP TABLE stray AS SELECT * FROM customer_interactions WHERE interaction_id = %s",
            (int(f"{MONDAY:%Y%m%d}000000001"),),
        )
        conn.execute("UPDATE stray SET interaction_id = 20260410000000001")
        with pytest.raises(
            psycopg.errors.CheckViolation, match="d20260406_ids"
        ):  # not into Monday's partition
            conn.execute("INSERT INTO customer_interactions SELECT * FROM stray")
        # A Monday id on a row starting on a day with no partition: it lands in the default partition.
        conn.execute(
            "UPDATE stray SET interaction_id = 20260406000000001, start_timestamp = start_timestamp + interval "
            "'4 days', end_timestamp = end_timestamp + interval '4 days'"
        )
        conn.execute("INSERT INTO customer_interactions SELECT * FROM stray")
        with pytest.raises(
            DataQualityError,
            match=r"interaction_id_not_of_this_day: 1 row\(s\) e\.g\. interaction_id 20260406000000001",
        ):
            check_published(conn, MONDAY)
