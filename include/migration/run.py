"""Migrate a database in the earlier 20-table model into this one, in phases.

1. check the source's shape (nothing written if it is not the earlier model);
2. stage: stream every source table into unlogged `migration.src_*` tables (COPY);
3. reference rows, customers and plan history (one transaction, set-based SQL);
4. interactions with steps, journeys and feedback folded in, into a work table;
5. publish each migrated day through the loader's swap (one transaction per day);
6. refresh the analytics summaries of those days; write the report.

Every phase is idempotent and ids come from `migration.uuid_map`, so a second run, or a
re-run after an interruption anywhere, ends with exactly the tables of one clean run. The
source connection is read-only and only ever SELECTs.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import psycopg
from psycopg import sql

from include.config import SQL_DIR
from include.connections import limit_session
from include.migration import source as src
from include.storage.sql import apply_schema, run_sql_file

MIGRATION_SQL = SQL_DIR / "migration"
_LOCK_MIGRATION = "SELECT pg_advisory_lock(hashtext('customer_care_pipeline:migration'))"
_UNLOCK_MIGRATION = "SELECT pg_advisory_unlock(hashtext('customer_care_pipeline:migration'))"
_LOCK_DAY = "SELECT pg_advisory_xact_lock(hashtext('customer_care_pipeline:day'), %s)"
WORK_COLUMNS = (
    "interaction_id, customer_id, channel_id, interaction_type_id, agent_id, session_id, start_timestamp, "
    "end_timestamp, duration_seconds, queue_time_seconds, resolution_status, is_escalated, "
    "first_contact_resolution, is_repeat_contact, satisfaction_score, interaction_summary, language, created_at"
)


class MigrationFailed(ValueError):
    """The tool itself failed (not the data: bad rows are counted, never raised): one line
    naming the phase. Phases committed before it stay, and a re-run completes the migration."""

    def __init__(self, phase: str, cause: BaseException) -> None:
        first = (str(cause).strip().splitlines() or [type(cause).__name__])[0]
        super().__init__(
            f"migration failed in phase {phase!r}: {type(cause).__name__}: {first} "
            "(phases before it are committed; run the migration again to complete it)"
        )
        self.phase = phase


@contextmanager
def phase_errors(name: str) -> Iterator[None]:
    """Any failure inside becomes MigrationFailed naming the phase (interrupts pass through)."""
    try:
        yield
    except MigrationFailed:
        raise
    except src.SourceShapeError:
        raise
    except Exception as exc:
        raise MigrationFailed(name, exc) from exc


@dataclass
class MigrationResult:
    report: list[tuple[str, str, str, int]]  # (source_table, outcome, reason, rows)
    days: list[dt.date] = field(default_factory=list)
    replaced_generated: int = 0
    seconds: float = 0.0
    phase_seconds: dict[str, float] = field(default_factory=dict)

    def rows(self, table: str, outcome: str) -> int:
        return sum(r[3] for r in self.report if r[0] == table and r[1] == outcome)


def ensure_migration_schema(conn: psycopg.Connection) -> None:
    """The project's schema and reference data, then the migration's bookkeeping (idempotent)."""
    apply_schema(conn)
    with conn.transaction():
        run_sql_file(conn, MIGRATION_SQL / "00_migration_schema.sql")


def _phase(conn: psycopg.Connection, run_id: int, name: str) -> None:
    with conn.transaction():
        conn.execute("UPDATE migration.runs SET phase = %s WHERE run_id = %s", (name, run_id))


def migrate(
    target: psycopg.Connection,
    source: psycopg.Connection,
    source_schema: str = "public",
    *,
    source_label: str = "",
    start_date: dt.date | None = None,
    end_date: dt.date | None = None,
    replace_generated: bool = False,
    refresh_summaries: bool = True,
    after_phase: Callable[[str], None] | None = None,
) -> MigrationResult:
    """Migrate everything the source holds (within the date range) into the target.

    `after_phase(name)` is called after each committed phase ("staged", "customers",
    "interactions", "day <date>", "summaries"): tests raise there to interrupt a run.
    """
    if start_date and end_date and start_date > end_date:
        raise ValueError(f"start_date {start_date} is after end_date {end_date}")
    began = time.perf_counter()
    clock = _PhaseClock()
    with phase_errors("check the source"):
        limit_session(source)  # the pipeline's statement and idle timeouts (include/connections.py)
        limit_session(target)
        found = check_source_shape(source, source_schema)  # nothing written before this passes
    with phase_errors("prepare the target"), migration_lock(target):
        days, replaced, report = _run_phases(
            target,
            source,
            source_schema,
            found,
            label=source_label or source_schema,
            dates=(start_date, end_date),
            replace_generated=replace_generated,
            refresh_summaries=refresh_summaries,
            hook=after_phase or (lambda name: None),
            clock=clock,
        )
    return MigrationResult(
        report=report,
        days=days,
        replaced_generated=replaced,
        seconds=time.perf_counter() - began,
        phase_seconds=clock.timings,
    )


class _PhaseClock:
    """Seconds each phase took, from the end of the one before (MigrationResult.phase_seconds)."""

    def __init__(self) -> None:
        self.timings: dict[str, float] = {}
        self._last = time.perf_counter()

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.timings[name] = round(now - self._last, 2)
        self._last = now


def _run_phases(
    target: psycopg.Connection,
    source: psycopg.Connection,
    source_schema: str,
    found: dict[str, set[str]],
    *,
    label: str,
    dates: tuple[dt.date | None, dt.date | None],
    replace_generated: bool,
    refresh_summaries: bool,
    hook: Callable[[str], None],
    clock: _PhaseClock,
) -> tuple[list[dt.date], int, list[tuple[str, str, str, int]]]:
    """The committed phases in order (stage, customers, interactions, publish, summaries, report),
    each named in its errors, timed and followed by `hook`: (days published, generated days
    replaced, the report)."""
    with phase_errors("stage"):
        run_id = stage_phase(target, source, source_schema, found, label)
    clock.lap("stage")
    hook("staged")
    with phase_errors("customers"):
        customers_phase(target, run_id)
    clock.lap("customers")
    hook("customers")
    with phase_errors("interactions"):
        prepare_interactions_phase(target, run_id, *dates, replace_generated)
    clock.lap("interactions")
    hook("interactions")
    with phase_errors("publish"):
        days, replaced = publish_phase(target, run_id, label, hook)
    clock.lap("publish")
    if refresh_summaries:
        with phase_errors("summaries"):
            summaries_phase(target, run_id, days)
        clock.lap("summaries")
        hook("summaries")
    with phase_errors("report"):
        report = finish_phase(target, run_id)
        drop_staging(target)
    clock.lap("report")
    return days, replaced, report


def check_source_shape(source: psycopg.Connection, schema: str) -> dict[str, set[str]]:
    """Make the source session read-only (one snapshot per phase) and check its tables."""
    source.rollback()
    source.read_only = True
    source.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
    found = src.check_source(source, schema)
    source.rollback()
    return found


@contextmanager
def migration_lock(target: psycopg.Connection) -> Iterator[None]:
    """The schemas exist, and one migration at a time writes to this database."""
    ensure_migration_schema(target)
    target.execute(_LOCK_MIGRATION)
    target.commit()
    try:
        yield
    finally:
        if not target.closed and not target.broken:
            target.rollback()
            target.execute(_UNLOCK_MIGRATION)
            target.commit()


def stage_phase(
    target: psycopg.Connection, source: psycopg.Connection, schema: str, found: dict, label: str
) -> int:
    """A new run (its report starts empty) and every source table copied in; returns the run id."""
    with target.transaction():
        run_id = target.execute(
            "INSERT INTO migration.runs (source) VALUES (%s) RETURNING run_id", (label,)
        ).fetchone()[0]
        target.execute("TRUNCATE migration.report, migration.rejections")
        read = src.stage(source, target, schema, found)
        for table, rows in read.items():
            target.execute(
                "INSERT INTO migration.report (source_table, outcome, reason, rows) VALUES (%s, 'read', '', %s)",
                (table, rows),
            )
            if table in src.NOT_MIGRATED:
                target.execute(
                    "INSERT INTO migration.report (source_table, outcome, reason, rows) "
                    "VALUES (%s, 'not migrated', %s, %s)",
                    (table, src.NOT_MIGRATED[table], rows),
                )
    source.rollback()
    _phase(target, run_id, "staged")
    return run_id


def customers_phase(target: psycopg.Connection, run_id: int) -> None:
    """Reference rows, customers and plan history, in one transaction."""
    with target.transaction():
        run_sql_file(target, MIGRATION_SQL / "20_reference.sql")
        run_sql_file(target, MIGRATION_SQL / "30_customers.sql")
    _phase(target, run_id, "customers")


def prepare_interactions_phase(
    target: psycopg.Connection,
    run_id: int,
    start_date: dt.date | None = None,
    end_date: dt.date | None = None,
    replace_generated: bool = False,
) -> None:
    """Interactions with steps, journeys and feedback folded in, into migration.work_interactions."""
    params = {"start_date": start_date, "end_date": end_date, "replace_generated": replace_generated}
    with target.transaction():
        run_sql_file(target, MIGRATION_SQL / "40_interactions.sql", params)
    _phase(target, run_id, "interactions")


def publish_phase(
    target: psycopg.Connection, run_id: int, label: str, hook: Callable[[str], None] | None = None
) -> tuple[list[dt.date], int]:
    """Swap every day of the work table in, one transaction per day; returns (days, generated rows replaced)."""
    days = [r[0] for r in target.execute("SELECT DISTINCT day FROM migration.work_interactions ORDER BY 1")]
    target.commit()
    replaced = 0
    for day in days:
        replaced += publish_migrated_day(target, day, source_label=label)
        if hook:
            hook(f"day {day}")
    _phase(target, run_id, "published")
    return days, replaced


def summaries_phase(target: psycopg.Connection, run_id: int, days: list[dt.date]) -> None:
    from include.analytics import refresh_day

    for day in days:
        refresh_day(target, day)
    _phase(target, run_id, "summaries")


def finish_phase(target: psycopg.Connection, run_id: int) -> list[tuple[str, str, str, int]]:
    """Count the rejections into the report; returns the report."""
    with target.transaction():
        target.execute(
            "INSERT INTO migration.report (source_table, outcome, reason, rows) "
            "SELECT source_table, 'rejected', reason, count(*) FROM migration.rejections GROUP BY 1, 3"
        )
        target.execute(
            "UPDATE migration.runs SET phase = 'done', finished_at = now() WHERE run_id = %s", (run_id,)
        )
    report = read_report(target)
    target.commit()
    return report


def drop_staging(target: psycopg.Connection) -> None:
    """The staging copies (rejected rows' personal data included) and the work table go once a
    run is complete; the report, rejections (keys and reasons only) and uuid_map stay."""
    with target.transaction():
        for table in src.SOURCE_COLUMNS:
            target.execute(sql.SQL("DROP TABLE IF EXISTS {}").format(src.staging_table(table)))
        target.execute("DROP TABLE IF EXISTS migration.work_interactions")


def publish_migrated_day(conn: psycopg.Connection, day: dt.date, source_label: str = "") -> int:
    """Swap one migrated day in (the loader's create_pending / publish); returns generated rows replaced.

    Only days the work table holds get here: a day with generated rows was either rejected
    by 40_interactions.sql or explicitly allowed (replace_generated).
    """
    with conn.transaction():
        conn.execute(_LOCK_DAY, (day.toordinal(),))
        first = conn.execute("SELECT interaction_days.first_id(%s)", (day,)).fetchone()[0]
        previous = conn.execute(
            "SELECT count(*) FROM customer_interactions WHERE interaction_id >= %s AND interaction_id < %s "
            "AND interaction_id %% 1000000000 < 500000000",
            (first, first + 1_000_000_000),
        ).fetchone()[0]
        previous += conn.execute(
            "SELECT count(*) FROM interaction_days.default_partition WHERE start_timestamp >= %s::timestamp "
            "AT TIME ZONE 'UTC' AND start_timestamp < (%s::date + 1)::timestamp AT TIME ZONE 'UTC'",
            (day, day),
        ).fetchone()[0]
        table = conn.execute("SELECT interaction_days.create_pending(%s)", (day,)).fetchone()[0]
        rows = conn.execute(
            f"INSERT INTO {table} ({WORK_COLUMNS}) SELECT {WORK_COLUMNS} FROM migration.work_interactions "
            "WHERE day = %s ORDER BY interaction_id",
            (day,),
        ).rowcount
        conn.execute("DELETE FROM interaction_batches WHERE batch_date = %s", (day,))
        conn.execute("SELECT interaction_days.publish(%s)", (day,))
        conn.execute(
            "INSERT INTO migration.migrated_days (day, interactions, replaced_generated, source) "
            "VALUES (%s, %s, %s, %s) ON CONFLICT (day) DO UPDATE SET interactions = EXCLUDED.interactions, "
            "replaced_generated = migration.migrated_days.replaced_generated + EXCLUDED.replaced_generated, "
            "source = EXCLUDED.source, migrated_at = now()",
            (day, rows, previous, source_label),
        )
    return previous


def read_report(conn: psycopg.Connection) -> list[tuple[str, str, str, int]]:
    return [
        tuple(r)
        for r in conn.execute(
            "SELECT source_table, outcome, reason, rows FROM migration.report "
            "ORDER BY source_table, array_position(ARRAY['read', 'migrated', 'rejected', 'not migrated'], outcome), "
            "rows DESC, reason"
        )
    ]


def format_report(result: MigrationResult) -> list[str]:
    """One line per source table: read, migrated, rejected by reason (or why not migrated)."""
    order = list(src.SOURCE_COLUMNS) + list(src.NOT_MIGRATED)
    lines = []
    for table in order:
        rows = [r for r in result.report if r[0] == table]
        if not rows:
            continue
        read = sum(r[3] for r in rows if r[1] == "read")
        migrated = [r for r in rows if r[1] == "migrated"]
        rejected = [r for r in rows if r[1] == "rejected"]
        skipped = [r for r in rows if r[1] == "not migrated"]
        if skipped:
            lines.append(f"{table}: read {read:,}, not migrated ({skipped[0][2]})")
            continue
        notes = [f"{r[2]} {r[3]:,}" for r in migrated if r[2] and r[3]]
        line = f"{table}: read {read:,}, migrated {sum(r[3] for r in migrated):,}"
        if notes:
            line += f" ({'; '.join(notes)})"
        line += f", rejected {sum(r[3] for r in rejected):,}"
        if rejected:
            line += " (" + "; ".join(f"{r[2]} {r[3]:,}" for r in rejected) + ")"
        lines.append(line)
    return lines
