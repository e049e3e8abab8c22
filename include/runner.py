"""Run the real DAG locally, one `dag.test()` per day, without a scheduler.

Used by `make run` (the last 7 days, then a summary) and `make backfill`. One process runs
all the days, so a year of history costs seconds per day, not a process start per day.
For a scheduler-driven backfill use Airflow's own `airflow backfill create` (README).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import subprocess
import sys
import time
import warnings
from pathlib import Path

from include.config import CONN_ID, DAG_ID, PROJECT_ROOT

AIRFLOW_HOME = Path(os.environ.get("AIRFLOW_HOME", PROJECT_ROOT / ".airflow"))


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:
        print(f"error: {message}", file=sys.stderr)
        raise SystemExit(2)


def airflow_env(database_url: str) -> dict[str, str]:
    """Settings for a local, scheduler-less Airflow: SQLite metadata, this project's DAG."""
    from include.database import airflow_conn_uri

    return {
        "AIRFLOW_HOME": str(AIRFLOW_HOME),
        "AIRFLOW__CORE__DAGS_FOLDER": str(PROJECT_ROOT / "dags"),
        "AIRFLOW__CORE__PLUGINS_FOLDER": str(PROJECT_ROOT / "plugins"),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__CORE__UNIT_TEST_MODE": "False",
        "AIRFLOW__LOGGING__LOGGING_LEVEL": os.environ.get("AIRFLOW__LOGGING__LOGGING_LEVEL", "WARNING"),
        f"AIRFLOW_CONN_{CONN_ID.upper()}": airflow_conn_uri(database_url),
    }


def prepare_airflow(database_url: str) -> None:
    """Point Airflow at this project and migrate its metadata DB once."""
    os.environ.update(airflow_env(database_url))
    AIRFLOW_HOME.mkdir(parents=True, exist_ok=True)
    stamp = AIRFLOW_HOME / ".metadata-migrated"
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


def run_days(days: list[dt.date], conf: dict, dag=None) -> list[tuple[dt.date, str, float]]:
    """dag.test() for each day; stops at the first failed run. Returns (day, state, seconds)."""
    dag = dag or load_dag()
    results = []
    for day in days:
        started = time.perf_counter()
        logical = dt.datetime.combine(day, dt.time(0), dt.UTC)
        run = dag.test(logical_date=logical, run_conf=conf)
        state = str(getattr(run.state, "value", run.state))
        if not run.get_task_instances():  # e.g. a date before the DAG's start_date: nothing ran
            state = "empty"
        elapsed = time.perf_counter() - started
        results.append((day, state, elapsed))
        if state != "success":
            failed = [
                ti.task_id
                for ti in run.get_task_instances()
                if str(ti.state) in ("failed", "upstream_failed")
            ]
            print(f"{day}: FAILED at {', '.join(failed) or 'unknown task'} (see the log above)", flush=True)
            break
        print(f"{day}: ok in {elapsed:.1f}s", flush=True)
    return results


def parse_range(start: str, end: str) -> list[dt.date]:
    try:
        first, last = dt.date.fromisoformat(start), dt.date.fromisoformat(end)
    except ValueError:
        raise ValueError(f"dates must be YYYY-MM-DD, got START={start!r} END={end!r}") from None
    if first > last:
        raise ValueError(f"START {first} is after END {last}")
    from include.generator.config import EPOCH

    if first < EPOCH:
        raise ValueError(f"START {first} is before the generator's first day {EPOCH}")
    return [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]


def print_summary(conn, days: list[dt.date]) -> None:
    from include.config import SQL_DIR
    from include.schema import run_sql_file, table_counts

    print("\nTables:")
    for table, count in table_counts(conn):
        print(f"  {table:<24} {count:>12,}")
    params = {"start": days[0], "end": days[-1]}
    for title, name, header in (
        (
            "Volume and satisfaction by channel",
            "by_channel.sql",
            ("channel", "contacts", "avg CSAT", "CSAT %"),
        ),
        ("Top interaction types", "top_interaction_types.sql", ("type", "contacts", "AHT min")),
        ("Top agents", "top_agents.sql", ("agent", "handled", "avg CSAT", "AHT min")),
    ):
        with conn.transaction():
            rows = run_sql_file(conn, SQL_DIR / "summary" / name, params)
        print(f"\n{title} ({days[0]}..{days[-1]}):")
        for row in [header, *rows]:
            print("  " + f"{row[0]:<22}" + "".join(f"{v!s:>10}" for v in row[1:]))


def main(argv: list[str] | None = None) -> int:
    parser = _Parser(prog="python -m include.runner", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="run the DAG for the last DAYS days before today, then print a summary")
    run.add_argument("--days", type=int, default=7)
    back = sub.add_parser("backfill", help="run the DAG once per day from START to END (inclusive)")
    back.add_argument("start")
    back.add_argument("end")
    for p in (run, back):
        p.add_argument("--interactions", default=None, help="average interactions per day")
    args = parser.parse_args(argv)

    from include.database import DatabaseUnavailable, connect, database_url
    from include.generator.config import MAX_INTERACTIONS_PER_DAY

    conf: dict = {}
    try:
        if args.interactions not in (None, ""):
            try:
                conf["interactions_per_day"] = int(args.interactions)
            except ValueError:
                raise ValueError(f"INTERACTIONS must be a whole number, got {args.interactions!r}") from None
            if not 1 <= conf["interactions_per_day"] <= MAX_INTERACTIONS_PER_DAY:
                raise ValueError(f"INTERACTIONS must be between 1 and {MAX_INTERACTIONS_PER_DAY:,}")
        if args.command == "backfill":
            days = parse_range(args.start, args.end)
        else:
            today = dt.datetime.now(dt.UTC).date()
            days = [today - dt.timedelta(days=i) for i in range(args.days, 0, -1)]
        url = database_url()
        with connect(url) as conn:
            conn.execute("SELECT 1")
    except (ValueError, DatabaseUnavailable) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2

    prepare_airflow(url)
    # Airflow's in-process execution API (dag.test) warns about its own test client.
    warnings.filterwarnings("ignore", message=".*starlette.testclient.*")
    started = time.perf_counter()
    results = run_days(days, conf)
    ok = sum(1 for _, state, _ in results if state == "success")
    print(f"\n{ok}/{len(days)} day(s) loaded in {time.perf_counter() - started:.1f}s")
    if ok != len(days):
        return 1
    with connect(url) as conn:
        if args.command == "run":
            print_summary(conn, days)
        from include.config import REPORTS_DIR

        report = REPORTS_DIR / f"customer_care_report_{days[-1]}.html"
        if report.exists():
            print(f"\nReport: {report}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
