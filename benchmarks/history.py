"""Does a day's summary refresh get slower as history accumulates? 30 vs 365 days."""

from __future__ import annotations

import datetime as dt
import statistics
import time

import psycopg

from benchmarks.suite import Bench
from include.analytics import refresh_day
from include.generator.customers import build_customer_base
from include.generator.encoding import BINARY_HEADER, BINARY_TRAILER, encode_binary
from include.generator.interactions import day_context, generate_day
from include.generator.loader import COPY_SQL, ensure_customer_base
from include.generator.reference import load_reference

FIRST_DAY = dt.date(2024, 1, 1)
REPEATS = 3


def _copy_days(bench: Bench, days: list[dt.date], base, reference) -> int:
    """The days' generated rows in one COPY (what load_day writes, without its per-day overhead)."""
    conn, s, n = bench.conn, bench.settings, bench.sizes.history_rows
    loaded = 0
    with conn.transaction():
        try:
            with conn.transaction():
                conn.execute("SET LOCAL session_replication_role = replica")
        except psycopg.errors.InsufficientPrivilege:
            pass
        with conn.cursor().copy(COPY_SQL) as copy:
            copy.write(BINARY_HEADER)
            for day in days:
                for block in generate_day(day_context(day, n, s.seed, base, reference)):
                    copy.write(encode_binary(block))
                    loaded += len(block["interaction_id"])
            copy.write(BINARY_TRAILER)
        conn.cursor().executemany(
            "INSERT INTO interaction_batches (batch_date, interactions_requested, base_seed) VALUES (%s, %s, %s)",
            [(day, n, s.seed) for day in days],
        )
    return loaded


def _analyze(bench: Bench) -> None:
    bench.conn.execute(
        "ANALYZE customer_interactions, analytics.daily_customer_activity, analytics.customer_summary, "
        "analytics.daily_channel_summary, analytics.daily_interaction_type_summary, "
        "analytics.daily_agent_performance, analytics.daily_service_plan_summary"
    )


def _median_refresh(bench: Bench, day: dt.date) -> tuple[float, list[float]]:
    bench.checkpoint()
    times = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        refresh_day(bench.conn, day)
        times.append(time.perf_counter() - started)
    return statistics.median(times), times


def refresh(bench: Bench) -> None:
    sizes, s, conn = bench.sizes, bench.settings, bench.conn
    days = [FIRST_DAY + dt.timedelta(days=i) for i in range(sizes.history_long)]
    bench.reset()
    for done, upto in ((0, sizes.history_short), (sizes.history_short, sizes.history_long)):
        # Setup: the history up to the measured day loaded, every earlier day refreshed.
        started = time.perf_counter()
        ensure_customer_base(conn, days[upto - 1], s)
        reference = load_reference(conn)
        base = build_customer_base(s.seed, s.new_customers_per_day, days[upto - 1], reference)
        loaded = _copy_days(bench, days[done:upto], base, reference)
        load_seconds = time.perf_counter() - started
        started = time.perf_counter()
        earlier = days[done : upto - 1]  # the measured day of the previous round is refreshed
        for day in earlier:
            refresh_day(conn, day)
        _analyze(bench)
        refresh_seconds = time.perf_counter() - started
        total = conn.execute("SELECT count(*) FROM customer_interactions").fetchone()[0]
        bench.note(
            f"refresh setup for {upto} days: loaded {loaded:,} rows in {load_seconds:.1f}s, "
            f"refreshed {len(earlier)} earlier day(s) + ANALYZE "
            f"in {refresh_seconds:.1f}s; {total:,} interactions in the table"
        )
        median, times = _median_refresh(bench, days[upto - 1])
        bench.note(
            f"refresh_day({days[upto - 1]}) with {upto} days of history: "
            + ", ".join(f"{t:.3f}s" for t in times)
        )
        bench.figure(f"refresh_seconds_{upto}_days", median)
        # The first refresh is the pipeline's case (a new day); the repeats replace it (re-runs).
        bench.figure(f"refresh_first_run_seconds_{upto}_days", times[0])
