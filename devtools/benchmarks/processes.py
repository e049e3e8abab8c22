"""Benchmarks that run in a child process: peak memory of a big day, and the real DAG."""

from __future__ import annotations

import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import time

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
    """The real DAG, one dag.test() per day via devtools.runner, in a child with its own AIRFLOW_HOME."""
    sizes = bench.sizes
    bench.reset()
    home = bench.workdir / "airflow"
    env = {k: v for k, v in os.environ.items() if not k.startswith("AIRFLOW")}
    # A throw-away Airflow home (SQLite metadata), reports and data in the scratch database.
    env.update(
        {
            "AIRFLOW_HOME": str(home),
            DATABASE_URL_ENV: bench.url,
            "CCA_REPORTS_DIR": str(bench.workdir / "reports"),
        }
    )
    started = time.perf_counter()
    result = _child(
        bench,
        [
            "backfill",
            bench.url,
            BACKFILL_FIRST_DAY.isoformat(),
            str(sizes.backfill_days),
            str(sizes.backfill_per_day),
        ],
        env,
        timeout=3600,
    )
    wall = time.perf_counter() - started
    days = result["days"]
    failed = [d for d in days if d["state"] != "success"]
    rows, batches = bench.conn.execute(
        "SELECT (SELECT count(*) FROM customer_interactions), (SELECT count(*) FROM interaction_batches)"
    ).fetchone()
    bench.note(
        f"backfill: {len(days)} day(s) x ~{sizes.backfill_per_day:,} interactions via devtools.runner.run_days; "
        f"{rows:,} rows loaded; airflow db migrate {result['prepare_seconds']:.1f}s, "
        f"DAG parse {result['parse_seconds']:.1f}s, child wall {wall:.1f}s"
    )
    bench.note("backfill days: " + ", ".join(f"{d['day']} {d['seconds']:.2f}s" for d in days))
    if failed or len(days) != sizes.backfill_days:
        raise RuntimeError(f"DAG run failed for {failed[0]['day'] if failed else 'a day'}")
    if batches != len(days):
        raise RuntimeError(f"the DAG runs succeeded but loaded {batches} of {len(days)} days (no tasks ran?)")
    steady = days[1:] or days[:1]  # the first day also writes the customer base
    mean = statistics.fmean(d["seconds"] for d in steady)
    bench.figure("backfill_first_day_seconds", float(days[0]["seconds"]))
    bench.figure("backfill_seconds_per_day", mean)
    bench.figure("backfill_projected_365_days_seconds", mean * 365)
    # Where a day goes: each task (its work plus Airflow's cost of running it; a task that
    # does almost nothing, like validate_run, shows that cost), and Airflow between tasks.
    medians = {
        task: statistics.median(d["tasks"].get(task, 0.0) for d in steady) for task in steady[0]["tasks"]
    }
    bench.note("backfill task medians: " + ", ".join(f"{task} {s:.2f}s" for task, s in medians.items()))
    bench.figure(
        "backfill_between_tasks_seconds_per_day",
        statistics.fmean(d["seconds"] - sum(d["tasks"].values()) for d in steady),
    )
