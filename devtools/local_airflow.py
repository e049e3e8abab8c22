"""Real Airflow 3 on this machine, without Docker: `make airflow` (`python -m devtools.local_airflow`).

Runs `airflow db migrate`, then the scheduler, dag-processor, triggerer and api-server as
`airflow ...` subprocesses, with LocalExecutor and this project's `dags/` folder. The launcher is
devtools.airflow_stack's (`Stack`, `start_airflow`, `wait_until_ready`), as the Celery mode, without
broker and workers. Not `airflow standalone`: it starts the scheduler's and the triggerer's log
servers on every interface (ports 8793 and 8794; Airflow 3.3 hard-codes the host). Here they run
with `--skip-serve-logs` and the api-server reads task logs from the log folder
(`$AIRFLOW_HOME/logs`), as every task runs on this machine. Only the api-server listens, on
127.0.0.1.

* Metadata: a database `airflow` on the embedded PostgreSQL (beside `customer_care`), or, when
  `CCA_DATABASE_URL` is set, a database `airflow` on that server. Kept between runs; the
  migrations Airflow runs at start are idempotent.
* The DAG's connection `customer_care_db` comes from `AIRFLOW_CONN_CUSTOMER_CARE_DB`, built from
  the database in use (`devtools.database.database_url()`).
* Login: user `admin`, password `$CCA_AIRFLOW_PASSWORD` (default `admin`), written to
  `$AIRFLOW_HOME/passwords.json`. Port: `$CCA_AIRFLOW_PORT` (default 8080).
* Each component runs in its own process group. Ctrl-C / SIGTERM stops it all: SIGTERM to every
  group, SIGKILL to what is left after a timeout, so nothing keeps holding the port.
* Output of every process: `$AIRFLOW_HOME/airflow.log` (`cca airflow --log`: the terminal).

Tests use `running_airflow(port, home)`, a context manager that yields the base URL.
"""

from __future__ import annotations

import contextlib
import ipaddress
import json
import os
import secrets
import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path

from devtools.airflow_env import DEFAULT_HOME, metadata_database_url, sqlalchemy_url
from devtools.airflow_stack import Stack, start_airflow, wait_until_ready
from devtools.airflow_stack import serve as serve_stack
from include.config import CONN_ID

PORT_ENV = "CCA_AIRFLOW_PORT"
PASSWORD_ENV = "CCA_AIRFLOW_PASSWORD"
#: `make airflow` starts the DAG paused (a fresh scheduler would otherwise run the latest day at
#: once, replacing a day loaded with other settings); CCA_AIRFLOW_UNPAUSE=1 starts it unpaused.
UNPAUSE_ENV = "CCA_AIRFLOW_UNPAUSE"
DEFAULT_PORT = 8080
DEFAULT_PASSWORD = "admin"
USERNAME = "admin"
#: LocalExecutor forks this many workers up front (Airflow's default of 32 is ~4 GB of RSS). A worker
#: stays busy a moment after its task has finished, so with 4 a backfill's 4 active runs queued
#: behind each other (~1.5 s a task); 8 removed that wait (`make bench --only scheduler_backfill`).
PARALLELISM = 8
#: LocalExecutor that imports the tasks' third-party modules before forking its workers: about
#: 2.5 s less per task on 2 cores (docs/performance.md).
EXECUTOR = "devtools.airflow_executor.PreloadingLocalExecutor"
#: Seconds to wait for the API after the start (the first start also creates the metadata tables).
START_TIMEOUT = 240.0
#: Everyone's output, unless `cca airflow --log` shows it on the terminal.
LOG_NAME = "airflow.log"


class AirflowStartError(RuntimeError):
    """Airflow did not come up; the message ends with the tail of its log."""


def prepare_home(home: Path, password: str) -> None:
    """AIRFLOW_HOME with the passwords file (rewritten each start) and a JWT secret kept between starts."""
    home.mkdir(parents=True, exist_ok=True)
    logs = home / "logs"  # task logs: the owner's only (see devtools.airflow_env)
    logs.mkdir(mode=0o700, exist_ok=True)
    logs.chmod(0o700)
    _write_private(home / "passwords.json", json.dumps({USERNAME: password}) + "\n")
    secret = home / ".jwt_secret"
    if not secret.exists():
        _write_private(secret, secrets.token_urlsafe(32))


def _write_private(path: Path, text: str) -> None:
    """Write `path` readable by its owner only from the first byte (never briefly 0644)."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(text)
    os.chmod(tmp, 0o600)  # in case it existed with other bits
    os.replace(tmp, path)


def refuse_public_default_login(env: dict[str, str], password: str) -> None:
    """ValueError if the API would listen beyond this machine while the login is admin/admin."""
    host = (env.get("AIRFLOW__API__HOST") or "127.0.0.1").strip().strip("[]")
    if password != DEFAULT_PASSWORD or host == "localhost":
        return
    try:
        if ipaddress.ip_address(host).is_loopback:
            return
    except ValueError:
        pass  # a host name other than localhost: not known to be local
    raise ValueError(
        f"AIRFLOW__API__HOST={host} would let anyone who reaches this machine log in as "
        f"{USERNAME}/{DEFAULT_PASSWORD}: set ${PASSWORD_ENV} to a password of your own first"
    )


def starts_unpaused(env: dict[str, str] | None = None) -> bool:
    return (env if env is not None else os.environ).get(UNPAUSE_ENV, "").strip().lower() in (
        "1",
        "true",
        "yes",
    )


def airflow_env(
    port: int,
    home: Path,
    *,
    database_url: str | None = None,
    metadata_url: str | None = None,
    base_env: dict[str, str] | None = None,
) -> dict[str, str]:
    """The environment of every Airflow process `make airflow` starts (and of what they start)."""
    from devtools.airflow_env import airflow_env as shared_airflow_env
    from devtools.database import database_url as project_database_url

    data_url = database_url or project_database_url()
    meta_url = metadata_url or metadata_database_url()
    env = shared_airflow_env(data_url, home, base_env)
    secret_file = home / ".jwt_secret"
    env.update(
        {
            "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": sqlalchemy_url(meta_url),
            # LocalExecutor whose workers inherit the tasks' heavy imports (devtools/airflow_executor.py)
            "AIRFLOW__CORE__EXECUTOR": EXECUTOR,
            "AIRFLOW__CORE__PARALLELISM": str(PARALLELISM),
            "AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION": "False" if starts_unpaused(env) else "True",
            "AIRFLOW__CORE__AUTH_MANAGER": (
                "airflow.api_fastapi.auth.managers.simple.simple_auth_manager.SimpleAuthManager"
            ),
            "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS": f"{USERNAME}:admin",
            "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_ALL_ADMINS": "False",
            "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE": str(home / "passwords.json"),
            "AIRFLOW__API__PORT": str(port),
            # local only by default (the login is admin/admin); export AIRFLOW__API__HOST=0.0.0.0 to share
            "AIRFLOW__API__HOST": env.get("AIRFLOW__API__HOST") or "127.0.0.1",
            "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": f"http://localhost:{port}/execution/",
        }
    )
    if secret_file.exists() and not env.get("AIRFLOW__API_AUTH__JWT_SECRET"):
        # one secret for every component (the scheduler signs task tokens, the api-server checks them)
        env["AIRFLOW__API_AUTH__JWT_SECRET"] = secret_file.read_text(encoding="utf-8").strip()
    return env


def port_in_use(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(1)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def check_port(port: int) -> None:
    if port_in_use(port):
        raise AirflowStartError(
            f"port {port} is already in use (another Airflow? set {PORT_ENV} to use another port)"
        )


def start(port: int, home: Path, env: dict[str, str], log_path: Path | None, timeout: float) -> Stack:
    """Migrate, start the components (each in its own process group) and wait until they are up.

    Output: everyone's in `log_path`, or on our stdout/stderr when None. On failure everything
    started is stopped again and AirflowStartError raised.
    """
    check_port(port)
    stack = Stack(f"http://localhost:{port}", None, home, None, env, log_file=log_path)
    try:
        start_airflow(stack, timeout)
        wait_until_ready(stack, timeout)
    except (RuntimeError, subprocess.SubprocessError) as exc:
        stack.stop(timeout=5)
        tail = stack.tail("migrate")  # with one log file: everyone's last lines
        detail = "" if tail in str(exc) else f"\n{tail}"  # a process that exited quotes them already
        raise AirflowStartError(f"{exc}{detail}".rstrip()) from None
    except BaseException:
        stack.stop(timeout=5)
        raise
    return stack


@contextlib.contextmanager
def running_airflow(
    port: int,
    home: Path,
    *,
    password: str = DEFAULT_PASSWORD,
    database_url: str | None = None,
    metadata_url: str | None = None,
    log_path: Path | None = None,
    timeout: float = START_TIMEOUT,
    extra_env: dict[str, str] | None = None,
) -> Iterator[str]:
    """Airflow up on `port` with AIRFLOW_HOME `home`; yields the base URL, stops everything on exit.

    `database_url`: the project's database (default: `CCA_DATABASE_URL` or the embedded one).
    `metadata_url`: Airflow's metadata database (default: database `airflow` on that server).
    Output goes to `log_path` (default `home/airflow.log`). `extra_env` wins over the defaults.
    """
    home = Path(home)
    log_path = log_path or home / LOG_NAME
    prepare_home(home, password)
    env = airflow_env(
        port,
        home,
        database_url=database_url,
        metadata_url=metadata_url,
        base_env={**os.environ, **(extra_env or {})},
    )
    env.update(extra_env or {})
    refuse_public_default_login(env, password)
    stack = start(port, home, env, log_path, timeout)
    try:
        yield stack.base_url
    finally:
        stack.stop()


def banner_login(password: str) -> str:
    """The login line: the well-known default is shown, a password of your own never is."""
    if password == DEFAULT_PASSWORD:
        return f"login: {USERNAME} / {DEFAULT_PASSWORD}   (set ${PASSWORD_ENV} to choose another)"
    return f"login: {USERNAME} / the password in ${PASSWORD_ENV}"


def banner_schedule(env: dict[str, str] | None = None) -> str:
    if starts_unpaused(env):
        return (
            f"WARNING: {CONN_ID} pipeline starts UNPAUSED (${UNPAUSE_ENV}): the scheduler runs the latest "
            "day now with the default params, replacing that day if it was loaded with other settings."
        )
    return (
        f"the DAG starts paused: nothing runs until you unpause or trigger it (${UNPAUSE_ENV}=1 to unpause)."
    )


def serve(port: int, log_to_terminal: bool = False) -> int:
    """`cca airflow`: start everything, print the URL and login, stop everything on Ctrl-C."""
    from devtools.database import describe

    home = DEFAULT_HOME
    password = os.environ.get(PASSWORD_ENV) or DEFAULT_PASSWORD
    log_path = None if log_to_terminal else home / LOG_NAME
    refuse_public_default_login(os.environ, password)
    prepare_home(home, password)
    env = airflow_env(port, home)
    meta = env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"]
    print(f"Airflow home:     {home}")
    print(f"metadata DB:      {describe(meta)}")
    print(f"project DB:       {describe(env[f'AIRFLOW_CONN_{CONN_ID.upper()}'])}")
    if log_path:
        print(f"log:              {log_path}")
    print(
        "starting Airflow (migrations, then scheduler, dag-processor, triggerer, api-server)...", flush=True
    )
    try:
        check_port(port)
    except AirflowStartError as exc:
        raise ValueError(str(exc)) from None
    return serve_stack(
        lambda: start(port, home, env, log_path, START_TIMEOUT),
        lambda stack: f"{banner_login(password)}\n{banner_schedule()}",
    )
