"""Issue #15 (Low, Operations): `make airflow` writes its secrets 0600 from the first byte,
never prints a password of yours, starts the DAG paused unless asked, and finds its
processes with psutil (no /proc)."""

from __future__ import annotations

import inspect
import os
import stat
import subprocess
import time
from pathlib import Path

from devtools import local_airflow


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
    source = inspect.getsource(local_airflow)
    assert '"/proc"' not in source and "psutil" in source
    proc = subprocess.Popen(["sleep", "30"], start_new_session=True)
    try:
        assert local_airflow._group_alive(proc.pid)
    finally:
        proc.kill()
        proc.wait()
    deadline = time.monotonic() + 5
    while local_airflow._group_alive(proc.pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not local_airflow._group_alive(proc.pid)
