"""`celery_day_seconds_<N>_worker(s)`: the real DAG on a 3,000,000-row day under the CeleryExecutor.

For 1 and for 2 workers: a fresh local Celery stack (devtools.celery_stack) on fresh scratch
databases, one run of the whole DAG for the day (3 shards of 1,000,000 rows), timed from the
trigger to the run's success through the REST API. Starting the stack is not timed. Each worker
runs one task at a time (celery.env), so the worker count is the shards' parallelism; on a
2-core machine PostgreSQL, the generator and Airflow's own processes share the same cores.
"""

from __future__ import annotations

from devtools import database
from devtools.benchmarks.bench import Bench

WORKER_COUNTS = (1, 2)


def celery_day(bench: Bench) -> None:
    from devtools.reliability import celery_runs as cr
    from devtools.reliability import run_settings

    quick = bench.sizes.rows < 1_000_000
    # quick: 300,000 rows in 3 shards of 100,000 (same shape, a tenth of the size)
    settings = run_settings(400_000) if quick else cr.BIG
    shard_rows = 100_000 if quick else cr.SHARD_ROWS
    rows = cr.expected_rows(cr.BIG_DAY, settings)
    for workers in WORKER_COUNTS:
        with database.scratch_databases("bench_celery") as make_db:
            data_url = make_db()
            with cr.celery_stack(data_url, make_db(), workers=workers) as (stack, api):
                outcome = cr.run_day(api, cr.BIG_DAY, settings, shard_rows, timeout=1800)
            if outcome.run["state"] != "success":
                raise RuntimeError(f"the run with {workers} worker(s) ended {outcome.run['state']}")
            loaded = cr.day_fingerprint(data_url, cr.BIG_DAY)[0]
            if loaded != rows:
                raise RuntimeError(f"{loaded:,} rows loaded, {rows:,} expected")
        shards = ", ".join(
            f"{ti['map_index']}: {ti['hostname'].split('@')[0]} {ti['duration']:.1f}s"
            for ti in sorted(outcome.shards, key=lambda ti: ti["map_index"])
        )
        bench.note(
            f"celery_day: {rows:,} rows, {len(outcome.shards)} shards, {workers} worker(s): "
            f"{outcome.seconds:.1f}s trigger to success ({rows / outcome.seconds:,.0f} rows/s); shards {shards}"
        )
        other = [ti for ti in outcome.tasks if ti["task_id"] != cr.SHARD_TASK and ti["duration"]]
        bench.note(
            "celery_day: other tasks "
            + ", ".join(
                f"{ti['task_id']} {ti['duration']:.1f}s"
                for ti in sorted(other, key=lambda t: t["start_date"])
            )
        )
        bench.figure(f"celery_day_seconds_{workers}_worker{'s' if workers > 1 else ''}", outcome.seconds)
