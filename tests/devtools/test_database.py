"""Which database, and how failures read (issue 2, issue 7's connection errors)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from devtools.database import DatabaseUnavailable, airflow_conn_uri, connect, describe
from include.config import PROJECT_ROOT


def test_describe_never_shows_the_password():
    text = describe("postgresql://alice:s3cret@db.example.internal:5433/cc")
    assert text == "alice@db.example.internal:5433/cc"
    assert "s3cret" not in text


def test_socket_dsn_becomes_an_airflow_uri():
    uri = airflow_conn_uri("postgresql://postgres:@/customer_care?host=/tmp/pg data")
    assert uri == "postgresql://postgres@%2Ftmp%2Fpg%20data/customer_care"
    assert airflow_conn_uri("postgresql://u:p@h:5432/d") == "postgresql://u:p@h:5432/d"


def test_unreachable_database_fails_with_one_line_naming_the_host():
    with pytest.raises(DatabaseUnavailable) as caught:
        connect("postgresql://bob:hunter2@127.0.0.1:1/nowhere", connect_timeout=2)
    message = str(caught.value)
    assert "127.0.0.1:1" in message and "hunter2" not in message and "\n" not in message


def test_wrong_credentials_name_the_host_not_the_password(make_database):
    url = make_database()
    # The embedded server trusts local sockets, so a role that does not exist stands in.
    bad = url.replace("postgres:@", "no_such_role:wrongpass@", 1) if "postgres:@" in url else url
    if bad == url:
        pytest.skip("CCA_DATABASE_URL form not rewritten for this check")
    with pytest.raises(DatabaseUnavailable) as caught:
        connect(bad)
    assert "wrongpass" not in str(caught.value) and "no_such_role" in str(caught.value)


@pytest.mark.parametrize(
    "command", [["-m", "devtools", "db", "check"], ["-m", "devtools", "generate", "--interactions", "5"]]
)
def test_cli_with_a_dead_database_url_exits_with_one_clear_line(command):
    env = {
        "PATH": "/usr/bin:/bin",
        "PYTHONPATH": str(PROJECT_ROOT),
        "CCA_DATABASE_URL": "postgresql://eve:topsecret@127.0.0.1:9/cc",
    }
    done = subprocess.run([sys.executable, *command], capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode != 0
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, done.stderr
    assert "127.0.0.1:9" in lines[0] and "topsecret" not in done.stderr
