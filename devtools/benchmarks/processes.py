"""Benchmarks that run in a child process: peak memory of a big day, and the real DAG."""

from __future__ import annotations

import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import time

from devtools import database
from devtools.airflow_env import METADATA_CONN_ENV, sqlalchemy_url
from devtools.benchmarks.bench import Bench
from include.config import DATABASE_URL_ENV, PROJECT_ROOT
from include.storage.days import ensure_customer_base

RSS_DAY = dt.date(2025, 3, 6)
#: A Monday (10 days span weekdays and a weekend), on or after the DAG's start_date: dag.test()
#: of an earlier logical date creates no task instances and "succeeds" without loading anything.
BACKFILL_FIRST_DAY = dt.date(2026, 2, 2)
RESULT_PREFIX = "BENCH_RESULT "


def _child(bench: Bench, args: list[str], env: dict[str, str], timeout: float) -> dict:
    """Run `python -m devtools.benchmarks.child ...`; its last RESULT_PREFIX line is the result."""
    env = {**env, "PYTHONPATH": os.pathsep.join(filter(None, [str(PROJECT_ROOT), env.get("PYTHONPATH")]))}
    # Through sh, which forks the child: Linux carries the exec'ing process's RSS high-water mark
    # over into ru_maxrss, so a child exec'd straight from this (big) process would report ours.
    done = subprocess.run(
        ["/bin/sh", "-c", '"$@"; exit $?', "sh", sys.executable, "-m", "devtools.benchmarks.child", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=PROJECT_ROOT,
        timeout=timeout,
    )
    results = [line for line in done.stdout.splitlines() if line.startswith(RESULT_PREFIX)]
    if done.returncode != 0 or not results:
        for line in (done.stdout + done.stderr).strip().splitlines()[-15:]:
            bench.note("  child: " + line)
        raise RuntimeError(f"child `{' '.join(args[:1])}` exited {done.returncode} without a result")
    return json.loads(results[-1][len(RESULT_PREFIX) :])


def peak_rss(bench: Bench) -> None:
    """ru_maxrss of a fresh process that load_days a big day (nothing else in it counts)."""
    n = bench.sizes.rss_rows
    ensure_customer_base(bench.conn, RSS_DAY, bench.settings)
    bench.reset()
    env = {**os.environ, DATABASE_URL_ENV: bench.url}
    result = _child(bench, ["rss", bench.url, RSS_DAY.isoformat(), str(n)], env, timeout=3600)
    bench.note(
        f"peak_rss: child load_day of {result['rows']:,} rows in {result['seconds']:.1f}s "
        f"({result['rows'] / result['seconds']:,.0f} rows/s); child RSS after imports "
        f"{result['baseline_rss_mb']:.0f} MB, VmHWM {result['vm_hwm_mb']:.0f} MB"
    )
    bench.figure("peak_rss_mb", float(result["peak_rss_mb"]))
    bench.figure("peak_rss_rows", n)


def backfill(bench: Bench) -> None:
    """The real DAG through devtools.runner (`make backfill`), on a fresh database each time: one
    day at a time (JOBS=1) and the machine's cores side by side (JOBS=cores, the default)."""
    cores = max(1, os.cpu_count() or 1)
    for jobs in dict.fromkeys((1, cores)):
        _backfill_with(bench, jobs)


def _backfill_with(bench: Bench, jobs: int) -> None:
    """A child runs the days on a fresh database, with Airflow's metadata in a scratch PostgreSQL
    database (several runners need a server; the user's history stays out of it)."""
    sizes = bench.sizes
    suffix = f"{os.getpid()}_jobs{jobs}"
    data_db, metadata_db = f"bench_backfill_{suffix}", f"bench_airflow_runner_{suffix}"
    for name in (data_db, metadata_db):
        database.drop_database(bench.admin_url, name)
        database.ensure_database(bench.admin_url, name)
    url = database.with_database(bench.admin_url, data_db)
    env = {k: v for k, v in os.environ.items() if not k.startswith("AIRFLOW")}
    env.update(
        {
            "AIRFLOW_HOME": str(bench.workdir / f"airflow-jobs{jobs}"),
            METADATA_CONN_ENV: sqlalchemy_url(database.with_database(bench.admin_url, metadata_db)),
            DATABASE_URL_ENV: url,
            "CCA_REPORTS_DIR": str(bench.workdir / "reports"),
        }
    )
    args = [
        "backfill",
        url,
        BACKFILL_FIRST_DAY.isoformat(),
        str(sizes.backfill_days),
        str(sizes.backfill_per_day),
    ]
    started = time.perf_counter()
    try:
        result = _child(bench, [*args, str(jobs)], env, timeout=3600)
        wall = time.perf_counter() - started
        with database.connect(url) as conn:
            rows, batches = conn.execute(
                "SELECT (SELECT count(*) FROM customer_interactions), (SELECT count(*) FROM interaction_batches)"
            ).fetchone()
    finally:
        for name in (data_db, metadata_db):
            database.drop_database(bench.admin_url, name)
    days = sorted(result["days"], key=lambda d: d["day"])
    failed = [d for d in days if d["state"] != "success"]
    bench.note(
        f"backfill JOBS={jobs}: {len(days)} day(s) x ~{sizes.backfill_per_day:,} interactions via devtools.runner "
        f"on a fresh database; {rows:,} rows loaded; airflow db migrate {result['prepare_seconds']:.1f}s, "
        f"DAG parse {result['parse_seconds']:.1f}s, child wall {wall:.1f}s"
    )
    bench.note(f"backfill JOBS={jobs} days: " + ", ".join(f"{d['day']} {d['seconds']:.2f}s" for d in days))
    if failed or len(days) != sizes.backfill_days:
        raise RuntimeError(f"DAG run failed for {failed[0]['day'] if failed else 'a day'}")
    if batches != len(days):
        raise RuntimeError(f"the DAG runs succeeded but loaded {batches} of {len(days)} days (no tasks ran?)")
    _year_figures(bench, jobs, days, result["finished"])
    # a runner's memory: a year's backfill holds one base bucket per runner (under 1.5 GB at 20,000)
    bench.figure(
        f"backfill_{'jobs_1' if jobs == 1 else 'jobs_cores'}_peak_rss_mb_per_runner", result["peak_rss_mb"]
    )


def _year_figures(bench: Bench, jobs: int, days: list[dict], finished: list[float]) -> None:
    """A year projected: the first day (it writes the customer base) + 364 x the median day.

    JOBS=1: the median of the later days' own seconds. JOBS=N: days end about N at a time, so a
    day's share of the wall time is (last end - first end) / (days - 1), the first day being
    the wall time to the first end.
    """
    first, steady = days[0], days[1:] or days[:1]
    if jobs == 1:
        median_day = statistics.median(d["seconds"] for d in steady)
    else:
        median_day = (finished[-1] - finished[0]) / max(1, len(finished) - 1)
    tag = "" if jobs == 1 else "_jobs_cores"
    bench.figure(f"backfill{tag}_first_day_seconds", float(first["seconds"] if jobs == 1 else finished[0]))
    bench.figure(f"backfill{tag}_median_day_seconds", median_day)
    projection = (first["seconds"] if jobs == 1 else finished[0]) + 364 * median_day
    bench.figure(f"backfill_year_projection_seconds{'_jobs_1' if jobs == 1 else '_jobs_cores'}", projection)
    if jobs != 1:
        bench.note(f"backfill_jobs_cores: JOBS={jobs} (os.cpu_count)")
        return
    bench.figure("backfill_first_day_base_seconds", float(first["tasks"].get("extend_customer_base", 0.0)))
    mean = statistics.fmean(d["seconds"] for d in steady)
    bench.figure("backfill_seconds_per_day", mean)
    bench.figure("backfill_projected_365_days_seconds", mean * 365)
    # Where a day goes: each task (its work plus Airflow's cost of running it; a task that
    # does almost nothing, like validate_run, shows that cost), and Airflow between tasks.
    for task in steady[0]["tasks"]:
        median = statistics.median(d["tasks"].get(task, 0.0) for d in steady)
        bench.figure(f"backfill_task_{task}_median_seconds", median)
    bench.figure(
        "backfill_between_tasks_seconds_per_day",
        statistics.fmean(d["seconds"] - sum(d["tasks"].values()) for d in steady),
    )
