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


def source_columns(conn: psycopg.Connection, schema: str) -> dict[str, set[str]]:
    rows = conn.execute(
        "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = %s", (schema,)
    ).fetchall()
    found: dict[str, set[str]] = {}
    for table, column in rows:
        found.setdefault(table, set()).add(column)
    return found


def check_source(conn: psycopg.Connection, schema: str) -> dict[str, set[str]]:
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
    source: psycopg.Connection, target: psycopg.Connection, schema: str, found: dict[str, set[str]]
) -> dict:
    """Copy every migrated source table into migration.src_*; return rows read per table.

    Runs in the target's current transaction; the caller commits.
    """
    read: dict[str, int] = {}
    # Timestamps are read as UTC wall-clock times, whatever the source session's zone.
    source.execute("SET LOCAL TIME ZONE 'UTC'")
    for table, columns in SOURCE_COLUMNS.items():
        target_table = staging_table(table)
        target.execute(sql.SQL("DROP TABLE IF EXISTS {}").format(target_table))
        target.execute(
            sql.SQL("CREATE UNLOGGED TABLE {} ({})").format(
                target_table,
                sql.SQL(", ").join(
                    sql.SQL("{} {}").format(sql.Identifier(c), sql.SQL(t)) for c, t in columns.items()
                ),
            )
        )
        cols = sql.SQL(", ").join(sql.Identifier(c) for c in columns)
        copy_out = sql.SQL("COPY (SELECT {} FROM {}) TO STDOUT").format(cols, sql.Identifier(schema, table))
        copy_in = sql.SQL("COPY {} ({}) FROM STDIN").format(target_table, cols)
        with source.cursor().copy(copy_out) as out, target.cursor().copy(copy_in) as into:
            for data in out:
                into.write(data)
        target.execute(sql.SQL("ANALYZE {}").format(target_table))
        read[table] = target.execute(sql.SQL("SELECT count(*) FROM {}").format(target_table)).fetchone()[0]
    for table in NOT_MIGRATED:
        if table in found:
            query = sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(schema, table))
            read[table] = source.execute(query).fetchone()[0]
    return read
