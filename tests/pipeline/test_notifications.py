"""Issue #15 (Operations): failures and late days reach a person; the DAG publishes Assets.

Slack and SMTP are fake receivers on 127.0.0.1; nothing leaves the machine.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import logging
import socketserver
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from types import SimpleNamespace

import pytest

from include import notifications
from include.config import PROJECT_ROOT
from tests.support import run_dag


class _Slack(BaseHTTPRequestHandler):
    received: list[dict] = []

    def do_POST(self):  # noqa: N802 - http.server's name
        body = self.rfile.read(int(self.headers["Content-Length"]))
        type(self).received.append(json.loads(body))
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args):
        pass


@pytest.fixture
def slack(monkeypatch):
    _Slack.received = []
    server = HTTPServer(("127.0.0.1", 0), _Slack)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_port}/hook"
    monkeypatch.setenv("AIRFLOW_CONN_CCA_ALERT_SLACK", json.dumps({"conn_type": "http", "host": url}))
    yield _Slack.received
    server.shutdown()


class _Smtp(socketserver.StreamRequestHandler):
    """Just enough SMTP for smtplib.send_message."""

    messages: list[str] = []

    def handle(self):
        self.wfile.write(b"220 fake\r\n")
        while line := self.rfile.readline():
            verb = line.decode().strip().upper()
            if verb.startswith(("EHLO", "HELO")):
                self.wfile.write(b"250 fake\r\n")
            elif verb == "DATA":
                self.wfile.write(b"354 go\r\n")
                data = []
                while (chunk := self.rfile.readline()) not in (b".\r\n", b""):
                    data.append(chunk.decode())
                type(self).messages.append("".join(data))
                self.wfile.write(b"250 queued\r\n")
            elif verb == "QUIT":
                self.wfile.write(b"221 bye\r\n")
                return
            else:
                self.wfile.write(b"250 ok\r\n")


@pytest.fixture
def smtp(monkeypatch):
    _Smtp.messages = []
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _Smtp)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    monkeypatch.setenv(
        "AIRFLOW_CONN_CCA_TEST_SMTP",
        json.dumps({"conn_type": "smtp", "host": "127.0.0.1", "port": server.server_address[1]}),
    )
    monkeypatch.setenv("CCA_ALERT_SMTP_CONN", "cca_test_smtp")
    monkeypatch.setenv("CCA_ALERT_EMAIL", "oncall@example.com, lead@example.com")
    yield _Smtp.messages
    server.shutdown()
    server.server_close()


def _context(exception: Exception):
    ti = SimpleNamespace(dag_id="customer_care_pipeline", task_id="publish_day", try_number=3, run_id="r1")
    return {
        "task_instance": ti,
        "dag_run": SimpleNamespace(run_id="r1", dag_id=ti.dag_id),
        "exception": exception,
    }


def test_without_configuration_a_failure_is_one_clear_log_line(caplog, monkeypatch):
    monkeypatch.delenv("CCA_ALERT_EMAIL", raising=False)
    with caplog.at_level(logging.ERROR, logger="customer_care.alerts"):
        notifications.FailureNotifier().notify(_context(RuntimeError("disk full")))
    lines = [r.getMessage() for r in caplog.records]
    assert lines == [
        "ALERT: [customer-care] customer_care_pipeline.publish_day failed: run r1, try 3: RuntimeError: disk full"
    ]


def test_a_failure_that_is_not_retried_is_named_by_its_cause(caplog, monkeypatch):
    """The DAG turns a failed audit into AirflowFailException (no retry): the alert says which check."""
    from airflow.sdk.exceptions import AirflowFailException

    from include.quality import DataQualityError

    monkeypatch.delenv("CCA_ALERT_EMAIL", raising=False)
    try:
        try:
            raise DataQualityError(
                "data-quality audit failed for 2026-03-02, nothing published: orphan_agent"
            )
        except DataQualityError as refused:
            raise AirflowFailException(str(refused)) from refused
    except AirflowFailException as final:
        failure = final
    with caplog.at_level(logging.ERROR, logger="customer_care.alerts"):
        notifications.FailureNotifier().notify(_context(failure))
    [line] = [r.getMessage() for r in caplog.records]
    assert line.endswith(
        "try 3: DataQualityError: data-quality audit failed for 2026-03-02, nothing published: orphan_agent"
    ), line


def test_a_failure_reaches_slack_and_email(slack, smtp):
    notifications.FailureNotifier().notify(_context(ValueError("bad day")))
    assert len(slack) == 1 and "publish_day failed" in slack[0]["text"] and "bad day" in slack[0]["text"]
    assert len(smtp) == 1 and "oncall@example.com" in smtp[0] and "ValueError: bad day" in smtp[0]


def test_a_real_failed_run_calls_the_notifier(pipeline_dag, fresh_url, slack):
    state, tasks = run_dag(pipeline_dag, dt.date(2026, 3, 4), {"interactions_per_dya": 5})
    assert state == "failed" and tasks["validate_run"] == "failed"
    assert any("validate_run failed" in m["text"] and "interactions_per_dya" in m["text"] for m in slack), (
        slack
    )


def test_the_deadline_is_off_unless_configured(monkeypatch, slack):
    monkeypatch.delenv("CCA_DAY_DEADLINE_HOURS", raising=False)
    assert notifications.day_deadline() is None
    monkeypatch.setenv("CCA_DAY_DEADLINE_HOURS", "6")
    alert = notifications.day_deadline()
    assert alert.interval == dt.timedelta(hours=30)
    assert (
        "LOGICAL_DATE" in type(alert.reference).__name__.upper() or "logical" in repr(alert.reference).lower()
    )
    asyncio.run(notifications.day_deadline_missed(None, hours=6, day="2026-03-04"))
    assert slack and "2026-03-04" in slack[-1]["text"] and "6 h" in slack[-1]["text"]
    monkeypatch.setenv("CCA_DAY_DEADLINE_HOURS", "-1")
    with pytest.raises(ValueError, match="CCA_DAY_DEADLINE_HOURS"):
        notifications.day_deadline()


def test_dag_wiring_notifier_assets_and_sdk_timetable(pipeline_dag):
    from include.assets import PUBLISHED_DAY, SUMMARIES

    for task in pipeline_dag.tasks:
        callbacks = task.on_failure_callback or []
        assert any(isinstance(cb, notifications.FailureNotifier) for cb in callbacks), task.task_id
    outlets = {t.task_id: t.outlets for t in pipeline_dag.tasks}
    assert outlets["publish_day"] == [PUBLISHED_DAY]
    assert outlets["refresh_summaries"] == [SUMMARIES]
    source = (PROJECT_ROOT / "dags" / "customer_care_pipeline.py").read_text()
    assert "airflow.timetables" not in source
    assert "from airflow.sdk import DAG, CronDataIntervalTimetable" in source
