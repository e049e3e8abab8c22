"""Helpers the tests share (imported as `tests.support`; fixtures live in conftest.py)."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from devtools import database
from include.config import PROJECT_ROOT

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


def plant_earlier_release_base(conn) -> None:
    """A customer base as a release before the volume-sized base left it: a first customer
    with an id below 10,001 and its state row (the caller commits)."""
    conn.execute(
        "INSERT INTO customers (customer_id, customer_name, email, phone, registration_date, "
        "customer_segment, status, created_at) VALUES (7, 'A B', 'a.b.7@example.com', '(212) 234-5678', "
        "'2019-05-01', 'Basic', 'Active', now())"
    )
    conn.execute("INSERT INTO customer_base_state VALUES (true, 42, 5, '2020-03-01')")


def run_dag(dag, day: dt.date | None, conf: dict | None = None):
    """One real dag.test() run; returns (state, {task_id: state})."""
    state, instances = run_dag_instances(dag, day, conf)
    return state, {task_id: state_of(ti) for task_id, ti in instances.items()}


def run_dag_instances(dag, day: dt.date | None, conf: dict | None = None):
    """One real dag.test() run; returns (state, {task_id: task instance}) (tries, durations)."""
    from devtools.runner import run_dag_test

    run = run_dag_test(dag, day, conf or {})
    return state_of(run), {ti.task_id: ti for ti in run.get_task_instances()}


def state_of(run_or_task_instance) -> str:
    state = run_or_task_instance.state
    return str(getattr(state, "value", state))


def run_days_successfully(dag, url: str, days, conf: dict) -> str:
    """Run the DAG for each day on `url`, in the given order; every run must succeed."""
    with pointing_at(url):
        for day in days:
            state, tasks = run_dag(dag, day, conf)
            assert state == "success", (day, tasks)
    return url


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
        "agents": "SELECT md5(string_agg(format('%s/%s/%s/%s/%s/%s', agent_id, agent_name, department, team, "
        "hire_date, is_active), '|' ORDER BY agent_id)) FROM agents",
        "agent_shifts": "SELECT md5(string_agg(t::text, '|' ORDER BY shift_date, agent_id)) FROM agent_shifts t",
        "interval_queue_summary": "SELECT md5(string_agg(t::text, '|' ORDER BY interval_start, queue_id)) "
        "FROM analytics.interval_queue_summary t",
        "counts": "SELECT (SELECT count(*) FROM customer_interactions)::text || '/' || "
        "(SELECT count(*) FROM customers)::text",
    }
    newer = {  # this release's tables: absent from a database of an earlier release
        "agent_shifts": "agent_shifts",
        "interval_queue_summary": "analytics.interval_queue_summary",
    }
    with database.connect(url) as conn:
        return {
            name: conn.execute(sql).fetchone()[0]
            if name not in newer or conn.execute("SELECT to_regclass(%s)", (newer[name],)).fetchone()[0]
            else None
            for name, sql in queries.items()
        }


def forget_schema_upgrades(conn) -> None:
    """Drop the ledger of schema upgrades, as a database of a release before it has none:
    for tests that turn today's database into an earlier release's layout."""
    conn.execute("DROP SCHEMA cca_meta CASCADE")


def add_this_releases_dimensions(conn) -> None:
    """Give a database of an earlier release what today's generator writes besides the facts.

    The customers' time zone and language columns, the planted-events ledger, the
    workforce tables (queues, routing, shifts) and the twins' scenario, taken from
    the current 00_schema.sql (and the files it includes), so that today's loader can fill days into an older fact-table
    layout before a test upgrades it.
    """
    import re

    from include.storage.sql import SCHEMA_FILE, expand_includes

    text = expand_includes(SCHEMA_FILE)
    for statement in re.findall(r"^ALTER TABLE customers ADD COLUMN IF NOT EXISTS [^;]+;", text, re.M):
        conn.execute(statement)
    # (issue #24: sites and stores before the shifts that name them, short breaks, the forecast)
    tables = ("planted_events", "service_queues", "contact_routing", "contact_sites", "agent_shifts")
    tables += ("workforce_state", "agent_shift_breaks", "workforce_forecast")
    tables += ("world_scenario",)  # (issue #29: the scenario recorded beside the seed)
    for table in tables:
        statement = re.search(rf"^CREATE TABLE IF NOT EXISTS {table} \(.*?^\);", text, re.M | re.S)
        conn.execute(statement.group(0))
    for table in ("agent_shifts", "planted_events"):
        for statement in re.findall(rf"^ALTER TABLE {table} ADD COLUMN IF NOT EXISTS [^;]+;", text, re.M):
            conn.execute(statement)


def run_cca(*args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    """`python -m devtools ARGS` (the `cca` CLI) in the project, as a user runs it: its output captured."""
    return subprocess.run(
        [sys.executable, "-m", "devtools", *args],
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        timeout=timeout,
    )
