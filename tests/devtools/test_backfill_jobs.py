"""`make backfill ... JOBS=N` (issue 25): N runners side by side through the real DAG on a real
PostgreSQL give the rows of one at a time, and record their runs in Airflow's metadata database
on the server, the one `make airflow`'s UI shows."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys

import pytest

from devtools import database
from devtools.airflow_env import METADATA_CONN_ENV, runner_metadata_conn, sqlalchemy_url
from include.config import DAG_ID, PROJECT_ROOT
from tests.support import run_cca, table_checksums

DAYS = [dt.date(2026, 3, 2) + dt.timedelta(days=i) for i in range(4)]
PER_DAY = "300"


def _backfill(url: str, metadata_url: str, jobs: str) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        database.DATABASE_URL_ENV: url,
        "AIRFLOW_CONN_CUSTOMER_CARE_DB": database.airflow_conn_uri(url),
        METADATA_CONN_ENV: sqlalchemy_url(metadata_url),
    }
    days = [DAYS[0].isoformat(), DAYS[-1].isoformat()]
    return subprocess.run(
        [sys.executable, "-m", "devtools", "backfill", *days, "--interactions", PER_DAY, "--jobs", jobs],
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        env=env,
        timeout=1800,
    )


def _activity(url: str) -> str:
    with database.connect(url) as conn:
        return conn.execute(
            "SELECT md5(string_agg(t::text, '|' ORDER BY summary_date, customer_id)) "
            "FROM analytics.daily_customer_activity t"
        ).fetchone()[0]


@pytest.mark.slow
def test_two_days_at_a_time_give_the_rows_of_one_at_a_time_and_show_in_the_metadata_db(make_database):
    one, two, metadata = make_database(), make_database(), make_database()

    alone = _backfill(one, metadata, "1")
    assert alone.returncode == 0, alone.stdout + alone.stderr
    side_by_side = _backfill(two, metadata, "2")
    output = side_by_side.stdout + side_by_side.stderr
    assert side_by_side.returncode == 0, output
    assert "2 at a time (JOBS=2)" in side_by_side.stdout
    # one truthful line per day, whichever runner finished it, the last one without an ETA
    progress = [line for line in side_by_side.stdout.splitlines() if line.startswith("[")]
    assert [line.split("]")[0] for line in progress] == [f"[{k}/{len(DAYS)}" for k in range(1, len(DAYS) + 1)]
    assert progress[-1].endswith(", done") and all("ETA" in line for line in progress[:-1])
    assert f"{len(DAYS)}/{len(DAYS)} day(s) loaded" in side_by_side.stdout

    sums = table_checksums(two)
    assert sums == table_checksums(one)
    assert sums["counts"].split("/")[0] != "0"
    assert _activity(two) == _activity(one)

    # Both backfills' runs are in the PostgreSQL metadata database (the later replaced the earlier
    # run of each day), with their task instances and durations: what the UI's grid shows.
    with database.connect(metadata) as conn:
        runs = conn.execute(
            "SELECT logical_date::date, state FROM dag_run WHERE dag_id = %s ORDER BY 1", (DAG_ID,)
        ).fetchall()
        durations = conn.execute(
            "SELECT count(*) FROM task_instance WHERE dag_id = %s AND state = 'success' AND duration > 0",
            (DAG_ID,),
        ).fetchone()[0]
    assert runs == [(day, "success") for day in DAYS]
    assert durations >= 8 * len(DAYS)

    # make airflow's scheduler alive with the DAG unpaused would run the same tasks as well:
    # refused with one line, before a day runs; paused again, the backfill goes ahead.
    with database.connect(metadata) as conn:
        conn.execute(
            "INSERT INTO job (state, job_type, start_date, latest_heartbeat, hostname) "
            "VALUES ('running', 'SchedulerJob', now(), now(), 'test')"
        )
        conn.execute("UPDATE dag SET is_paused = false WHERE dag_id = %s", (DAG_ID,))
        conn.commit()
    refused = _backfill(two, metadata, "2")
    assert refused.returncode == 2, refused.stdout + refused.stderr
    assert "scheduler is running" in refused.stderr and "[1/" not in refused.stdout


def test_jobs_is_checked_before_anything_is_written(fresh_url):
    done = run_cca("backfill", "2026-03-02", "2026-03-03", "--jobs", "two")
    assert done.returncode == 2
    assert done.stderr.strip() == "error: JOBS must be a whole number, got 'two'"
    with database.connect(fresh_url) as conn:
        assert conn.execute("SELECT to_regclass('customer_interactions')").fetchone()[0] is None


def test_make_run_and_backfill_use_make_airflows_metadata_database(fresh_url, monkeypatch, tmp_path):
    """Unless told otherwise (the tests are), the runner's metadata database is make airflow's."""
    from devtools import local_airflow

    monkeypatch.delenv(METADATA_CONN_ENV, raising=False)
    ours = runner_metadata_conn()
    theirs = local_airflow.airflow_env(8095, tmp_path, database_url=fresh_url)[METADATA_CONN_ENV]
    assert ours == theirs and ours.startswith("postgresql+psycopg://")


def test_several_runners_need_a_postgresql_metadata_database(monkeypatch):
    """SQLite takes one writer at a time: JOBS>1 is refused with one line, the default is one."""
    from devtools.runner import parse_jobs

    monkeypatch.setenv(METADATA_CONN_ENV, "sqlite:////tmp/airflow.db")
    assert parse_jobs("", 30) == 1
    with pytest.raises(ValueError, match="JOBS=2 needs a PostgreSQL metadata database"):
        parse_jobs("2", 30)
    monkeypatch.setenv(METADATA_CONN_ENV, "postgresql+psycopg://u@h/airflow")
    assert parse_jobs("3", 30) == 3 and parse_jobs("3", 2) == 2
    assert 1 <= parse_jobs("", 30) <= (os.cpu_count() or 1)
    with pytest.raises(ValueError, match="JOBS must be between 1 and"):
        parse_jobs("0", 30)
