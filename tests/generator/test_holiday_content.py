"""Issue #24: holidays change what people call about, not only how many call (pure generator).

Christmas Day is a carrier's biggest activation day (device support surges); Black Friday
fills the phone shops. Days of 2025 at 20,000 contacts a day, seed 42."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import numpy as np

from include.generator import content
from include.generator.calendar import day_volume
from include.generator.customers import build_customer_base
from include.generator.interactions import day_context, generate_day
from include.generator.settings import BatchSettings

SEED = 42
VOLUME = 20_000
CHRISTMAS, ORDINARY_THURSDAY = dt.date(2025, 12, 25), dt.date(2025, 12, 11)
BLACK_FRIDAY, ORDINARY_FRIDAY = dt.date(2025, 11, 28), dt.date(2025, 12, 5)


@lru_cache
def _columns(reference, day: dt.date) -> tuple[np.ndarray, np.ndarray]:
    """(interaction type ids, channel ids) of the day's contacts."""
    base = build_customer_base(SEED, BatchSettings(interactions_per_day=VOLUME).signups, day, reference)
    ctx = day_context(day, day_volume(day, VOLUME, SEED), SEED, base, reference, VOLUME)
    blocks = list(generate_day(ctx))
    return (
        np.concatenate([b["interaction_type_id"] for b in blocks]),
        np.concatenate([b["channel_id"] for b in blocks]),
    )


def test_christmas_device_support_share_is_at_least_twice_an_ordinary_thursdays(reference):
    device = reference.interaction_type_ids["DEVICE_SUPPORT"]
    christmas = (_columns(reference, CHRISTMAS)[0] == device).mean()
    thursday = (_columns(reference, ORDINARY_THURSDAY)[0] == device).mean()
    assert christmas >= 2 * thursday, (christmas, thursday)


def test_the_surge_fades_over_the_days_after_christmas():
    lifts = [content.holiday_type_lift(CHRISTMAS + dt.timedelta(days=k)) for k in range(9)]
    device = content.TYPES.index("DEVICE_SUPPORT")
    assert [round(x[device], 2) for x in lifts] == sorted((round(x[device], 2) for x in lifts), reverse=True)
    assert lifts[-1][device] == 1.0


def test_black_friday_store_visits_are_at_least_13_tenths_of_an_ordinary_fridays(reference):
    store = reference.channel_ids["IN_STORE"]
    black_friday = (_columns(reference, BLACK_FRIDAY)[1] == store).sum()
    friday = (_columns(reference, ORDINARY_FRIDAY)[1] == store).sum()
    assert black_friday >= 1.3 * friday, (black_friday, friday)
