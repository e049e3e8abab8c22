"""The real DAG: structure, policy, which day it loads, end-to-end runs (issue 4)."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys

import pytest

from devtools.database import connect
from devtools.reliability import RUN_SIGNUPS
from include.config import DAG_ID, PROJECT_ROOT, REPORTS_DIR
from include.generator.calendar import day_volume
from include.pipeline import resolve_batch_date, settings_from_params
from tests.support import (
    pointing_at,
    run_dag,
    run_dag_instances,
    run_days_successfully,
    state_of,
    table_checksums,
)

DAYS = [dt.date(2026, 3, 2), dt.date(2026, 3, 3), dt.date(2026, 3, 4)]
CONF = {"interactions_per_day": 600}


def documented_task_order(doc_md: str) -> list[str]:
    """The task list of the DAG's doc (the one place it is written): `1. `task_id` - ...` lines."""
    return re.findall(r"^\d+\. `(\w+)`", doc_md, flags=re.MULTILINE)


def test_dag_parses_without_errors_database_access_or_heavy_imports():
    probe = (
        "import sys, time; t = time.time()\n"
        "from airflow.dag_processing.dagbag import DagBag\n"
        "bag = DagBag('dags')\n"
        "assert not bag.import_errors, bag.import_errors\n"
        "assert sorted(bag.dags) == ['customer_care_legacy_migration', 'customer_care_pipeline'], list(bag.dags)\n"
        "heavy = [m for m in ('pandas', 'numpy', 'psycopg', 'faker', 'include.storage.days') if m in sys.modules]\n"
        "assert not heavy, heavy\n"
    )
    env = {
        "PATH": "/usr/bin:/bin",
        "PYTHONPATH": str(PROJECT_ROOT),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW_HOME": str(PROJECT_ROOT / ".airflow-test"),
        # A database that cannot be reached: parsing must not try.
        "CCA_DATABASE_URL": "postgresql://nobody:x@127.0.0.1:9/none",
        "AIRFLOW_CONN_CUSTOMER_CARE_DB": "postgresql://nobody:x@127.0.0.1:9/none",
    }
    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-2000:]


def test_dag_policy(pipeline_dag):
    dag = pipeline_dag
    assert dag.dag_id == DAG_ID
    assert type(dag.timetable).__name__ == "CronDataIntervalTimetable"
    assert dag.catchup is False and dag.max_active_runs == 1
    assert dag.start_date < dt.datetime.now(dt.UTC)
    assert set(dag.tags) >= {"customer-care"}
    assert "Which day" in dag.doc_md
    for task in dag.tasks:
        assert task.owner == "customer-care-analytics"
        if task.task_id not in ("validate_run", "check_published_day"):
            assert task.retries >= 2 and task.retry_exponential_backoff, task.task_id
    schema = {k: v.schema for k, v in dag.params.items()}
    assert schema["interactions_per_day"]["minimum"] == 1 and schema["interactions_per_day"]["maximum"] > 1
    assert schema["seed"]["type"] == "integer"


def test_task_graph_runs_in_the_documented_order(pipeline_dag):
    def downstream(task_id):
        return sorted(t.task_id for t in pipeline_dag.get_task(task_id).downstream_list)

    order = documented_task_order(pipeline_dag.doc_md)
    assert sorted(pipeline_dag.task_ids) == sorted(order), "the DAG's doc lists every task once"
    assert downstream("check_published_day") == ["export_day", "render_report"]
    assert downstream("validate_run") == [
        "create_schema",
        "extend_customer_base",
        "generate_interactions",
        "publish_day",
    ]
    assert downstream("publish_day") == ["refresh_summaries"]
    chain = [t for t in order if t != "export_day"]  # export_day runs beside render_report
    for upstream, nxt in zip(chain[1:], chain[2:], strict=False):
        assert nxt in downstream(upstream), (upstream, nxt)
    assert pipeline_dag.get_task("load_baseline").sql.startswith("-- ")  # the file's text, not its name
    assert pipeline_dag.get_task("generate_interactions").is_mapped


@pytest.mark.parametrize(
    ("batch_date", "logical_date", "run_after", "expected"),
    [
        (None, dt.datetime(2026, 3, 2, tzinfo=dt.UTC), dt.datetime(2026, 3, 3, 0, 5, tzinfo=dt.UTC), DAYS[0]),
        ("2026-01-15", dt.datetime(2026, 3, 2, tzinfo=dt.UTC), None, dt.date(2026, 1, 15)),
        (
            None,
            dt.datetime(2026, 3, 3, 15, 30, tzinfo=dt.UTC),
            dt.datetime(2026, 3, 3, 15, 30, tzinfo=dt.UTC),
            DAYS[0],
        ),
        (None, None, dt.datetime(2026, 3, 3, 15, 30, tzinfo=dt.UTC), DAYS[0]),
        ("2026-03-04", None, dt.datetime(2026, 3, 9, tzinfo=dt.UTC), DAYS[2]),
        (None, dt.datetime(2026, 3, 3, 1, 0, tzinfo=dt.timezone(dt.timedelta(hours=1))), None, DAYS[1]),
    ],
    ids=[
        "scheduled-or-backfill",
        "explicit-wins",
        "manual-now",
        "manual-no-logical-date",
        "manual-with-date",
        "midnight-in-utc-not-local",
    ],
)
def test_which_day_a_run_loads(batch_date, logical_date, run_after, expected):
    assert resolve_batch_date(batch_date, logical_date, run_after) == expected


def test_the_run_after_midnight_is_logically_dated_yesterday(pipeline_dag):
    """The scheduled run that fires at 2026-03-03 00:00 covers 2026-03-02 and carries its date."""
    from airflow.serialization.encoders import coerce_to_core_timetable

    # The DAG declares airflow.sdk's timetable; the scheduler runs its core counterpart.
    info = coerce_to_core_timetable(pipeline_dag.timetable).next_dagrun_info(
        last_automated_data_interval=None,
        restriction=_restriction(dt.datetime(2026, 3, 2, tzinfo=dt.UTC)),
    )
    assert info.logical_date.date() == DAYS[0]
    assert info.data_interval.start.date() == DAYS[0] and info.data_interval.end.date() == DAYS[1]
    assert info.run_after == dt.datetime(2026, 3, 3, tzinfo=dt.UTC)


def _restriction(earliest):
    from airflow.timetables.base import TimeRestriction

    return TimeRestriction(earliest=earliest, latest=None, catchup=True)


@pytest.mark.parametrize(
    "conf",
    [{"interactions": 5}, {"interactions_per_day": 10, "drop": "table customers"}],
)
def test_unknown_conf_keys_are_rejected(conf):
    with pytest.raises(ValueError, match="unknown parameter"):
        settings_from_params({}, conf)


@pytest.fixture(scope="module")
def three_days(pipeline_dag, make_database):
    return run_days_successfully(pipeline_dag, make_database(), DAYS, CONF)


@pytest.mark.slow
def test_end_to_end_three_consecutive_days(three_days):
    with connect(three_days) as conn:
        per_day = dict(
            conn.execute(
                "SELECT (start_timestamp AT TIME ZONE 'UTC')::date, count(*) FROM customer_interactions GROUP BY 1"
            ).fetchall()
        )
        summary_days = [
            r[0]
            for r in conn.execute(
                "SELECT DISTINCT summary_date FROM analytics.daily_channel_summary ORDER BY 1"
            )
        ]
    assert per_day == {d: day_volume(d, CONF["interactions_per_day"]) for d in DAYS}
    assert summary_days == DAYS
    assert (REPORTS_DIR / f"customer_care_report_{DAYS[-1]}.html").exists()  # the tests' (conftest.py)


@pytest.mark.slow
def test_rerunning_a_day_changes_no_row(pipeline_dag, three_days):
    before = table_checksums(three_days)
    with pointing_at(three_days):
        state, tasks = run_dag(pipeline_dag, DAYS[1], CONF)
    assert state == "success", tasks
    assert table_checksums(three_days) == before


@pytest.mark.slow
def test_days_in_reverse_order_give_identical_tables(pipeline_dag, three_days, make_database):
    url = run_days_successfully(pipeline_dag, make_database(), reversed(DAYS), CONF)
    assert table_checksums(url) == table_checksums(three_days)


@pytest.mark.parametrize(
    "conf",
    [
        {"interactions_per_day": -1},
        {"interactions_per_day": 0},
        {"interactions_per_day": "many"},
        {"interactions_per_day": 10**12},
        {"seed": "1; DROP TABLE customers"},
        {"seed": 1.5},
        {"batch_date": "2026-03-02'; DROP TABLE customers; --"},
    ],
)
def test_invalid_params_are_rejected_before_anything_is_written(pipeline_dag, fresh_url, conf):
    from airflow.sdk.exceptions import ParamValidationError

    with pytest.raises(ParamValidationError):
        run_dag(pipeline_dag, DAYS[0], conf)
    with connect(fresh_url) as conn:
        assert conn.execute("SELECT to_regclass('customer_interactions')").fetchone()[0] is None


def test_unknown_keys_fail_the_run_before_anything_is_written(pipeline_dag, fresh_url):
    state, tasks = run_dag(pipeline_dag, DAYS[0], {"interactions": 100})
    assert state == "failed"
    assert tasks["validate_run"] == "failed" and tasks["create_schema"] == "upstream_failed"
    with connect(fresh_url) as conn:
        assert conn.execute("SELECT to_regclass('customer_interactions')").fetchone()[0] is None


def test_a_database_of_another_seed_fails_the_run_at_once_without_retries(pipeline_dag, schema_url):
    """The rows are a function of (seed, day): a retry after its backoff would be refused the same way."""
    with connect(schema_url) as conn:
        conn.execute("INSERT INTO customer_base_state VALUES (true, 7, 5, '2020-03-01')")
    state, tasks = run_dag_instances(pipeline_dag, DAYS[0], CONF)
    assert state == "failed"
    assert state_of(tasks["extend_customer_base"]) == "failed"
    assert tasks["extend_customer_base"].try_number == 1  # failed at once, no up_for_retry
    with connect(schema_url) as conn:
        assert conn.execute("SELECT count(*) FROM customers").fetchone()[0] == 0


@pytest.mark.slow
def test_a_failed_audit_keeps_the_published_day_and_its_summaries_row_for_row(pipeline_dag, schema_url):
    """Write, audit, publish: a re-load that breaks a check is never seen by readers."""
    from devtools.reliability.scenarios import corrupt_durations_on_load

    run_days_successfully(pipeline_dag, schema_url, [DAYS[0]], CONF)
    before = table_checksums(schema_url)
    with connect(schema_url) as conn:
        corrupt_durations_on_load(conn, [7])
        conn.commit()
    with pointing_at(schema_url):
        state, tasks = run_dag_instances(pipeline_dag, DAYS[0], CONF)
    assert state == "failed"
    assert state_of(tasks["generate_interactions"]) == "failed"
    # At once: the same rows would fail the same audit after each retry's backoff.
    assert tasks["generate_interactions"].try_number == 1
    assert state_of(tasks["refresh_summaries"]) == "upstream_failed"
    assert table_checksums(schema_url) == before  # the previous version of the day, row for row
    from include.quality import DataQualityError
    from include.storage.days import load_day

    with connect(schema_url) as conn:
        with pytest.raises(
            DataQualityError,
            match=r"duration_inconsistent_with_timestamps: 1 row\(s\) e\.g\. "
            r"interaction_id 20260302000000007",
        ):
            load_day(conn, DAYS[0], settings_from_params(CONF))
    assert table_checksums(schema_url) == before


@pytest.mark.slow
def test_a_day_is_identical_whatever_the_number_of_shards(pipeline_dag, make_database, monkeypatch):
    from include.generator import parameters

    monkeypatch.setattr(parameters, "BLOCK_SIZE", 1_000)  # small blocks: an 8,000-row day has 8
    # a Tuesday: 8,236 rows, 9 blocks; a small base (the shards split the interactions, not it)
    day, conf = dt.date(2026, 3, 10), {"interactions_per_day": 7_770, "new_customers_per_day": RUN_SIGNUPS}
    sums = {}
    for max_rows, expected_shards in ((10_000, 1), (3_000, 3), (1_000, 9)):
        url = make_database()
        with pointing_at(url):
            state, tasks = run_dag(pipeline_dag, day, {**conf, "max_rows_per_shard": max_rows})
            assert state == "success", tasks
            with connect(url) as conn:
                mapped = conn.execute("SELECT count(*) FROM customer_interactions_staging").fetchone()[0]
        assert mapped == 0  # staging emptied by the swap
        sums[expected_shards] = table_checksums(url)
    assert sums[1] == sums[3] == sums[9]
    assert sums[1]["counts"].startswith(str(day_volume(day, 7_770)))


@pytest.mark.slow
def test_a_shard_that_fails_and_retries_leaves_no_duplicates(schema_url, monkeypatch):
    from include.generator import parameters
    from include.generator.settings import BatchSettings
    from include.storage.days import load_shard, plan_shards, publish_day

    monkeypatch.setattr(parameters, "BLOCK_SIZE", 1_000)
    # the shards split the interactions, not the base: the small base of the shard test above
    day, settings = (
        dt.date(2026, 3, 10),
        BatchSettings(interactions_per_day=7_770, new_customers_per_day=RUN_SIGNUPS),
    )
    shards = plan_shards(day, settings, 3_000)
    with connect(schema_url) as conn:
        for first, stop in shards:
            load_shard(conn, day, settings, range(first, stop))
        load_shard(conn, day, settings, range(*shards[1]))  # the retry of a shard that "failed" after writing
        first_of_shard_0 = int(f"{day:%Y%m%d}000000001")
        conn.execute(
            "DELETE FROM customer_interactions_staging WHERE interaction_id = %s", (first_of_shard_0,)
        )
        conn.commit()
        with pytest.raises(RuntimeError, match="a shard is missing"):
            publish_day(conn, day, settings)
        assert conn.execute("SELECT count(*) FROM customer_interactions").fetchone()[0] == 0
        conn.rollback()
        load_shard(conn, day, settings, range(*shards[0]))
        publish_day(conn, day, settings)
        rows, distinct = conn.execute(
            "SELECT count(*), count(DISTINCT interaction_id) FROM customer_interactions"
        ).fetchone()
    assert rows == distinct == day_volume(day, 7_770)


def test_a_runs_conf_does_not_become_the_next_runs_default(pipeline_dag, schema_url):
    """dag.test() runs tasks in-process, where Airflow sets the DAG's own Param objects from a
    run's conf: `make backfill` and these tests run many days in one process."""

    def defaults() -> dict:
        holders = {"dag": pipeline_dag.params} | {task.task_id: task.params for task in pipeline_dag.tasks}
        return {(name, key): h.get_param(key).value for name, h in holders.items() for key in h.keys()}

    before = defaults()
    with pointing_at(schema_url):
        state, _ = run_dag(pipeline_dag, DAYS[0], {"interactions_per_day": 300, "new_customers_per_day": 20})
    assert state == "success"
    assert defaults() == before
