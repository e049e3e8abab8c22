"""Issue #15 (Operations): `make backfill` shows `[k/N] day ... ETA`."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from airflow.sdk.definitions.param import ParamsDict

from devtools.runner import progress_line, run_days


def test_progress_line():
    day = dt.date(2026, 3, 2)
    assert progress_line(1, 365, day, 2.0, 2.0) == "[1/365] 2026-03-02: ok in 2.0s, ETA 12m 08s"
    assert progress_line(10, 4000, day, 1.0, 10.0) == "[10/4000] 2026-03-02: ok in 1.0s, ETA 1h 06m"
    assert progress_line(3, 3, day, 1.0, 3.0) == "[3/3] 2026-03-02: ok in 1.0s, done"


def test_run_days_prints_progress_for_each_day(capsys):
    class FakeDag:
        params = ParamsDict()  # what run_dag_test restores after each run
        tasks: list = []

        def test(self, logical_date, run_conf):
            ti = SimpleNamespace(task_id="t", state="success")
            return SimpleNamespace(state="success", get_task_instances=lambda: [ti])

    days = [dt.date(2026, 3, 1) + dt.timedelta(days=i) for i in range(3)]
    run_days(days, {}, dag=FakeDag())
    lines = capsys.readouterr().out.splitlines()
    assert [line.split(":")[0] for line in lines] == [
        "[1/3] 2026-03-01",
        "[2/3] 2026-03-02",
        "[3/3] 2026-03-03",
    ]
    assert "ETA" in lines[0] and lines[-1].endswith("done")


def test_run_days_reports_each_tasks_seconds_adding_up_mapped_instances():
    """`make bench` splits a backfill day into its tasks and Airflow's time between them."""

    class FakeDag:
        params = ParamsDict()  # what run_dag_test restores after each run
        tasks: list = []

        def test(self, logical_date, run_conf):
            tis = [
                SimpleNamespace(task_id="validate_run", state="success", duration=0.03),
                SimpleNamespace(task_id="generate_interactions", state="success", duration=0.5),
                SimpleNamespace(task_id="generate_interactions", state="success", duration=0.25),
            ]
            return SimpleNamespace(state="success", get_task_instances=lambda: tis)

    [(day, state, seconds, tasks)] = run_days([dt.date(2026, 3, 1)], {}, dag=FakeDag())
    assert (day, state) == (dt.date(2026, 3, 1), "success")
    assert tasks == {"validate_run": 0.03, "generate_interactions": 0.75}
    assert seconds >= 0
