"""What a day's contacts are about and where they happen, beyond the calendar's volume.

The calendar (calendar.py) says how big a day is and its type mix; this stage adjusts the
mix of the day's ordinary contacts for what announces account events (accounts.py) and for
holidays that change what people call about, keyed by the holiday names the calendar
exposes. Holidays are read on the batch day (the UTC date): see docs/customers-and-outcomes.md.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import numpy as np

from include.generator import parameters
from include.generator.calendar import DayPlan, holiday_name

TYPES = tuple(parameters.INTERACTION_TYPES)
CHANNELS = tuple(parameters.CHANNEL_MIX)
_CONFIGURED = np.array([parameters.INTERACTION_TYPES[t][0] for t in TYPES])
_CONFIGURED = _CONFIGURED / _CONFIGURED.sum()
CANCELLATION = TYPES.index("CANCELLATION")
#: Types whose announcing contacts come out of the day's ordinary ones (the mix stays as configured).
_ANNOUNCED_INSTEAD = tuple(TYPES.index(t) for t in ("PLAN_CHANGE", "BILLING", "PAYMENT"))
_LEAST_KEPT = 0.2  # an ordinary type keeps at least this share of its expected contacts


def days_after(day: dt.date, holiday: str, within: int) -> int | None:
    """Days since the last `holiday` (0: that day), if it was within `within` days."""
    for k in range(within + 1):
        if holiday_name(day - dt.timedelta(days=k)) == holiday:
            return k
    return None


def holiday_type_lift(day: dt.date) -> np.ndarray:
    """Per type: how the holiday season changes what people call about on `day`."""
    lift = np.ones(len(TYPES))
    k = days_after(day, "Christmas Day", max(parameters.CHRISTMAS_TYPE_LIFT))
    if k is not None and day.month == 12:
        for code, factor in parameters.CHRISTMAS_TYPE_LIFT[k].items():
            lift[TYPES.index(code)] *= factor
    return lift


def channel_lift(day: dt.date) -> np.ndarray:
    """Per channel: the holiday's factor on the day's channel mix (Black Friday fills the stores)."""
    lift = np.ones(len(CHANNELS))
    if holiday_name(day - dt.timedelta(days=1)) == "Thanksgiving Day":
        lift[CHANNELS.index("IN_STORE")] *= parameters.BLACK_FRIDAY_STORE_LIFT
    return lift


def day_mix(plan: DayPlan, n_rows: int, announced: np.ndarray) -> DayPlan:
    """The plan with the type mix of the day's ordinary draws: the holiday's lifts, then the
    contacts that announce account events taken out (`announced`: per type). Cancellation
    requests that do not end in churn are the saved ones (CANCELLATION_SAVE_RATE)."""
    expected = plan.type_p * holiday_type_lift(plan.day)
    expected = expected / expected.sum() * n_rows
    adjusted = expected.copy()
    for t in _ANNOUNCED_INSTEAD:
        adjusted[t] = max(expected[t] - announced[t], _LEAST_KEPT * expected[t])
    save = parameters.CANCELLATION_SAVE_RATE
    lift = plan.type_p[CANCELLATION] / _CONFIGURED[CANCELLATION]  # price changes lift it
    saved = announced[CANCELLATION] * save / (1 - save) * lift
    adjusted[CANCELLATION] = max(saved, _LEAST_KEPT * expected[CANCELLATION] / 4)  # small days keep a few
    if adjusted.sum() <= 0:
        return plan
    return dataclasses.replace(plan, type_p=adjusted / adjusted.sum())
