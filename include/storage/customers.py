"""The customer base in the database: materialized forward, day by day, from the pure generator."""

from __future__ import annotations

import datetime as dt

import numpy as np
import psycopg

from include.generator.customers import (
    CUSTOMER_COLUMNS,
    PLAN_COLUMNS,
    CustomerBaseMismatch,
    build_customer_base,
    customer_rows,
    day_index,
    index_day,
    plan_rows,
    plans_ended_between,
)
from include.generator.reference import Reference

#: Customers whose rows are built and written at a time (bounds memory on a fresh database).
MATERIALIZE_CHUNK = 50_000


def materialize_customer_base(
    conn: psycopg.Connection, reference: Reference, through: dt.date, seed: int, new_per_day: int
) -> int:
    """Bring customers and plan history up to `through`, in the caller's transaction.

    Only moves forward: a date at or before what is already materialized changes nothing,
    which keeps runs in any order ending in the same state. Returns customers added.
    """
    read_state = "SELECT base_seed, new_customers_per_day, materialized_through FROM customer_base_state"
    state = conn.execute(read_state).fetchone()
    if state is None or state[2] < through:  # work to do: serialize, then look again
        conn.execute("SELECT pg_advisory_xact_lock(hashtext('customer_care_pipeline:customer_base'))")
        state = conn.execute(read_state).fetchone()
    if state is not None and (state[0], state[1]) != (seed, new_per_day):
        raise CustomerBaseMismatch(
            f"this database's customers were generated with base_seed={state[0]} and "
            f"new_customers_per_day={state[1]}, not {seed} and {new_per_day}: use those values "
            "or a fresh database"
        )
    if state is not None and state[2] >= through:
        return 0
    prev = day_index(state[2]) if state is not None else None
    now = day_index(through)
    base = build_customer_base(seed, new_per_day, through, reference)
    new = base.registration_day > (prev if prev is not None else -(10**9))
    # Existing customers whose status changed since the last materialization (churned).
    if prev is not None:
        churned = (~new) & (base.churn_day > prev) & (base.churn_day <= now)
        conn.cursor().executemany(
            "UPDATE customers SET status = 'Inactive', churn_date = %s WHERE customer_id = %s",
            [(index_day(base.churn_day[i]), int(base.customer_id[i])) for i in np.flatnonzero(churned)],
        )
        # Close plans that ended since, before inserting their successors (one active plan).
        closing = []
        for cid, e, end in plans_ended_between(base, prev, now):
            closing.append((index_day(end), cid * 10 + e))
        conn.cursor().executemany(
            "UPDATE customer_service_plans SET end_date = %s, is_active = false "
            "WHERE customer_service_plan_id = %s AND is_active",
            closing,
        )
    since = prev if prev is not None else -(10**9)
    touched = new | ((base.event_day > since) & (base.event_day <= now)).any(axis=1)
    # In chunks of customers: the Python rows of a whole base on a fresh database would cost
    # ~1.4 KB per customer at once; a chunk's rows are written before the next is built.
    for lo in range(0, len(base.customer_id), MATERIALIZE_CHUNK):
        part = np.zeros(len(base.customer_id), dtype=bool)
        part[lo : lo + MATERIALIZE_CHUNK] = True
        fresh = [r for r in plan_rows(base, touched & part, now) if day_index(r[3]) > since]
        copy_rows(conn, "customers", CUSTOMER_COLUMNS, customer_rows(base, new & part, now))
        copy_rows(conn, "customer_service_plans", PLAN_COLUMNS, fresh)
    conn.execute(
        "INSERT INTO customer_base_state (base_seed, new_customers_per_day, materialized_through) "
        "VALUES (%s, %s, %s) ON CONFLICT (singleton) DO UPDATE SET materialized_through = EXCLUDED.materialized_through",
        (seed, new_per_day, through),
    )
    return int(new.sum())


def copy_rows(conn: psycopg.Connection, table: str, columns: tuple[str, ...], rows: list[tuple]) -> None:
    """COPY small dimension batches through a temp table; rows already present are kept."""
    cols = ", ".join(columns)
    conn.execute(f"CREATE TEMP TABLE IF NOT EXISTS staging_{table} (LIKE {table}) ON COMMIT DROP")
    with conn.cursor().copy(f"COPY staging_{table} ({cols}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
    conn.execute(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM staging_{table} ON CONFLICT DO NOTHING")
    conn.execute(f"DROP TABLE pg_temp.staging_{table}")
