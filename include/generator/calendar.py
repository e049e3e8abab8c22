"""The calendar of a day: holidays, seasonality, noise and planted events, per (seed, date).

Pure. `day_plan(day, seed)` says how big a day is relative to the requested average and
what it is made of (type mix, planted events); it depends on the seed and the date only, so
a day looks the same whichever days were generated before it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays
import numpy as np

from include.generator import geography, parameters
from include.generator.stable_random import FIELDS, normal, uniform

TYPES = tuple(parameters.INTERACTION_TYPES)
EVENT_KINDS = tuple(parameters.PLANTED_EVENTS)
INTERVALS_PER_DAY = 24 * 60 // parameters.INTERVAL_MINUTES
_MAX_EVENT_DAYS = max(e["duration_days"][1] for e in parameters.PLANTED_EVENTS.values())
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
    return parameters.HOLIDAY_VOLUME.get(name, parameters.HOLIDAY_VOLUME_MINOR)


def _is_major(day: dt.date) -> bool:
    return holiday_name(day) in parameters.HOLIDAY_VOLUME


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
    return holiday_name(day) in parameters.STORE_CLOSED_HOLIDAYS


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
    started_at: dt.datetime | None = None  # (timed events: the start, UTC)
    restored_at: dt.datetime | None = None  # (the restoration, UTC)
    onset_minutes: int = 0
    recovery_minutes: int = 0

    def strength(self, day: dt.date) -> np.ndarray:
        """Per UTC interval of `day`: 0..1, how much of the lift is in force (1 for an untimed event)."""
        if self.started_at is None:
            return np.ones(INTERVALS_PER_DAY)
        midnight = dt.datetime.combine(day, dt.time(0), dt.UTC)
        t = np.arange(INTERVALS_PER_DAY) * parameters.INTERVAL_MINUTES + parameters.INTERVAL_MINUTES / 2
        since = t - (self.started_at - midnight).total_seconds() / 60
        after = t - (self.restored_at - midnight).total_seconds() / 60
        onset = np.clip(since / self.onset_minutes, 0, 1)
        return np.where(after > 0, np.exp(-np.maximum(after, 0) / self.recovery_minutes), onset)

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
        if self.started_at is not None:
            parts.append(
                f"from {self.started_at:%Y-%m-%d %H:%M} UTC (ramping up over {self.onset_minutes} min) "
                f"to its restoration at {self.restored_at:%Y-%m-%d %H:%M} UTC (decaying over "
                f"~{self.recovery_minutes} min)"
            )
        return "; ".join(parts)


def _division_drawn(seed: int, kind_index: int, key: np.ndarray) -> int | None:
    """The census division a regional event starting on `key`'s date hits (None: national)."""
    if parameters.PLANTED_EVENTS[EVENT_KINDS[kind_index]]["scope"] != "division":
        return None
    division = int(np.searchsorted(np.cumsum(DIVISION_SHARE), uniform(seed, key, 1_200 + kind_index)[0]))
    return min(division, len(_DIVISIONS) - 1)


def _event_starting(seed: int, kind_index: int, start: dt.date) -> PlantedEvent | None:
    kind = EVENT_KINDS[kind_index]
    spec = parameters.PLANTED_EVENTS[kind]
    if start.toordinal() % spec["start_every_days"]:
        return None
    key = np.array([start.toordinal()], dtype=np.int64)
    if uniform(seed, key, 1_000 + kind_index)[0] >= spec["start_probability"]:
        return None
    low, high = spec["duration_days"]
    days = low + int(uniform(seed, key, 1_100 + kind_index)[0] * (high - low + 1))
    division = _division_drawn(seed, kind_index, key)
    if "onset_minutes" in spec:
        return _timed_event(seed, kind_index, start, days, division)
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


def _division_zone(division: int) -> str:
    """The main time zone of a census division (of its most populous state)."""
    states = geography.DIVISIONS[_DIVISIONS[division]].split()
    main = max(states, key=lambda st: geography.STATE_POPULATION_2020[st])
    return geography.TIME_ZONES[geography.STATE_ZONE[main]]


def _timed_event(seed: int, kind_index: int, start: dt.date, days: int, division: int | None) -> PlantedEvent:
    """An event with a start time (local to its region), an onset ramp, a restoration and a decay;
    its dates are the UTC days it touches."""
    kind = EVENT_KINDS[kind_index]
    spec = parameters.PLANTED_EVENTS[kind]
    key = np.array([start.toordinal()], dtype=np.int64)
    low, high = spec["start_local_hours"]
    minutes = int(
        (low + uniform(seed, key, FIELDS["event_start_minute"] + kind_index)[0] * (high - low)) * 60
    )
    zone = ZoneInfo(_division_zone(division) if division is not None else parameters.CENTER_TIME_ZONE)
    local = dt.datetime.combine(start, dt.time(0), zone) + dt.timedelta(minutes=minutes)
    started = local.astimezone(dt.UTC)
    restored = started + dt.timedelta(hours=days * spec["hours_per_day"])
    tail = restored + dt.timedelta(minutes=4 * spec["recovery_minutes"])
    return PlantedEvent(
        event_id=start.toordinal() * 10 + kind_index,
        kind=kind,
        start=started.date(),
        end=tail.date(),
        division=division,
        type_lift=dict(spec["type_lift"]),
        wait_multiplier=float(spec["wait_multiplier"]),
        csat_effect=float(spec["csat_effect"]),
        started_at=started,
        restored_at=restored,
        onset_minutes=int(spec["onset_minutes"]),
        recovery_minutes=int(spec["recovery_minutes"]),
    )


def lever_event(seed: int, kind: str, first: dt.date, last: dt.date) -> PlantedEvent:
    """An event a twin's date lever plants (include/generator/scenario.py): the calendar's kind
    on the chosen dates, its region and start time drawn as the calendar would draw them for an
    event of that kind starting on `first`; its id ends in 5 + the kind's index (the calendar's
    own end in the index), so both can be in the ledger."""
    k = EVENT_KINDS.index(kind)
    spec = parameters.PLANTED_EVENTS[kind]
    key = np.array([first.toordinal()], dtype=np.int64)
    days = (last - first).days + 1
    division = _division_drawn(seed, k, key)
    if "onset_minutes" in spec:
        event = _timed_event(seed, k, first, days, division)
    else:
        event = PlantedEvent(
            0, kind, first, last, division, dict(spec["type_lift"]),
            float(spec["wait_multiplier"]), float(spec["csat_effect"]),
        )  # fmt: skip
    return replace(event, event_id=first.toordinal() * 10 + 5 + k)


def lever_days(seed: int, extra_events: tuple) -> set[dt.date]:
    """The UTC days whose volume a twin's date levers can change: the days each event is in
    force, and the one after (the last local day of the west runs into the next UTC day)."""
    days = set()
    for e in (lever_event(seed, *x) for x in extra_events):
        days |= {e.start + dt.timedelta(days=k) for k in range((e.end - e.start).days + 2)}
    return days


@lru_cache(maxsize=1024)
def events_on(seed: int, day: dt.date, extra_events: tuple = ()) -> tuple[PlantedEvent, ...]:
    """The planted events in force on `day` (those that started within the longest duration),
    with those a twin's date levers plant (`extra_events`: (kind, first, last) each)."""
    found = [e for e in (lever_event(seed, *x) for x in extra_events) if e.start <= day <= e.end]
    for back in range(_MAX_EVENT_DAYS + 2):  # (+2: a timed event's UTC days run past its start date)
        start = day - dt.timedelta(days=back)
        for k in range(len(EVENT_KINDS)):
            event = _event_starting(seed, k, start)
            if event is not None and event.start <= day <= event.end:
                found.append(event)
    return tuple(sorted(found, key=lambda e: e.event_id))


def events_between(seed: int, first: dt.date, last: dt.date, extra_events: tuple = ()) -> list[PlantedEvent]:
    """Every planted event in force on some day of [first, last], once each."""
    seen: dict[int, PlantedEvent] = {}
    day = first
    while day <= last:
        for e in events_on(seed, day, extra_events):
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
    regional_profile: np.ndarray  # per UTC interval: when the regional event's contacts arrive (unnormalized)
    type_csat: np.ndarray  # per type: mean CSAT shift from national events (effect x share they caused)
    wait_multiplier: float
    holiday: str | None
    stores_closed: bool
    events: tuple[PlantedEvent, ...]
    extra_events: tuple = ()  # a twin's date levers' events (scenario.extra_events), for interval_mass


def _regional_extra(
    day: dt.date, regional: list[PlantedEvent], base_p: np.ndarray
) -> tuple[np.ndarray, int | None, float, np.ndarray]:
    """Contacts regional events add (per type, per contact of the day), their division, their
    CSAT effect and when they arrive (per UTC interval). A timed event counts for the part of
    its region's day it is in force (its strength over the region's local profile). Should two
    overlap, the first one's region wins and the lifts add."""
    extra = np.zeros(len(TYPES))
    division = None
    csat = 0.0
    region_profile = np.zeros(INTERVALS_PER_DAY)
    for e in regional:
        division = e.division if division is None else division
        weights = region_day_profile(day, division) * e.strength(day)
        region_profile += weights
        lift = np.array([e.type_lift.get(t, 1.0) for t in TYPES]) - 1.0
        extra += base_p * lift * DIVISION_SHARE[division] * weights.sum()
        csat = min(csat, e.csat_effect)
    return extra, division, csat, region_profile


@lru_cache(maxsize=1024)
def day_plan(day: dt.date, seed: int, extra_events: tuple = ()) -> DayPlan:
    base_p = np.array([parameters.INTERACTION_TYPES[t][0] for t in TYPES], dtype=float)
    base_p = base_p / base_p.sum()
    lift = np.ones(len(TYPES))
    if any(day.day - c in parameters.BILL_CYCLE_DAYS_AFTER for c in parameters.BILL_CYCLE_DAYS):
        lift *= np.array([parameters.BILL_CYCLE_TYPE_LIFT.get(t, 1.0) for t in TYPES])
    events = events_on(seed, day, extra_events)
    regional = [e for e in events if e.division is not None]
    type_csat = np.zeros(len(TYPES))
    for e in events:
        if e.division is None:
            event_lift = np.array([e.type_lift.get(t, 1.0) for t in TYPES])
            lift *= event_lift
            type_csat += e.csat_effect * (1.0 - 1.0 / event_lift)
    national_mass = float((base_p * lift).sum())
    type_p = base_p * lift / national_mass
    # Regional events add contacts from their division's customers (one region at a time).
    extra, division, csat, region_profile = _regional_extra(day, regional, base_p)
    extra_mass = float(extra.sum())
    noise = float(np.exp(parameters.DAILY_NOISE_SIGMA * normal(seed, np.array([day.toordinal()]), 1_300)[0]))
    factor = (
        parameters.WEEKDAY_VOLUME[day.weekday()]
        * parameters.MONTH_VOLUME[day.month - 1]
        * holiday_factor(day)
        * (parameters.POST_HOLIDAY_SURGE if is_post_holiday(day) else 1.0)
        * noise
        * (national_mass + extra_mass)
        * parameters.VOLUME_CALIBRATION
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
        regional_profile=region_profile,
        type_csat=type_csat,
        wait_multiplier=wait,
        holiday=holiday_name(day),
        stores_closed=stores_closed(day),
        events=events,
        extra_events=extra_events,
    )


def day_volume(
    day: dt.date, interactions_per_day: int, seed: int = parameters.DEFAULT_SEED, extra_events: tuple = ()
) -> int:
    """Rows for a UTC day: the requested average shaped by the calendar (at least 1): weekday,
    month, holidays, the surge after them, bill runs, planted events and noise, each of the
    local day each time zone lives in during the UTC day (interval_mass); `extra_events`: a
    twin's date levers' events."""
    return max(
        1, round(interactions_per_day * float(interval_mass(day, seed, extra_events=extra_events).sum()))
    )


# ------------------------------------------------------------------ local days in a UTC batch day


@lru_cache(maxsize=1)
def population_zone_share() -> np.ndarray:
    """Share of the population per time zone (2020 census, each state in its main zone)."""
    share = np.zeros(len(geography.TIME_ZONES))
    for state, population in geography.STATE_POPULATION_2020.items():
        share[geography.STATE_ZONE[state]] += population
    return share / share.sum()


@lru_cache(maxsize=16)
def local_profile(weekday: int) -> np.ndarray:
    """Share of a local day's contacts per local interval (weekends flatter)."""
    hourly = np.array(parameters.HOURLY_PROFILE, dtype=float)
    if weekday >= 5:
        hourly = (
            1 - parameters.WEEKEND_HOURLY_FLATTEN
        ) * hourly + parameters.WEEKEND_HOURLY_FLATTEN * hourly.mean()
    per = 60 // parameters.INTERVAL_MINUTES
    return np.repeat(hourly / hourly.sum() / per, per)


def store_hours(day: dt.date) -> tuple[int, int] | None:
    """A store's local opening hours on `day` (None: closed): holidays, published eve hours, the weekday's."""
    if stores_closed(day):
        return None
    return parameters.STORE_EVE_HOURS.get((day.month, day.day), parameters.STORE_HOURS[day.weekday()])


@lru_cache(maxsize=64)
def store_profile(day: dt.date) -> np.ndarray:
    """Store visits per local interval of `day`, relative to an ordinary day of its weekday
    (sums to 1 on an ordinary day, less on short eves, 0 when closed)."""
    hourly = np.array(parameters.HOURLY_PROFILE, dtype=float)
    opens, closes = parameters.STORE_HOURS[day.weekday()]
    usual = hourly[opens:closes].sum()
    hours = store_hours(day)
    open_now = np.zeros(24, dtype=bool)
    if hours is not None:
        open_now[hours[0] : hours[1]] = True
    per = 60 // parameters.INTERVAL_MINUTES
    return np.repeat(np.where(open_now, hourly, 0.0) / usual / per, per)


@lru_cache(maxsize=64)
def interval_mass(day: dt.date, seed: int, store: bool = False, extra_events: tuple = ()) -> np.ndarray:
    """(zones, UTC intervals of `day`) expected contacts per contact of an average day: each
    zone's population share x the volume factor of the zone's local day at that moment x the
    local day's profile (store visits: its store hours). A holiday starts at local midnight."""
    offsets = geography.utc_offsets(day) // 60 // parameters.INTERVAL_MINUTES
    j = np.arange(INTERVALS_PER_DAY)
    mass = np.zeros((len(offsets), INTERVALS_PER_DAY))
    for z, offset in enumerate(offsets):
        local = j + int(offset)
        shift = np.floor_divide(local, INTERVALS_PER_DAY)
        for back in np.unique(shift):
            local_day = day + dt.timedelta(days=int(back))
            rows = shift == back
            profile = store_profile(local_day) if store else local_profile(local_day.weekday())
            mass[z, rows] = (
                day_plan(local_day, seed, extra_events).volume_factor
                * profile[local[rows] % INTERVALS_PER_DAY]
            )
    return mass * population_zone_share()[:, None]


@lru_cache(maxsize=256)
def region_day_profile(day: dt.date, division: int) -> np.ndarray:
    """Per UTC interval of `day`: the share of an average local day's contacts the division's main
    time zone makes then (its local days' profiles; sums to about 1)."""
    zone = geography.TIME_ZONES.index(_division_zone(division))
    offset = int(geography.utc_offsets(day)[zone]) // 60 // parameters.INTERVAL_MINUTES
    local = np.arange(INTERVALS_PER_DAY) + offset
    shift = np.floor_divide(local, INTERVALS_PER_DAY)
    weekday = np.array([(day + dt.timedelta(days=int(k))).weekday() for k in shift])
    return np.array(
        [local_profile(int(w))[i % INTERVALS_PER_DAY] for w, i in zip(weekday, local, strict=True)]
    )
