"""Counterfactual twins (issue #29): a scenario's levers act through the model, and everything
they do not cause stays the same (common random numbers). No database: the pure generator."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from include.generator.customers import build_customer_base
from include.generator.interactions import day_context, generate_day
from include.generator.scenario import parse_scenario
from include.generator.settings import BatchSettings

DAY = dt.date(2026, 3, 4)  # a Wednesday
VOLUME = 3_000
PHONE = 1  # catalog.json's channel id


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("staffing", "is not lever=value"),
        ("staffing=", "is not lever=value"),
        ("bogus=1.1", "unknown lever 'bogus'"),
        ("staffing=lots", "is not a number"),
        ("staffing=3", "must be between 0.5 and 2"),
        ("aht=nan", "must be between 0.5 and 2"),
        ("aht=0.9,aht=0.8", "given twice"),
        ("outage=2026-02-30", "is not a date or a range of dates"),
        ("outage=1.1", "is not a date or a range of dates"),
        ("outage=2026-03-02..2026-03-03..2026-03-04", "is not a date or a range of dates"),
        ("outage=2026-03-05..2026-03-02", "must run forward over 1 to 7 days"),
        ("outage=2026-03-01..2026-03-09", "must run forward over 1 to 7 days"),
        ("price_change=2019-12-31", "must start on or after 2020-01-01"),
    ],
)
def test_a_bad_scenario_is_one_clear_line(text, message):
    with pytest.raises(ValueError, match=message) as raised:
        BatchSettings(scenario=text)
    assert "\n" not in str(raised.value)


def test_scenarios_are_kept_in_one_canonical_form():
    assert BatchSettings(scenario=" AHT=0.90 , staffing=1.1").scenario == "aht=0.9,staffing=1.1"
    assert BatchSettings(scenario="staffing=1.0").scenario == ""  # a lever at 1 changes nothing
    assert BatchSettings(scenario="staffing.voice=1.2").levers.staffing_factors()[0] == pytest.approx(1.2)
    assert parse_scenario("").is_baseline
    # A range that means what the single date means is written as the date (one world, one name).
    assert BatchSettings(scenario="outage=2026-03-02..2026-03-02").scenario == "outage=2026-03-02"
    assert BatchSettings(scenario="price_change=2026-03-02..2026-03-11").scenario == "price_change=2026-03-02"
    assert (
        BatchSettings(scenario="outage = 2026-03-02..2026-03-03").scenario == "outage=2026-03-02..2026-03-03"
    )


def _day(reference, scenario: str) -> dict[str, np.ndarray]:
    settings = BatchSettings(interactions_per_day=VOLUME, scenario=scenario)
    base = build_customer_base(settings.seed, settings.signups, DAY, reference)
    ctx = day_context(DAY, VOLUME, settings.seed, base, reference, VOLUME, settings.levers)
    blocks = list(generate_day(ctx))
    out = {k: np.concatenate([b[k] for b in blocks]) for k in blocks[0]}
    out["shift_hours"] = np.array([((ctx.shifts.end - ctx.shifts.start)[ctx.written]).sum() / 3.6e9])
    return out


def _arrivals(rows: dict) -> set:
    keys = ("customer_id", "start_us", "channel_id", "interaction_type_id")
    return set(zip(*(rows[k].tolist() for k in keys), strict=True))


def _phone(rows: dict) -> tuple[float, float]:
    """(ASA seconds, abandonment rate) of the day's phone calls that reached a queue."""
    calls = (rows["channel_id"] == PHONE) & (~rows["agent_null"] | rows["duration_null"])
    answered = calls & ~rows["duration_null"]
    return rows["queue_time_seconds"][answered].mean(), (calls & rows["duration_null"]).sum() / calls.sum()


@pytest.fixture(scope="module")
def baseline(reference) -> dict:
    return _day(reference, "")


def test_more_agents_shorten_waits_and_keep_the_arrivals(reference, baseline):
    twin = _day(reference, "staffing=1.10")
    same = len(_arrivals(baseline) & _arrivals(twin)) / len(baseline["customer_id"])
    assert same >= 0.95, same
    assert 1.05 < twin["shift_hours"][0] / baseline["shift_hours"][0] < 1.16
    (asa, abandoned), (twin_asa, twin_abandoned) = _phone(baseline), _phone(twin)
    assert twin_asa < asa and twin_abandoned < abandoned, (asa, twin_asa, abandoned, twin_abandoned)


def test_shorter_handle_times_free_the_same_agents(reference, baseline):
    twin = _day(reference, "aht=0.90")
    assert twin["shift_hours"][0] == baseline["shift_hours"][0]  # the same schedule
    served = ~baseline["duration_null"] & ~baseline["agent_null"]
    twin_served = ~twin["duration_null"] & ~twin["agent_null"]
    work = baseline["duration_seconds"][served].sum()
    assert twin["duration_seconds"][twin_served].sum() < 0.95 * work  # less busy time: lower occupancy
    assert _phone(twin)[0] < _phone(baseline)[0]
    same = len(_arrivals(baseline) & _arrivals(twin)) / len(baseline["customer_id"])
    assert same >= 0.95, same


def test_a_service_groups_staffing_lever_staffs_that_group_only(reference):
    from include.generator import rosters, workforce

    plain = rosters.build_roster(42, VOLUME, reference)
    voice = rosters.build_roster(
        42, VOLUME, reference, parse_scenario("staffing.voice=1.2").staffing_factors()
    )
    groups = workforce.queue_groups()
    for g, name in enumerate(workforce.GROUPS):
        before = int(np.isin(plain.slot_queue, np.flatnonzero(groups == g)).sum())
        after = int(np.isin(voice.slot_queue, np.flatnonzero(groups == g)).sum())
        assert after >= before * 1.2 if name == "Voice" else after == before, (name, before, after)
    # The existing seats keep their rows (what is drawn per row: absences) and their agents.
    kept = len(plain.slot_queue)
    for column in ("slot_queue", "slot_number", "agent_id", "start_interval", "off_weekday", "skill"):
        assert (getattr(voice, column)[:kept] == getattr(plain, column)).all(), column
