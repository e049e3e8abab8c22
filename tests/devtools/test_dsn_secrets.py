"""Issue #15 (Medium, Low): no password in any output, in every DSN form psycopg accepts;
psql gets it through its environment; Airflow's connection is the DSN the CLI checked."""

from __future__ import annotations

import subprocess
import sys

import pytest
from psycopg.conninfo import conninfo_to_dict

from devtools import database
from include.config import PROJECT_ROOT

PASSWORDS = ["s3cretpass", "pa/ss/word", "p@ss?w0rd#x", "it's a secret", "per%cent"]


def forms(password: str) -> list[str]:
    """One unreachable server (127.0.0.1:9) in each form; the password as a user would type it."""
    from urllib.parse import quote

    escaped = password.replace("\\", "\\\\").replace("'", "\\'")
    # typed unencoded, `%` is ambiguous (an escape or a percent sign): that form is left out for it
    raw = [] if "%" in password else [f"postgresql://eve:{password}@127.0.0.1:9/cc"]
    return raw + [
        f"postgresql://eve:{quote(password, safe='')}@127.0.0.1:9/cc",
        f"postgres://eve:{quote(password, safe='')}@127.0.0.1:9/cc",
        f"postgresql+psycopg2://eve:{quote(password, safe='')}@127.0.0.1:9/cc",
        f"postgresql://eve@127.0.0.1:9/cc?password={quote(password, safe='')}",
        f"host=127.0.0.1 port=9 user=eve password='{escaped}' dbname=cc",
        f"host=127.0.0.1 port=9 dbname=cc user=eve password='{escaped}' connect_timeout=3",
    ]


def leaks(text: str, password: str) -> list[str]:
    from urllib.parse import quote

    pieces = {password, quote(password, safe=""), *password.replace("'", " ").split("/")}
    return [p for p in pieces if len(p) >= 4 and p in text]


CASES = [(dsn, pw) for pw in PASSWORDS for dsn in forms(pw)]


@pytest.mark.parametrize(("dsn", "password"), CASES)
def test_describe_and_connection_errors_never_show_the_password(dsn, password):
    assert database.describe(dsn) == "eve@127.0.0.1:9/cc"
    with pytest.raises(database.DatabaseUnavailable) as caught:
        database.connect(dsn, connect_timeout=2)
    message = str(caught.value)
    assert "127.0.0.1:9" in message and "\n" not in message
    assert not leaks(message, password), message


@pytest.mark.parametrize(("dsn", "password"), CASES)
def test_airflow_uri_is_the_same_connection(dsn, password):
    """The runner checks `dsn` with psycopg; the DAG's tasks use Airflow's parse of this URI."""
    from airflow.models.connection import Connection

    conn = Connection(conn_id="x", uri=database.airflow_conn_uri(dsn))
    assert (conn.host, conn.port, conn.login, conn.password, conn.schema) == (
        "127.0.0.1",
        9,
        "eve",
        password,
        "cc",
    )


def test_key_value_and_socket_dsns_become_airflow_uris():
    from airflow.models.connection import Connection

    conn = Connection(conn_id="x", uri=database.airflow_conn_uri("host=/tmp/pg\\ data user=me dbname=d"))
    assert (conn.host, conn.login, conn.schema) == ("/tmp/pg data", "me", "d")
    with pytest.raises(ValueError) as caught:
        database.airflow_conn_uri("host=h password='unterminated")
    assert "unterminated" not in str(caught.value)


@pytest.mark.parametrize("password", PASSWORDS)
def test_psql_gets_the_password_from_its_environment(password):
    for dsn in forms(password):
        conninfo, env = database.psql_connection(dsn)
        assert not leaks(conninfo, password), conninfo
        assert env["PGPASSWORD"] == password
        params = conninfo_to_dict(conninfo)
        assert (params["host"], params["port"], params["user"], params["dbname"]) == (
            "127.0.0.1",
            "9",
            "eve",
            "cc",
        )


@pytest.mark.parametrize("dsn", forms("topsecret/part2") + forms("it's topsecret"))
def test_cli_error_line_has_no_password(dsn):
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(PROJECT_ROOT), "CCA_DATABASE_URL": dsn}
    done = subprocess.run(
        [sys.executable, "-m", "devtools", "db", "check"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert done.returncode == 2
    assert "topsecret" not in done.stderr + done.stdout and "part2" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr


def test_success_line_has_no_password(make_database, monkeypatch, capsys):
    from devtools import cli

    url = make_database()
    params = conninfo_to_dict(database.normalize_dsn(url))
    params["password"] = "unused-secret-pw"  # the embedded server trusts local sockets
    for dsn in (
        " ".join(f"{k}='{v}'" for k, v in params.items()),
        database.airflow_conn_uri(" ".join(f"{k}='{v}'" for k, v in params.items())),
    ):
        monkeypatch.setenv(database.DATABASE_URL_ENV, dsn)
        assert cli.main(["db", "check"]) == 0
        out = capsys.readouterr()
        assert out.out.startswith("ok: ") and "unused-secret-pw" not in out.out + out.err


@pytest.mark.parametrize("password", PASSWORDS)
def test_db_url_prints_the_dsn_without_its_password(password, monkeypatch, capsys):
    from devtools import cli

    for dsn in forms(password):
        monkeypatch.setenv(database.DATABASE_URL_ENV, dsn)
        assert cli.main(["db", "url"]) == 0
        out = capsys.readouterr().out.strip()
        assert not leaks(out, password), out
        params = conninfo_to_dict(database.normalize_dsn(out))
        assert (params["host"], params["port"], params["user"], params["dbname"]) == (
            "127.0.0.1",
            "9",
            "eve",
            "cc",
        )
