"""Run the real DAG locally, one `dag.test()` per day, without a scheduler.

Used by `make run` (the last 7 days, then a summary) and `make backfill`. One process runs
all the days, so a year of history costs seconds per day, not a process start per day.
For a scheduler-driven backfill use Airflow's own `airflow backfill create` (README).
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import subprocess
import sys
import time
import warnings

from include.config import DAG_ID, PROJECT_ROOT


def prepare_airflow(database_url: str) -> None:
    """Point Airflow at this project and migrate its metadata DB once."""
    from devtools.airflow_env import DEFAULT_HOME, airflow_env

    os.environ.update(airflow_env(database_url))
    DEFAULT_HOME.mkdir(parents=True, exist_ok=True)
    stamp = DEFAULT_HOME / ".metadata-migrated"
    if not stamp.exists():
        print("preparing Airflow's metadata database (first run only)...", flush=True)
        subprocess.run(
            [sys.executable, "-m", "airflow", "db", "migrate"],
            check=True,
            env=os.environ.copy(),
            stdout=subprocess.DEVNULL,
        )
        stamp.touch()


def load_dag():
    """The DAG as the scheduler would see it (parsed from the dags folder)."""
    from airflow.dag_processing.dagbag import DagBag

    bag = DagBag(str(PROJECT_ROOT / "dags"))
    if bag.import_errors:
        raise RuntimeError(f"DAG import errors: {bag.import_errors}")
    return bag.get_dag(DAG_ID)


def run_days(days: list[dt.date], conf: dict, dag=None) -> list[tuple[dt.date, str, float, dict[str, float]]]:
    """dag.test() for each day; stops at the first failed run.

    Returns (day, state, seconds, {task_id: seconds}) per day: a task's time includes Airflow's
    own cost of running it; the run's seconds beyond its tasks' are Airflow's between tasks.
    """
    dag = dag or load_dag()
    results = []
    begun = time.perf_counter()
    for k, day in enumerate(days, 1):
        started = time.perf_counter()
        logical = dt.datetime.combine(day, dt.time(0), dt.UTC)
        run = dag.test(logical_date=logical, run_conf=conf)
        state = str(getattr(run.state, "value", run.state))
        task_instances = run.get_task_instances()
        if not task_instances:  # e.g. a date before the DAG's start_date: nothing ran
            state = "empty"
        elapsed = time.perf_counter() - started
        tasks: dict[str, float] = {}
        for ti in task_instances:  # a mapped task's instances add up
            tasks[ti.task_id] = tasks.get(ti.task_id, 0.0) + (getattr(ti, "duration", None) or 0.0)
        results.append((day, state, elapsed, tasks))
        if state != "success":
            failed = [
                ti.task_id
                for ti in run.get_task_instances()
                if str(ti.state) in ("failed", "upstream_failed")
            ]
            print(
                f"[{k}/{len(days)}] {day}: FAILED at {', '.join(failed) or 'unknown task'} (see the log above)",
                flush=True,
            )
            break
        print(progress_line(k, len(days), day, elapsed, time.perf_counter() - begun), flush=True)
    return results


def progress_line(k: int, total: int, day: dt.date, elapsed: float, so_far: float) -> str:
    """`[k/N] day: ok in 1.9s, ETA 12m 30s` (the mean time per day so far, times the days left)."""
    left = round(so_far / k * (total - k))
    eta = f"{left // 3600}h {left % 3600 // 60:02d}m" if left >= 3600 else f"{left // 60}m {left % 60:02d}s"
    return f"[{k}/{total}] {day}: ok in {elapsed:.1f}s" + (f", ETA {eta}" if k < total else ", done")


def parse_range(start: str, end: str) -> list[dt.date]:
    try:
        first, last = dt.date.fromisoformat(start), dt.date.fromisoformat(end)
    except ValueError:
        raise ValueError(f"dates must be YYYY-MM-DD, got START={start!r} END={end!r}") from None
    if first > last:
        raise ValueError(f"START {first} is after END {last}")
    from include.generator.config import EPOCH
    from include.generator.settings import validate_day

    if first < EPOCH:
        raise ValueError(f"START {first} is before the generator's first day {EPOCH}")
    validate_day(last)
    return [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]


#: The `make run` summary: (title, header, query) over the analytics read layer, the
#: functions the report reads too (include/sql/00_schema.sql), so both show the same
#: figures. Params: %(start)s, %(end)s (inclusive dates).
SUMMARY_QUERIES = (
    (
        "Volume and satisfaction by channel",
        ("channel", "contacts", "avg CSAT", "CSAT %"),
        "SELECT channel_name, interaction_count, round(avg_satisfaction, 2), round(csat_pct, 1) "
        "FROM analytics.channel_kpis(%(start)s, %(end)s) ORDER BY interaction_count DESC, channel_name",
    ),
    (
        "Top interaction types",
        ("type", "contacts", "AHT min"),
        "SELECT interaction_name, interaction_count, round(avg_duration_seconds / 60, 1) "
        "FROM analytics.interaction_type_kpis(%(start)s, %(end)s) "
        "ORDER BY interaction_count DESC, interaction_name LIMIT 5",
    ),
    (
        "Top agents",
        ("agent", "handled", "avg CSAT", "AHT min"),
        "SELECT agent_name, interactions_handled, round(avg_satisfaction, 2), round(avg_duration_seconds / 60, 1) "
        "FROM analytics.agent_kpis(%(start)s, %(end)s) "
        "ORDER BY interactions_handled DESC, agent_name, agent_id LIMIT 5",
    ),
)


def print_summary(conn, days: list[dt.date]) -> None:
    from include.storage.sql import table_counts

    print("\nTables:")
    for table, count in table_counts(conn):
        print(f"  {table:<24} {count:>12,}")
    params = {"start": days[0], "end": days[-1]}
    for title, header, query in SUMMARY_QUERIES:
        with conn.transaction():
            rows = conn.execute(query, params).fetchall()
        print(f"\n{title} ({days[0]}..{days[-1]}):")
        for row in [header, *rows]:
            print("  " + f"{row[0]:<22}" + "".join(f"{v!s:>10}" for v in row[1:]))


def execute(command: str, interactions: str | None, *, start: str = "", end: str = "", days: int = 7) -> int:
    """`cca run` (the last `days` days, then a summary) and `cca backfill START END`.

    Input and the database are checked before Airflow is touched: ValueError or
    DatabaseUnavailable (one line, exit 2) means nothing was written.
    """
    from devtools.database import connect, database_url
    from include.generator.config import DEFAULT_SEED, MAX_INTERACTIONS_PER_DAY
    from include.storage.customers import check_customer_base
    from include.storage.days import refuse_migrated_days

    conf: dict = {}
    if interactions not in (None, ""):
        try:
            conf["interactions_per_day"] = int(interactions)
        except ValueError:
            raise ValueError(f"INTERACTIONS must be a whole number, got {interactions!r}") from None
        if not 1 <= conf["interactions_per_day"] <= MAX_INTERACTIONS_PER_DAY:
            raise ValueError(f"INTERACTIONS must be between 1 and {MAX_INTERACTIONS_PER_DAY:,}")
    if command == "backfill":
        day_list = parse_range(start, end)
    else:
        today = dt.datetime.now(dt.UTC).date()
        day_list = [today - dt.timedelta(days=i) for i in range(days, 0, -1)]
    url = database_url()
    with connect(url) as conn:
        # Another seed's or an earlier release's customers, or a migrated day: one line now,
        # not a failed task.
        check_customer_base(conn, DEFAULT_SEED)
        refuse_migrated_days(conn, day_list[0], day_list[-1])
    days_to_run = day_list

    prepare_airflow(url)
    # Airflow's in-process execution API (dag.test) warns about its own test client.
    warnings.filterwarnings("ignore", message=".*starlette.testclient.*")
    # Re-running a day deletes its earlier run first; once the DAG has changed (more than one
    # version in the metadata DB), SQLAlchemy warns about Airflow's own DagRun relationship.
    warnings.filterwarnings("ignore", message=".*DagRun.serialized_dag.*")
    # Airflow masks every value of a connection's extras; `connect_timeout=10` is too short to
    # mask and gets a warning that reads like a leaked secret. Nothing is shown either way.
    logging.getLogger("airflow.sdk._shared.secrets_masker.secrets_masker").addFilter(
        lambda record: "too short" not in record.getMessage()
    )
    started = time.perf_counter()
    results = run_days(days_to_run, conf)
    ok = sum(1 for _, state, _, _ in results if state == "success")
    print(f"\n{ok}/{len(days_to_run)} day(s) loaded in {time.perf_counter() - started:.1f}s")
    if ok != len(days_to_run):
        return 1
    with connect(url) as conn:
        if command == "run":
            print_summary(conn, days_to_run)
        from include.config import REPORTS_DIR

        report = REPORTS_DIR / f"customer_care_report_{days_to_run[-1]}.html"
        if report.exists():
            print(f"\nReport: {report}")
    return 0
