"""Counterfactual twins through the real DAG and Postgres (issue #29): the scenario param, the
scenario recorded beside the seed and another refused, `cca compare`, `cca twins`' input."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from devtools.database import connect
from tests.support import pointing_at, run_cca, run_dag, run_days_successfully

DAY = dt.date(2020, 2, 5)  # early: a small customer base; a Wednesday
CONF = {"interactions_per_day": 3_000, "export": False}
TWIN = {**CONF, "scenario": "staffing=1.10"}
_VOICE = (
    "SELECT sum(answer_wait_seconds)::float / sum(handled), sum(abandoned)::float / sum(offered) "
    "FROM analytics.interval_queue_summary JOIN service_queues USING (queue_id) WHERE service_group = 'Voice'"
)


@pytest.fixture(scope="module")
def worlds(make_database, pipeline_dag) -> tuple[str, str]:
    """A baseline and its staffing +10 % twin of one day, each in its own database."""
    baseline = run_days_successfully(pipeline_dag, make_database(), [DAY], CONF)
    return baseline, run_days_successfully(pipeline_dag, make_database(), [DAY], TWIN)


def test_a_twin_records_its_scenario_and_staffs_more(worlds):
    baseline, twin = worlds
    recorded, voice = [], []
    for url in worlds:
        with connect(url) as conn:
            recorded.append(
                conn.execute("SELECT scenario, levers, description FROM world_scenario").fetchone()
            )
            voice.append(conn.execute(_VOICE).fetchone())
    assert recorded == [
        ("", {}, "today's world: no lever changed"),
        ("staffing=1.1", {"staffing": 1.1}, "staffing=1.1: scheduled agents x factor (every queue)"),
    ]
    (asa, abandoned), (twin_asa, twin_abandoned) = voice
    assert twin_asa < asa and twin_abandoned < abandoned, voice


def test_a_run_with_another_scenario_is_refused_with_one_line(worlds, pipeline_dag):
    baseline, _ = worlds
    with pointing_at(baseline):
        done = run_cca("backfill", str(DAY), str(DAY), "--scenario", "staffing=1.10")
        state, tasks = run_dag(pipeline_dag, DAY + dt.timedelta(days=1), TWIN)
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert done.returncode == 2 and len(lines) == 1, done.stderr
    assert "built with scenario='' (today's world), not 'staffing=1.1'" in lines[0]
    assert state == "failed" and tasks["extend_customer_base"] == "failed", tasks
    with connect(baseline) as conn:
        assert conn.execute("SELECT count(*) FROM interaction_batches").fetchone()[0] == 1


def test_compare_prints_paired_kpis_and_the_identical_arrivals(worlds):
    done = run_cca("compare", *worlds, str(DAY), str(DAY), timeout=120)
    assert done.returncode == 0, done.stderr
    out = done.stdout
    for kpi in ("ASA (s)", "abandonment (%)", "service level (%)", "AHT (s)", "occupancy (%)", "CSAT (%)"):
        assert re.search(rf"^{re.escape(kpi)}\s+all\s", out, re.M), out
    assert re.search(r"^contacts\s+Phone\s", out, re.M) and re.search(r"^ASA \(s\)\s+Voice\s", out, re.M)
    assert "scenario 'staffing=1.1'" in out
    share = float(re.search(r"identical in the twin \(([\d.]+) %\)", out).group(1))
    assert share >= 95, out
    assert "Only in the baseline:" in out and "Only in the twin:" in out and "Erlang C: " in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["compare", "postgresql://u:s3cretpw@127.0.0.1:9/a", "postgresql://u:s3cretpw@127.0.0.1:9/b",
          "2026-03-01", "2026-03-02"], "cannot connect to PostgreSQL at u@127.0.0.1:9/a"),
        (["twins", "2026-03-01", "2026-03-02", "--scenarios", "staffing=1.1;staffing=1.10"], "repeats"),
        (["twins", "2026-03-01", "2026-03-02", "--scenarios", "aht=3"], "aht must be between"),
        (["backfill", "2026-03-01", "2026-03-02", "--scenario", "pay=2"], "unknown lever 'pay'"),
    ],
)  # fmt: skip
def test_bad_twin_input_is_one_line_without_a_password(args, message):
    done = run_cca(*args, timeout=120)
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert done.returncode == 2 and len(lines) == 1 and message in lines[0], done.stderr
    assert "s3cretpw" not in done.stderr + done.stdout


def test_the_paired_difference_has_a_t_interval_over_days():
    from devtools.compare import paired_interval, t_quantile

    mean, low, high = paired_interval([1.0, 2.0, 3.0])  # sd 1, t(2) = 4.303
    assert (
        mean == 2 and low == pytest.approx(2 - 4.303 / 3**0.5) and high == pytest.approx(2 + 4.303 / 3**0.5)
    )
    assert t_quantile(30) == pytest.approx(2.042, abs=0.002) and t_quantile(5) == pytest.approx(
        2.571, abs=0.01
    )


def test_each_twin_gets_a_database_and_a_lake_named_after_its_scenario():
    from devtools.twins import parse_scenarios, twin_database_name, twin_lake_url

    assert parse_scenarios(" staffing=1.10 ; AHT=0.9;") == ["staffing=1.1", "aht=0.9"]
    assert (
        twin_database_name("customer_care", "aht=0.9,staffing=1.1")
        == "customer_care_twin_aht_0_9_staffing_1_1"
    )
    assert len(twin_database_name("x" * 60, "aht=0.9")) == 63
    assert twin_lake_url("file:///d/lake/", "cc_twin_aht_0_9") == "file:///d/lake_cc_twin_aht_0_9"


def test_the_erlang_c_service_level_meets_the_target_at_the_servers_erlang_c_asks_for():
    import numpy as np

    from devtools.compare import erlang_c_service_level
    from include.generator.workforce import erlang_c_servers

    offered, aht, target = np.array([10.0, 50, 100, 200]), np.full(4, 400.0), np.full(4, 20.0)
    servers = erlang_c_servers(offered, aht, np.array(0.8), np.array(20.0)).astype(float)
    assert (erlang_c_service_level(offered, aht, servers, target) >= 0.8).all()
    assert (erlang_c_service_level(offered, aht, servers - 1, target) < 0.8).all()
    assert (
        erlang_c_service_level(np.array([100.0]), np.array([400.0]), np.array([40.0]), np.array([20.0]))[0]
        == 0
    )


def test_the_erlang_c_line_counts_intervals_that_moved_the_way_it_says():
    from devtools.compare import erlang_line

    # (interval, queue, offered, within target, handled, handle s, agent s, target s)
    base = [(k, 0, 100, 70, 95, 95 * 400, 50 * 900, 20) for k in range(4)]
    twin = [(k, 0, 100, (80, 80, 70, 60)[k], 97, 97 * 400, 55 * 900, 20) for k in range(4)]
    line = erlang_line(base, twin)
    assert "moved the same way in 2, stayed in 1 " in line and line.endswith(
        "other way in 1: 75.0 % not against Erlang C"
    )
    assert "no voice interval" in erlang_line(base[:0], twin)


def test_make_passes_scenario_and_scenarios_as_typed():
    import subprocess

    from include.config import PROJECT_ROOT

    def make(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            ["make", "-s", *args], capture_output=True, text=True, cwd=PROJECT_ROOT, timeout=120
        )

    bad = make("backfill", "START=2026-03-01", "END=2026-03-01", "SCENARIO=bogus=1,$(shell touch /tmp/x)")
    assert bad.returncode != 0 and "error: scenario: " in bad.stderr and "unknown lever 'bogus'" in bad.stderr
    usage = make("twins", "START=2026-03-01", "END=2026-03-01")
    assert (
        usage.returncode != 0
        and "usage: make twins START=YYYY-MM-DD END=YYYY-MM-DD SCENARIOS=" in usage.stderr
    )


def test_compare_refuses_worlds_that_are_not_twins():
    from devtools.compare import refuse_non_twins

    day, other = dt.date(2026, 3, 2), dt.date(2026, 3, 3)
    refuse_non_twins({"batches": {day: (42, 3_000)}}, {"batches": {day: (42, 3_000)}})
    with pytest.raises(ValueError, match="not twins: on 2026-03-02 the baseline has seed 42 and 3,000"):
        refuse_non_twins({"batches": {day: (42, 3_000)}}, {"batches": {day: (42, 2_000)}})
    with pytest.raises(ValueError, match="2026-03-03 is loaded in the twin only"):
        refuse_non_twins({"batches": {day: (42, 3_000)}}, {"batches": {day: (42, 3_000), other: (42, 1)}})


def test_compare_takes_an_event_twins_other_volume_on_the_events_days_only():
    from devtools.compare import refuse_non_twins

    day, week_later = dt.date(2026, 3, 4), dt.date(2026, 3, 11)
    base = {"batches": {day: (42, 3_000), week_later: (42, 3_000)}}
    twin = {"scenario": "outage=2026-03-04", "batches": {day: (42, 3_300), week_later: (42, 3_000)}}
    refuse_non_twins(base, twin)  # the outage's own day: more contacts, the lever's doing
    with pytest.raises(ValueError, match="not twins: on 2026-03-11"):
        refuse_non_twins(base, {**twin, "batches": {day: (42, 3_300), week_later: (42, 3_100)}})
    with pytest.raises(ValueError, match="not twins: on 2026-03-04 the baseline has seed 42"):
        refuse_non_twins(base, {**twin, "batches": {day: (7, 3_300), week_later: (42, 3_000)}})
