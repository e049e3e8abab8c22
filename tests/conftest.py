"""Test fixtures: a real PostgreSQL (the embedded server, or CCA_DATABASE_URL's) and real Airflow.

Every database a test writes to is a scratch database created here and dropped at the end
of the session; the user's data is never touched.
"""

from __future__ import annotations

import datetime as dt
import itertools
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# Airflow reads its settings at import: set them before anything imports it.
os.environ["AIRFLOW_HOME"] = str(ROOT / ".airflow-test")
os.environ["AIRFLOW__CORE__DAGS_FOLDER"] = str(ROOT / "dags")
os.environ["AIRFLOW__CORE__LOAD_EXAMPLES"] = "False"
os.environ.setdefault("AIRFLOW__LOGGING__LOGGING_LEVEL", "WARNING")
os.environ["CCA_REPORTS_DIR"] = str(ROOT / ".airflow-test" / "reports")

from devtools import database  # noqa: E402

_counter = itertools.count()

#: Debian's chromium, and the flags that keep it off this machine's closed network.
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def server_admin_url() -> str:
    """The maintenance database of the server the tests use."""
    user_url = os.environ.get(database.DATABASE_URL_ENV)
    if user_url:
        return database.with_database(user_url, "postgres")
    return database.embedded_url("postgres")


@pytest.fixture(scope="session")
def make_database(server_admin_url: str) -> Iterator[Callable[[], str]]:
    """Factory of empty scratch databases, all dropped when the session ends."""
    created: list[str] = []

    def make() -> str:
        name = f"cca_test_{os.getpid()}_{next(_counter)}"
        database.drop_database(server_admin_url, name)
        database.ensure_database(server_admin_url, name)
        created.append(name)
        return database.with_database(server_admin_url, name)

    yield make
    for name in created:
        database.drop_database(server_admin_url, name)


@contextmanager
def pointing_at(url: str) -> Iterator[str]:
    """Point the project and the DAG's connection at `url` for a block (module fixtures)."""
    names = (database.DATABASE_URL_ENV, "AIRFLOW_CONN_CUSTOMER_CARE_DB")
    saved = {name: os.environ.get(name) for name in names}
    os.environ[database.DATABASE_URL_ENV] = url
    os.environ["AIRFLOW_CONN_CUSTOMER_CARE_DB"] = database.airflow_conn_uri(url)
    try:
        yield url
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def run_dag(dag, day: dt.date | None, conf: dict | None = None):
    """One real dag.test() run; returns (state, {task_id: state})."""
    logical = dt.datetime.combine(day, dt.time(0), dt.UTC) if day else None
    run = dag.test(logical_date=logical, run_conf=conf or {})
    states = {ti.task_id: str(getattr(ti.state, "value", ti.state)) for ti in run.get_task_instances()}
    return str(getattr(run.state, "value", run.state)), states


def run_days_successfully(dag, url: str, days, conf: dict) -> str:
    """Run the DAG for each day on `url`, in the given order; every run must succeed."""
    with pointing_at(url):
        for day in days:
            state, tasks = run_dag(dag, day, conf)
            assert state == "success", (day, tasks)
    return url


@pytest.fixture
def use_database(monkeypatch: pytest.MonkeyPatch) -> Callable[[str], None]:
    """Point the project (CLI, loader, DAG connection) at a database for this test."""

    def point(url: str) -> None:
        monkeypatch.setenv(database.DATABASE_URL_ENV, url)
        monkeypatch.setenv("AIRFLOW_CONN_CUSTOMER_CARE_DB", database.airflow_conn_uri(url))

    return point


@pytest.fixture
def fresh_url(make_database, use_database) -> str:
    """An empty database that the project points at for this test."""
    url = make_database()
    use_database(url)
    return url


@pytest.fixture
def schema_url(fresh_url: str) -> str:
    """A database with the schema and reference data."""
    from include.storage.sql import apply_schema

    with database.connect(fresh_url) as conn:
        apply_schema(conn)
    return fresh_url


@pytest.fixture(scope="session")
def airflow_metadata() -> None:
    """Migrate the tests' own Airflow metadata DB once (kept between sessions)."""
    stamp = Path(os.environ["AIRFLOW_HOME"]) / ".metadata-migrated"
    if not stamp.exists():
        stamp.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [sys.executable, "-m", "airflow", "db", "migrate"], check=True, stdout=subprocess.DEVNULL
        )
        stamp.touch()


@pytest.fixture(scope="session")
def pipeline_dag(airflow_metadata):
    """The DAG parsed from the dags folder, once per session."""
    from devtools.runner import load_dag

    return load_dag()


def table_checksums(url: str) -> dict[str, str]:
    """md5 of every generated table's rows in key order (created/loaded-at clocks excluded)."""
    queries = {
        "customers": "SELECT md5(string_agg(t::text, '|' ORDER BY customer_id)) FROM customers t",
        "customer_service_plans": "SELECT md5(string_agg(t::text, '|' ORDER BY customer_service_plan_id)) "
        "FROM customer_service_plans t",
        "customer_interactions": "SELECT md5(string_agg(t::text, '|' ORDER BY interaction_id)) "
        "FROM customer_interactions t",
        "daily_channel_summary": "SELECT md5(string_agg(t::text, '|' ORDER BY summary_date, channel_id)) "
        "FROM analytics.daily_channel_summary t",
        "daily_agent_performance": "SELECT md5(string_agg(t::text, '|' ORDER BY summary_date, agent_id)) "
        "FROM analytics.daily_agent_performance t",
        "customer_summary": "SELECT md5(string_agg(t::text, '|' ORDER BY customer_id)) FROM analytics.customer_summary t",
        "daily_interaction_type_summary": "SELECT md5(string_agg(t::text, '|' ORDER BY summary_date, "
        "interaction_type_id)) FROM analytics.daily_interaction_type_summary t",
        "daily_service_plan_summary": "SELECT md5(string_agg(t::text, '|' ORDER BY summary_date, "
        "service_plan_id)) FROM analytics.daily_service_plan_summary t",
        "interaction_batches": "SELECT md5(string_agg(format('%s/%s/%s', batch_date, interactions_requested, "
        "base_seed), '|' ORDER BY batch_date)) FROM interaction_batches",
        "counts": "SELECT (SELECT count(*) FROM customer_interactions)::text || '/' || "
        "(SELECT count(*) FROM customers)::text",
    }
    with database.connect(url) as conn:
        return {name: conn.execute(sql).fetchone()[0] for name, sql in queries.items()}
