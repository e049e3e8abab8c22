"""Issue #24: a regional outage starts, ramps up, is restored and decays in its region's local
hours; it does not switch at 00:00 UTC (before: a rectangle from 00:00 to 24:00 UTC, every hour
the normal curve x 4)."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from include.generator import calendar, geography
from include.generator.calendar import day_volume
from include.generator.customers import build_customer_base
from include.generator.interactions import day_context, generate_day
from include.generator.settings import BatchSettings
from include.storage.copy_format import to_frame

SEED = 42
VOLUME = 10_000


def _outage_across_utc_midnight() -> calendar.PlantedEvent:
    for i in range(400):
        for e in calendar.events_on(SEED, dt.date(2026, 1, 1) + dt.timedelta(days=i)):
            if e.kind == "Network outage" and e.started_at.date() < e.restored_at.date():
                return e
    raise AssertionError("no outage across 00:00 UTC in 400 days")


def _region_tech_hourly(reference, days: list[dt.date], division: int) -> pd.Series:
    frames = []
    for day in days:
        base = build_customer_base(SEED, BatchSettings(interactions_per_day=VOLUME).signups, day, reference)
        ctx = day_context(day, day_volume(day, VOLUME, SEED), SEED, base, reference, VOLUME)
        f = pd.concat([to_frame(b) for b in generate_day(ctx)])
        region = pd.Series(geography.STATE_DIVISION[base.state], index=base.customer_id)
        frames.append(f[f["customer_id"].map(region) == division])
    f = pd.concat(frames)
    tech = f[f["interaction_type_id"] == reference.interaction_type_ids["TECH_SUPPORT"]]
    return tech.groupby(tech["start_timestamp"].dt.floor("h")).size()


def test_a_regional_outage_ramps_up_and_recovers_without_a_jump_at_utc_midnight(reference):
    """Against the same hours a week before: the lift builds up, holds, decays, across 00:00 UTC."""
    event = _outage_across_utc_midnight()
    days = [event.started_at.date(), event.restored_at.date()]
    week = pd.Timedelta(days=7)
    hourly = _region_tech_hourly(reference, days, event.division)
    usual = _region_tech_hourly(reference, [d - dt.timedelta(days=7) for d in days], event.division)
    usual.index = usual.index + week

    def lift(first: pd.Timestamp, hours: int) -> float:
        span = pd.date_range(first, periods=hours, freq="h")
        return hourly.reindex(span, fill_value=0).sum() / max(usual.reindex(span, fill_value=0).sum(), 1)

    start = pd.Timestamp(event.started_at).floor("h")
    restored = pd.Timestamp(event.restored_at).floor("h")
    midnight = pd.Timestamp(days[1], tz="UTC")
    assert lift(start - pd.Timedelta(hours=3), 3) < 1.6  # nothing before the start
    assert lift(start + pd.Timedelta(hours=1), 4) > 2.5  # it builds up after the start (its hour)
    assert lift(restored + pd.Timedelta(hours=8), 4) < 1.6  # and decays after restoration
    # no jump at 00:00 UTC: the hours either side carry about the same lift
    before, after = lift(midnight - pd.Timedelta(hours=2), 2), lift(midnight, 2)
    assert 0.5 < before / after < 2, (before, after)
    strength = event.strength(days[0])
    assert strength.min() == 0 and strength.max() == 1
