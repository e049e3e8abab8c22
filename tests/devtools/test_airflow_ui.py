"""Real Airflow 3 (`devtools.local_airflow`), driven through its web UI in headless Chromium.

One Airflow for the module: `make airflow`'s stack on a free port, AIRFLOW_HOME under /tmp, its
metadata in a scratch database and the project pointed at another scratch database (both dropped
at the end of the session). Scheduled runs are switched off so only the runs made here exist.
"""

from __future__ import annotations

import datetime as dt
import shutil
import socket
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from devtools import database
from include.config import DAG_ID, PROJECT_ROOT
from include.generator.calendar import day_volume
from tests.support import CHROMIUM, CHROMIUM_ARGS

SCREENSHOT = PROJECT_ROOT / "reports" / "screenshots" / "airflow_ui_run.png"
PASSWORD = "ui-test-password"
BATCH_DATE = "2026-03-02"  # a Monday
INTERACTIONS = 500
RUN_TIMEOUT = 150.0

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"{CHROMIUM} not installed (apt-get install chromium)"),
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def processes_using(home: Path) -> list[str]:
    """Live processes whose environment has AIRFLOW_HOME=home (Airflow and all it started)."""
    marker = f"AIRFLOW_HOME={home}".encode()
    found = []
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            if marker not in (proc / "environ").read_bytes().split(b"\0"):
                continue
            state = (proc / "stat").read_text().rsplit(")", 1)[1].split()[0]
            cmd = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if state != "Z":
            found.append(f"{proc.name} {cmd}")
    return found


class Airflow:
    def __init__(self, base_url: str, data_url: str) -> None:
        import httpx

        self.base_url = base_url
        self.data_url = data_url
        resp = httpx.post(f"{base_url}/auth/token", json={"username": "admin", "password": PASSWORD})
        assert resp.status_code == 201, resp.text
        self.api = httpx.Client(
            base_url=f"{base_url}/api/v2",
            headers={"Authorization": f"Bearer {resp.json()['access_token']}"},
            timeout=30,
        )

    def runs(self) -> list[dict]:
        resp = self.api.get(f"/dags/{DAG_ID}/dagRuns", params={"limit": 100})
        resp.raise_for_status()
        return resp.json()["dag_runs"]

    def wait_for_dag(self, timeout: float = 90.0) -> dict:
        """The DAG as the dag-processor stored it (the first parse can take a while)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            resp = self.api.get(f"/dags/{DAG_ID}")
            if resp.status_code == 200:
                return resp.json()
            time.sleep(1)
        pytest.fail(f"DAG {DAG_ID} not parsed within {timeout:.0f}s: {resp.status_code} {resp.text}")


@pytest.fixture(scope="module")
def airflow(make_database) -> Iterator[Airflow]:
    from devtools.local_airflow import running_airflow

    data_url = make_database()  # empty: the DAG creates the schema
    metadata_url = make_database()  # Airflow's own tables, created by `airflow db migrate`
    home = Path(tempfile.mkdtemp(prefix="cca-airflow-ui-", dir="/tmp"))
    extra = {
        # no scheduled run competes with the runs of this test (manual runs still execute)
        "AIRFLOW__SCHEDULER__USE_JOB_SCHEDULE": "False",
        # make airflow starts the DAG paused; this test triggers it, so it starts unpaused
        "CCA_AIRFLOW_UNPAUSE": "1",
        "AIRFLOW__LOGGING__LOGGING_LEVEL": "INFO",
    }
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(database.DATABASE_URL_ENV, data_url)
        mp.setenv("AIRFLOW_CONN_CUSTOMER_CARE_DB", database.airflow_conn_uri(data_url))
        try:
            started = time.monotonic()
            with running_airflow(
                free_port(),
                home,
                password=PASSWORD,
                database_url=data_url,
                metadata_url=metadata_url,
                extra_env=extra,
            ) as base_url:
                print(f"Airflow up in {time.monotonic() - started:.0f}s at {base_url}")
                af = Airflow(base_url, data_url)
                af.wait_for_dag()
                yield af
                af.api.close()
            # running_airflow has stopped everything it started
            assert processes_using(home) == [], "processes left after stop"
        finally:
            shutil.rmtree(home, ignore_errors=True)


def test_invalid_param_is_rejected_by_rest_api(airflow: Airflow) -> None:
    before = airflow.runs()
    resp = airflow.api.post(
        f"/dags/{DAG_ID}/dagRuns",
        json={"logical_date": None, "conf": {"batch_date": BATCH_DATE, "interactions_per_day": -5}},
    )
    assert resp.status_code == 400, resp.text
    assert "interactions_per_day" in resp.text or "minimum" in resp.text, resp.text
    assert airflow.runs() == before  # no run was created


def test_trigger_run_from_ui(airflow: Airflow) -> None:
    from playwright.sync_api import expect, sync_playwright

    known = {run["dag_run_id"] for run in airflow.runs()}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1440, "height": 900})
            page.set_default_timeout(30_000)

            # log in
            page.goto(f"{airflow.base_url}/")
            page.locator("input[name=username]").fill("admin")
            page.locator("input[name=password]").fill(PASSWORD)
            page.get_by_role("button", name="Sign in").click()
            page.wait_for_url(lambda url: "/auth/login" not in url)

            # open the DAG and fill the trigger form
            page.goto(f"{airflow.base_url}/dags/{DAG_ID}")
            page.get_by_test_id("trigger-dag-button").click()
            dialog = page.get_by_role("dialog")
            expect(dialog.get_by_text(f"Trigger Dag - {DAG_ID}")).to_be_visible(timeout=30_000)
            dialog.locator("#element_batch_date").fill(BATCH_DATE)
            volume = dialog.get_by_label("Interactions per day")
            volume.fill(str(INTERACTIONS))
            volume.press("Tab")  # the number input commits its value on blur
            expect(volume).to_have_value(str(INTERACTIONS))
            dialog.get_by_test_id("trigger-dag-submit").click()
            expect(dialog).to_be_hidden(timeout=30_000)

            # the run the form created, then its outcome (through the REST API)
            deadline = time.monotonic() + RUN_TIMEOUT
            run = None
            while time.monotonic() < deadline:
                new = [r for r in airflow.runs() if r["dag_run_id"] not in known]
                run = new[0] if new else None
                if run and run["state"] in ("success", "failed"):
                    break
                time.sleep(2)
            assert run is not None, "the trigger form created no run"
            assert run["run_type"] == "manual"
            assert run["conf"]["batch_date"] == BATCH_DATE
            assert run["conf"]["interactions_per_day"] == INTERACTIONS
            assert run["state"] == "success", f"run {run['dag_run_id']} ended {run['state']!r}"

            # the run as the UI shows it
            page.goto(f"{airflow.base_url}/dags/{DAG_ID}/runs/{run['dag_run_id']}")
            expect(page.get_by_text(run["dag_run_id"]).first).to_be_visible(timeout=30_000)
            expect(page.get_by_text("success").first).to_be_visible(timeout=30_000)
            page.wait_for_load_state("networkidle")
            SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SCREENSHOT))
        finally:
            browser.close()
    assert SCREENSHOT.stat().st_size > 10_000

    # the day landed in the scratch database
    day = dt.date.fromisoformat(BATCH_DATE)
    with database.connect(airflow.data_url) as conn:
        requested = conn.execute(
            "SELECT interactions_requested FROM interaction_batches WHERE batch_date = %s", (day,)
        ).fetchone()
        rows = conn.execute(
            "SELECT count(*) FROM customer_interactions "
            "WHERE start_timestamp >= %s::date AND start_timestamp < %s::date + 1",
            (day, day),
        ).fetchone()[0]
    # the form's 500 reached the run: the generator shapes it by the day's calendar
    expected = day_volume(day, INTERACTIONS)
    assert requested is not None and abs(requested[0] - expected) <= 1, (requested, expected)
    assert rows == requested[0]
