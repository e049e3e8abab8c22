"""Issue #24: the world runs on local time, the UTC day is only the batch (pure generator).

Before: on UTC Thanksgiving every zone's volume fell at 00:00 UTC (19:00 Eastern, 16:00
Pacific), and Pacific stores had no visit after 16:00 on the eve."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import pandas as pd

from include.generator import geography
from include.generator.calendar import day_volume
from include.generator.customers import build_customer_base
from include.generator.interactions import day_context, generate_day
from include.generator.settings import BatchSettings
from include.storage.copy_format import to_frame

SEED = 42
VOLUME = 10_000
EASTERN = geography.TIME_ZONES.index("America/New_York")
PACIFIC = geography.TIME_ZONES.index("America/Los_Angeles")


@lru_cache
def _utc_day(reference, day: dt.date) -> pd.DataFrame:
    base = build_customer_base(SEED, BatchSettings(interactions_per_day=VOLUME).signups, day, reference)
    ctx = day_context(day, day_volume(day, VOLUME, SEED), SEED, base, reference, VOLUME)
    f = pd.concat([to_frame(b) for b in generate_day(ctx)])
    f["zone"] = f["customer_id"].map(pd.Series(base.zone, index=base.customer_id))
    return f


def contacts(reference, zone: int, local_start: str, hours: int, store_id: int | None = None) -> int:
    """Contacts of a zone's customers in `hours` local hours from `local_start` (that zone's clock)."""
    name = geography.TIME_ZONES[zone]
    start = pd.Timestamp(local_start, tz=name).tz_convert("UTC")
    stop = start + pd.Timedelta(hours=hours)
    days = {start.date(), (stop - pd.Timedelta(seconds=1)).date()}
    f = pd.concat([_utc_day(reference, d) for d in sorted(days)])
    f = f[(f["zone"] == zone) & (f["start_timestamp"] >= start) & (f["start_timestamp"] < stop)]
    if store_id is not None:
        f = f[f["channel_id"] == store_id]
    return len(f)


def test_the_eve_of_thanksgiving_keeps_an_ordinary_evening_in_every_zone(reference):
    """Pacific Wednesday 16:00-20:00 falls in UTC Thanksgiving: it is an ordinary evening."""
    for zone in (EASTERN, PACIFIC):
        eve = contacts(reference, zone, "2025-11-26 16:00", 4)
        week_before = contacts(reference, zone, "2025-11-19 16:00", 4)
        assert eve > 0.75 * week_before, (zone, eve, week_before)


def test_thanksgiving_starts_at_each_zones_local_midnight(reference):
    for zone in (EASTERN, PACIFIC):
        holiday = contacts(reference, zone, "2025-11-27 09:00", 8)
        week_before = contacts(reference, zone, "2025-11-20 09:00", 8)
        assert holiday < 0.6 * week_before, (zone, holiday, week_before)


def test_stores_trade_into_the_evening_on_the_eve_and_close_on_the_day(reference):
    store = reference.channel_ids["IN_STORE"]
    eve = contacts(reference, PACIFIC, "2025-11-26 16:00", 4, store)
    week_before = contacts(reference, PACIFIC, "2025-11-19 16:00", 4, store)
    assert eve > 0.6 * week_before > 0
    assert contacts(reference, PACIFIC, "2025-11-27 00:00", 24, store) == 0
    assert contacts(reference, EASTERN, "2025-11-27 00:00", 24, store) == 0
    # published holiday hours: Christmas Eve closes at 18:00 local
    assert contacts(reference, EASTERN, "2025-12-24 18:00", 6, store) == 0
    assert contacts(reference, EASTERN, "2025-12-24 10:00", 8, store) > 0


def test_a_store_agents_customers_come_from_one_time_zone(reference):
    """Before: a store agent's day served customers of 5.9 states and 2.7 time zones on average."""
    f = _utc_day(reference, dt.date(2025, 11, 19))
    visits = f[(f["channel_id"] == reference.channel_ids["IN_STORE"]) & f["agent_id"].notna()]
    assert len(visits) > 200
    assert visits.groupby("agent_id")["zone"].nunique().max() == 1
