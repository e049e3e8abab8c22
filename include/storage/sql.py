"""Run the project's .sql files: the schema, the reference data, the per-day SQL."""

from __future__ import annotations

import re
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


#: psql's `\\ir FILE` (FILE relative to the including file, optionally in single quotes).
INCLUDE_LINE = re.compile(r"^[ \t]*\\ir[ \t]+(?:'(?P<quoted>[^']+)'|(?P<bare>\S+))[ \t]*$", re.M)
#: Any other psql meta-command at the start of a line: psql would run it, the server cannot.
META_COMMAND_LINE = re.compile(r"^[ \t]*\\(?!ir[ \t])", re.M)


class SqlIncludeError(ValueError):
    """A .sql file that only psql could run as written (an unknown meta-command, a cycle)."""


def expand_includes(path: Path, _including: tuple[Path, ...] = ()) -> str:
    """The file's text with each `\\ir FILE` line replaced by FILE's (expanded) text, as psql does.

    So `psql -f` and run_sql_file run the same statements from the same bytes (read without
    newline translation: an upgrade's recorded checksum is of its exact text).
    """
    path = path.resolve()
    if path in _including:
        raise SqlIncludeError(f"{path}: includes itself (via {' -> '.join(p.name for p in _including)})")
    with open(path, encoding="utf-8", newline="") as source:
        text = source.read()
    if stray := META_COMMAND_LINE.search(text):
        line = text.count("\n", 0, stray.start()) + 1
        raise SqlIncludeError(f"{path}:{line}: only \\ir meta-commands are supported outside psql")

    def included(match: re.Match) -> str:
        name = match["quoted"] or match["bare"]
        return expand_includes(path.parent / name, (*_including, path)).rstrip("\n")

    return INCLUDE_LINE.sub(included, text)


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
    text = expand_includes(path)
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


def create_schema(conn: psycopg.Connection) -> None:
    """00_schema.sql and the files it includes: today's layout, and the upgrades not yet
    recorded in cca_meta.schema_upgrades (one transaction of its own)."""
    run_sql_file(conn, SCHEMA_FILE)
    conn.commit()


def apply_schema(conn: psycopg.Connection) -> None:
    """Schema and reference data (both idempotent files with their own BEGIN/COMMIT)."""
    create_schema(conn)
    run_sql_file(conn, BASELINE_FILE)
    conn.commit()


def table_counts(conn: psycopg.Connection) -> list[tuple[str, int]]:
    return [(t, conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]) for t in MODEL_TABLES]
