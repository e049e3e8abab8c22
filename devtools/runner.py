"""Run the real DAG locally, `dag.test()` per day, without a scheduler.

Used by `make run` (the last 7 days, then a summary) and `make backfill`. `dag.test()` is
Airflow's in-process runner of one DAG run: its loop schedules the run's tasks and runs them in
this process, recording the run and its task instances in Airflow's metadata database like the
scheduler does. `make backfill ... JOBS=N` runs N such runners side by side, each a process
(`python -m devtools.runner`) taking every N-th day in date order; they share one metadata
database (PostgreSQL: `make airflow`'s, so the runs show in its UI) and the project's database,
where the loader's locks (one per day, one for the customer base, one for the summaries) make
days loaded at once safe. docs/backfill.md says why this and not a scheduler.
For a scheduler-driven backfill use Airflow's own `airflow backfill create` (README).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import os
import resource
import subprocess
import sys
import threading
import time
import warnings

from include.config import DAG_ID, PROJECT_ROOT

#: A worker's line on stdout carrying one day's result (JSON); anything else is passed through.
RESULT_PREFIX = "CCA_DAY "
#: (day, state, seconds, {task_id: seconds}) per day, as run_days returns them.
DayResult = tuple[dt.date, str, float, dict[str, float]]


def prepare_airflow(database_url: str) -> None:
    """Point Airflow at this project and at its metadata database; migrate that once."""
    from devtools.airflow_env import DEFAULT_HOME, METADATA_CONN_ENV, airflow_env, runner_metadata_conn

    env = airflow_env(database_url)
    env[METADATA_CONN_ENV] = runner_metadata_conn(env)
    os.environ.update(env)
    DEFAULT_HOME.mkdir(parents=True, exist_ok=True)
    # One stamp per metadata database (the embedded server's, another server's, a test's).
    key = hashlib.sha256(env[METADATA_CONN_ENV].encode()).hexdigest()[:16]
    stamp = DEFAULT_HOME / f".metadata-migrated-{key}"
    if not stamp.exists() or not _metadata_tables_exist(env[METADATA_CONN_ENV]):
        print("preparing Airflow's metadata database (first run only)...", flush=True)
        subprocess.run(
            [sys.executable, "-m", "airflow", "db", "migrate"],
            check=True,
            env=os.environ.copy(),
            stdout=subprocess.DEVNULL,
        )
        stamp.touch()


def _metadata_tables_exist(sqlalchemy_conn: str) -> bool:
    """Airflow's tables are there (a stamp outlives a deleted server); SQLite: trust the stamp."""
    if not sqlalchemy_conn.startswith("postgresql"):
        return True
    from devtools.database import connect

    url = sqlalchemy_conn.replace("postgresql+psycopg://", "postgresql://", 1)
    with connect(url) as conn:
        return conn.execute("SELECT to_regclass('alembic_version') IS NOT NULL").fetchone()[0]


#: A scheduler whose heartbeat is younger than this is alive (Airflow's health check uses 30 s).
SCHEDULER_ALIVE_SECONDS = 60


def refuse_a_live_scheduler_of_the_dag() -> None:
    """One metadata database means `make airflow`'s scheduler sees these runs: with the DAG
    unpaused it would queue their tasks too, and each would run twice. Refused, before anything
    is written; paused (`make airflow`'s default) or stopped, nothing else runs them."""
    from devtools.airflow_env import METADATA_CONN_ENV

    meta = os.environ.get(METADATA_CONN_ENV, "")
    if not meta.startswith("postgresql"):
        return
    from devtools.database import connect

    with connect(meta.replace("postgresql+psycopg://", "postgresql://", 1)) as conn:
        live = conn.execute(
            "SELECT EXISTS (SELECT FROM job WHERE job_type = 'SchedulerJob' AND state = 'running' "
            "AND latest_heartbeat > now() - make_interval(secs => %s)) "
            "AND EXISTS (SELECT FROM dag WHERE dag_id = %s AND NOT is_paused)",
            (SCHEDULER_ALIVE_SECONDS, DAG_ID),
        ).fetchone()[0]
    if live:
        raise ValueError(
            f"make airflow's scheduler is running with {DAG_ID} unpaused and would run these days' tasks "
            "as well: pause the DAG in the UI (or stop make airflow) and run this again"
        )


def quiet_airflow() -> None:
    """Keep a runner's output to the progress lines and real problems."""
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


def load_dag():
    """The DAG as the scheduler would see it (parsed from the dags folder)."""
    from airflow.dag_processing.dagbag import DagBag

    bag = DagBag(str(PROJECT_ROOT / "dags"))
    if bag.import_errors:
        raise RuntimeError(f"DAG import errors: {bag.import_errors}")
    return bag.get_dag(DAG_ID)


def run_dag_test(dag, day: dt.date | None, conf: dict):
    """One dag.test() run of `day` (None: now), the DAG's param defaults left as they were.

    dag.test() runs the tasks in this process, and Airflow's process_params puts the DAG's own
    Param objects in a run's params and sets their values from its conf: without the restore,
    one run's conf (say new_customers_per_day) became every later run's default.
    """
    logical = dt.datetime.combine(day, dt.time(0), dt.UTC) if day else None
    holders = [dag.params, *(task.params for task in dag.tasks if task.params)]
    saved = [(param, param.value) for h in holders for param in map(h.get_param, list(h.keys()))]
    try:
        return dag.test(logical_date=logical, run_conf=conf)
    finally:
        for param, value in saved:
            param.value = value


def run_day(dag, day: dt.date, conf: dict) -> tuple[DayResult, list[str]]:
    """One dag.test() run of `day`: ((day, state, seconds, {task_id: seconds}), failed task ids).

    A task's time includes Airflow's own cost of running it; the run's seconds beyond its
    tasks' are Airflow's between tasks.
    """
    started = time.perf_counter()
    run = run_dag_test(dag, day, conf)
    state = str(getattr(run.state, "value", run.state))
    task_instances = run.get_task_instances()
    if not task_instances:  # e.g. a date before the DAG's start_date: nothing ran
        state = "empty"
    tasks: dict[str, float] = {}
    failed: list[str] = []
    for ti in task_instances:  # a mapped task's instances add up
        tasks[ti.task_id] = tasks.get(ti.task_id, 0.0) + (getattr(ti, "duration", None) or 0.0)
        if str(ti.state) in ("failed", "upstream_failed"):
            failed.append(ti.task_id)
    return (day, state, time.perf_counter() - started, tasks), failed


class Progress:
    """`[k/N] day: ok in 1.9s, ETA ...` per finished day, whichever runner finished it; the
    ETA is the wall time so far per finished day times the days left, so it holds for N runners."""

    def __init__(self, total: int) -> None:
        self.total = total
        self.done: list[DayResult] = []
        #: Seconds from the start to the end of each day in `done` (the bench's year projection).
        self.finished: list[float] = []
        #: The largest peak RSS a runner process reported (MB; the bench's memory per runner).
        self.runner_peak_rss_mb = 0.0
        self.begun = time.perf_counter()

    def add(self, result: DayResult, failed: list[str]) -> bool:
        """Print the day's line; False if it failed."""
        day, state, elapsed, _ = result
        self.done.append(result)
        self.finished.append(time.perf_counter() - self.begun)
        k = len(self.done)
        if state != "success":
            print(
                f"[{k}/{self.total}] {day}: FAILED at {', '.join(failed) or 'unknown task'} (see the log above)",
                flush=True,
            )
            return False
        print(progress_line(k, self.total, day, elapsed, time.perf_counter() - self.begun), flush=True)
        return True


def run_days(days: list[dt.date], conf: dict, dag=None, progress: Progress | None = None) -> list[DayResult]:
    """dag.test() for each day in this process; stops at the first failed run."""
    dag = dag or load_dag()
    progress = progress or Progress(len(days))
    for day in days:
        if not progress.add(*run_day(dag, day, conf)):
            break
    return progress.done


def shares(days: list[dt.date], jobs: int) -> list[list[dt.date]]:
    """Every `jobs`-th day to each runner: each in date order, and the runners stay side by side in
    time (one customer-base bucket for all, each extension of the base a day or two)."""
    return [share for share in (days[k::jobs] for k in range(jobs)) if share]


def register_dag() -> None:
    """Write the DAG to the metadata database once, before the runners start: each dag.test()
    syncs the dags folder first, and N first syncs of a new DAG version at once would race to
    insert the same version. What dag.test() does first, done once here."""
    from airflow.dag_processing.bundles.manager import DagBundlesManager
    from airflow.dag_processing.dagbag import BundleDagBag, sync_bag_to_db
    from airflow.utils.session import create_session

    manager = DagBundlesManager()
    with create_session() as session:
        manager.sync_bundles_to_db(session=session)
    for bundle in manager.get_all_dag_bundles():
        if not bundle.is_initialized:
            bundle.initialize()
        bag = BundleDagBag(dag_folder=bundle.path, bundle_path=bundle.path, bundle_name=bundle.name)
        sync_bag_to_db(bag, bundle.name, bundle.version)


def run_days_in_workers(
    days: list[dt.date], conf: dict, jobs: int, progress: Progress | None = None
) -> list[DayResult]:
    """`jobs` runners (`python -m devtools.runner`), each dag.test() over its share of the days.

    Their lines pass through; their results come back as RESULT_PREFIX lines. After a failed
    day the others finish the day they are on and stop (their stdin closes).
    """
    register_dag()
    progress = progress or Progress(len(days))
    lock = threading.Lock()
    workers = [
        subprocess.Popen(
            [sys.executable, "-m", "devtools.runner", json.dumps(conf), *[d.isoformat() for d in share]],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            cwd=str(PROJECT_ROOT),
            env=os.environ.copy(),
        )
        for share in shares(days, jobs)
    ]

    def stop_all() -> None:
        for worker in workers:
            if worker.stdin and not worker.stdin.closed:
                worker.stdin.close()

    def follow(worker: subprocess.Popen) -> None:
        for line in worker.stdout:
            if not line.startswith(RESULT_PREFIX):
                sys.stdout.write(line)
                continue
            item = json.loads(line[len(RESULT_PREFIX) :])
            with lock:
                result = (dt.date.fromisoformat(item["day"]), item["state"], item["seconds"], item["tasks"])
                progress.runner_peak_rss_mb = max(progress.runner_peak_rss_mb, item.get("peak_rss_mb", 0.0))
                if not progress.add(result, item["failed"]):
                    stop_all()

    readers = [threading.Thread(target=follow, args=(w,), daemon=True) for w in workers]
    try:
        for reader in readers:
            reader.start()
        for worker, reader in zip(workers, readers, strict=True):
            worker.wait()
            reader.join()
    finally:
        stop_all()
        for worker in workers:
            worker.wait()
    if (
        any(w.returncode for w in workers)
        and len(progress.done) < len(days)
        and all(s == "success" for _, s, _, _ in progress.done)
    ):
        print("a runner ended before its days were done (see the log above)", flush=True)
    return sorted(progress.done)


def worker_main(argv: list[str]) -> int:
    """A runner of `make backfill JOBS=N`: dag.test() for each day given, in order; stops after a
    failed day or when its stdin closes (another runner failed, or the parent is gone)."""
    conf = json.loads(argv[0])
    days = [dt.date.fromisoformat(d) for d in argv[1:]]
    stop = threading.Event()

    def watch_stdin() -> None:
        sys.stdin.read()  # returns at EOF
        stop.set()

    threading.Thread(target=watch_stdin, daemon=True).start()
    quiet_airflow()
    dag = load_dag()
    for day in days:
        if stop.is_set():
            break
        (day, state, seconds, tasks), failed = run_day(dag, day, conf)
        item = {"day": day.isoformat(), "state": state, "seconds": seconds, "tasks": tasks, "failed": failed}
        item["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB
        print(RESULT_PREFIX + json.dumps(item), flush=True)
        if state != "success":
            return 1
    return 0


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
    from include.generator.parameters import EPOCH
    from include.generator.settings import validate_day

    if first < EPOCH:
        raise ValueError(f"START {first} is before the generator's first day {EPOCH}")
    validate_day(last)
    return [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]


#: The `make run` summary: (title, header, query) over the analytics read layer, the
#: functions the report reads too (include/sql/schema/read/), so both show the same
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


def parse_jobs(jobs: str | None, n_days: int) -> int:
    """JOBS: runners side by side (default: the machine's cores), never more than the days.

    Several need a PostgreSQL metadata database (the default); with SQLite (an explicit
    AIRFLOW__DATABASE__SQL_ALCHEMY_CONN) the default is one and more is refused.
    """
    from devtools.airflow_env import METADATA_CONN_ENV

    sqlite = os.environ.get(METADATA_CONN_ENV, "").strip().startswith("sqlite")
    if jobs in (None, ""):
        return 1 if sqlite else max(1, min(default_jobs(), n_days))
    try:
        count = int(jobs)
    except ValueError:
        raise ValueError(f"JOBS must be a whole number, got {jobs!r}") from None
    if not 1 <= count <= MAX_JOBS:
        raise ValueError(f"JOBS must be between 1 and {MAX_JOBS}")
    if count > 1 and sqlite:
        raise ValueError(f"JOBS={count} needs a PostgreSQL metadata database ({METADATA_CONN_ENV} is SQLite)")
    return min(count, n_days)


#: More runners than this only queue on the locks and the cores (and each holds a few
#: connections: 16 stay within a server's default 100).
MAX_JOBS = 16
#: What a runner may hold at 20,000 a day (a base bucket, a day's arrays): the default JOBS
#: never asks for more memory than the machine has free.
RUNNER_MEMORY_BYTES = 1_500 * 2**20


def default_jobs() -> int:
    """The machine's cores, as many as its free memory holds runners."""
    import psutil

    fits = psutil.virtual_memory().available // RUNNER_MEMORY_BYTES
    return max(1, min(os.cpu_count() or 1, fits, MAX_JOBS))


def execute(
    command: str,
    interactions: str | None,
    *,
    start: str = "",
    end: str = "",
    days: int = 7,
    jobs: str | None = "1",
    scenario: str | None = None,
) -> int:
    """`cca run` (the last `days` days, then a summary) and `cca backfill START END [--jobs N]`.

    Input and the database are checked before Airflow is touched: ValueError or
    DatabaseUnavailable (one line, exit 2) means nothing was written.
    """
    from devtools.database import connect, database_url
    from include.generator.parameters import DEFAULT_SEED, MAX_INTERACTIONS_PER_DAY
    from include.generator.settings import BatchSettings
    from include.storage.customers import check_customer_base
    from include.storage.days import refuse_migrated_days
    from include.storage.scenario import check_scenario

    conf: dict = {}
    if interactions not in (None, ""):
        try:
            conf["interactions_per_day"] = int(interactions)
        except ValueError:
            raise ValueError(f"INTERACTIONS must be a whole number, got {interactions!r}") from None
        if not 1 <= conf["interactions_per_day"] <= MAX_INTERACTIONS_PER_DAY:
            raise ValueError(f"INTERACTIONS must be between 1 and {MAX_INTERACTIONS_PER_DAY:,}")
    if scenario:  # a twin (docs/twins.md): validated in the one settings place
        conf["scenario"] = BatchSettings(scenario=scenario).scenario
    if command == "backfill":
        day_list = parse_range(start, end)
    else:
        today = dt.datetime.now(dt.UTC).date()
        day_list = [today - dt.timedelta(days=i) for i in range(days, 0, -1)]
    runners = parse_jobs(jobs, len(day_list))
    url = database_url()
    with connect(url) as conn:
        # Another seed's or an earlier release's customers, or a migrated day: one line now,
        # not a failed task.
        check_customer_base(conn, DEFAULT_SEED)
        check_scenario(conn, conf.get("scenario", ""))
        refuse_migrated_days(conn, day_list[0], day_list[-1])
    days_to_run = day_list

    prepare_airflow(url)
    refuse_a_live_scheduler_of_the_dag()
    quiet_airflow()
    started = time.perf_counter()
    if runners > 1:
        print(f"{len(days_to_run)} day(s), {runners} at a time (JOBS={runners})", flush=True)
        results = run_days_in_workers(days_to_run, conf, runners)
    else:
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


if __name__ == "__main__":
    raise SystemExit(worker_main(sys.argv[1:]))
