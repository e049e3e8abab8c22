"""Issue #27 (Low): `make airflow` in both modes never prints a password of yours, and refuses
to listen beyond this machine while the login is the well-known admin/admin.

No Airflow is started: the launchers are stopped (or faked) before any process would start."""

from __future__ import annotations

import pytest

from devtools import celery_stack, local_airflow
from devtools.cli import main

PUBLIC = ("0.0.0.0", "::", "192.168.1.20", "my-laptop.example")
LOCAL = ("127.0.0.1", "localhost", "::1", "[::1]", "127.0.1.1")


class _FakeStack:
    base_url = "http://localhost:8080"
    workers = ["worker1@host"]

    def stop(self) -> None:
        pass


def test_celery_banner_never_prints_a_password_of_yours(monkeypatch, capsys, tmp_path):
    monkeypatch.setenv(local_airflow.PASSWORD_ENV, "pw-of-mine-5k2")
    monkeypatch.setattr("devtools.airflow_env.DEFAULT_HOME", tmp_path)
    monkeypatch.setattr(celery_stack, "start_stack", lambda *a, **k: _FakeStack())
    monkeypatch.setattr("devtools.airflow_stack.watch", lambda stack: {})  # "every process exited"
    celery_stack.serve(8080, 1)
    out = capsys.readouterr().out
    assert "Airflow is up" in out and "worker1@host" in out
    assert "pw-of-mine-5k2" not in out
    assert f"the password in ${local_airflow.PASSWORD_ENV}" in out


@pytest.mark.parametrize("host", PUBLIC)
def test_a_public_api_host_needs_a_password_of_your_own(host):
    with pytest.raises(ValueError, match=f"AIRFLOW__API__HOST={host.strip('[]')} would let anyone"):
        local_airflow.refuse_public_default_login(
            {"AIRFLOW__API__HOST": host}, local_airflow.DEFAULT_PASSWORD
        )
    local_airflow.refuse_public_default_login({"AIRFLOW__API__HOST": host}, "pw-of-mine")


@pytest.mark.parametrize("host", LOCAL)
def test_a_loopback_api_host_is_fine_with_the_default_login(host):
    local_airflow.refuse_public_default_login({"AIRFLOW__API__HOST": host}, local_airflow.DEFAULT_PASSWORD)
    local_airflow.refuse_public_default_login({}, local_airflow.DEFAULT_PASSWORD)


@pytest.mark.parametrize("executor", ["local", "celery"])
def test_make_airflow_refuses_a_public_host_before_starting_anything(executor, monkeypatch, capsys, tmp_path):
    def started(*args, **kwargs):
        raise AssertionError("a process was started")

    monkeypatch.setenv("AIRFLOW__API__HOST", "0.0.0.0")
    monkeypatch.delenv(local_airflow.PASSWORD_ENV, raising=False)
    monkeypatch.setattr("devtools.airflow_env.DEFAULT_HOME", tmp_path)
    monkeypatch.setattr(local_airflow, "start", started)
    monkeypatch.setattr(celery_stack, "start_broker", started)
    assert main(["airflow", "--executor", executor, "--port", "8099"]) != 0
    err = capsys.readouterr().err
    assert "error: AIRFLOW__API__HOST=0.0.0.0 would let anyone" in err
