"""`make airflow`'s one serve loop (devtools.airflow_stack.serve), shared by both executors."""

from __future__ import annotations

import inspect
import signal
import sys

import pytest

from devtools import airflow_stack, celery_stack, local_airflow


@pytest.fixture
def keep_signal_handlers():
    """serve() installs its own handlers and leaves SIGINT/SIGTERM ignored: put pytest's back."""
    saved = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)}
    yield
    for sig, handler in saved.items():
        signal.signal(sig, handler)


def test_serve_reports_a_process_that_exits_and_stops_the_stack(tmp_path, capsys, keep_signal_handlers):
    stack = airflow_stack.Stack("http://localhost:9", None, tmp_path, tmp_path / "logs", {})

    def start():
        stack.start("scheduler", [sys.executable, "-c", "print('scheduler says bye'); raise SystemExit(3)"])
        return stack

    assert airflow_stack.serve(start, lambda s: "login: admin / the password in $X") == 1
    out, err = capsys.readouterr()
    assert "Airflow is up" in out and "login: admin / the password in $X" in out
    assert "error: scheduler exited with code 3" in err and "scheduler says bye" in err
    assert out.rstrip().endswith("Airflow stopped.") and stack.leftovers() == []


def test_serve_turns_a_failed_start_into_one_error_line(capsys, keep_signal_handlers):
    def start():
        raise RuntimeError("airflow db migrate failed")

    assert airflow_stack.serve(start, lambda s: "never shown") == 1
    out, err = capsys.readouterr()
    assert err.strip() == "error: airflow db migrate failed" and "never shown" not in out


def test_both_executors_serve_through_the_one_loop():
    for launcher in (local_airflow, celery_stack):
        source = inspect.getsource(launcher.serve)
        assert "serve_stack(" in source and "signal.signal" not in source and "watch(" not in source
        assert "password}" not in source.replace("banner_login(password)", "")  # never printed as is
