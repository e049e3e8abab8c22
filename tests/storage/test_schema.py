"""Schema and reference data against a real PostgreSQL (issue 2)."""

from __future__ import annotations

import datetime as dt
import subprocess

import psycopg
import pytest

from devtools.database import connect, psql_path
from include.config import SQL_DIR
from include.storage.sql import BASELINE_FILE, SCHEMA_FILE, apply_schema, run_sql_file, table_counts

REFERENCE = {"channels": 8, "interaction_types": 12, "service_plans": 10, "agents": 40}


def psql_file(url: str, path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [psql_path(), url, "-q", "-v", "ON_ERROR_STOP=1", "-f", str(path)], capture_output=True, text=True
    )


def test_schema_and_reference_data_apply_twice_with_plain_psql(fresh_url):
    for _ in range(2):
        for path in (SCHEMA_FILE, BASELINE_FILE):
            done = psql_file(fresh_url, path)
            assert done.returncode == 0, done.stderr
    with connect(fresh_url) as conn:
        counts = dict(table_counts(conn))
        tables = {
            r[0]
            for r in conn.execute(
                "SELECT table_schema || '.' || table_name FROM information_schema.tables "
                "WHERE table_schema IN ('public', 'analytics')"
            )
        }
    assert {k: counts[k] for k in REFERENCE} == REFERENCE
    for table in (
        "customers",
        "channels",
        "agents",
        "interaction_types",
        "service_plans",
        "customer_service_plans",
        "customer_interactions",
    ):
        assert f"public.{table}" in tables
    assert "analytics.customer_summary" in tables


def test_reference_data_keeps_seed_codes(schema_url):
    with connect(schema_url) as conn:
        channels = dict(conn.execute("SELECT channel_name, channel_type FROM channels").fetchall())
        types = {
            r[0]: (r[1], r[2])
            for r in conn.execute("SELECT interaction_code, category, priority_level FROM interaction_types")
        }
        plans = {
            r[0]: (r[1], float(r[2]))
            for r in conn.execute("SELECT plan_name, plan_type, monthly_fee FROM service_plans")
        }
    assert channels["Phone"] == "Voice" and channels["In-Store"] == "In-Person"
    assert set(channels) >= {"Email", "Web Chat", "Mobile App", "WhatsApp", "Social Media", "SMS"}
    assert types["CANCELLATION"] == ("Account", "Critical") and types["TECH_SUPPORT"] == ("Technical", "High")
    assert plans["Unlimited Pro"] == ("Postpaid", 65.0) and plans["Data Only"] == ("Postpaid", 40.0)


def _insert_customer(conn, customer_id=1):
    conn.execute(
        "INSERT INTO customers (customer_id, customer_name, email, phone, registration_date, customer_segment, "
        "status, created_at) VALUES (%s, 'Ann Lee', %s, '555', '2024-01-01', 'Basic', 'Active', now())",
        (customer_id, f"ann{customer_id}@example.com"),
    )


def _interaction(**overrides):
    row = {
        "interaction_id": 1,
        "customer_id": 1,
        "channel_id": 1,
        "interaction_type_id": 1,
        "agent_id": 1,
        "session_id": "S1",
        "start_timestamp": dt.datetime(2024, 2, 1, 10, tzinfo=dt.UTC),
        "end_timestamp": dt.datetime(2024, 2, 1, 10, 5, tzinfo=dt.UTC),
        "duration_seconds": 300,
        "queue_time_seconds": 0,
        "resolution_status": "Resolved",
        "is_escalated": False,
        "first_contact_resolution": True,
        "is_repeat_contact": False,
        "satisfaction_score": 5,
        "interaction_summary": "x",
        "language": "en",
        "created_at": dt.datetime(2024, 2, 1, tzinfo=dt.UTC),
    }
    row.update(overrides)
    return row


def _insert_interaction(conn, row):
    cols = ", ".join(row)
    conn.execute(
        f"INSERT INTO customer_interactions ({cols}) VALUES ({', '.join(['%s'] * len(row))})",
        tuple(row.values()),
    )


@pytest.mark.parametrize(
    ("overrides", "error"),
    [
        ({"satisfaction_score": 6}, psycopg.errors.CheckViolation),
        ({"satisfaction_score": 0}, psycopg.errors.CheckViolation),
        ({"duration_seconds": -1}, psycopg.errors.CheckViolation),
        ({"queue_time_seconds": -5}, psycopg.errors.CheckViolation),
        ({"channel_id": 99}, psycopg.errors.ForeignKeyViolation),
        ({"customer_id": 12345}, psycopg.errors.ForeignKeyViolation),
        ({"end_timestamp": dt.datetime(2024, 2, 1, 9, tzinfo=dt.UTC)}, psycopg.errors.CheckViolation),
        ({"resolution_status": "Maybe"}, psycopg.errors.CheckViolation),
    ],
)
def test_constraints_reject_bad_interactions(schema_url, overrides, error):
    with connect(schema_url) as conn:
        _insert_customer(conn)
        _insert_interaction(conn, _interaction())  # the good row goes in
        with pytest.raises(error):
            _insert_interaction(conn, _interaction(interaction_id=2, **overrides))


def test_at_most_one_active_plan_per_customer(schema_url):
    with connect(schema_url) as conn:
        _insert_customer(conn)
        insert = (
            "INSERT INTO customer_service_plans (customer_service_plan_id, customer_id, service_plan_id, "
            "start_date, end_date, change_type, is_active, created_at) VALUES (%s, 1, %s, %s, %s, %s, %s, now())"
        )
        conn.execute(insert, (10, 1, "2024-01-01", "2024-03-31", "New", False))
        conn.execute(insert, (11, 2, "2024-04-01", None, "Upgrade", True))
        with pytest.raises(psycopg.errors.UniqueViolation):
            conn.execute(insert, (12, 3, "2024-05-01", None, "Upgrade", True))
        conn.rollback()
        with pytest.raises(psycopg.errors.CheckViolation):  # active must mean open-ended
            conn.execute(insert, (13, 3, "2024-05-01", "2024-06-01", "Upgrade", True))


def test_seed_sample_queries_run_verbatim_on_loaded_data(schema_url):
    from include.generator.settings import BatchSettings
    from include.storage.days import load_day

    with connect(schema_url) as conn:
        load_day(conn, dt.date(2024, 6, 3), BatchSettings(interactions_per_day=300))
        results = []
        for statement in (SQL_DIR / "seed" / "sample_queries.sql").read_text().split(";"):
            if statement.strip() and not all(
                line.strip().startswith("--") or not line.strip() for line in statement.splitlines()
            ):
                results.append(conn.execute(statement).fetchall())
    assert len(results) == 5
    assert all(rows for rows in results)
    by_channel = {name: count for name, count, _ in results[0]}
    assert sum(by_channel.values()) == conn_count(schema_url)


def conn_count(url: str) -> int:
    with connect(url) as conn:
        return conn.execute("SELECT count(*) FROM customer_interactions").fetchone()[0]


def test_run_sql_file_binds_parameters_as_literals_not_sql(schema_url, tmp_path):
    hostile = "x'); DROP TABLE customers; --"
    sql = tmp_path / "q.sql"
    sql.write_text("SELECT %(v)s::text AS a; SELECT 2 AS b;")
    with connect(schema_url) as conn:
        assert run_sql_file(conn, sql, {"v": hostile}) == [(2,)]
        conn.execute("SELECT count(*) FROM customers")  # still there


def test_apply_schema_is_a_no_op_on_a_loaded_database(schema_url):
    with connect(schema_url) as conn:
        before = table_counts(conn)
        apply_schema(conn)
        assert table_counts(conn) == before
