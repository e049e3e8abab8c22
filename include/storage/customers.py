"""The customer base in the database: materialized forward, in date and in sign-up rate, from the pure generator."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

import numpy as np
import psycopg

from include.generator.customers import (
    CUSTOMER_COLUMNS,
    PLAN_COLUMNS,
    CustomerBase,
    CustomerBaseMismatch,
    build_customer_base,
    customer_copy_text,
    day_index,
    in_base,
    index_day,
    plan_copy_text,
    plans_ended_between,
)
from include.generator.reference import Reference
from include.generator.settings import check_base_size

#: Customers whose rows are built and written at a time (bounds memory on a fresh database).
MATERIALIZE_CHUNK = 50_000
#: New customers from which keys and indexes are checked and built once at the end, not per row.
BIG_MATERIALIZATION = 100_000


def materialize_customer_base(
    conn: psycopg.Connection, reference: Reference, through: dt.date, seed: int, new_per_day: int
) -> int:
    """Bring customers and plan history up to `through` at `new_per_day` sign-ups a day, in the
    caller's transaction.

    The database holds the union of what its runs needed: customers of the largest sign-up
    rate any run asked for (smaller rates' customers are a subset), as of the latest day
    asked. It only grows, in date and in rate, so runs at any volume, in any order, end in
    the same state and never lose a row. Returns customers added.
    """
    read_state = "SELECT base_seed, new_customers_per_day, materialized_through FROM customer_base_state"
    state = conn.execute(read_state).fetchone()
    if state is None or state[2] < through or state[1] < new_per_day:  # work to do: serialize, look again
        conn.execute("SELECT pg_advisory_xact_lock(hashtext('customer_care_pipeline:customer_base'))")
        state = conn.execute(read_state).fetchone()
    if state is not None and state[0] != seed:
        raise CustomerBaseMismatch(
            f"this database's customers were generated with base_seed={state[0]}, not {seed}: "
            "use that seed or a fresh database"
        )
    if state is not None and state[2] >= through and state[1] >= new_per_day:
        return 0
    prev = day_index(state[2]) if state is not None else None
    old_rate = state[1] if state is not None else 0
    now = max(day_index(through), prev if prev is not None else -1)
    rate = max(new_per_day, old_rate)
    check_base_size(seed, rate, index_day(now))
    base = build_customer_base(seed, rate, index_day(now), reference)
    held = in_base(seed, old_rate, prev, base) if prev is not None else np.zeros(len(base.customer_id), bool)
    new = ~held
    if prev is not None and now > prev:
        # Customers already there whose status changed since (churned), and their plans that
        # ended since, closed before their successors are inserted (one active plan).
        churned = np.flatnonzero(held & (base.churn_day > prev) & (base.churn_day <= now))
        update_from(
            conn,
            "customers",
            "UPDATE customers AS t SET status = 'Inactive', churn_date = u.churn_date "
            "FROM {u} AS u WHERE t.customer_id = u.customer_id",
            ("customer_id bigint", "churn_date date"),
            [(int(base.customer_id[i]), index_day(base.churn_day[i])) for i in churned],
        )
        update_from(
            conn,
            "customer_service_plans",
            "UPDATE customer_service_plans AS t SET end_date = u.end_date, is_active = false "
            "FROM {u} AS u WHERE t.customer_service_plan_id = u.plan_id AND t.is_active",
            ("plan_id bigint", "end_date date"),
            [(cid * 10 + e, index_day(end)) for cid, e, end in plans_ended_between(base, prev, now, held)],
        )
    since = prev if prev is not None else -(10**9)
    # Plans that started since, of customers already there (new customers get all of theirs).
    changed = held & ((base.event_day > since) & (base.event_day <= now)).any(axis=1)
    # In chunks of customers: the Python rows of a whole base on a fresh database would cost
    # ~1.4 KB per customer at once; a chunk's rows are written before the next is built.
    index = np.flatnonzero(new)
    with _checked_once(conn, big=len(index) >= BIG_MATERIALIZATION):
        for customers, plans in _chunks(base, index, np.flatnonzero(changed), now, since):
            copy_text(conn, "customers", CUSTOMER_COLUMNS, customers)
            copy_text(conn, "customer_service_plans", PLAN_COLUMNS, plans)
    conn.execute(
        "INSERT INTO customer_base_state (base_seed, new_customers_per_day, materialized_through) "
        "VALUES (%s, %s, %s) ON CONFLICT (singleton) DO UPDATE SET "
        "new_customers_per_day = EXCLUDED.new_customers_per_day, "
        "materialized_through = EXCLUDED.materialized_through",
        (seed, rate, index_day(now)),
    )
    return int(new.sum())


def _chunks(
    base: CustomerBase, new: np.ndarray, changed: np.ndarray, now: int, since: int
) -> Iterator[tuple[bytes, bytes]]:
    """(customers, plans) COPY text of MATERIALIZE_CHUNK customers at a time: new customers with
    all their plans, then the plans that started since `since` of customers already there.
    Built in a thread, so the next chunk is formatted while PostgreSQL takes the last one."""
    jobs = [(new[lo : lo + MATERIALIZE_CHUNK], True) for lo in range(0, len(new), MATERIALIZE_CHUNK)]
    jobs += [
        (changed[lo : lo + MATERIALIZE_CHUNK], False) for lo in range(0, len(changed), MATERIALIZE_CHUNK)
    ]

    def build(job: tuple[np.ndarray, bool]) -> tuple[bytes, bytes]:
        part = np.zeros(len(base.customer_id), dtype=bool)
        part[job[0]] = True
        if job[1]:
            return customer_copy_text(base, part, now), plan_copy_text(base, part, now)
        return b"", plan_copy_text(base, part, now, since)

    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="customer-rows") as pool:
        pending = pool.submit(build, jobs[0]) if jobs else None
        for job in jobs[1:]:
            done, pending = pending.result(), pool.submit(build, job)
            yield done
        if pending is not None:
            yield pending.result()


@contextmanager
def _checked_once(conn: psycopg.Connection, big: bool) -> Iterator[None]:
    """For a big materialization (a fresh database, or a run at a higher volume), drop the plans'
    foreign keys, the unique e-mail and the secondary indexes of both tables, and add them back
    at the end: one pass over all rows instead of one check and index entry per row (1.3 million
    plans: 18 s with their keys and indexes, 3.5 s without and rebuilt). In the caller's
    transaction, so nobody sees them gone; other sessions wait for these tables meanwhile."""
    if not big:
        yield
        return
    tables = "('customers'::regclass, 'customer_service_plans'::regclass)"
    constraints = conn.execute(
        "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
        f"WHERE conrelid IN {tables} AND (contype = 'u' OR (contype = 'f' AND conrelid = "
        "'customer_service_plans'::regclass)) ORDER BY contype DESC, conname"
    ).fetchall()
    indexes = conn.execute(
        "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
        f"WHERE i.indrelid IN {tables} AND NOT EXISTS "
        "(SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid) ORDER BY 1"
    ).fetchall()
    for table, name, _ in constraints:
        conn.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    for name, _ in indexes:
        conn.execute(f"DROP INDEX {name}")
    yield
    for _, definition in indexes:
        conn.execute(definition)
    for table, name, definition in constraints:
        conn.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
    conn.execute("ANALYZE customers, customer_service_plans")  # the next audit plans with them


def update_from(
    conn: psycopg.Connection, name: str, update: str, columns: tuple[str, ...], rows: list[tuple]
) -> None:
    """One UPDATE joined to COPYed rows: thousands of rows a day at 20,000 interactions a day,
    where an executemany would pay a round trip each."""
    if not rows:
        return
    temp = f"updates_{name}"
    conn.execute(f"CREATE TEMP TABLE {temp} ({', '.join(columns)}) ON COMMIT DROP")
    cols = ", ".join(c.split()[0] for c in columns)
    with conn.cursor().copy(f"COPY {temp} ({cols}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
    conn.execute(update.format(u=temp))
    conn.execute(f"DROP TABLE pg_temp.{temp}")


def copy_text(conn: psycopg.Connection, table: str, columns: tuple[str, ...], data: bytes) -> None:
    """COPY text rows straight into `table` (the customer-base lock says they are new); if some
    are there already (a SQL file loaded them), through a temp table, keeping those present."""
    if not data:
        return
    cols = ", ".join(columns)
    try:
        with conn.transaction():  # a savepoint: a duplicate undoes only this COPY
            with conn.cursor().copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
                copy.write(data)
        return
    except psycopg.errors.UniqueViolation:
        pass
    conn.execute(f"CREATE TEMP TABLE IF NOT EXISTS staging_{table} (LIKE {table}) ON COMMIT DROP")
    with conn.cursor().copy(f"COPY staging_{table} ({cols}) FROM STDIN") as copy:
        copy.write(data)
    conn.execute(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM staging_{table} ON CONFLICT DO NOTHING")
    conn.execute(f"DROP TABLE pg_temp.staging_{table}")
