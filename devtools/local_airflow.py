"""Real Airflow 3 on this machine, without Docker: `make airflow` (`python -m devtools.local_airflow`).

Runs `airflow standalone` (migrations, then scheduler, dag-processor, triggerer and api-server
as `airflow ...` subprocesses) with LocalExecutor and this project's `dags/` folder.

* Metadata: a database `airflow` on the embedded PostgreSQL (beside `customer_care`), or, when
  `CCA_DATABASE_URL` is set, a database `airflow` on that server. Kept between runs; the
  migrations Airflow runs at start are idempotent.
* The DAG's connection `customer_care_db` comes from `AIRFLOW_CONN_CUSTOMER_CARE_DB`, built from
  the database in use (`devtools.database.database_url()`).
* Login: user `admin`, password `$CCA_AIRFLOW_PASSWORD` (default `admin`), written to
  `$AIRFLOW_HOME/passwords.json`. Port: `$CCA_AIRFLOW_PORT` (default 8080).
* Everything runs in its own process group. Ctrl-C / SIGTERM stops it all: SIGINT to
  `airflow standalone` (which stops its components), then SIGTERM and SIGKILL to the whole
  group after a timeout, so nothing keeps holding the port.

Tests use `running_airflow(port, home)`, a context manager that yields the base URL.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

from devtools.airflow_env import DEFAULT_HOME
from include.config import CONN_ID, DATABASE_URL_ENV, PROJECT_ROOT

PORT_ENV = "CCA_AIRFLOW_PORT"
PASSWORD_ENV = "CCA_AIRFLOW_PASSWORD"
#: `make airflow` starts the DAG paused (a fresh scheduler would otherwise run the latest day at
#: once, replacing a day loaded with other settings); CCA_AIRFLOW_UNPAUSE=1 starts it unpaused.
UNPAUSE_ENV = "CCA_AIRFLOW_UNPAUSE"
DEFAULT_PORT = 8080
DEFAULT_PASSWORD = "admin"
USERNAME = "admin"
METADATA_DATABASE = "airflow"
#: LocalExecutor forks this many workers up front (Airflow's default of 32 is ~4 GB of RSS). A worker
#: stays busy a moment after its task has finished, so with 4 a backfill's 4 active runs queued
#: behind each other (~1.5 s a task); 8 removed that wait (`make bench --only scheduler_backfill`).
PARALLELISM = 8
#: LocalExecutor that imports the tasks' third-party modules before forking its workers: about
#: 2.5 s less per task on 2 cores (README, "Backfills under the scheduler").
EXECUTOR = "devtools.airflow_executor.PreloadingLocalExecutor"
#: Seconds to wait for the API after the start (the first start also creates the metadata tables).
START_TIMEOUT = 240.0
#: Seconds after SIGINT to the leader, then after SIGTERM to the group, before SIGKILL.
STOP_TIMEOUT = 30.0
TERM_TIMEOUT = 10.0


class AirflowStartError(RuntimeError):
    """Airflow did not come up; the message ends with the tail of its log."""


def sqlalchemy_url(url: str) -> str:
    """A libpq DSN as a SQLAlchemy URL for psycopg 3: `postgresql+psycopg://user@/db?host=/socket/dir`.

    SQLAlchemy hands the query string (`host=/socket/dir`, `sslmode=...`) to psycopg as connect
    arguments, so the Unix-socket form of the embedded server works as is. An empty password
    (`postgres:@`) is dropped.
    """
    parts = urlsplit(url)
    if parts.scheme not in ("postgres", "postgresql", "postgresql+psycopg", "postgresql+psycopg2"):
        raise ValueError(f"not a PostgreSQL URL (scheme {parts.scheme!r})")
    netloc = parts.netloc
    if "@" in netloc:
        userinfo, host = netloc.rsplit("@", 1)
        netloc = f"{userinfo.rstrip(':')}@{host}"
    return parts._replace(scheme="postgresql+psycopg", netloc=netloc).geturl()


def metadata_database_url(name: str = METADATA_DATABASE) -> str:
    """libpq DSN of Airflow's metadata database, created if missing.

    `CCA_DATABASE_URL` set: database `name` on that server; else on the embedded server.
    """
    from devtools.database import embedded_url, ensure_database, with_database

    user_url = os.environ.get(DATABASE_URL_ENV, "").strip()
    if user_url:
        ensure_database(user_url, name)  # CREATE DATABASE works from any database of the server
        return with_database(user_url, name)
    return embedded_url(name)


def prepare_home(home: Path, password: str) -> None:
    """AIRFLOW_HOME with the passwords file (rewritten each start) and a JWT secret kept between starts."""
    home.mkdir(parents=True, exist_ok=True)
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
    """The environment of `airflow standalone` and everything it starts."""
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


def _default_signals() -> None:
    """In the child, before exec: SIGINT/SIGTERM back to default even if we run with them ignored
    (a `cmd &` in a script ignores SIGINT, and ignored signals survive exec)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _airflow_command() -> list[str]:
    exe = Path(sys.executable).parent / "airflow"
    return [str(exe), "standalone"] if exe.exists() else [sys.executable, "-m", "airflow", "standalone"]


def start(port: int, home: Path, env: dict[str, str], log_path: Path | None) -> subprocess.Popen:
    """Start `airflow standalone` in a new session (its own process group). Output: log_path or ours."""
    if port_in_use(port):
        raise AirflowStartError(
            f"port {port} is already in use (another Airflow? set {PORT_ENV} to use another port)"
        )
    out = None
    if log_path is not None:
        log_path.parent.mkdir(parents=True, exist_ok=True)
        out = open(log_path, "ab")  # the child gets its own copy; ours is closed below
    try:
        return subprocess.Popen(
            _airflow_command(),
            env=env,
            cwd=str(PROJECT_ROOT),
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT if out else None,
            start_new_session=True,
            preexec_fn=_default_signals,  # only signal() calls between fork and exec
        )
    finally:
        if out is not None:
            out.close()


def _get(url: str, timeout: float = 5.0) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as resp:
            return resp.status, resp.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def _tail(path: Path | None, lines: int = 40) -> str:
    if path is None or not path.exists():
        return ""
    text = path.read_text(encoding="utf-8", errors="replace").splitlines()
    return "\n".join(text[-lines:])


def wait_until_ready(
    base_url: str, proc: subprocess.Popen, timeout: float = START_TIMEOUT, log_path: Path | None = None
) -> dict:
    """Poll `/api/v2/monitor/health` until the API, the metadata DB and the scheduler are healthy."""
    deadline = time.monotonic() + timeout
    last = "no answer yet"
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AirflowStartError(
                f"airflow standalone exited with code {proc.returncode} before the API answered\n"
                + _tail(log_path)
            )
        try:
            status, body = _get(f"{base_url}/api/v2/monitor/health")
            if status == 200:
                health = json.loads(body)
                states = {k: (v or {}).get("status") for k, v in health.items() if isinstance(v, dict)}
                if states.get("metadatabase") == "healthy" and states.get("scheduler") == "healthy":
                    return health
                last = f"health: {states}"
            else:
                last = f"HTTP {status}"
        except (OSError, ValueError) as exc:
            last = f"{type(exc).__name__}: {exc}"
        time.sleep(1.0)
    raise AirflowStartError(f"Airflow did not get ready in {timeout:.0f}s ({last})\n" + _tail(log_path))


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # zombies of the group still count for killpg(0); look for a live member (psutil: portable)
    import psutil

    for proc in psutil.process_iter():
        with contextlib.suppress(psutil.Error, OSError):
            if os.getpgid(proc.pid) == pgid and proc.status() != psutil.STATUS_ZOMBIE:
                return True
    return False


def _signal_group(pgid: int, sig: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, sig)


def stop(proc: subprocess.Popen, timeout: float = STOP_TIMEOUT, quiet: bool = False) -> None:
    """Stop Airflow and everything it started; reaps the leader.

    1. SIGINT to `airflow standalone` alone: it SIGTERMs each component and waits for it (~15 s).
       (SIGINT to the whole group was measured to leave the triggerer hanging for over a minute.)
    2. If anything of the group is still alive after `timeout`: SIGTERM to the whole group,
    3. then SIGKILL to the whole group.
    """
    pgid = proc.pid  # start_new_session: the leader's pid is the group id
    steps = (
        (signal.SIGINT, timeout, False),
        (signal.SIGTERM, TERM_TIMEOUT, True),
        (signal.SIGKILL, TERM_TIMEOUT, True),
    )
    for sig, wait, whole_group in steps:
        if not _group_alive(pgid):
            break
        if whole_group:
            if not quiet:
                print(f"Airflow still running; sending {sig.name} to its process group", file=sys.stderr)
            _signal_group(pgid, sig)
        elif proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                proc.send_signal(sig)
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(timeout=0.2)
            if not _group_alive(pgid):
                break
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(timeout=5)


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
    Output goes to `log_path` (default `home/standalone.log`). `extra_env` wins over the defaults.
    """
    home = Path(home)
    log_path = log_path or home / "standalone.log"
    prepare_home(home, password)
    env = airflow_env(
        port,
        home,
        database_url=database_url,
        metadata_url=metadata_url,
        base_env={**os.environ, **(extra_env or {})},
    )
    env.update(extra_env or {})
    base_url = f"http://localhost:{port}"
    proc = start(port, home, env, log_path)
    try:
        wait_until_ready(base_url, proc, timeout, log_path)
        yield base_url
    finally:
        stop(proc, quiet=True)


def _watch(proc: subprocess.Popen, base_url: str, every: float = 30.0) -> int:
    """Wait for the standalone process; say so when a component turns unhealthy (or recovers)."""
    reported: dict[str, str] = {}
    while True:
        try:
            return proc.wait(timeout=every)
        except subprocess.TimeoutExpired:
            pass
        try:
            status, body = _get(f"{base_url}/api/v2/monitor/health")
            health = json.loads(body) if status == 200 else {}
            states = {k: str((v or {}).get("status")) for k, v in health.items() if isinstance(v, dict)}
        except (OSError, ValueError):
            states = {"api-server": "not answering"}
        for name, state in states.items():
            if state != reported.get(name, "healthy"):
                print(f"{time.strftime('%H:%M:%S')} Airflow {name}: {state}", file=sys.stderr, flush=True)
        reported = states


class _Stop(Exception):
    """Raised from the SIGTERM/SIGHUP handler to leave the wait loop."""


def _raise_stop(signum, frame) -> None:
    raise _Stop(signal.Signals(signum).name)


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
    log_path = None if log_to_terminal else home / "standalone.log"
    base_url = f"http://localhost:{port}"
    prepare_home(home, password)
    env = airflow_env(port, home)
    meta = env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"]
    print(f"Airflow home:     {home}")
    print(f"metadata DB:      {describe(meta)}")
    print(f"project DB:       {describe(env[f'AIRFLOW_CONN_{CONN_ID.upper()}'])}")
    if log_path:
        print(f"log:              {log_path}")
    print("starting Airflow (scheduler, dag-processor, triggerer, api-server)...", flush=True)
    try:
        proc = start(port, home, env, log_path)
    except AirflowStartError as exc:
        raise ValueError(str(exc)) from None

    signal.signal(signal.SIGINT, signal.default_int_handler)  # even when started with SIGINT ignored
    signal.signal(signal.SIGTERM, _raise_stop)
    signal.signal(signal.SIGHUP, _raise_stop)
    code = 0
    try:
        started = time.monotonic()
        wait_until_ready(base_url, proc, START_TIMEOUT, log_path)
        print(
            f"\nAirflow is up in {time.monotonic() - started:.0f}s: {base_url}\n"
            f"{banner_login(password)}\n{banner_schedule()}\n"
            "Ctrl-C stops everything.\n",
            flush=True,
        )
        code = _watch(proc, base_url)
        print(f"error: airflow standalone exited with code {code}", file=sys.stderr)
        if log_path:
            print(_tail(log_path), file=sys.stderr)
        code = code or 1
    except AirflowStartError as exc:
        print(f"error: {exc}", file=sys.stderr)
        code = 1
    except (KeyboardInterrupt, _Stop):
        print("\nstopping Airflow (this takes a few seconds)...", flush=True)
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not skip the cleanup
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        stop(proc)
        print("Airflow stopped.", flush=True)
    return code
