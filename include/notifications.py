"""Failures and late days reach a person.

* Every failed task calls `FailureNotifier` (the DAG's `on_failure_callback`). It always
  writes one `ALERT:` log line; it also posts to Slack when the Airflow connection
  `cca_alert_slack` exists (an incoming-webhook URL in its host, password or extra
  `webhook_url`), and e-mails the addresses in `CCA_ALERT_EMAIL` (comma-separated)
  through the SMTP connection `CCA_ALERT_SMTP_CONN` (default `smtp_default`).
* A deadline for each day (off unless `CCA_DAY_DEADLINE_HOURS` is set): if the run for a day
  has not finished that many hours after the day ended (UTC), Airflow's DeadlineAlert calls
  `day_deadline_missed`, which alerts the same way.

Nothing here is sent unless configured; the log line is the floor.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import logging
import os
import smtplib
import ssl
import urllib.request
from email.message import EmailMessage

log = logging.getLogger("customer_care.alerts")

SLACK_CONN_ID = "cca_alert_slack"
EMAIL_ENV = "CCA_ALERT_EMAIL"
SMTP_CONN_ENV = "CCA_ALERT_SMTP_CONN"
DEADLINE_ENV = "CCA_DAY_DEADLINE_HOURS"


def _connection(conn_id: str):
    """The Airflow connection, or None when it is not defined."""
    try:
        from airflow.sdk import BaseHook

        return BaseHook.get_connection(conn_id)
    except Exception:  # not defined (AirflowNotFoundException) or no Airflow at all
        return None


def _slack_url(conn) -> str | None:
    extra = conn.extra_dejson if conn.extra else {}
    for candidate in (extra.get("webhook_url"), conn.password, conn.host):
        if candidate and str(candidate).startswith(("http://", "https://")):
            return str(candidate)
    return None


def send_alert(subject: str, text: str) -> list[str]:
    """One log line always; Slack and e-mail when configured. Returns the channels used.

    A channel that fails is logged, never raised: an alert must not fail the callback.
    """
    log.error("ALERT: %s: %s", subject, " ".join(text.split()))
    sent = ["log"]
    slack = _connection(SLACK_CONN_ID)
    url = _slack_url(slack) if slack else None
    if url:
        try:
            body = json.dumps({"text": f"*{subject}*\n{text}"}).encode()
            request = urllib.request.Request(url, body, {"Content-Type": "application/json"})
            with urllib.request.urlopen(request, timeout=10) as response:
                response.read()
            sent.append("slack")
        except Exception as exc:
            log.error("ALERT: could not post to Slack (%s): %s", SLACK_CONN_ID, exc)
    recipients = [a.strip() for a in os.environ.get(EMAIL_ENV, "").split(",") if a.strip()]
    if recipients:
        conn_id = os.environ.get(SMTP_CONN_ENV) or "smtp_default"
        smtp = _connection(conn_id)
        if smtp is None or not smtp.host:
            log.error("ALERT: %s is set but the SMTP connection %s is not defined", EMAIL_ENV, conn_id)
        else:
            try:
                message = EmailMessage()
                message["Subject"] = subject
                message["From"] = (smtp.extra_dejson or {}).get(
                    "from_email"
                ) or "customer-care-analytics@localhost"
                message["To"] = ", ".join(recipients)
                message.set_content(text)
                _deliver(smtp, message)
                sent.append("email")
            except Exception as exc:
                log.error("ALERT: could not send e-mail through %s: %s", conn_id, exc)
    return sent


#: SMTP over implicit TLS (SMTPS) on this port (or with the extra `"ssl": true`).
SMTPS_PORT = 465


def _deliver(smtp, message: EmailMessage) -> None:
    """Send through the SMTP connection. The server's certificate is always verified (the
    system's CAs, or the extra `ca_file`); with a login, TLS is required before it is sent:
    implicit TLS on 465, else STARTTLS (a server that does not offer it gets no password)."""
    extra = smtp.extra_dejson or {}
    port = smtp.port or 25
    context = ssl.create_default_context(cafile=extra.get("ca_file") or None)
    implicit = port == SMTPS_PORT or str(extra.get("ssl", "")).lower() == "true"
    server = (
        smtplib.SMTP_SSL(smtp.host, port, timeout=10, context=context)
        if implicit
        else smtplib.SMTP(smtp.host, port, timeout=10)
    )
    with server:
        if smtp.login:
            if not implicit:
                server.starttls(context=context)
            server.login(smtp.login, smtp.password or "")
        server.send_message(message)


def failure_text(context) -> tuple[str, str]:
    ti = context.get("task_instance") or context.get("ti")
    dag_run = context.get("dag_run")
    dag_id = getattr(ti, "dag_id", None) or getattr(dag_run, "dag_id", "?")
    task_id = getattr(ti, "task_id", "?")
    run_id = getattr(dag_run, "run_id", None) or getattr(ti, "run_id", "?")
    exception = context.get("exception")
    # A refusal that must not be retried arrives as AirflowFailException raised from the
    # real error (DataQualityError, ...): name that one.
    named = exception.__cause__ if exception is not None and exception.__cause__ is not None else exception
    subject = f"[customer-care] {dag_id}.{task_id} failed"
    text = (
        f"run {run_id}, try {getattr(ti, 'try_number', '?')}: "
        f"{type(named).__name__ + ': ' + str(exception) if exception else 'no exception recorded'}"
    )
    return subject, text


try:  # the notifier is an Airflow class; the rest of this module works without Airflow
    from airflow.sdk import BaseNotifier
except ImportError:  # pragma: no cover - Airflow is always installed with the pipeline
    BaseNotifier = object  # type: ignore[assignment,misc]


class FailureNotifier(BaseNotifier):  # type: ignore[misc,valid-type]
    """`on_failure_callback` of every task: a log line, and Slack / e-mail when configured."""

    def notify(self, context) -> None:
        send_alert(*failure_text(context))


async def day_deadline_missed(context=None, **kwargs) -> None:
    """DeadlineAlert callback (runs in the triggerer): the day is late."""
    dag_run = (context or {}).get("dag_run") if isinstance(context, dict) else None
    day = kwargs.get("day") or getattr(dag_run, "logical_date", None) or "a day"
    hours = kwargs.get("hours", "?")
    await asyncio.to_thread(
        send_alert,
        "[customer-care] day not loaded in time",
        f"the run for {day} had not finished {hours} h after the day ended (UTC)",
    )


def deadline_hours() -> float | None:
    value = os.environ.get(DEADLINE_ENV, "").strip()
    if not value:
        return None
    hours = float(value)
    if not 0 < hours <= 24 * 7:
        raise ValueError(f"{DEADLINE_ENV} must be between 0 and 168 hours, got {value!r}")
    return hours


def day_deadline():
    """The DAG's `deadline`: None (off) unless CCA_DAY_DEADLINE_HOURS is set.

    A run's logical date is the start of its day, so the day ends 24 h later: the alert
    fires when the run has not finished `hours` after that.
    """
    hours = deadline_hours()
    if hours is None:
        return None
    from airflow.sdk import AsyncCallback, DeadlineAlert, DeadlineReference

    return DeadlineAlert(
        reference=DeadlineReference.DAGRUN_LOGICAL_DATE,
        interval=dt.timedelta(days=1, hours=hours),
        callback=AsyncCallback(day_deadline_missed, kwargs={"hours": hours}),
        name="day_not_loaded_in_time",
    )
