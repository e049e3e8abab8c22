"""The workforce in the database: queues, routing, agents (materialized forward) and a day's shifts."""

from __future__ import annotations

import datetime as dt

import numpy as np
import psycopg

from include.generator import rosters, workforce
from include.generator.interactions import DayContext
from include.generator.reference import Reference
from include.generator.settings import BatchSettings
from include.storage.rows import workforce as workforce_rows

_LOCK = "SELECT pg_advisory_xact_lock(hashtext('customer_care_pipeline:workforce'))"


def ensure_workforce(
    conn: psycopg.Connection, day: dt.date, settings: BatchSettings, reference: Reference
) -> int:
    """Queues, routing and every agent hired by `day` for this roster, committed; returns agents added.

    Moves forward only, per (seed, interactions_per_day): a roster sized for another volume
    shares its first slots, so the agents table holds the union of the rosters used, each
    agent's row a pure function of (seed, agent). `is_active` is as of the latest day loaded.
    """
    with conn.transaction():
        state = _state(conn, settings)
        if state is not None and state >= day:
            return 0
        conn.execute(_LOCK)
        state = _state(conn, settings)
        if state is not None and state >= day:
            return 0
        _write_catalog(conn, reference)
        roster = rosters.build_roster(
            settings.seed, settings.interactions_per_day, reference, settings.levers.staffing_factors()
        )
        slots, gens = rosters.agents_employed_since_epoch(roster, day)
        if state is not None:
            since = (state - workforce.parameters.EPOCH).days
            fresh = roster.hire_day[slots, gens] > since
            slots, gens = slots[fresh], gens[fresh]
        rows = workforce_rows.agent_rows(roster, slots, gens, day)
        columns = ", ".join(workforce_rows.AGENT_COLUMNS)
        conn.execute("CREATE TEMP TABLE new_agents (LIKE agents) ON COMMIT DROP")
        with conn.cursor().copy(f"COPY pg_temp.new_agents ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        conn.execute(
            f"INSERT INTO agents ({columns}) SELECT {columns} FROM pg_temp.new_agents ON CONFLICT DO NOTHING"
        )
        conn.execute("DROP TABLE pg_temp.new_agents")
        # Agents who left by `day` (baseline agents included: their seat's tenure ends too).
        d = (day - workforce.parameters.EPOCH).days
        left = roster.agent_id[(roster.leave_day <= d) & (roster.hire_day <= d)]
        conn.execute(
            "UPDATE agents SET is_active = false WHERE is_active AND agent_id = ANY(%s)",
            (left.astype(np.int64).tolist(),),
        )
        conn.execute(
            "INSERT INTO workforce_state (base_seed, interactions_per_day, materialized_through) VALUES (%s, %s, %s) "
            "ON CONFLICT (base_seed, interactions_per_day) DO UPDATE SET materialized_through = EXCLUDED.materialized_through",
            (settings.seed, settings.interactions_per_day, day),
        )
        return len(rows)


def _state(conn: psycopg.Connection, settings: BatchSettings) -> dt.date | None:
    row = conn.execute(
        "SELECT materialized_through FROM workforce_state WHERE base_seed = %s AND interactions_per_day = %s",
        (settings.seed, settings.interactions_per_day),
    ).fetchone()
    return row[0] if row else None


def _write_catalog(conn: psycopg.Connection, reference: Reference) -> None:
    """service_queues and contact_routing from the generator's parameters (its one source)."""
    conn.cursor().executemany(
        "INSERT INTO service_queues (queue_id, department, service_group, concurrency, target_share, target_seconds) "
        "VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (queue_id) DO UPDATE SET department = EXCLUDED.department, "
        "service_group = EXCLUDED.service_group, concurrency = EXCLUDED.concurrency, "
        "target_share = EXCLUDED.target_share, target_seconds = EXCLUDED.target_seconds",
        workforce_rows.queue_rows(),
    )
    conn.cursor().executemany(
        "INSERT INTO contact_routing (interaction_type_id, channel_id, queue_id, is_live) VALUES (%s, %s, %s, %s) "
        "ON CONFLICT (interaction_type_id, channel_id) DO UPDATE SET queue_id = EXCLUDED.queue_id, "
        "is_live = EXCLUDED.is_live",
        workforce_rows.routing_rows(reference),
    )


def write_shifts(conn: psycopg.Connection, day: dt.date, ctx: DayContext) -> None:
    """Replace the shifts starting on UTC `day` (their breaks cascade) and the day's forecast, in
    the caller's transaction (the day's publish). A shift crossing 00:00 UTC belongs to the day
    it starts in; the next day serves contacts with it and writes it only if that day was not
    loaded (the same row: a later load of the earlier day replaces it with itself)."""
    start = dt.datetime.combine(day, dt.time(0), dt.UTC)
    stop = start + dt.timedelta(days=1)
    conn.cursor().executemany(
        "INSERT INTO contact_sites (site_name, kind, city, state, time_zone, opening_hours, holiday_hours) "
        "VALUES (%s, %s, %s, %s, %s, %s, %s) ON CONFLICT DO NOTHING",
        workforce_rows.site_rows(),
    )
    conn.execute("DELETE FROM agent_shifts WHERE shift_start >= %s AND shift_start < %s", (start, stop))
    own = workforce_rows.shift_rows(ctx.shifts, day, ctx.written)
    # (a database loaded before shifts had local days may hold a row with the same key)
    conn.execute(
        "DELETE FROM agent_shifts WHERE (shift_date, agent_id) IN (SELECT * FROM unnest(%s::date[], %s::int[]))",
        ([r[0] for r in own], [r[1] for r in own]),
    )
    rows = np.union1d(ctx.written, ctx.serving)
    _insert_new(
        conn, "agent_shifts", workforce_rows.SHIFT_COLUMNS, workforce_rows.shift_rows(ctx.shifts, day, rows)
    )
    _insert_new(
        conn,
        "agent_shift_breaks",
        workforce_rows.BREAK_COLUMNS,
        workforce_rows.shift_break_rows(ctx.shifts, day, rows),
    )
    conn.execute(
        "DELETE FROM workforce_forecast WHERE interval_start >= %s AND interval_start < %s", (start, stop)
    )
    with conn.cursor().copy(
        "COPY workforce_forecast (interval_start, queue_id, forecast_offered, agents_needed) FROM STDIN"
    ) as copy:
        for row in workforce_rows.forecast_rows(day, ctx.forecast, ctx.needed):
            copy.write_row(row)


def _insert_new(conn: psycopg.Connection, table: str, columns: tuple[str, ...], rows: list[tuple]) -> None:
    """COPY rows into `table`, keeping a row already there with the same key."""
    names = ", ".join(columns)
    conn.execute(f"CREATE TEMP TABLE new_rows ON COMMIT DROP AS SELECT {names} FROM {table} LIMIT 0")
    with conn.cursor().copy(f"COPY pg_temp.new_rows ({names}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
    conn.execute(f"INSERT INTO {table} ({names}) SELECT {names} FROM pg_temp.new_rows ON CONFLICT DO NOTHING")
    conn.execute("DROP TABLE pg_temp.new_rows")
