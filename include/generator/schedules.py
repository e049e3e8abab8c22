"""Published schedules: each site's shifts per local day, and what a UTC batch day needs of them.

Pure functions of (seed, interactions_per_day, date), no database:

* The forecast: per UTC day, 15-minute interval and queue, the contacts workforce management
  expects (the calendar without its noise or unplanned events, spread over the UTC day by the
  population's time zones, with an interval forecast error). It depends on the date only, so
  two batch days that need the same local day plan it alike.
* A local day's schedule at a site: every seat (rosters.Roster) has a contract and a fixed
  start in the site's local time; its holder is scheduled unless on their rotating days off; of those, the forecast's agents-needed curve picks who works (greedy over the day's
  intervals, the agents whose shift covers the interval and starts latest first); the others
  are not scheduled that day (voluntary time off). Then callouts (parameters.ABSENCE_RATE) leave
  some published shifts empty; an interval left with nobody where the forecast wanted someone
  gets an agent called in (one not scheduled; where a whole service group is still empty, one
  on the first of their days off: at most one overtime shift a week). Breaks follow the
  contract's shift length.
* A UTC batch day overlaps two or three local days of a site: `shifts_around` gathers their
  shifts in the batch's clock. Each shift is written once, by the batch day its UTC start falls
  in (shift_date is its local day), and every batch it overlaps serves contacts with it.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import numpy as np

from include.generator import parameters, rosters, workforce
from include.generator.calendar import day_plan, day_volume, interval_mass
from include.generator.reference import Reference
from include.generator.stable_random import FIELDS, normal, uniform

INTERVALS = workforce.INTERVALS
INTERVAL_US = workforce.INTERVAL_US
US_PER_DAY = workforce.US_PER_DAY
#: A batch day knows the shifts of this many UTC days from its own on (late replies fall there).
REPLY_HORIZON_DAYS = 3


def channel_weights(day: dt.date) -> np.ndarray:
    """The day's channel mix: the configured one, shifted at weekends. (Store visits follow each
    local day's store hours: calendar.interval_mass.)"""
    p = np.array(list(parameters.CHANNEL_MIX.values()), dtype=float)
    if day.weekday() >= 5:
        p *= np.array([parameters.WEEKEND_CHANNEL_LIFT.get(c, 1.0) for c in parameters.CHANNEL_MIX])
    return p / p.sum()


@lru_cache(maxsize=256)
def forecast(day: dt.date, interactions_per_day: int, seed: int) -> np.ndarray:
    """(queues, UTC intervals of `day`) contacts workforce management expects: the calendar's
    known factors (no noise, no unplanned outage) of each time zone's local day, per interval."""
    plan = day_plan(day, seed)
    share = workforce.queue_shares(
        plan.type_p, workforce.channel_given_type(plan.type_p, channel_weights(day))
    )
    known = plan.forecast_factor / plan.volume_factor  # (without the day's noise and regional events)
    everyone = interval_mass(day, seed).sum(axis=0)
    stores = interval_mass(day, seed, store=True).sum(axis=0)
    profiles = np.where((np.array(workforce.GROUPS) == "Store")[:, None], stores, everyone)
    expected = interactions_per_day * known * share[:, None] * profiles[workforce.queue_groups()]
    # The interval forecast misses by a few percent either way: some intervals end up
    # understaffed (longer waits, abandoned calls), others idle.
    keys = day.toordinal() * 10_000 + np.arange(expected.size).reshape(expected.shape)
    return expected * np.exp(parameters.INTERVAL_FORECAST_ERROR_SIGMA * normal(seed, keys, 1_600))


STORE_QUEUES = (workforce.queue_groups() == workforce.GROUPS.index("Store"))[:, None]


@lru_cache(maxsize=512)
def site_need(day: dt.date, interactions_per_day: int, seed: int, site: int, store: int = -1) -> np.ndarray:
    """(queues, UTC intervals of `day`) agents a place needs: Erlang C on its share of the
    forecast. The center takes all but the Store queues; the store of a time zone takes the
    Store queues' visits of that zone's customers."""
    sizes = np.array(rosters.site_sizes(day_volume(day, interactions_per_day, seed)), dtype=float)
    share = sizes[site] / sizes.sum() if site < len(sizes) else 0.0
    expected = forecast(day, interactions_per_day, seed) * share
    if store < 0:
        return np.where(STORE_QUEUES, 0, workforce.needed_agents(np.where(STORE_QUEUES, 0, expected)))
    visits = interval_mass(day, seed, store=True)
    zone = visits[store] / np.maximum(visits.sum(axis=0), 1e-12)
    pooled = workforce.pool_store_queues(np.where(STORE_QUEUES, expected * zone, 0))
    return np.where(STORE_QUEUES, workforce.needed_agents(pooled), 0)


def local_need(
    local_day: dt.date, interactions_per_day: int, seed: int, site: int, store: int = -1
) -> np.ndarray:
    """(queues, place-local intervals of `local_day`) agents needed, from the UTC days it overlaps."""
    ahead = rosters.site_offset_intervals(site, local_day, store)
    first = -ahead  # the local day's first interval, counted from its date's UTC midnight
    days = [local_day + dt.timedelta(days=k) for k in (-1, 0, 1)]
    span = np.concatenate([site_need(d, interactions_per_day, seed, site, store) for d in days], axis=1)
    return span[:, INTERVALS + first : 2 * INTERVALS + first]


def scheduled_need(
    need: np.ndarray, staffing: tuple | None, seed: int, place: int, local_day: dt.date
) -> np.ndarray:
    """(queues, intervals) agents to schedule: the forecast's need, x a twin's staffing factor per
    queue, rounded up or down at random in proportion (a stable draw per day, place, queue and
    interval), so a quiet interval of 2 agents gets a third 10 % of the time under staffing=1.10
    and the agents scheduled grow by the factor on average. The seats and absences drawn stay
    the same: the twin's extra agents are the next seats the schedule would have picked."""
    if staffing is None:
        return need
    wanted = need * np.array(staffing)[:, None]
    keys = (local_day.toordinal() * 1_000 + place) * 10_000 + np.arange(need.size).reshape(need.shape)
    up = uniform(seed, keys, FIELDS["twin_staffing_rounding"]) < wanted - np.floor(wanted)
    return (np.floor(wanted) + up).astype(need.dtype)


def seat_duty(roster: rosters.Roster, slots: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(shift length, meal (offset, length), rest breaks (seat, REST_BREAKS, 2)) per seat, in intervals.

    A break that does not exist has length 0 at the shift's end."""
    length = workforce.CONTRACT_INTERVALS[roster.contract[slots]]
    # Staggered by seat and by queue: the few agents of a quiet night do not break at once.
    stagger = ((roster.slot_number[slots] + 3 * roster.slot_queue[slots]) % 4).astype(np.int64)
    meal = np.zeros((len(slots), 2), dtype=np.int64)
    rest = np.zeros((len(slots), workforce.REST_BREAKS, 2), dtype=np.int64)
    meal[:, 0] = length
    rest[:, :, 0] = length[:, None]
    for shift_len, spec in parameters.SHIFT_BREAKS.items():
        rows = length == shift_len
        if spec["meal"] is not None:
            meal[rows, 0] = spec["meal"][0] + stagger[rows]
            meal[rows, 1] = spec["meal"][1]
        for b, (offset, size) in enumerate(spec["rest"]):
            rest[rows, b, 0] = offset + stagger[rows] % 3 - 1
            rest[rows, b, 1] = size
    return length, meal, rest


def on_duty_matrix(start: np.ndarray, length: np.ndarray, meal: np.ndarray, rest: np.ndarray) -> np.ndarray:
    """(seats, intervals) whether each seat's shift is on duty (not on a break) in each interval."""
    horizon = INTERVALS + int(workforce.CONTRACT_INTERVALS.max())
    t = np.arange(horizon)[None, :]
    rel = t - start[:, None]
    duty = (rel >= 0) & (rel < length[:, None])
    duty &= ~((rel >= meal[:, :1]) & (rel < meal[:, :1] + meal[:, 1:]))
    for b in range(rest.shape[1]):
        duty &= ~((rel >= rest[:, b, :1]) & (rel < rest[:, b, :1] + rest[:, b, 1:]))
    return duty


def pick_workers(need: np.ndarray, duty: np.ndarray, start: np.ndarray) -> np.ndarray:
    """Which available seats work: walking the day, each interval's shortfall is covered by
    seats on duty then, latest start first (they cover the most of what follows)."""
    chosen = np.zeros(len(start), dtype=bool)
    cover = np.zeros(duty.shape[1], dtype=np.int64)
    order = np.argsort(-start, kind="stable")
    for i in np.flatnonzero(need > 0):
        deficit = int(need[i] - cover[i])
        if deficit <= 0:
            continue
        candidates = order[duty[order, i] & ~chosen[order]][:deficit]
        chosen[candidates] = True
        cover += duty[candidates].sum(axis=0)
    return chosen


def staff_queue(need: np.ndarray, duty: np.ndarray, start: np.ndarray, absent: np.ndarray) -> np.ndarray:
    """Which of a queue's available seats work a day: the published schedule (pick_workers),
    less the callouts; an interval the callouts leave with nobody on duty gets a seat called in
    from those not scheduled (a queue is never left empty where the forecast wanted someone)."""
    published = pick_workers(need, duty, start)
    works = published & ~absent
    cover = duty[works].sum(axis=0)[: len(need)]
    gap = np.where((cover == 0) & (need > 0), 1, 0)
    if gap.any():
        spare = np.flatnonzero(~published & ~absent)
        works[spare] = pick_workers(gap, duty[spare], start[spare])
    return works


def overtime(
    need: np.ndarray,
    duty: np.ndarray,
    start: np.ndarray,
    queue: np.ndarray,
    works: np.ndarray,
    spare: np.ndarray,
) -> np.ndarray:
    """Seats called in on their first day off (at most one overtime shift a week) where a whole
    service group at the place still has nobody on duty though the forecast wanted someone."""
    called = np.zeros(len(start), dtype=bool)
    groups = workforce.queue_groups()
    for g in range(len(workforce.GROUPS)):
        members = np.isin(queue, np.flatnonzero(groups == g))
        wanted = need[groups == g].sum(axis=0) > 0
        gap = np.where(wanted & (duty[works & members].sum(axis=0)[: need.shape[1]] == 0), 1, 0)
        if gap.any():
            pool = np.flatnonzero(spare & members)
            called[pool] = pick_workers(gap, duty[pool], start[pool])
    return called


def place_seats(
    roster: rosters.Roster, site: int, store: int, local_day: dt.date
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(seats of the place whose holder is employed, whether it is their day off, whether it
    is the first of their days off)."""
    gen, employed = rosters.holders_on(roster, local_day)
    day_index = (local_day - parameters.EPOCH).days
    rotation = day_index // (7 * parameters.DAYS_OFF_ROTATION_WEEKS)
    first_off = (roster.off_weekday.astype(np.int64) + rotation) % 7
    into = (local_day.weekday() - first_off) % 7
    off = into < workforce.CONTRACT_DAYS_OFF[roster.contract]
    slots = np.flatnonzero((roster.site == site) & (roster.store == store) & employed)
    return slots, off[slots], (into == 0)[slots]


@lru_cache(maxsize=512)
def local_day_shifts(
    seed: int,
    interactions_per_day: int,
    reference: Reference,
    site: int,
    store: int,
    local_day: dt.date,
    staffing: tuple | None = None,
) -> workforce.Shifts:
    """A place's shifts of its local day, in microseconds since `local_day`'s UTC midnight.
    `staffing`: a twin's factor per queue on the agents scheduled (None: what the forecast asks)."""
    roster = rosters.build_roster(seed, interactions_per_day, reference, staffing)
    need = local_need(local_day, interactions_per_day, seed, site, store)
    need = scheduled_need(need, staffing, seed, site * 100 + store + 1, local_day)
    slots, day_off, first_off = place_seats(roster, site, store, local_day)
    start = roster.start_interval[slots].astype(np.int64)
    length, meal, rest = seat_duty(roster, slots)
    duty = on_duty_matrix(start, length, meal, rest)
    # Callouts: an absent agent's published shift stays empty (nobody replaces them the same day).
    absent = (
        uniform(seed, slots.astype(np.int64) * 100_000 + local_day.toordinal(), 1_506)
        < parameters.ABSENCE_RATE
    )
    works = np.zeros(len(slots), dtype=bool)
    queue = roster.slot_queue[slots]
    for q in range(len(workforce.QUEUES)):
        rows = np.flatnonzero((queue == q) & ~day_off)
        works[rows] = staff_queue(need[q], duty[rows], start[rows], absent[rows])
    works |= overtime(need, duty, start, queue, works, first_off & ~absent)
    slots, start, length, meal, rest = slots[works], start[works], length[works], meal[works], rest[works]
    gen = rosters.holders_on(roster, local_day)[0][slots]
    origin = -rosters.site_offset_intervals(site, local_day, store) * INTERVAL_US  # local midnight, in UTC
    at = origin + start * INTERVAL_US
    return workforce.Shifts(
        queue=roster.slot_queue[slots],
        agent_id=roster.agent_id[slots, gen],
        skill=roster.skill[slots, gen],
        start=at,
        end=at + length * INTERVAL_US,
        break_start=at + meal[:, 0] * INTERVAL_US,
        break_end=at + (meal[:, 0] + meal[:, 1]) * INTERVAL_US,
        rest_start=at[:, None] + rest[:, :, 0] * INTERVAL_US,
        rest_end=at[:, None] + (rest[:, :, 0] + rest[:, :, 1]) * INTERVAL_US,
        site=np.full(len(slots), site, dtype=np.int16),
        store=np.full(len(slots), store, dtype=np.int16),
        local_day=np.full(len(slots), local_day.toordinal(), dtype=np.int32),
        hire_day=roster.hire_day[slots, gen],
    )


def shifts_around(
    day: dt.date,
    seed: int,
    interactions_per_day: int,
    reference: Reference,
    sites: int,
    staffing: tuple | None = None,
) -> workforce.Shifts:
    """Every shift of the places of sites [0, sites) (centers and stores) that overlaps UTC
    [day, day + REPLY_HORIZON_DAYS), in the batch's clock (microseconds since `day`'s UTC
    midnight): the day's service and its late replies."""
    parts = []
    for site, store in rosters.places(sites):
        for back in range(-1, REPLY_HORIZON_DAYS):
            local = day + dt.timedelta(days=back)
            part = local_day_shifts(seed, interactions_per_day, reference, site, store, local, staffing)
            part = part.shifted(back * US_PER_DAY)
            keep = (part.end > 0) & (part.start < REPLY_HORIZON_DAYS * US_PER_DAY)
            parts.append(part.take(np.flatnonzero(keep)))
    return workforce.Shifts.concat(parts)
