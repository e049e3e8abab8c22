"""Each scenario injects one real fault into a load and reports what survived.

A scenario gets an empty scratch database (and the admin URL of its server), provokes the
fault, recovers the way an operator or Airflow's retry would, and returns rows lost and
rows duplicated against a clean run of the same day. Nothing here is mocked.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import psycopg

from devtools.database import connect, embedded_url, stop_embedded
from devtools.reliability import run_settings
from include.config import PROJECT_ROOT
from include.generator.calendar import day_volume
from include.generator.settings import BatchSettings
from include.storage.days import load_day
from include.storage.sql import apply_schema

DAY = dt.date(2026, 5, 6)
OLD = run_settings(2_000)
BIG = run_settings(600_000)  # long enough a COPY to hit mid-way
NEW = run_settings(2_500)  # a re-load that would change the day


@dataclass
class Result:
    name: str
    survived: bool
    rows_lost: int
    rows_duplicated: int
    detail: str


def day_state(url: str, day: dt.date = DAY) -> tuple[int, int, str | None]:
    """(rows, distinct ids, md5 of the rows) of one day."""
    with connect(url) as conn:
        return conn.execute(
            "SELECT count(*), count(DISTINCT interaction_id), md5(string_agg(t::text, '|' ORDER BY interaction_id)) "
            "FROM customer_interactions t WHERE start_timestamp >= %s AND start_timestamp < %s",
            (
                dt.datetime.combine(day, dt.time(0), dt.UTC),
                dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0), dt.UTC),
            ),
        ).fetchone()


def summary_state(url: str) -> tuple[str | None, ...]:
    """md5 of every summary table's rows, in key order."""
    tables = {
        "analytics.daily_channel_summary": "summary_date, channel_id",
        "analytics.daily_interaction_type_summary": "summary_date, interaction_type_id",
        "analytics.daily_agent_performance": "summary_date, agent_id",
        "analytics.daily_service_plan_summary": "summary_date, service_plan_id",
        "analytics.daily_customer_activity": "summary_date, customer_id",
        "analytics.customer_summary": "customer_id",
    }
    with connect(url) as conn:
        return tuple(
            conn.execute(f"SELECT md5(string_agg(t::text, '|' ORDER BY {key})) FROM {table} t").fetchone()[0]
            for table, key in tables.items()
        )


def _prepared(url: str, settings: BatchSettings | None = OLD, day: dt.date = DAY) -> None:
    with connect(url) as conn:
        apply_schema(conn)
        if settings is not None:
            load_day(conn, day, settings)


def _wait_for_copy(url: str, timeout: float = 60) -> int:
    """pid of the backend running a COPY of a day's rows, once it streams rows."""
    deadline = time.monotonic() + timeout
    with connect(url, autocommit=True) as conn:
        while time.monotonic() < deadline:
            row = conn.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() "
                "AND query LIKE 'COPY interaction_days.%' AND state = 'active'"
            ).fetchone()
            if row:
                time.sleep(0.5)  # well into the stream
                return row[0]
            time.sleep(0.05)
    raise TimeoutError("no COPY started")


def _score(name: str, url: str, expected: tuple[int, int, str | None], detail: str, day=DAY) -> Result:
    rows, distinct, digest = day_state(url, day)
    lost = max(expected[0] - distinct, 0)
    duplicated = rows - distinct
    survived = (rows, distinct, digest) == expected
    return Result(name, survived, lost, duplicated, detail if survived else f"{detail}; got {rows} rows")


def _in_thread(fn: Callable[[], object]) -> tuple[threading.Thread, list]:
    outcome: list = []

    def run() -> None:
        try:
            outcome.append(fn())
        except BaseException as exc:  # reported to the scenario
            outcome.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread, outcome


#: A clean run's day_state per (settings, day): a day is a pure function of them, so the scenarios
#: that fault the same big day compare with one clean load of it, not one each.
_clean_states: dict[tuple[BatchSettings, dt.date], tuple] = {}


def _clean_run(make_db: Callable[[], str], settings: BatchSettings, day: dt.date = DAY) -> tuple:
    """The day as one uninterrupted load leaves it, in a database of its own (loaded once per process)."""
    if (settings, day) not in _clean_states:
        url = make_db()
        _prepared(url, settings, day)
        _clean_states[settings, day] = day_state(url, day)
    return _clean_states[settings, day]


# --------------------------------------------------------------------------- scenarios
def connection_killed_mid_copy(url: str, make_db: Callable[[], str]) -> Result:
    _prepared(url)
    before = day_state(url)
    thread, outcome = _in_thread(lambda: load_day(connect(url), DAY, BIG))
    pid = _wait_for_copy(url)
    with connect(url, autocommit=True) as conn:
        conn.execute("SELECT pg_terminate_backend(%s)", (pid,))
    thread.join(120)
    failed = bool(outcome) and isinstance(outcome[0], psycopg.Error)
    held = day_state(url) == before
    with connect(url) as conn:  # the retry
        load_day(conn, DAY, BIG)
    result = _score("connection killed mid-COPY", url, _clean_run(make_db, BIG), "retry completed the day")
    result.survived &= failed and held
    if not (failed and held):
        result.detail = f"load failed={failed}, previous rows kept={held}"
    return result


def postgres_restarts_mid_run(url: str, make_db: Callable[[], str]) -> Result:
    if os.environ.get("CCA_DATABASE_URL"):
        return Result("PostgreSQL stops and returns", True, 0, 0, "skipped: needs the embedded server")
    _prepared(url)
    before = day_state(url)
    thread, outcome = _in_thread(lambda: load_day(connect(url), DAY, BIG))
    _wait_for_copy(url)
    try:
        stop_embedded()
        thread.join(120)
    finally:
        embedded_url()  # starts it again
    failed = bool(outcome) and isinstance(outcome[0], psycopg.Error)
    held = day_state(url) == before
    for attempt in range(5):  # Airflow's retry, after the server came back
        try:
            with connect(url) as conn:
                load_day(conn, DAY, BIG)
            break
        except psycopg.OperationalError:
            time.sleep(1 + attempt)
    result = _score(
        "PostgreSQL stops and returns", url, _clean_run(make_db, BIG), "retry after restart completed"
    )
    result.survived &= failed and held
    if not (failed and held):
        result.detail = f"load failed={failed}, previous rows kept={held}"
    return result


def worker_killed_during_load(url: str, make_db: Callable[[], str]) -> Result:
    _prepared(url)
    before = day_state(url)
    env = {**os.environ, "CCA_DATABASE_URL": url, "PYTHONPATH": str(PROJECT_ROOT)}
    cmd = [
        sys.executable,
        "-m",
        "devtools",
        "generate",
        "--start-date",
        str(DAY),
        "--end-date",
        str(DAY),
        "--interactions",
        str(BIG.interactions_per_day),
        "--new-customers-per-day",
        str(BIG.new_customers_per_day),
    ]
    worker = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_for_copy(url)
        worker.send_signal(signal.SIGKILL)
        worker.wait(30)
    finally:
        if worker.poll() is None:
            worker.kill()
    # The server notices the dead client and rolls back; wait until its backend is gone.
    deadline = time.monotonic() + 60
    with connect(url, autocommit=True) as conn:
        while (
            time.monotonic() < deadline
            and conn.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND query LIKE 'COPY interaction_days.%'"
            ).fetchone()[0]
        ):
            time.sleep(0.1)
    held = day_state(url) == before
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=600)
    result = _score("worker SIGKILLed during load", url, _clean_run(make_db, BIG), "re-run completed the day")
    result.survived &= held and done.returncode == 0 and worker.returncode == -signal.SIGKILL
    if not held:
        result.detail = "partial rows remained after the kill"
    return result


def same_date_twice_at_once(url: str, make_db: Callable[[], str]) -> Result:
    _prepared(url, None)
    settings = run_settings(150_000)
    runs = [_in_thread(lambda: load_day(connect(url), DAY, settings)) for _ in range(2)]
    for thread, _ in runs:
        thread.join(300)
    errors = [o[0] for _, o in runs if not o or isinstance(o[0], BaseException)]
    result = _score("same date, two runs at once", url, _clean_run(make_db, settings), "one copy of the day")
    result.survived &= not errors
    if errors:
        result.detail = f"a run failed: {errors[0]!r}"
    return result


def different_dates_in_parallel(url: str, make_db: Callable[[], str]) -> Result:
    from include.analytics import refresh_day

    days = [DAY + dt.timedelta(days=i) for i in range(4)]
    settings = run_settings(20_000)
    _prepared(url, None)

    def run(day: dt.date) -> None:
        with connect(url) as conn:
            load_day(conn, day, settings)
            refresh_day(conn, day)

    runs = [_in_thread(lambda d=d: run(d)) for d in days]
    for thread, _ in runs:
        thread.join(300)
    errors = [o[0] for _, o in runs if not o or isinstance(o[0], BaseException)]
    sequential = make_db()
    _prepared(sequential, None)
    for day in days:
        run_url = sequential
        with connect(run_url) as conn:
            load_day(conn, day, settings)
            refresh_day(conn, day)
    lost = duplicated = 0
    same = not errors
    for day in days:
        got, want = day_state(url, day), day_state(sequential, day)
        lost += max(want[0] - got[1], 0)
        duplicated += got[0] - got[1]
        same &= got == want
    with connect(url) as a, connect(sequential) as b:
        summary = (
            "SELECT md5(string_agg(t::text, '|' ORDER BY customer_id)) FROM analytics.customer_summary t"
        )
        same &= a.execute(summary).fetchone() == b.execute(summary).fetchone()
    detail = "no deadlock; equal to sequential runs" if same else f"differs from sequential runs {errors[:1]}"
    return Result("different dates in parallel", same, lost, duplicated, detail)


def corrupt_durations_on_load(conn: psycopg.Connection, positions: list[int]) -> None:
    """Fault injection: every load adds 1 s to the duration of the rows at these positions.

    The rows are altered in the day's pending table just before it is swapped in (the
    batch record is written in that same transaction), as a faulty writer would.
    """
    conn.execute(
        """
        CREATE FUNCTION corrupt_durations() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            EXECUTE format(
                'UPDATE interaction_days.%I SET duration_seconds = coalesce(duration_seconds, 0) + 1 '
                'WHERE interaction_id %% 1000000000 = ANY (%L)',
                (interaction_days.day_names(NEW.batch_date)).pending_name, TG_ARGV[0]);
            RETURN NEW;
        END $$;
        CREATE TRIGGER corrupt_durations AFTER INSERT OR UPDATE ON interaction_batches
            FOR EACH ROW EXECUTE FUNCTION corrupt_durations('{POSITIONS}');
        """.replace("POSITIONS", ",".join(str(int(p)) for p in positions))
    )


def quality_violation_injected(url: str, make_db: Callable[[], str]) -> Result:
    """A re-load of a published day breaks a check: it fails before the swap, naming the
    check and rows, and the published day and its summaries stay as they were, row for row."""
    from include.analytics import refresh_day
    from include.quality import DataQualityError

    _prepared(url, None)
    with connect(url) as conn:
        load_day(conn, DAY, OLD)
        refresh_day(conn, DAY)
        conn.commit()
    before = day_state(url), summary_state(url)
    with connect(url) as conn:
        corrupt_durations_on_load(conn, [3, 4])
        conn.commit()
        try:
            load_day(conn, DAY, NEW)
            message = ""
        except DataQualityError as exc:
            message = str(exc)
    after = day_state(url), summary_state(url)
    ids = f"{DAY:%Y%m%d}000000003"
    caught = "duration_inconsistent_with_timestamps: 2 row(s)" in message and ids in message
    kept = after == before
    detail = "run failed naming the check and rows; previous day and summaries kept"
    if not caught:
        detail = f"not caught: {message!r}"
    elif not kept:
        detail = "caught, but the published day or its summaries changed"
    lost = max(0, before[0][0] - after[0][0])
    return Result("data-quality violation injected", caught and kept, lost, 0, detail)


def foreign_rows_on_other_dates_survive(url: str, make_db: Callable[[], str]) -> Result:
    _prepared(url)
    other = DAY - dt.timedelta(days=10)
    with connect(url) as conn:
        load_day(conn, other, OLD)
        conn.execute(
            "UPDATE customer_interactions SET interaction_summary = 'hand-edited' WHERE interaction_id = %s",
            (int(f"{other:%Y%m%d}000000001"),),
        )
        conn.commit()
    before = day_state(url, other)
    with connect(url) as conn:
        load_day(conn, DAY, run_settings(3_000))
    kept = day_state(url, other) == before
    return Result(
        "rows of other dates untouched",
        kept,
        0 if kept else before[0],
        0,
        "only the loaded date was replaced" if kept else "another date changed",
    )


def missing_or_older_schema(url: str, make_db: Callable[[], str]) -> Result:
    _prepared(url)
    with connect(url) as conn:  # an older deployment: no analytics layer, no bookkeeping tables
        conn.execute("DROP SCHEMA analytics CASCADE; DROP TABLE customer_base_state, interaction_batches")
        conn.commit()
        apply_schema(conn)
        load_day(conn, DAY, OLD)
        from include.analytics import refresh_day

        refresh_day(conn, DAY)
        n = conn.execute("SELECT sum(interaction_count) FROM analytics.daily_channel_summary").fetchone()[0]
    ok = n == day_volume(DAY, OLD.interactions_per_day)
    return Result("missing/older schema migrated", ok, 0, 0, "schema completed, day loaded" if ok else f"{n}")


def celery_worker_killed_holding_a_shard(url: str, make_db: Callable[[], str]) -> Result:
    """A real CeleryExecutor stack; one worker SIGKILLed mid-shard (devtools/reliability/celery_runs.py)."""
    from devtools.reliability.celery_runs import celery_worker_killed_holding_a_shard as scenario

    return Result("celery worker killed holding a shard", *scenario(url, make_db))


SCENARIOS: dict[str, Callable[[str, Callable[[], str]], Result]] = {
    "connection_killed_mid_copy": connection_killed_mid_copy,
    "postgres_restarts_mid_run": postgres_restarts_mid_run,
    "worker_killed_during_load": worker_killed_during_load,
    "same_date_twice_at_once": same_date_twice_at_once,
    "different_dates_in_parallel": different_dates_in_parallel,
    "quality_violation_injected": quality_violation_injected,
    "foreign_rows_on_other_dates_survive": foreign_rows_on_other_dates_survive,
    "missing_or_older_schema": missing_or_older_schema,
    "celery_worker_killed_holding_a_shard": celery_worker_killed_holding_a_shard,
}


def server_killed_after_load(url: str, make_db: Callable[[], str]):
    """A committed day survives a crash of the server itself.

    The server is SIGKILLed right after `load_day` returns (and again after `refresh_day`):
    after crash recovery the day must be there, row for row, with its summaries. The scratch
    database is set to `synchronous_commit = off` (a server tuned for speed), so only the
    loader's own guarantee (its commit waits for the WAL flush) can keep the day.
    """
    from psycopg import sql
    from psycopg.conninfo import conninfo_to_dict

    from devtools.database import normalize_dsn
    from include.analytics import refresh_day

    name = "server SIGKILLed after a load returned"
    if os.environ.get("CCA_DATABASE_URL"):
        return Result(name, True, 0, 0, "skipped: needs the embedded server")
    _prepared(url, None)
    with connect(url, autocommit=True) as conn:
        dbname = conninfo_to_dict(normalize_dsn(url))["dbname"]
        conn.execute(sql.SQL("ALTER DATABASE {} SET synchronous_commit = off").format(sql.Identifier(dbname)))
    expected = _clean_run(make_db, OLD)
    killed = _then_kill(url, lambda conn: load_day(conn, DAY, OLD))  # the task just reported success
    started = time.monotonic()
    _recover()
    result = _score(
        name, url, expected, f"killed {killed} processes twice; the day and its summaries are there"
    )
    _then_kill(url, lambda conn: refresh_day(conn, DAY))
    _recover()
    if summary_state(url)[0] is None:
        result.survived = False
        result.detail = "the day's summaries were lost"
    result.detail += f" (restart {time.monotonic() - started:.1f}s)"
    return result


def _recover(timeout: float = 180) -> None:
    """Start the server after a crash; recovery may outlast one start attempt's 10 s wait."""
    from devtools.database import DatabaseUnavailable

    deadline = time.monotonic() + timeout
    while True:
        try:
            embedded_url()
            return
        except DatabaseUnavailable:
            if time.monotonic() > deadline:
                raise
            time.sleep(2)


def _then_kill(url: str, work: Callable) -> int:
    from devtools.reliability.crash import kill_embedded_server

    with connect(url, autocommit=True) as admin:
        admin.execute("CHECKPOINT")  # recovery replays this scenario's WAL only, not earlier ones
    conn = connect(url)
    try:
        work(conn)
        return kill_embedded_server()
    finally:
        try:
            conn.close()
        except Exception:  # the server is gone
            pass


SCENARIOS["server_killed_after_load"] = server_killed_after_load
