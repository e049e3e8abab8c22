"""A big day under the CeleryExecutor: its shards on several workers, and a worker killed holding one.

Both run the real DAG on a real local Celery stack (devtools.celery_stack: Redis broker, separate
worker processes) and compare the day with the same day loaded as one shard (`load_day`) in
another database, by a checksum of every row.

`run_day` is the end-to-end check and `kill_worker_holding_a_shard` the fault; the test
(tests/devtools/test_celery.py) runs both on one stack, `make reliability` runs the fault
(`celery_worker_killed_holding_a_shard`) on a stack of its own.
"""

from __future__ import annotations

import datetime as dt
import shutil
import socket
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from devtools.airflow_api import AirflowApi
from devtools.celery_stack import Stack, running_celery_airflow
from devtools.database import connect
from devtools.reliability import run_settings
from include.generator.calendar import day_volume
from include.generator.interactions import first_id
from include.generator.settings import BatchSettings
from include.storage.days import load_day
from include.storage.sql import apply_schema


def settings_for_rows(day: dt.date, rows: int) -> BatchSettings:
    """The average volume that gives `day` exactly `rows` rows (its calendar shapes every day)."""
    factor = day_volume(day, 10**9) / 10**9
    guess = round(rows / factor)
    for candidate in sorted(range(guess - 3, guess + 4), key=lambda n: abs(n - guess)):
        if day_volume(day, candidate) == rows:
            return run_settings(candidate)
    raise ValueError(f"no average volume gives {day} exactly {rows:,} rows")


#: The big day: exactly 3,000,000 rows, in 3 shards of 1,000,000.
BIG_DAY = dt.date(2026, 3, 1)
BIG = settings_for_rows(BIG_DAY, 3_000_000)
SHARD_ROWS = 1_000_000
#: The fault's day: 1,500,000 rows in 3 shards of 500,000.
FAULT_DAY = dt.date(2026, 3, 8)
FAULT = settings_for_rows(FAULT_DAY, 1_500_000)
FAULT_SHARD_ROWS = 500_000
SHARD_TASK = "generate_interactions"
PASSWORD = "celery-test"
#: Settings for a stack that must notice a dead worker quickly (celery.env says 120 s).
FAST_FAILURE_DETECTION = {
    "AIRFLOW__SCHEDULER__TASK_INSTANCE_HEARTBEAT_TIMEOUT": "20",
    "AIRFLOW__SCHEDULER__TASK_INSTANCE_HEARTBEAT_TIMEOUT_DETECTION_INTERVAL": "5",
    # only the runs made here
    "AIRFLOW__SCHEDULER__USE_JOB_SCHEDULE": "False",
}


def conf(day: dt.date, settings: BatchSettings, shard_rows: int) -> dict:
    return {
        "batch_date": day.isoformat(),
        "interactions_per_day": settings.interactions_per_day,
        "seed": settings.seed,
        "new_customers_per_day": settings.new_customers_per_day,
        "max_rows_per_shard": shard_rows,
    }


def day_fingerprint(url: str, day: dt.date) -> tuple[int, str]:
    """(rows, checksum) of a day: the sum of a 60-bit hash of every row, in any order."""
    low = first_id(day)
    with connect(url) as conn:
        count, total = conn.execute(
            "SELECT count(*), coalesce(sum(('x' || left(md5(t::text), 15))::bit(60)::bigint), 0)::text "
            "FROM customer_interactions t WHERE interaction_id > %s AND interaction_id < %s",
            (low, low + 10**9),
        ).fetchone()
    return count, total


def one_shard_fingerprint(
    make_db: Callable[[], str], day: dt.date, settings: BatchSettings
) -> tuple[int, str]:
    """The same day loaded in one piece (`load_day`) in a database of its own."""
    url = make_db()
    with connect(url) as conn:
        apply_schema(conn)
        load_day(conn, day, settings)
    return day_fingerprint(url, day)


@contextmanager
def celery_stack(data_url: str, metadata_url: str, workers: int = 2) -> Iterator[tuple[Stack, AirflowApi]]:
    """A local Celery Airflow on free ports, on scratch databases; stopped (and checked) on exit."""
    home = Path(tempfile.mkdtemp(prefix="cca-celery-", dir="/tmp"))
    port = _free_port()
    try:
        with running_celery_airflow(
            port,
            home,
            workers,
            password=PASSWORD,
            database_url=data_url,
            metadata_url=metadata_url,
            extra_env=FAST_FAILURE_DETECTION,
        ) as stack:
            api = AirflowApi(stack.base_url, password=PASSWORD)
            try:
                api.wait_for_dag()
                yield stack, api
            finally:
                api.close()
        left = stack.leftovers()
        if left:
            raise RuntimeError(f"processes left running after stop: {left}")
    finally:
        shutil.rmtree(home, ignore_errors=True)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Outcome:
    run: dict
    shards: list[dict]  # the shard task instances at the end
    seconds: float
    tasks: list[dict] = field(default_factory=list)  # every task instance (run_day only)


def run_day(
    api: AirflowApi, day: dt.date, settings: BatchSettings, shard_rows: int, timeout: float
) -> Outcome:
    started = time.monotonic()
    run_id = api.trigger(conf(day, settings, shard_rows))
    run = api.wait(run_id, timeout)
    seconds = time.monotonic() - started
    tis = api.task_instances(run_id)
    return Outcome(run, [ti for ti in tis if ti["task_id"] == SHARD_TASK], seconds, tis)


def _copying_into_staging(url: str) -> bool:
    with connect(url) as conn:
        return bool(
            conn.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND query ILIKE 'COPY customer_interactions_staging%%'"
            ).fetchone()[0]
        )


def kill_worker_holding_a_shard(
    stack: Stack, api: AirflowApi, data_url: str, day: dt.date, settings: BatchSettings, shard_rows: int,
    timeout: float = 420.0,
) -> tuple[Outcome, str, int]:  # fmt: skip
    """Trigger the day, SIGKILL the worker of the first shard seen running (once its COPY is under
    way), wait for the run. Returns the outcome, the killed worker and the shard's map index."""
    started = time.monotonic()
    run_id = api.trigger(conf(day, settings, shard_rows))
    deadline = started + 180
    victim: dict | None = None
    while victim is None:
        if time.monotonic() > deadline:
            raise TimeoutError(f"no shard of {run_id} was seen running on a worker")
        running = [
            ti
            for ti in api.task_instances(run_id, SHARD_TASK)
            if ti["state"] == "running" and ti.get("hostname") in stack.workers
        ]
        if running and _copying_into_staging(data_url):
            victim = running[0]
        else:
            time.sleep(0.3)
    worker = victim["hostname"]
    stack.kill_worker(worker)
    run = api.wait(run_id, timeout)
    return (
        Outcome(run, api.task_instances(run_id, SHARD_TASK), time.monotonic() - started),
        worker,
        victim["map_index"],
    )


def fault_result(
    outcome: Outcome, worker: str, map_index: int, got: tuple[int, str], expected: tuple[int, str]
) -> tuple[bool, int, int, str]:
    """(survived, rows lost, rows duplicated, detail) of the killed-worker run."""
    shard = next(ti for ti in outcome.shards if ti["map_index"] == map_index)
    lost = max(0, expected[0] - got[0])
    duplicated = max(0, got[0] - expected[0])
    retried_elsewhere = shard["try_number"] >= 2 and shard["hostname"] not in (None, worker)
    ok = outcome.run["state"] == "success" and retried_elsewhere and got == expected
    detail = (
        f"killed {worker} holding shard {map_index}; run {outcome.run['state']} in {outcome.seconds:.0f}s; "
        f"shard {shard['state']} on try {shard['try_number']} on {shard['hostname']}; "
        f"{got[0]:,} rows, checksum {'equal' if got[1] == expected[1] else 'DIFFERENT'}"
    )
    return ok, lost, duplicated, detail


def celery_worker_killed_holding_a_shard(url: str, make_db: Callable[[], str]) -> tuple[bool, int, int, str]:
    """`make reliability`: its own stack of two workers on scratch databases; (survived, lost, duplicated, detail)."""
    expected = one_shard_fingerprint(make_db, FAULT_DAY, FAULT)
    with celery_stack(url, make_db(), workers=2) as (stack, api):
        outcome, worker, index = kill_worker_holding_a_shard(
            stack, api, url, FAULT_DAY, FAULT, FAULT_SHARD_ROWS
        )
    return fault_result(outcome, worker, index, day_fingerprint(url, FAULT_DAY), expected)


def expected_rows(day: dt.date, settings: BatchSettings) -> int:
    return day_volume(day, settings.interactions_per_day)
