"""The calendar of a day: holidays, seasonality, noise and planted events, per (seed, date).

Pure. `day_plan(day, seed)` says how big a day is relative to the requested average and
what it is made of (type mix, planted events); it depends on the seed and the date only, so
a day looks the same whichever days were generated before it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

import holidays
import numpy as np

from include.generator import config, geography
from include.generator.stable_random import normal, uniform

TYPES = tuple(config.INTERACTION_TYPES)
EVENT_KINDS = tuple(config.PLANTED_EVENTS)
_MAX_EVENT_DAYS = max(e["duration_days"][1] for e in config.PLANTED_EVENTS.values())
_DIVISIONS = tuple(geography.DIVISIONS)
_POPULATION = np.array(list(geography.STATE_POPULATION_2020.values()), dtype=float)
#: Share of the population (hence, roughly, of the contacts) living in each census division.
DIVISION_SHARE = (
    np.array([_POPULATION[geography.STATE_DIVISION == i].sum() for i in range(len(_DIVISIONS))])
    / _POPULATION.sum()
)


@lru_cache(maxsize=64)
def us_holidays(year: int) -> dict[dt.date, str]:
    """US public holidays of a year (observed dates included), from the `holidays` package."""
    return dict(holidays.US(years=year, categories=("public",)))


def holiday_name(day: dt.date) -> str | None:
    name = us_holidays(day.year).get(day)
    return name.replace(" (observed)", "") if name else None


def holiday_factor(day: dt.date) -> float:
    name = holiday_name(day)
    if name is None:
        return 1.0
    return config.HOLIDAY_VOLUME.get(name, config.HOLIDAY_VOLUME_MINOR)


def _is_major(day: dt.date) -> bool:
    return holiday_name(day) in config.HOLIDAY_VOLUME


def _is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and holiday_name(day) is None


def is_post_holiday(day: dt.date) -> bool:
    """The first working day after a major holiday (looking back over the closed days between)."""
    if not _is_working_day(day):
        return False
    previous = day - dt.timedelta(days=1)
    while not _is_working_day(previous):
        if _is_major(previous):
            return True
        previous -= dt.timedelta(days=1)
    return False


def stores_closed(day: dt.date) -> bool:
    return holiday_name(day) in config.STORE_CLOSED_HOLIDAYS


@dataclass(frozen=True)
class PlantedEvent:
    """One planted event: written to the planted_events ledger, applied to the days it covers."""

    event_id: int
    kind: str
    start: dt.date
    end: dt.date  # inclusive
    division: int | None  # index into geography.DIVISIONS; None: national
    type_lift: dict[str, float]
    wait_multiplier: float
    csat_effect: float

    @property
    def scope(self) -> str:
        return "National" if self.division is None else f"Census division: {_DIVISIONS[self.division]}"

    @property
    def states(self) -> tuple[str, ...]:
        if self.division is None:
            return ()
        return tuple(geography.DIVISIONS[_DIVISIONS[self.division]].split())

    @property
    def intended_effect(self) -> str:
        lifts = ", ".join(f"{t} x{m:g}" for t, m in self.type_lift.items())
        where = "in its region" if self.division is not None else "nationally"
        parts = [f"contacts {lifts} {where}"]
        if self.wait_multiplier != 1.0:
            parts.append(f"waits x{self.wait_multiplier:g}")
        if self.csat_effect:
            parts.append(f"CSAT {self.csat_effect:+g} on the contacts it causes")
        return "; ".join(parts)


def _event_starting(seed: int, kind_index: int, start: dt.date) -> PlantedEvent | None:
    kind = EVENT_KINDS[kind_index]
    spec = config.PLANTED_EVENTS[kind]
    if start.toordinal() % spec["start_every_days"]:
        return None
    key = np.array([start.toordinal()], dtype=np.int64)
    if uniform(seed, key, 1_000 + kind_index)[0] >= spec["start_probability"]:
        return None
    low, high = spec["duration_days"]
    days = low + int(uniform(seed, key, 1_100 + kind_index)[0] * (high - low + 1))
    division = None
    if spec["scope"] == "division":
        division = int(np.searchsorted(np.cumsum(DIVISION_SHARE), uniform(seed, key, 1_200 + kind_index)[0]))
        division = min(division, len(_DIVISIONS) - 1)
    return PlantedEvent(
        event_id=start.toordinal() * 10 + kind_index,
        kind=kind,
        start=start,
        end=start + dt.timedelta(days=days - 1),
        division=division,
        type_lift=dict(spec["type_lift"]),
        wait_multiplier=float(spec["wait_multiplier"]),
        csat_effect=float(spec["csat_effect"]),
    )


@lru_cache(maxsize=1024)
def events_on(seed: int, day: dt.date) -> tuple[PlantedEvent, ...]:
    """The planted events in force on `day` (those that started within the longest duration)."""
    found = []
    for back in range(_MAX_EVENT_DAYS):
        start = day - dt.timedelta(days=back)
        for k in range(len(EVENT_KINDS)):
            event = _event_starting(seed, k, start)
            if event is not None and event.end >= day:
                found.append(event)
    return tuple(sorted(found, key=lambda e: e.event_id))


def events_between(seed: int, first: dt.date, last: dt.date) -> list[PlantedEvent]:
    """Every planted event in force on some day of [first, last], once each."""
    seen: dict[int, PlantedEvent] = {}
    day = first
    while day <= last:
        for e in events_on(seed, day):
            seen[e.event_id] = e
        day += dt.timedelta(days=1)
    return sorted(seen.values(), key=lambda e: e.event_id)


@dataclass(frozen=True)
class DayPlan:
    """What shapes a day besides its customers: size, type mix, planted events."""

    day: dt.date
    volume_factor: float  # rows = requested average x this
    forecast_factor: float  # what workforce management expected: no noise, no regional outage
    type_p: np.ndarray  # national type mix of ordinary contacts (sums to 1)
    regional_share: float  # share of the day's rows caused by a regional event
    regional_division: int | None  # its census division
    regional_type_p: np.ndarray  # type mix of those rows
    regional_csat_effect: float
    type_csat: np.ndarray  # per type: mean CSAT shift from national events (effect x share they caused)
    wait_multiplier: float
    holiday: str | None
    stores_closed: bool
    events: tuple[PlantedEvent, ...]


@lru_cache(maxsize=1024)
def day_plan(day: dt.date, seed: int) -> DayPlan:
    base_p = np.array([config.INTERACTION_TYPES[t][0] for t in TYPES], dtype=float)
    base_p = base_p / base_p.sum()
    lift = np.ones(len(TYPES))
    if any(day.day - c in config.BILL_CYCLE_DAYS_AFTER for c in config.BILL_CYCLE_DAYS):
        lift *= np.array([config.BILL_CYCLE_TYPE_LIFT.get(t, 1.0) for t in TYPES])
    events = events_on(seed, day)
    regional = [e for e in events if e.division is not None]
    type_csat = np.zeros(len(TYPES))
    for e in events:
        if e.division is None:
            event_lift = np.array([e.type_lift.get(t, 1.0) for t in TYPES])
            lift *= event_lift
            type_csat += e.csat_effect * (1.0 - 1.0 / event_lift)
    national_mass = float((base_p * lift).sum())
    type_p = base_p * lift / national_mass
    # Regional events add contacts from their division's customers (one region at a time:
    # should two overlap, the first one's region wins and the lifts multiply).
    extra = np.zeros(len(TYPES))
    division = None
    csat = 0.0
    for e in regional:
        division = e.division if division is None else division
        extra += (
            base_p * (np.array([e.type_lift.get(t, 1.0) for t in TYPES]) - 1.0) * DIVISION_SHARE[division]
        )
        csat = min(csat, e.csat_effect)
    extra_mass = float(extra.sum())
    noise = float(np.exp(config.DAILY_NOISE_SIGMA * normal(seed, np.array([day.toordinal()]), 1_300)[0]))
    factor = (
        config.WEEKDAY_VOLUME[day.weekday()]
        * config.MONTH_VOLUME[day.month - 1]
        * holiday_factor(day)
        * (config.POST_HOLIDAY_SURGE if is_post_holiday(day) else 1.0)
        * noise
        * (national_mass + extra_mass)
        * config.VOLUME_CALIBRATION
    )
    wait = 1.0
    for e in events:
        wait *= e.wait_multiplier
    return DayPlan(
        day=day,
        volume_factor=factor,
        forecast_factor=factor / noise * national_mass / (national_mass + extra_mass),
        type_p=type_p,
        regional_share=extra_mass / (national_mass + extra_mass),
        regional_division=division,
        regional_type_p=extra / extra_mass if extra_mass > 0 else type_p,
        regional_csat_effect=csat,
        type_csat=type_csat,
        wait_multiplier=wait,
        holiday=holiday_name(day),
        stores_closed=stores_closed(day),
        events=events,
    )


def day_volume(day: dt.date, interactions_per_day: int, seed: int = config.DEFAULT_SEED) -> int:
    """Rows for a day: the requested average shaped by the calendar of (seed, day) (at least 1):
    weekday, month, holidays, the surge after them, bill runs, planted events and noise."""
    return max(1, round(interactions_per_day * day_plan(day, seed).volume_factor))
