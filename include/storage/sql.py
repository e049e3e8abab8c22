"""Run the project's .sql files: the schema, the reference data, the per-day SQL."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import psycopg
from psycopg import sql

from include.config import SQL_DIR

SCHEMA_FILE = SQL_DIR / "00_schema.sql"
BASELINE_FILE = SQL_DIR / "01_baseline_data.sql"
MODEL_TABLES = (
    "channels",
    "interaction_types",
    "service_plans",
    "agents",
    "customers",
    "customer_service_plans",
    "customer_interactions",
)


def run_sql_file(
    conn: psycopg.Connection,
    path: Path,
    params: Mapping[str, object] | None = None,
    identifiers: Mapping[str, str] | None = None,
) -> list:
    """Run every statement of a file in the caller's transaction; return the last result rows.

    psycopg 3 binds parameters server-side, which rules out several statements in one
    string; a ClientCursor binds them client-side (literal-safe quoting) instead.
    `identifiers` fill `{name}` placeholders with quoted (schema-qualified) table names.
    """
    text = path.read_text()
    query: str | sql.Composed = text
    if identifiers:
        query = sql.SQL(text).format(**{k: sql.Identifier(*v.split(".")) for k, v in identifiers.items()})
    with psycopg.ClientCursor(conn) as cur:
        cur.execute(query, params)
        rows = []
        while True:
            if cur.description is not None:
                rows = cur.fetchall()
            if not cur.nextset():
                break
        return rows


def apply_schema(conn: psycopg.Connection) -> None:
    """Schema and reference data (both idempotent files with their own BEGIN/COMMIT)."""
    run_sql_file(conn, SCHEMA_FILE)
    run_sql_file(conn, BASELINE_FILE)
    conn.commit()


def table_counts(conn: psycopg.Connection) -> list[tuple[str, int]]:
    return [(t, conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]) for t in MODEL_TABLES]
