"""Apply the project's SQL files (schema, reference data) through one connection."""

from __future__ import annotations

import psycopg

from include.config import SQL_DIR

SCHEMA_FILE = SQL_DIR / "00_schema.sql"
BASELINE_FILE = SQL_DIR / "01_baseline_data.sql"


def run_sql_file(conn: psycopg.Connection, path) -> None:
    """Run a whole .sql file (it manages its own transaction) as psql -f would."""
    conn.execute(path.read_text())
    conn.commit()


def apply_schema(conn: psycopg.Connection) -> None:
    """Schema and reference data; both idempotent."""
    run_sql_file(conn, SCHEMA_FILE)
    run_sql_file(conn, BASELINE_FILE)


def table_counts(conn: psycopg.Connection) -> list[tuple[str, int]]:
    tables = [
        "channels", "interaction_types", "service_plans", "agents", "customers",
        "customer_service_plans", "customer_interactions",
    ]
    return [(t, conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]) for t in tables]
