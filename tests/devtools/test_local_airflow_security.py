"""Issue #15 (Low, Operations): `make airflow` writes its secrets 0600 from the first byte,
never prints a password of yours, starts the DAG paused unless asked, finds its
processes with psutil (no /proc), and listens on loopback only (no log server on every
interface) while a task's log still reaches the REST API from the log folder."""

from __future__ import annotations

import contextlib
import inspect
import ipaddress
import os
import shutil
import socket
import stat
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from devtools import local_airflow
from devtools.airflow_api import AirflowApi
from include.config import DAG_ID


def test_secret_files_are_private_from_the_first_byte(tmp_path, monkeypatch):
    def default_permissions(*args, **kwargs):
        raise AssertionError("written with default permissions (0666 & umask) before a chmod")

    monkeypatch.setattr(Path, "write_text", default_permissions)
    old = os.umask(0)
    try:
        local_airflow.prepare_home(tmp_path, "pw-of-mine")
        local_airflow.prepare_home(tmp_path, "pw-of-mine")  # again: rewritten, still private
    finally:
        os.umask(old)
    for name in ("passwords.json", ".jwt_secret"):
        assert stat.S_IMODE((tmp_path / name).stat().st_mode) == 0o600, name
    assert "pw-of-mine" in (tmp_path / "passwords.json").read_text()
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_the_banner_never_prints_a_password_of_yours():
    assert "pw-of-mine" not in local_airflow.banner_login("pw-of-mine")
    assert "admin / admin" in local_airflow.banner_login(local_airflow.DEFAULT_PASSWORD)


def test_the_dag_starts_paused_unless_asked(tmp_path, monkeypatch):
    monkeypatch.setattr(local_airflow, "metadata_database_url", lambda: "postgresql://u@h/airflow")
    url = "postgresql://u@h/cc"
    env = local_airflow.airflow_env(8095, tmp_path, database_url=url, base_env={})
    assert env["AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION"] == "True"
    assert "starts paused" in local_airflow.banner_schedule({})
    env = local_airflow.airflow_env(8095, tmp_path, database_url=url, base_env={"CCA_AIRFLOW_UNPAUSE": "1"})
    assert env["AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION"] == "False"
    warning = local_airflow.banner_schedule({"CCA_AIRFLOW_UNPAUSE": "1"})
    assert warning.startswith("WARNING") and "UNPAUSED" in warning and "replacing" in warning


def test_process_groups_are_found_with_psutil_not_proc():
    from devtools import airflow_stack

    for launcher in (local_airflow, airflow_stack):  # make airflow's launcher and its processes
        assert '"/proc"' not in inspect.getsource(launcher)
    assert "psutil" in inspect.getsource(airflow_stack)
    proc = subprocess.Popen(["sleep", "30"], start_new_session=True, env={**os.environ, "CCA_MARK": "x1"})
    try:
        assert airflow_stack._group_alive(proc.pid)
        assert airflow_stack.processes_with("CCA_MARK=x1") == [proc.pid]
    finally:
        proc.kill()
        proc.wait()
    deadline = time.monotonic() + 5
    while airflow_stack._group_alive(proc.pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not airflow_stack._group_alive(proc.pid)
    assert airflow_stack.processes_with("CCA_MARK=x1") == []


# --- the real stack: what listens, and whether a task's log still reaches the API -------------

LOG_DAY = "2026-03-02"


def _stack_processes() -> list:
    """Every live process the stack consists of: the descendants of this process (running_airflow
    starts the stack from here) and every member of their process groups. Not found by
    AIRFLOW_HOME in their environment: setproctitle overwrites that of Airflow's processes."""
    import psutil

    found = {proc.pid: proc for proc in psutil.Process().children(recursive=True)}
    groups = set()
    for pid in found:
        with contextlib.suppress(OSError):
            groups.add(os.getpgid(pid))
    groups.discard(os.getpgrp())  # pytest's own group (a helper of pytest's would be in it)
    for proc in psutil.process_iter():
        with contextlib.suppress(psutil.Error, OSError):
            if os.getpgid(proc.pid) in groups:
                found[proc.pid] = proc
    return [proc for proc in found.values() if _alive(proc)]


def _alive(proc) -> bool:
    import psutil

    try:
        return proc.status() != psutil.STATUS_ZOMBIE
    except psutil.Error:
        return False


def _listening(processes: list) -> set[tuple[str, str, int]]:
    """(process name, address, port) of every listening TCP socket and bound UDP socket."""
    import psutil

    seen = set()
    for proc in processes:
        with contextlib.suppress(psutil.Error):
            for conn in proc.net_connections(kind="inet"):
                bound_udp = conn.type == socket.SOCK_DGRAM and conn.laddr and not conn.raddr
                if conn.status == psutil.CONN_LISTEN or bound_udp:
                    seen.add((" ".join(proc.cmdline()[:3]), conn.laddr.ip, conn.laddr.port))
    return seen


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def stack(make_database) -> Iterator[tuple[str, Path, AirflowApi]]:
    """`make airflow`'s stack (running_airflow) on scratch databases and a free port."""
    from devtools import database

    data_url = make_database()
    home = Path(tempfile.mkdtemp(prefix="cca-airflow-sec-", dir="/tmp"))
    try:
        with pytest.MonkeyPatch.context() as mp:
            mp.setenv(database.DATABASE_URL_ENV, data_url)
            with local_airflow.running_airflow(
                _free_port(),
                home,
                password="sec-test-password",
                database_url=data_url,
                metadata_url=make_database(),
                # INFO: make airflow's default (WARNING) leaves a task's log almost empty
                extra_env={
                    "AIRFLOW__SCHEDULER__USE_JOB_SCHEDULE": "False",
                    "AIRFLOW__LOGGING__LOGGING_LEVEL": "INFO",
                },
            ) as base_url:
                api = AirflowApi(base_url, password="sec-test-password")
                try:
                    yield base_url, home, api
                finally:
                    api.close()
                    started = _stack_processes()
        left = [proc for proc in started if _alive(proc)]
        assert left == [], f"processes of the stack left after stop: {left}"
    finally:
        shutil.rmtree(home, ignore_errors=True)


@pytest.mark.slow
def test_no_process_of_make_airflow_listens_beyond_loopback(stack) -> None:
    base_url, home, api = stack
    # every component up (the log servers would start with the scheduler and the triggerer)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        health = api.client.get(f"{base_url}/api/v2/monitor/health").json()
        if all((health.get(c) or {}).get("status") == "healthy" for c in ("scheduler", "triggerer")):
            break
        time.sleep(1)
    seen: set[tuple[str, str, int]] = set()
    for _ in range(5):  # a few looks: a server that binds a moment later is caught too
        seen |= _listening(_stack_processes())
        time.sleep(1)
    port = int(base_url.rsplit(":", 1)[1])
    assert any(p == port for _, _, p in seen), f"the API server was not found listening: {seen}"
    open_to_network = sorted(s for s in seen if not ipaddress.ip_address(s[1]).is_loopback)
    assert open_to_network == [], f"listening beyond loopback: {open_to_network}"


@pytest.fixture(scope="module")
def logged_task(stack) -> str:
    """One run of the DAG on the stack whose validate_run succeeded (so it has logged): its run id."""
    base_url, home, api = stack
    api.wait_for_dag()
    run_id = api.trigger({"batch_date": LOG_DAY, "interactions_per_day": 500})
    deadline = time.monotonic() + 180
    state = None
    while time.monotonic() < deadline:
        tis = api.task_instances(run_id, "validate_run")
        state = tis[0]["state"] if tis else None
        if state in ("success", "failed"):
            break
        time.sleep(1)
    assert state == "success", f"validate_run ended {state!r}"
    return run_id


@pytest.mark.slow
def test_a_task_log_is_read_from_the_log_folder_through_the_rest_api(stack, logged_task) -> None:
    base_url, home, api = stack
    resp = api.client.get(
        f"/dags/{DAG_ID}/dagRuns/{logged_task}/taskInstances/validate_run/logs/1",
        headers={"Accept": "application/json"},
    )
    assert resp.status_code == 200, resp.text
    events = [str(line.get("event", "")) for line in resp.json()["content"]]
    log_dir = str(home / "logs")
    sources = [e for e in events if e.startswith(log_dir)]
    assert sources, f"no source under {log_dir} in {events[:10]}"
    assert all(Path(s).is_file() for s in sources), sources
    assert not [e for e in events if "Could not read served logs" in e], events[:10]
    assert len(events) > len(sources) + 2, f"the log has no lines of the task: {events}"


@pytest.mark.slow
def test_task_logs_are_the_owners_only(stack, logged_task) -> None:
    """Issue #27: every log folder 0700 and every log file 0600 once a task has run."""
    base_url, home, api = stack
    logs = [home / "logs", *(home / "logs").rglob("*")]
    assert any(p.is_file() for p in logs), "no task log written"
    loose = [
        (str(p), oct(stat.S_IMODE(p.stat().st_mode)))
        for p in [*logs, home / local_airflow.LOG_NAME]
        if p.exists() and stat.S_IMODE(p.stat().st_mode) & 0o077
    ]
    assert loose == [], loose


@pytest.mark.slow
def test_no_secret_of_make_airflow_is_in_any_argv(stack) -> None:
    """Issue #27: the admin password and the JWT secret are in files and the environment, never
    in an argv (every local account reads those)."""
    import psutil

    base_url, home, api = stack
    secrets_ = ["sec-test-password", (home / ".jwt_secret").read_text().strip()]
    argvs = []
    for proc in _stack_processes():
        with contextlib.suppress(psutil.Error):
            argvs.append(" ".join(proc.cmdline()))
    assert len(argvs) >= 4, argvs
    assert [a for a in argvs if any(s in a for s in secrets_)] == []
