"""The source: a database or schema in the earlier 20-table model, read only.

`check_source` proves the source has every table and column the migration reads (one clear
error line otherwise, before anything is written). `stage` streams each table with
`COPY (SELECT ...) TO STDOUT` on the source into `COPY ... FROM STDIN` on the target's
unlogged `migration.src_*` tables: no row-by-row work, and nothing but SELECTs on the source
(its connection is read-only, in one REPEATABLE READ snapshot).
"""

from __future__ import annotations

import psycopg
from psycopg import sql

#: What the migration reads, per source table: column -> type of its staging column.
SOURCE_COLUMNS: dict[str, dict[str, str]] = {
    "channels": {
        "channel_id": "uuid",
        "channel_name": "text",
        "channel_type": "text",
        "is_active": "boolean",
    },
    "interaction_types": {
        "interaction_type_id": "uuid",
        "interaction_code": "text",
        "interaction_name": "text",
        "interaction_category": "text",
        "business_impact": "text",
    },
    "service_plans": {
        "plan_id": "uuid",
        "plan_code": "text",
        "plan_name": "text",
        "plan_type": "text",
        "plan_category": "text",
        "monthly_fee": "numeric",
        "data_allowance_gb": "numeric",
        "voice_minutes": "integer",
        "sms_allowance": "integer",
        "is_active": "boolean",
    },
    "agents": {
        "agent_id": "uuid",
        "agent_code": "text",
        "agent_name": "text",
        "agent_type": "text",
        "specialization": "text",
        "skill_level": "text",
        "is_active": "boolean",
        "created_at": "timestamp",
    },
    "customers": {
        "customer_id": "uuid",
        "msisdn": "text",
        "customer_name": "text",
        "region": "text",
        "account_status": "text",
        "registration_date": "date",
        "last_activity_date": "date",
        "preferred_language": "text",
        "customer_segment": "text",
        "created_at": "timestamp",
    },
    "customer_service_plans": {
        "customer_id": "uuid",
        "plan_id": "uuid",
        "activation_date": "date",
        "expiration_date": "date",
        "is_active": "boolean",
    },
    "customer_journey_sessions": {"session_id": "uuid", "customer_id": "uuid", "session_start": "timestamp"},
    "customer_interactions": {
        "interaction_id": "uuid",
        "customer_id": "uuid",
        "channel_id": "uuid",
        "interaction_type_id": "uuid",
        "agent_id": "uuid",
        "session_id": "text",
        "start_timestamp": "timestamp",
        "end_timestamp": "timestamp",
        "duration_seconds": "integer",
        "interaction_status": "text",
        "error_code": "text",
        "interaction_mode": "text",
        "escalated_to_human": "boolean",
        "escalation_reason": "text",
        "customer_satisfaction_score": "integer",
        "resolution_on_first_contact": "boolean",
        "number_of_attempts": "integer",
        "created_at": "timestamp",
    },
    "interaction_steps": {
        "step_id": "uuid",
        "interaction_id": "uuid",
        "step_type": "text",
        "step_status": "text",
        "start_timestamp": "timestamp",
        "end_timestamp": "timestamp",
        "duration_seconds": "integer",
    },
    "customer_feedback": {
        "feedback_id": "uuid",
        "interaction_id": "uuid",
        "feedback_timestamp": "timestamp",
        "satisfaction_score": "integer",
    },
}

#: Tables of the earlier model that are counted but not migrated, with the reason.
NOT_MIGRATED = {
    "interaction_outcomes": "no place in the 7-table model",
    "journey_touchpoints": "no place in the 7-table model",
    "daily_channel_metrics": "derived (the analytics summaries are recomputed)",
    "daily_agent_metrics": "derived (the analytics summaries are recomputed)",
    "customer_experience_scores": "derived (the analytics summaries are recomputed)",
    "channel_capacity": "configuration",
    "knowledge_base": "configuration",
    "survey_templates": "configuration",
    "system_alerts": "configuration",
    "performance_thresholds": "configuration",
}


class SourceShapeError(ValueError):
    """The source is not in the earlier model; the message names what is missing."""


#: Staging type -> the source column types staged as they are; any other type is read as text
#: and converted in the target, a value it cannot read becoming NULL (see `stage`).
COMPATIBLE_TYPES: dict[str, set[str]] = {
    "uuid": {"uuid"},
    "boolean": {"boolean"},
    "integer": {"integer", "smallint"},
    "numeric": {"numeric", "integer", "smallint", "bigint", "real", "double precision"},
    "timestamp": {"timestamp without time zone", "timestamp with time zone", "date"},
    "date": {"date"},
}
#: The key of each source table: rows without one, or after the first with the same one, are
#: rejected while staging (a source without a primary key can hold both).
KEYS: dict[str, tuple[str, ...]] = {
    "channels": ("channel_id",),
    "interaction_types": ("interaction_type_id",),
    "service_plans": ("plan_id",),
    "agents": ("agent_id",),
    "customers": ("customer_id",),
    "customer_service_plans": ("customer_id", "plan_id", "activation_date"),
    "customer_journey_sessions": ("session_id",),
    "customer_interactions": ("interaction_id",),
    "interaction_steps": ("step_id",),
    "customer_feedback": ("feedback_id",),
}


def source_columns(conn: psycopg.Connection, schema: str) -> dict[str, dict[str, str]]:
    """{table: {column: data_type}} of the tables the migration knows, whatever the source's
    encoding: the session speaks UTF-8 and only the names we look for come back (an SQL_ASCII
    catalog would otherwise arrive as undecoded bytes)."""
    conn.execute("SET client_encoding TO 'UTF8'")
    conn.commit()  # a SET is undone by the rollback that ends each phase
    rows = conn.execute(
        "SELECT table_name::text, column_name::text, data_type::text FROM information_schema.columns "
        "WHERE table_schema = %s AND table_name = ANY(%s)",
        (schema, [*SOURCE_COLUMNS, *NOT_MIGRATED]),
    ).fetchall()
    found: dict[str, dict[str, str]] = {}
    for table, column, data_type in rows:
        found.setdefault(table, {})[column] = data_type
    return found


def is_sql_ascii(conn: psycopg.Connection) -> bool:
    return conn.execute("SHOW server_encoding").fetchone()[0] == "SQL_ASCII"


def check_source(conn: psycopg.Connection, schema: str) -> dict[str, dict[str, str]]:
    """Raise SourceShapeError naming every missing table and column; return what was found."""
    found = source_columns(conn, schema)
    missing_tables = [t for t in SOURCE_COLUMNS if t not in found]
    missing_columns = [
        f"{t}.{c}" for t, cols in SOURCE_COLUMNS.items() if t in found for c in cols if c not in found[t]
    ]
    if missing_tables or missing_columns:
        parts = []
        if missing_tables:
            parts.append("missing tables " + ", ".join(missing_tables))
        if missing_columns:
            parts.append("missing columns " + ", ".join(missing_columns))
        raise SourceShapeError(
            f"source schema {schema!r} is not in the earlier model: {'; '.join(parts)} (nothing was written)"
        )
    return found


def staging_table(table: str) -> sql.Identifier:
    return sql.Identifier("migration", f"src_{table}")


def stage(
    source: psycopg.Connection, target: psycopg.Connection, schema: str, found: dict[str, dict[str, str]]
) -> dict:
    """Copy every migrated source table into migration.src_*; return rows read per table.

    A column of another type than the migration reads (a date stored as text, a bigint) is
    copied as text and converted in the target: a value that does not convert becomes NULL
    (then missing: the row is repaired or rejected like one without it). Rows without a key
    or repeating one are rejected (`reject_bad_keys`). Text of an SQL_ASCII source is read as
    UTF-8, or else as Windows-1252. Runs in the target's current transaction; the caller commits.
    """
    read: dict[str, int] = {}
    # Timestamps are read as UTC wall-clock times, whatever the source session's zone.
    source.execute("SET LOCAL TIME ZONE 'UTC'")
    recode = is_sql_ascii(source)
    if recode:  # bytes as stored (a UTF-8 session would refuse a Latin-1 byte); recoded below
        source.execute("SET LOCAL client_encoding TO 'SQL_ASCII'")
    for table, columns in SOURCE_COLUMNS.items():
        target_table = staging_table(table)
        as_text = {
            c for c, t in columns.items() if t != "text" and found[table][c] not in COMPATIBLE_TYPES[t]
        }
        target.execute(sql.SQL("DROP TABLE IF EXISTS {}").format(target_table))
        target.execute(
            sql.SQL("CREATE UNLOGGED TABLE {} ({})").format(
                target_table,
                sql.SQL(", ").join(
                    sql.SQL("{} {}").format(sql.Identifier(c), sql.SQL("text" if c in as_text else t))
                    for c, t in columns.items()
                ),
            )
        )
        cols = sql.SQL(", ").join(sql.Identifier(c) for c in columns)
        out_cols = sql.SQL(", ").join(
            sql.SQL("{}::text").format(sql.Identifier(c))
            if c in as_text or t == "text"
            else sql.Identifier(c)
            for c, t in columns.items()
        )
        copy_out = sql.SQL("COPY (SELECT {} FROM {}) TO STDOUT").format(
            out_cols, sql.Identifier(schema, table)
        )
        copy_in = sql.SQL("COPY {} ({}) FROM STDIN").format(target_table, cols)
        with source.cursor().copy(copy_out) as out, target.cursor().copy(copy_in) as into:
            for data in out:  # one row per chunk
                into.write(_as_utf8(bytes(data)) if recode else data)
        for column in sorted(as_text):
            _convert_text_column(target, target_table, column, columns[column])
        read[table] = target.execute(sql.SQL("SELECT count(*) FROM {}").format(target_table)).fetchone()[0]
        reject_bad_keys(target, table)
        target.execute(sql.SQL("ANALYZE {}").format(target_table))
    for table in NOT_MIGRATED:
        if table in found:
            query = sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(schema, table))
            read[table] = source.execute(query).fetchone()[0]
    return read


def _as_utf8(row: bytes) -> bytes:
    if row.isascii():
        return row
    try:
        row.decode("utf-8")
        return row
    except UnicodeDecodeError:
        return row.decode("cp1252", errors="replace").encode("utf-8")


def _convert_text_column(target: psycopg.Connection, table: sql.Identifier, column: str, type_: str) -> None:
    """A column staged as text gets its type back; values that do not convert become NULL."""
    col = sql.Identifier(column)
    target.execute(
        sql.SQL(
            "ALTER TABLE {table} ALTER {col} TYPE {type} USING "
            "CASE WHEN pg_input_is_valid(btrim({col}), {type_name}) THEN btrim({col})::{type} END"
        ).format(table=table, col=col, type=sql.SQL(type_), type_name=sql.Literal(type_))
    )


def reject_bad_keys(target: psycopg.Connection, table: str) -> None:
    """Rows without their key, and every row after the first with the same key, leave the
    staging table for migration.rejections (the first by its full text is kept)."""
    keys = KEYS[table]
    key_cols = sql.SQL(", ").join(sql.Identifier(k) for k in keys)
    key_text = sql.SQL(" || '/' || ").join(
        sql.SQL("coalesce({}::text, '')").format(sql.Identifier(k)) for k in keys
    )
    names = ", ".join(keys)
    target.execute(
        sql.SQL(
            "WITH ranked AS (SELECT ctid AS row_ctid, {key_text} AS key, {missing} AS missing, "
            "row_number() OVER (PARTITION BY {key_cols} ORDER BY t::text) AS n FROM {table} t), "
            "gone AS (DELETE FROM {table} USING ranked WHERE ctid = row_ctid AND (missing OR n > 1) "
            "RETURNING key, missing) "
            "INSERT INTO migration.rejections (source_table, source_key, reason) "
            "SELECT {name}, key, CASE WHEN missing THEN {missing_reason} ELSE {dup_reason} END FROM gone"
        ).format(
            key_text=key_text,
            missing=sql.SQL("{} IS NULL").format(sql.Identifier(keys[0])),
            key_cols=key_cols,
            table=staging_table(table),
            name=sql.Literal(table),
            missing_reason=sql.Literal(f"missing or unreadable {keys[0]}"),
            dup_reason=sql.Literal(f"duplicate {names} (the first row with it is kept)"),
        )
    )
