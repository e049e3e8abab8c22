"""Airflow's own backfill under the real scheduler (`make airflow`'s stack): seconds per day.

Starts `make airflow`'s stack (`devtools.local_airflow.running_airflow`: LocalExecutor) on a free
port with a throw-away AIRFLOW_HOME and its metadata in a scratch database, points the DAG at
the bench's scratch database, then creates a backfill through the REST API
(`POST /api/v2/backfills`, as the UI's Trigger -> Backfill does) and waits for every run.

Figure: `scheduler_backfill_seconds_per_day` = (end of the last run - start of the first run) / days,
from the runs' own start/end dates, so Airflow's start-up and the DAG's first parse do not count.
Per-task durations (median over the days) are printed as notes: where a day's time goes.
"""

from __future__ import annotations

import datetime as dt
import os
import socket
import statistics
import time
from collections import defaultdict
from pathlib import Path

from devtools import database
from devtools.benchmarks.bench import Bench
from include.config import DAG_ID, DATABASE_URL_ENV

#: A Monday after the DAG's start_date; days nothing else in the bench loads.
FIRST_DAY = dt.date(2026, 1, 5)
DAYS = int(os.environ.get("CCA_BENCH_SCHEDULER_DAYS", "14"))
PER_DAY = int(os.environ.get("CCA_BENCH_SCHEDULER_PER_DAY", "20000"))
MAX_ACTIVE_RUNS = 4
PASSWORD = "bench"
TIMEOUT = 1800.0


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _parse(ts: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(ts.replace("Z", "+00:00")) if ts else None


def _stat(proc: Path) -> list[str]:
    return (proc / "stat").read_text().rsplit(")", 1)[1].split()


def _stack_cpu_seconds() -> float:
    """CPU seconds used so far by Airflow's processes (the sessions of the components this process
    started through running_airflow, each a session leader and our child), their reaped children
    included: task processes are reaped by the executor's workers, so their CPU is in the workers'
    cutime. Steadier than wall time when others load the machine.

    Not found by AIRFLOW_HOME in their environment: setproctitle overwrites that of the api-server
    and of the executor's workers.
    """
    ours = str(os.getpid())
    sessions, stats = set(), []
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            fields = _stat(proc)
            stats.append(fields)
            if fields[1] == ours and fields[3] == proc.name:
                sessions.add(fields[3])
        except OSError:
            continue
    ticks = sum(sum(int(f) for f in fields[11:15]) for fields in stats if fields[3] in sessions)
    return ticks / os.sysconf("SC_CLK_TCK")


def _wait_for_dag(api, timeout: float = 180.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if api.get(f"/dags/{DAG_ID}").status_code == 200:
            return
        time.sleep(1)
    raise RuntimeError(f"DAG {DAG_ID} not parsed within {timeout:.0f}s")


def _backfill_runs(api, backfill_id: int) -> list[dict]:
    resp = api.get(f"/dags/{DAG_ID}/dagRuns", params={"limit": 100, "run_type": "backfill"})
    resp.raise_for_status()
    runs = resp.json()["dag_runs"]
    return [r for r in runs if r.get("run_type") == "backfill"]


def _failed_task_note(bench: Bench, api, run: dict, ti: dict) -> None:
    bench.note(f"{run['dag_run_id']} {ti['task_id']}: {ti.get('state')} (try {ti.get('try_number')})")
    path = f"/dags/{DAG_ID}/dagRuns/{run['dag_run_id']}/taskInstances/{ti['task_id']}/logs/{ti.get('try_number') or 1}"
    if ti.get("map_index", -1) >= 0:
        path += f"?map_index={ti['map_index']}"
    resp = api.get(path, headers={"Accept": "text/plain"})
    for line in resp.text.strip().splitlines()[-15:]:
        bench.note("  " + line[:300])


def _gap_note(bench: Bench, api, runs: list[dict]) -> None:
    """Where a run's time goes: tasks running, waiting for the scheduler, waiting for a worker."""
    running, scheduling, starting, tails = [], [], [], []
    for run in runs:
        resp = api.get(f"/dags/{DAG_ID}/dagRuns/{run['dag_run_id']}/taskInstances", params={"limit": 100})
        tis = [ti for ti in resp.json()["task_instances"] if ti.get("start_date") and ti.get("end_date")]
        tis.sort(key=lambda ti: ti["start_date"])
        previous_end = _parse(run["start_date"])
        run_sums = [0.0, 0.0, 0.0]
        for ti in tis:
            queued, start, end = (_parse(ti.get(k)) for k in ("queued_when", "start_date", "end_date"))
            queued = queued or start
            run_sums[0] += (end - start).total_seconds()
            run_sums[1] += max(0.0, (queued - previous_end).total_seconds())
            run_sums[2] += max(0.0, (start - queued).total_seconds())
            previous_end = max(previous_end, end)
        running.append(run_sums[0])
        scheduling.append(run_sums[1])
        starting.append(run_sums[2])
        tails.append((_parse(run["end_date"]) - previous_end).total_seconds())
    med = statistics.median
    bench.note(
        f"scheduler_backfill: a run's time, medians over runs: tasks running {med(running):.1f}s, "
        f"previous task end -> next queued (scheduler) {med(scheduling):.1f}s, queued -> started "
        f"(executor, worker) {med(starting):.1f}s, last task end -> run end {med(tails):.1f}s"
    )


def _task_notes(bench: Bench, api, runs: list[dict]) -> None:
    """Median duration of each task over the days, and its median queue wait (queued -> start)."""
    durations: dict[str, list[float]] = defaultdict(list)
    waits: dict[str, list[float]] = defaultdict(list)
    for run in runs:
        resp = api.get(f"/dags/{DAG_ID}/dagRuns/{run['dag_run_id']}/taskInstances", params={"limit": 100})
        resp.raise_for_status()
        for ti in resp.json()["task_instances"]:
            if ti.get("state") != "success":
                _failed_task_note(bench, api, run, ti)
            if ti.get("duration") is not None:
                durations[ti["task_id"]].append(float(ti["duration"]))
            queued, start = _parse(ti.get("queued_when")), _parse(ti.get("start_date"))
            if queued and start:
                waits[ti["task_id"]].append((start - queued).total_seconds())
    _gap_note(bench, api, runs)
    total = 0.0
    parts = []
    for task_id, values in durations.items():
        med = statistics.median(values)
        total += med
        wait = statistics.median(waits[task_id]) if waits.get(task_id) else float("nan")
        parts.append(f"{task_id} {med:.2f}s (queued {wait:.2f}s)")
    bench.note("scheduler_backfill task medians: " + ", ".join(parts))
    bench.note(f"scheduler_backfill: sum of task medians {total:.2f}s per day (one run, tasks in sequence)")
    spans = []
    for run in runs:
        start, end = _parse(run.get("start_date")), _parse(run.get("end_date"))
        if start and end:
            spans.append((end - start).total_seconds())
    if spans:
        bench.note(
            f"scheduler_backfill: a run lasts {statistics.median(spans):.1f}s median "
            f"(min {min(spans):.1f}s, max {max(spans):.1f}s), up to {MAX_ACTIVE_RUNS} at once"
        )


def scheduler_backfill(bench: Bench) -> None:
    """`POST /api/v2/backfills` of DAYS days at PER_DAY interactions, max_active_runs 4."""
    import httpx

    from devtools.local_airflow import running_airflow

    bench.reset()
    home = bench.workdir / "airflow-scheduler"
    metadata_db = f"bench_airflow_meta_{os.getpid()}"
    database.drop_database(bench.admin_url, metadata_db)
    database.ensure_database(bench.admin_url, metadata_db)
    metadata_url = database.with_database(bench.admin_url, metadata_db)
    extra = {
        # only the backfill's runs: no scheduled run for "yesterday" competes with it
        "AIRFLOW__SCHEDULER__USE_JOB_SCHEDULE": "False",
        "CCA_REPORTS_DIR": str(bench.workdir / "reports"),
        DATABASE_URL_ENV: bench.url,
    }
    extra.update({k: v for k, v in os.environ.items() if k.startswith("CCA_BENCH_AIRFLOW__")})
    extra = {k.removeprefix("CCA_BENCH_"): v for k, v in extra.items()}
    last = FIRST_DAY + dt.timedelta(days=DAYS - 1)
    started = time.perf_counter()
    try:
        with running_airflow(
            _free_port(),
            Path(home),
            password=PASSWORD,
            database_url=bench.url,
            metadata_url=metadata_url,
            extra_env=extra,
        ) as base_url:
            up = time.perf_counter() - started
            token = httpx.post(f"{base_url}/auth/token", json={"username": "admin", "password": PASSWORD})
            token.raise_for_status()
            with httpx.Client(
                base_url=f"{base_url}/api/v2",
                headers={"Authorization": f"Bearer {token.json()['access_token']}"},
                timeout=60,
            ) as api:
                _wait_for_dag(api)
                api.patch(f"/dags/{DAG_ID}", json={"is_paused": False}).raise_for_status()
                cpu_before = _stack_cpu_seconds()
                created = time.perf_counter()
                resp = api.post(
                    "/backfills",
                    json={
                        "dag_id": DAG_ID,
                        "from_date": f"{FIRST_DAY.isoformat()}T00:00:00Z",
                        "to_date": f"{last.isoformat()}T00:00:00Z",
                        "max_active_runs": MAX_ACTIVE_RUNS,
                        "reprocess_behavior": "completed",
                        "dag_run_conf": {"interactions_per_day": PER_DAY},
                    },
                )
                if resp.status_code >= 300:
                    raise RuntimeError(f"POST /backfills: HTTP {resp.status_code} {resp.text}")
                backfill_id = resp.json()["id"]
                deadline = time.monotonic() + TIMEOUT
                while True:
                    try:
                        runs = _backfill_runs(api, backfill_id)
                    except (httpx.HTTPStatusError, httpx.TransportError) as exc:
                        bench.note(f"polling the runs: {exc}; trying again")  # a busy api-server
                        time.sleep(2)
                        continue
                    done = [r for r in runs if r["state"] in ("success", "failed")]
                    if len(runs) == DAYS and len(done) == DAYS:
                        break
                    if time.monotonic() > deadline:
                        raise RuntimeError(f"backfill not done in {TIMEOUT:.0f}s: {len(done)}/{DAYS} runs")
                    time.sleep(1)
                wall = time.perf_counter() - created
                cpu = _stack_cpu_seconds() - cpu_before
                _task_notes(bench, api, runs)
    finally:
        database.drop_database(bench.admin_url, metadata_db)
    failed = [r["dag_run_id"] for r in runs if r["state"] != "success"]
    if failed:
        raise RuntimeError(f"{len(failed)} backfill run(s) failed, e.g. {failed[0]}")
    batches = bench.conn.execute("SELECT count(*) FROM interaction_batches").fetchone()[0]
    if batches != DAYS:
        raise RuntimeError(f"the runs succeeded but {batches} of {DAYS} days were loaded")
    first_start = min(_parse(r["start_date"]) for r in runs)
    last_end = max(_parse(r["end_date"]) for r in runs)
    span = (last_end - first_start).total_seconds()
    bench.note(
        f"scheduler_backfill: {DAYS} days x ~{PER_DAY:,} interactions, max_active_runs {MAX_ACTIVE_RUNS}; "
        f"load average {os.getloadavg()[0]:.1f}; Airflow up in {up:.0f}s; backfill created -> all done {wall:.1f}s; first run start -> "
        f"last run end {span:.1f}s"
    )
    bench.figure("scheduler_backfill_seconds_per_day", span / DAYS)
    bench.figure("scheduler_backfill_wall_seconds_per_day", wall / DAYS)
    # Airflow's processes only (PostgreSQL's work is not in it); steadier than wall time under load
    bench.figure("scheduler_backfill_airflow_cpu_seconds_per_day", cpu / DAYS)
