"""Issue #15 (Low): a hung or unreachable database fails a task's try in minutes, not hours."""

from __future__ import annotations

import time

import psycopg
import pytest

from devtools.airflow_env import airflow_env
from devtools.database import connect
from include.config import PROJECT_ROOT
from include.connections import limit_session


def test_sessions_get_statement_and_idle_timeouts(fresh_url, monkeypatch):
    with connect(fresh_url) as conn:
        limit_session(conn)
        assert conn.execute("SHOW statement_timeout").fetchone()[0] == "30min"
        assert conn.execute("SHOW idle_in_transaction_session_timeout").fetchone()[0] == "10min"
    monkeypatch.setenv("CCA_STATEMENT_TIMEOUT", "300ms")
    with connect(fresh_url) as conn:
        limit_session(conn)
        started = time.monotonic()
        with pytest.raises(psycopg.errors.QueryCanceled):
            conn.execute("SELECT pg_sleep(5)")
        assert time.monotonic() - started < 3


def test_the_dag_limits_every_session_it_opens():
    source = (PROJECT_ROOT / "dags" / "customer_care_pipeline.py").read_text()
    assert "limit_session(PostgresHook(postgres_conn_id=CONN_ID).get_conn())" in source


def test_the_airflow_connection_has_a_connect_timeout():
    from airflow.models.connection import Connection

    env = airflow_env("postgresql://u:p@db.example:5432/cc", base_env={})
    conn = Connection(conn_id="x", uri=env["AIRFLOW_CONN_CUSTOMER_CARE_DB"])
    assert str(conn.extra_dejson.get("connect_timeout")) == "10"
    assert (conn.host, conn.port, conn.schema) == ("db.example", 5432, "cc")
