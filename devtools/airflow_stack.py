"""The processes of a local Airflow: `make airflow` (LocalExecutor, devtools.local_airflow) and
`make airflow EXECUTOR=celery` (devtools.celery_stack) start the same components with this,
and serve them with one loop (`serve`).

`Stack` holds the processes (each the leader of its own process group) and their logs;
`start_airflow` runs the migrations, then api-server, scheduler, dag-processor and triggerer
(the scheduler and the triggerer without their log servers); `wait_until_ready` polls the
health endpoint (and pings Celery workers when there are any); `watch` waits for a process to
exit; `Stack.stop` stops them all; `serve` does all of it for a person at a terminal. It imports
neither launcher, so both can import it.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from include.config import PROJECT_ROOT

WORKER_NAME_ENV = "CCA_WORKER_NAME"


#: Seconds after SIGTERM before SIGKILL (a Celery worker's warm shutdown waits for its task).
STOP_TIMEOUT = 20.0


#: In the environment of every process a stack starts (and of what those start): how they are found.
STACK_ID_ENV = "CCA_AIRFLOW_STACK"


COMPONENTS = ("api-server", "scheduler", "dag-processor", "triggerer")


#: The umask of every process a stack starts: what Airflow and its tasks write (task and
#: processor logs, whatever mode Airflow asks for) is its owner's only: files 0600, folders 0700.
UMASK = 0o077


def _default_signals() -> None:
    """In each child before exec: default signal handling, and the stack's umask."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    os.umask(UMASK)


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
    #: directories made for this stack alone (the broker's socket): removed by `stop`
    scratch_dirs: list[Path] = field(default_factory=list)

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
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        # the owner's only, from the first byte: the processes' output
        with os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600), "ab") as out:
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
                check=True, timeout=timeout, umask=UMASK, **output,
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
        for directory in self.scratch_dirs:
            shutil.rmtree(directory, ignore_errors=True)


def processes_with(*markers: str) -> list[int]:
    """Live (not zombie) processes whose environment holds every marker (`NAME=value`); psutil,
    so it works wherever psutil does (no /proc)."""
    import psutil

    wanted = dict(marker.split("=", 1) for marker in markers)
    found = []
    for proc in psutil.process_iter():
        with contextlib.suppress(psutil.Error, OSError):
            env = proc.environ()
            if all(env.get(k) == v for k, v in wanted.items()) and proc.status() != psutil.STATUS_ZOMBIE:
                found.append(proc.pid)
    return found


def _signal_group(pgid: int, sig: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, sig)


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


def _get(url: str, timeout: float = 5.0) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as resp:
            return resp.status, resp.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def ping_workers(url: str, timeout: float = 1.0) -> set[str]:
    """Names of the Celery workers that answer a ping through the broker."""
    from celery import Celery

    app = Celery(broker=url)
    try:
        replies = app.control.ping(timeout=timeout) or []
    finally:
        app.close()
    return {name for reply in replies for name in reply}


def health(base_url: str) -> dict[str, str]:
    """Status of each component from `/api/v2/monitor/health` (`{}` if it does not answer 200)."""
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


class StopRequested(Exception):
    """Raised from the SIGTERM/SIGHUP handler to leave `serve`'s wait."""


def _raise_stop(signum, frame) -> None:
    raise StopRequested(signal.Signals(signum).name)


def serve(start: Callable[[], Stack], ready_text: Callable[[Stack], str]) -> int:
    """`make airflow` with either executor: start the stack, say where it is (`ready_text`: the
    login and what else the executor shows), wait, and stop everything on Ctrl-C, SIGTERM, SIGHUP
    or when one of its processes exits. Returns the exit code (1: it could not start or died)."""
    signal.signal(signal.SIGINT, signal.default_int_handler)  # even when started with SIGINT ignored
    signal.signal(signal.SIGTERM, _raise_stop)
    signal.signal(signal.SIGHUP, _raise_stop)
    stack: Stack | None = None
    code = 0
    try:
        started = time.monotonic()
        stack = start()
        print(
            f"\nAirflow is up in {time.monotonic() - started:.0f}s: {stack.base_url}\n"
            f"{ready_text(stack)}\nCtrl-C stops everything.\n",
            flush=True,
        )
        for name, rc in watch(stack).items():
            print(f"error: {name} exited with code {rc}\n{stack.tail(name)}", file=sys.stderr)
        code = 1
    except (KeyboardInterrupt, StopRequested):
        print("\nstopping Airflow (this takes a few seconds)...", flush=True)
    except (RuntimeError, subprocess.SubprocessError, FileNotFoundError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        code = 1
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not skip the cleanup
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        if stack is not None:
            stack.stop()
        print("Airflow stopped.", flush=True)
    return code
