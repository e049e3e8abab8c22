"""Analysts' queries on a year of history: our layout against the seed's, on the same rows.

Loads a year of days ending yesterday (so now()- and current_date-relative windows hold
data), copies the same rows into the seed's original layout (one plain table with its six
indexes, schema `seed_layout`), and times each query on both, alternately: median of 5
after a warm-up, client side (planning, execution and fetching every row). Figures are
printed, not asserted; a line ending in MISSED is over the issue's target.

`CCA_BENCH_QUERIES_URL=postgresql://.../qbench` runs the queries against an existing
database instead (its seed layout is built once and kept), e.g. one filled by
`make backfill`; nothing is loaded into it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import statistics
import time

import psycopg

from devtools import database
from devtools.benchmarks.bench import Bench
from include.config import SQL_DIR
from include.storage.days import ensure_customer_base, load_day

REPEATS = 5
URL_ENV = "CCA_BENCH_QUERIES_URL"
ONLY_ENV = "CCA_BENCH_QUERIES_ONLY"  # comma-separated parts of query names, e.g. "last_7,seed_by"

#: The seed's original fact table: no partitions, a primary key and six btree indexes.
SEED_LAYOUT = """
CREATE SCHEMA seed_layout;
CREATE TABLE seed_layout.customer_interactions AS TABLE public.customer_interactions;
ALTER TABLE seed_layout.customer_interactions ADD PRIMARY KEY (interaction_id);
CREATE INDEX idx_interactions_customer ON seed_layout.customer_interactions (customer_id);
CREATE INDEX idx_interactions_channel ON seed_layout.customer_interactions (channel_id);
CREATE INDEX idx_interactions_type ON seed_layout.customer_interactions (interaction_type_id);
CREATE INDEX idx_interactions_agent ON seed_layout.customer_interactions (agent_id);
CREATE INDEX idx_interactions_timestamp ON seed_layout.customer_interactions (start_timestamp);
CREATE INDEX idx_interactions_session ON seed_layout.customer_interactions (session_id);
VACUUM ANALYZE seed_layout.customer_interactions;
"""

_BY_CHANNEL = (
    "SELECT channel_id, count(*), avg(satisfaction_score) FROM customer_interactions WHERE {where} "
    "GROUP BY channel_id ORDER BY channel_id"
)
_BY_TYPE = (
    "SELECT interaction_type_id, count(*), avg(duration_seconds) FROM customer_interactions WHERE {where} "
    "GROUP BY interaction_type_id ORDER BY interaction_type_id"
)
_HOUR = "SELECT count(*), avg(queue_time_seconds) FROM customer_interactions WHERE {where}"

#: (name, kind, SQL). Parameters: %(customer)s, %(session)s, %(interaction)s, %(agent)s,
#: %(day)s (the last loaded day, 'YYYY-MM-DD'), %(day_start)s (its UTC midnight, ISO),
#: %(week_start)s (six days earlier), %(hour_start)s and %(hour_stop)s (10:00 and 11:00 UTC).
#: Kinds set the target: point <= 10 ms; window <= max(2x seed, 20 ms); full <= seed.
QUERIES: list[tuple[str, str, str]] = [
    (
        "customer_last_50",
        "point",
        "SELECT * FROM customer_interactions WHERE customer_id = %(customer)s "
        "ORDER BY start_timestamp DESC LIMIT 50",
    ),
    ("session", "point", "SELECT * FROM customer_interactions WHERE session_id = %(session)s"),
    ("interaction_id", "point", "SELECT * FROM customer_interactions WHERE interaction_id = %(interaction)s"),
    (
        "agent_day",
        "point",
        "SELECT * FROM customer_interactions WHERE agent_id = %(agent)s "
        "AND start_timestamp >= %(day)s::date AND start_timestamp < %(day)s::date + 1 ORDER BY start_timestamp",
    ),
    (
        "hour_literals",
        "window",
        _HOUR.format(where="start_timestamp >= %(hour_start)s AND start_timestamp < %(hour_stop)s"),
    ),
    (
        "hour_interval",
        "window",
        _HOUR.format(
            where="start_timestamp >= timestamptz %(day_start)s + interval '10 hours' "
            "AND start_timestamp < timestamptz %(day_start)s + interval '11 hours'"
        ),
    ),
    (
        "day_date_arithmetic",
        "window",
        _BY_CHANNEL.format(where="start_timestamp >= %(day)s::date AND start_timestamp < %(day)s::date + 1"),
    ),
    (
        "day_literals",
        "window",
        _BY_CHANNEL.format(
            where="start_timestamp >= %(day_start)s AND start_timestamp < %(day_start)s::timestamptz + '1 day'"
        ),
    ),
    ("last_7_days_now", "window", _BY_CHANNEL.format(where="start_timestamp >= now() - interval '7 days'")),
    ("last_7_days_current_date", "window", _BY_CHANNEL.format(where="start_timestamp >= current_date - 7")),
    (
        "last_7_days_literal",
        "window",
        _BY_CHANNEL.format(where="start_timestamp >= %(week_start)s"),
    ),
    (
        "last_7_days_subquery",
        "window",
        _BY_CHANNEL.format(
            where="start_timestamp >= (SELECT max(start_timestamp) FROM customer_interactions) - interval '7 days'"
        ),
    ),
    ("last_30_days_current_date", "window", _BY_TYPE.format(where="start_timestamp >= current_date - 30")),
    (
        "last_30_days_date_arithmetic",
        "window",
        _BY_TYPE.format(
            where="start_timestamp >= %(day)s::date - 29 AND start_timestamp < %(day)s::date + 1"
        ),
    ),
]


def seed_sample_queries() -> list[tuple[str, str, str]]:
    """The seed's five sample queries, verbatim, as full-history aggregates."""
    text = (SQL_DIR / "seed" / "sample_queries.sql").read_text()
    statements = [s.strip() for s in text.split(";") if "SELECT" in s.upper()]
    names = ["seed_by_channel", "seed_by_type", "seed_by_agent", "seed_customer_history", "seed_by_plan"]
    return [(names[i] if i < len(names) else f"seed_{i}", "full", s) for i, s in enumerate(statements)]


def load_year(bench: Bench, days: int) -> dt.date:
    """`days` days of history ending yesterday (UTC), loaded as the pipeline loads them."""
    last = dt.datetime.now(dt.UTC).date() - dt.timedelta(days=1)
    first = last - dt.timedelta(days=days - 1)
    settings = dataclasses.replace(bench.settings, interactions_per_day=bench.sizes.history_rows)
    bench.reset()
    started = time.perf_counter()
    ensure_customer_base(bench.conn, last, settings)
    rows = 0
    for i in range(days):
        rows += load_day(bench.conn, first + dt.timedelta(days=i), settings)
    bench.conn.execute("VACUUM ANALYZE customer_interactions")
    bench.note(
        f"queries: loaded {rows:,} rows, {days} days to {last}, in {time.perf_counter() - started:.1f}s"
    )
    return last


def ensure_seed_layout(conn: psycopg.Connection, note) -> None:
    if conn.execute("SELECT to_regclass('seed_layout.customer_interactions')").fetchone()[0]:
        return
    started = time.perf_counter()
    for statement in filter(str.strip, SEED_LAYOUT.split(";")):
        conn.execute(statement)
    note(f"queries: seed layout built from the same rows in {time.perf_counter() - started:.1f}s")


def parameters(conn: psycopg.Connection) -> dict[str, object]:
    """Values to look up, taken from the data: the busiest customer, a mid-history session..."""
    last = conn.execute("SELECT max(start_timestamp) FROM customer_interactions").fetchone()[0]
    day = last.astimezone(dt.UTC).date()
    day_start = dt.datetime.combine(day, dt.time(0), dt.UTC)
    customer = conn.execute(
        "SELECT customer_id FROM customer_interactions GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1"
    ).fetchone()[0]
    middle = day - dt.timedelta(days=180)
    interaction, session = conn.execute(
        "SELECT interaction_id, session_id FROM customer_interactions "
        "WHERE start_timestamp >= %s ORDER BY start_timestamp LIMIT 1",
        (dt.datetime.combine(middle, dt.time(12), dt.UTC),),
    ).fetchone()
    agent = conn.execute(
        "SELECT agent_id FROM customer_interactions WHERE start_timestamp >= %s AND agent_id IS NOT NULL "
        "GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1",
        (day_start,),
    ).fetchone()[0]
    return {
        "customer": customer,
        "session": session,
        "interaction": interaction,
        "agent": agent,
        "day": day.isoformat(),
        "day_start": day_start.isoformat(),
        "week_start": (day_start - dt.timedelta(days=6)).isoformat(),
        "hour_start": (day_start + dt.timedelta(hours=10)).isoformat(),
        "hour_stop": (day_start + dt.timedelta(hours=11)).isoformat(),
    }


def time_pair(conn: psycopg.Connection, sql: str, params: dict) -> tuple[float, float, int, int]:
    """Median milliseconds here and on the seed layout, REPEATS runs each after a warm-up,
    alternating the two so that a shared machine's load changes hit both alike."""
    times: dict[str, list[float]] = {"public": [], "seed_layout, public": []}
    rows: dict[str, int] = {}
    with psycopg.ClientCursor(conn) as cur:  # literals, as an analyst's psql session sends them
        for attempt in range(REPEATS + 1):
            for path in times:
                cur.execute(f"SET search_path = {path}")
                started = time.perf_counter()
                cur.execute(sql, params)
                rows[path] = len(cur.fetchall())
                if attempt:
                    times[path].append((time.perf_counter() - started) * 1000)
        cur.execute("SET search_path = public")
    ours, seed = (statistics.median(t) for t in times.values())
    return ours, seed, rows["public"], rows["seed_layout, public"]


def target(kind: str, seed_ms: float) -> float:
    return {"point": 10.0, "window": max(2 * seed_ms, 20.0), "full": seed_ms}[kind]


def run_queries(conn: psycopg.Connection, bench: Bench) -> None:
    params = parameters(conn)
    bench.note(
        "queries: customer {customer}, session {session}, agent {agent} on {day}; windows end {day}".format(
            **params
        )
    )
    missed = []
    only = [n for n in os.environ.get(ONLY_ENV, "").split(",") if n]
    chosen = [q for q in QUERIES + seed_sample_queries() if not only or any(n in q[0] for n in only)]
    for name, kind, sql in chosen:
        ours, seed, rows, seed_rows = time_pair(conn, sql, params)
        if rows != seed_rows:
            bench.note(f"queries: {name} returned {rows} rows here and {seed_rows} on the seed layout")
        goal = target(kind, seed)
        bench.note(
            f"{name} ({kind}, {rows} rows): {ours:.1f} ms, seed layout {seed:.1f} ms, "
            f"ratio {ours / seed:.2f}, target <= {goal:.1f} ms{'' if ours <= goal else '  MISSED'}"
        )
        bench.figure(f"query_{name}_ms", ours)
        bench.figure(f"query_{name}_ratio", ours / seed)
        if ours > goal:
            missed.append(name)
    bench.note(
        f"queries: {len(chosen) - len(missed)} of {len(chosen)} within target; missed: {', '.join(missed) or 'none'}"
    )


def queries(bench: Bench) -> None:
    url = os.environ.get(URL_ENV, "").strip()
    if url:
        with database.connect(url, autocommit=True) as conn:
            bench.note(f"queries: on {database.describe(url)} ({URL_ENV})")
            ensure_seed_layout(conn, bench.note)
            run_queries(conn, bench)
        return
    days = 365 if bench.sizes.history_long >= 365 else 30
    load_year(bench, days)
    ensure_seed_layout(bench.conn, bench.note)
    try:
        run_queries(bench.conn, bench)
    finally:
        bench.conn.execute("DROP SCHEMA seed_layout CASCADE")
