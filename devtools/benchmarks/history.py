"""Does a day's summary refresh get slower as history accumulates? 30 vs 365 days."""

from __future__ import annotations

import datetime as dt
import statistics
import time

from devtools.benchmarks.bench import Bench
from include.analytics import refresh_day
from include.storage.days import ensure_customer_base, load_day

FIRST_DAY = dt.date(2024, 1, 1)
REPEATS = 3


def _load_days(bench: Bench, days: list[dt.date]) -> int:
    """The days loaded as the pipeline loads them: one partition each."""
    return sum(load_day(bench.conn, day, bench.settings, n_rows=bench.sizes.history_rows) for day in days)


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
        loaded = _load_days(bench, days[done:upto])
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
