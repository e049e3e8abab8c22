"""The customer base in the database: materialized forward, in date and in sign-up rate, from the pure generator."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np
import psycopg

from include.generator.customers import (
    CustomerBase,
    CustomerBaseMismatch,
    build_customer_base,
    customers_changed_between,
    day_index,
    in_base,
    index_day,
    plans_ended_between,
)
from include.generator.reference import Reference
from include.generator.settings import check_base_size
from include.storage.rows.customers import CUSTOMER_COLUMNS, PLAN_COLUMNS, customer_copy_text, plan_copy_text

#: Customers whose rows are built and written at a time (bounds memory on a fresh database).
MATERIALIZE_CHUNK = 50_000
#: New customers from which keys and indexes are checked and built once at the end, not per row.
BIG_MATERIALIZATION = 100_000
#: maintenance_work_mem for rebuilding the base's indexes and keys (4.9 million customers, 14
#: million plans at 20,000 a day); the session's own, for that transaction only.
INDEX_BUILD_MEMORY = "512MB"


@dataclass(frozen=True)
class BaseState:
    """The customer_base_state row: whose base it is, at what sign-up rate, through which day."""

    base_seed: int
    new_customers_per_day: int
    materialized_through: dt.date

    def covers(self, through: dt.date, new_per_day: int) -> bool:
        """True when the base already reaches `through` at `new_per_day` sign-ups or more."""
        return self.materialized_through >= through and self.new_customers_per_day >= new_per_day


def read_base_state(conn: psycopg.Connection) -> BaseState | None:
    """The database's customer-base state (None before the first base is written)."""
    row = conn.execute(
        "SELECT base_seed, new_customers_per_day, materialized_through FROM customer_base_state"
    ).fetchone()
    return BaseState(*row) if row is not None else None


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
    state = read_base_state(conn)
    if state is None or not state.covers(through, new_per_day):  # work to do: serialize, look again
        conn.execute("SELECT pg_advisory_xact_lock(hashtext('customer_care_pipeline:customer_base'))")
        state = read_base_state(conn)
    if state is not None:
        refuse_foreign_base(conn, state.base_seed, seed)
        if state.covers(through, new_per_day):
            return 0
    prev = day_index(state.materialized_through) if state is not None else None
    old_rate = state.new_customers_per_day if state is not None else 0
    now = max(day_index(through), prev if prev is not None else -1)
    rate = max(new_per_day, old_rate)
    check_base_size(seed, rate, index_day(now))
    base = build_customer_base(seed, rate, index_day(now), reference)
    held = in_base(seed, old_rate, prev, base) if prev is not None else np.zeros(len(base.customer_id), bool)
    moved = _close_what_ended(conn, base, held, prev, now)
    since = prev if prev is not None else -(10**9)
    _write_new_rows(conn, base, np.flatnonzero(~held), moved, now, since)
    _record_base_state(conn, seed, rate, now)
    return int((~held).sum())


def _close_what_ended(
    conn: psycopg.Connection, base: CustomerBase, held: np.ndarray, prev: int | None, now: int
) -> np.ndarray:
    """Customers already there whose plan changed or who churned since `prev` (a few thousand a
    day of millions, found without a scan of the base): their status (churned), and their plans
    that ended since, closed before their successors are inserted (one active plan). Returns
    their indices in `base`."""
    moved = np.zeros(0, dtype=np.int64)
    if prev is None or now <= prev:
        return moved
    moved = customers_changed_between(base, prev, now)
    moved = moved[held[moved]]
    churned = moved[(base.churn_day[moved] > prev) & (base.churn_day[moved] <= now)]
    churned_ids = base.customer_id[churned].tolist()
    churn_dates = [index_day(d) for d in base.churn_day[churned]]
    conn.execute(
        "UPDATE customers AS t SET status = 'Inactive', churn_date = u.churn_date "
        "FROM unnest(%s::bigint[], %s::date[]) AS u (customer_id, churn_date) "
        "WHERE t.customer_id = u.customer_id",
        (churned_ids, churn_dates),
    )
    ended = plans_ended_between(base, prev, now, moved)
    conn.execute(
        "UPDATE customer_service_plans AS t SET end_date = u.end_date, is_active = false "
        "FROM unnest(%s::bigint[], %s::date[]) AS u (plan_id, end_date) "
        "WHERE t.customer_service_plan_id = u.plan_id AND t.is_active",
        ([cid * 10 + e for cid, e, _ in ended], [index_day(end) for _, _, end in ended]),
    )
    return moved


def _write_new_rows(
    conn: psycopg.Connection, base: CustomerBase, index: np.ndarray, moved: np.ndarray, now: int, since: int
) -> None:
    """New customers (at `index`) with all their plans, and the plans of customers already there
    (`moved`) that started since. In chunks of customers: the Python rows of a whole base on a
    fresh database would cost ~1.4 KB per customer at once; a chunk's rows are written before
    the next is built."""
    with _checked_once(conn, big=len(index) >= BIG_MATERIALIZATION) as fresh:
        write = copy_frozen if fresh else copy_text
        for customers, plans in _chunks(base, index, moved, now, since):
            write(conn, "customers", CUSTOMER_COLUMNS, customers)
            write(conn, "customer_service_plans", PLAN_COLUMNS, plans)


def _record_base_state(conn: psycopg.Connection, seed: int, rate: int, now: int) -> None:
    """The base now materialized: its seed, sign-up rate and the day it reaches."""
    conn.execute(
        "INSERT INTO customer_base_state (base_seed, new_customers_per_day, materialized_through) "
        "VALUES (%s, %s, %s) ON CONFLICT (singleton) DO UPDATE SET "
        "new_customers_per_day = EXCLUDED.new_customers_per_day, "
        "materialized_through = EXCLUDED.materialized_through",
        (seed, rate, index_day(now)),
    )


def check_customer_base(conn: psycopg.Connection, seed: int) -> None:
    """Refuse a database whose customers this generator did not make, before anything is
    written (`make run`/`make backfill` ask first; a DAG run finds out in its first write)."""
    if conn.execute("SELECT to_regclass('customer_base_state')").fetchone()[0] is None:
        return  # a fresh database: the DAG creates the schema
    state = read_base_state(conn)
    if state is not None:
        refuse_foreign_base(conn, state.base_seed, seed)


def refuse_foreign_base(conn: psycopg.Connection, base_seed: int, seed: int) -> None:
    """Raise CustomerBaseMismatch (one line) for another seed's base or an earlier release's."""
    if base_seed != seed:
        raise CustomerBaseMismatch(
            f"this database's customers were generated with base_seed={base_seed}, not {seed}: "
            "use that seed or a fresh database"
        )
    if conn.execute("SELECT EXISTS (SELECT FROM customers WHERE customer_id < 10001)").fetchone()[0]:
        raise CustomerBaseMismatch(
            "this database's customers were generated by a release before the customer base followed "
            "the volume (their first customers have ids below 10,001): load into a fresh database"
        )


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
def _checked_once(conn: psycopg.Connection, big: bool) -> Iterator[bool]:
    """For a big materialization (a fresh database, or a run at a higher volume), drop the plans'
    foreign keys, the unique e-mail and the secondary indexes of both tables, and add them back
    at the end: one pass over all rows instead of one check and index entry per row (1.3 million
    plans: 18 s with their keys and indexes, 3.5 s without and rebuilt). The same for the
    triggers that keep analytics.plan_population_changes: one recount at the end. In the caller's
    transaction, so nobody sees them gone; other sessions wait for these tables meanwhile.

    On a fresh database (both tables empty, and the tables referring to them) the primary keys
    go too, the tables are truncated in this transaction, and it yields True: their rows may be
    written frozen (copy_frozen)."""
    if not big:
        yield False
        return
    empty = _lock_if_empty(conn)
    constraints, indexes = _keys_to_rebuild(conn, fresh=empty is not None)
    for table, name, _ in constraints:
        conn.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    for name, _ in indexes:
        conn.execute(f"DROP INDEX {name}")
    # The plans-per-day deltas: counted once at the end, not upserted per chunk.
    conn.execute("ALTER TABLE customer_service_plans DISABLE TRIGGER USER")
    if empty is not None:
        conn.execute(f"TRUNCATE {', '.join(empty)}")
    yield empty is not None
    conn.execute("ALTER TABLE customer_service_plans ENABLE TRIGGER USER")
    conn.execute("SELECT analytics.recount_plan_population()")
    # One sort in memory per index rather than runs spilled to disk (64 MB by default).
    conn.execute(f"SET LOCAL maintenance_work_mem = '{INDEX_BUILD_MEMORY}'")
    for table, name, definition in reversed(constraints):  # keys before the foreign keys to them
        conn.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
    for _, definition in indexes:
        conn.execute(definition)
    conn.execute("RESET maintenance_work_mem")
    # the next audit and the day's summaries plan with them
    conn.execute("ANALYZE customers, customer_service_plans, analytics.plan_population_changes")


_BASE_TABLES = "('customers'::regclass, 'customer_service_plans'::regclass)"


def _keys_to_rebuild(conn: psycopg.Connection, fresh: bool) -> tuple[list[tuple], list[tuple]]:
    """(constraints, indexes) to drop, foreign keys first: the unique e-mail, the plans' foreign
    keys and the secondary indexes; on a fresh database the primary keys and every foreign key
    to them too (the fact table's, on its partitioned parent)."""
    constraints = conn.execute(
        "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
        f"WHERE conparentid = 0 AND ((conrelid IN {_BASE_TABLES} AND (contype = 'u' OR (contype = 'f' "
        "AND conrelid = 'customer_service_plans'::regclass))) "
        f"OR (%(fresh)s AND (conrelid IN {_BASE_TABLES} AND contype = 'p' OR confrelid IN {_BASE_TABLES}))) "
        "ORDER BY contype = 'f' DESC, contype DESC, conrelid::regclass::text, conname",
        {"fresh": fresh},
    ).fetchall()
    indexes = conn.execute(
        "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
        f"WHERE i.indrelid IN {_BASE_TABLES} AND NOT EXISTS "
        "(SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid) ORDER BY 1"
    ).fetchall()
    return constraints, indexes


def _lock_if_empty(conn: psycopg.Connection) -> list[str] | None:
    """Customers, plans and the tables whose foreign keys point at them, locked, if all are
    empty (a fresh database: TRUNCATE then removes nothing, and nobody adds a row meanwhile).
    A database with customers is not locked beyond what the caller takes."""
    if conn.execute("SELECT EXISTS (SELECT FROM customers)").fetchone()[0]:
        return None
    referencing = [
        table
        for (table,) in conn.execute(
            "SELECT DISTINCT conrelid::regclass::text FROM pg_constraint WHERE contype = 'f' "
            f"AND conparentid = 0 AND confrelid IN {_BASE_TABLES} AND conrelid NOT IN {_BASE_TABLES} "
            "ORDER BY 1"
        )
    ]
    tables = ["customers", "customer_service_plans", *referencing]
    conn.execute(f"LOCK TABLE {', '.join(tables)} IN ACCESS EXCLUSIVE MODE")
    for table in tables:
        if conn.execute(f"SELECT EXISTS (SELECT FROM {table})").fetchone()[0]:
            return None
    return tables


def copy_frozen(conn: psycopg.Connection, table: str, columns: tuple[str, ...], data: bytes) -> None:
    """COPY text rows FREEZE into `table`, truncated in this transaction (_truncate_if_empty): the
    rows are written visible to all and the pages all-visible, so no later pass sets hint bits,
    freezes them or fills the visibility map for the index-only lookups of the audit."""
    if data:
        with conn.cursor().copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN (FREEZE)") as copy:
            copy.write(data)


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
