"""What every block of a day shares (DayContext) and the pieces it is built from.

The day's pool of customers who may contact us and their weights, its calendar and arrival
curves, its shifts and who is on duty: computed once per day (interactions.day_context), read
by every block (include/generator/arrivals.py, interactions.py).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import numpy as np

from include.generator import content, parameters, rosters, schedules, workforce
from include.generator.calendar import DayPlan, interval_mass
from include.generator.outcomes import CHANNELS, TYPES
from include.generator.reference import Reference
from include.generator.scenario import BASELINE, Scenario

PG_EPOCH = dt.date(2000, 1, 1)
US_PER_DAY = 86_400_000_000
US_PER_HOUR = 3_600_000_000
IN_STORE = CHANNELS.index("IN_STORE")
STORE_GROUP = workforce.GROUPS.index("Store")
DEPARTMENTS = workforce.DEPARTMENTS


def first_id(day: dt.date) -> int:
    """yyyymmdd * 10^9: a day's interaction ids count up from here (SQL: interaction_days.first_id)."""
    return int(day.strftime("%Y%m%d")) * 1_000_000_000


def block_sizes(n_rows: int) -> list[int]:
    """Rows per block (BLOCK_SIZE each, the last one the rest): also the day's sites."""
    return rosters.site_sizes(n_rows) if n_rows > 0 else []


def hourly_weights(day: dt.date) -> np.ndarray:
    """Share of a customer's contacts per local hour of the day."""
    w = np.array(parameters.HOURLY_PROFILE, dtype=float)
    if day.weekday() >= 5:
        w = (1 - parameters.WEEKEND_HOURLY_FLATTEN) * w + parameters.WEEKEND_HOURLY_FLATTEN * w.mean()
    return w / w.sum()


def channel_weights(plan: DayPlan) -> np.ndarray:
    """The day's channel mix: the configured one, shifted at weekends and on holidays (content)."""
    p = schedules.channel_weights(plan.day) * content.channel_lift(plan.day)
    return p / p.sum()


@dataclass(frozen=True)
class DayContext:
    """What every block of a day shares: the customers who may contact us, the day's shifts."""

    day: dt.date
    seed: int
    n_rows: int
    pool_ids: np.ndarray
    pool_cdf: np.ndarray
    reference: Reference
    type_department: np.ndarray  # type index -> department index
    plan: DayPlan  # the calendar: type mix, planted events
    pool_zone: np.ndarray  # time zone of each pool member (index into geography.TIME_ZONES)
    pool_language: np.ndarray  # preferred language of each pool member
    region_index: np.ndarray  # pool members in the division of the day's regional event
    region_cdf: np.ndarray
    utc_load: np.ndarray  # expected arrivals per UTC hour relative to the day's mean (1.0)
    # per zone, laid end to end (zone z's row shifted by z): cumulative share of the zone's
    # contacts (store visits) per UTC interval of the day; and the share of store visits kept
    time_cdf: np.ndarray
    store_time_cdf: np.ndarray
    store_keep: np.ndarray
    regional_time_cdf: np.ndarray | None  # cumulative share of the regional event's contacts per interval
    center_offset_us: int  # the contact center's time zone, microseconds ahead of UTC
    channel_cdf: np.ndarray  # cumulative P(channel | type) per type, + type index, flattened
    no_store_cdf: np.ndarray  # the same without the store (a customer whose store is closed)
    shifts: workforce.Shifts  # every shift overlapping this UTC day or the next (late replies)
    serving: np.ndarray  # indexes of the shifts overlapping this UTC day (they serve its contacts)
    written: np.ndarray  # indexes of the shifts starting this UTC day (agent_shifts rows it writes)
    forecast: np.ndarray  # (queues, intervals) contacts workforce management expected
    needed: np.ndarray  # (queues, intervals) agents the forecast asked for (all sites)
    # (queue, interval) -> shifts on duty (CSR: counts, offsets, shifts), and the next staffed interval
    on_duty: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]
    # per block: (slots, pool indices, types) of the contacts announcing account events (accounts.py)
    planted_accounts: dict[int, tuple[np.ndarray, np.ndarray, np.ndarray]]
    # per block: (slots, pool indices, types) of the first contacts of later repeats, and of
    # the repeats of earlier days' contacts (include/generator/repeats.py)
    planted_sources: dict[int, tuple[np.ndarray, np.ndarray, np.ndarray]]
    planted_repeats: dict[int, tuple[np.ndarray, np.ndarray, np.ndarray]]
    scenario: Scenario = BASELINE  # a twin's levers (include/generator/scenario.py)


def lookup(mapping: dict, keys: tuple, dtype: type = float, default: float = 0) -> np.ndarray:
    """mapping's value per key of `keys` (a channel or type tuple), as an array indexed like it."""
    return np.array([mapping.get(k, default) for k in keys], dtype=dtype)


def unit_channel_given_type(plan: DayPlan) -> np.ndarray:
    """P(channel | type) of the contacts customers start: a bot session that hands off makes
    two rows (the bot's, the human's), so bot channels are drawn less often and the day's rows
    keep the configured channel mix."""
    rows = workforce.channel_given_type(plan.type_p, channel_weights(plan))
    units = rows / workforce.rows_per_contact()[None, :]
    return units / units.sum(axis=1, keepdims=True)


def on_duty_table(shifts: workforce.Shifts, reply_ok: np.ndarray) -> tuple[np.ndarray, ...]:
    """Per (queue, interval of the reply horizon): the shifts on duty the whole interval (not on
    a break) that may reply, as CSR, and the next interval with such a shift (n_int when none)."""
    n_int = schedules.REPLY_HORIZON_DAYS * workforce.INTERVALS
    s, i = np.nonzero(workforce.on_duty_intervals(shifts, n_int) & reply_ok[:, None])
    key = shifts.queue[s].astype(np.int64) * n_int + i
    order = np.argsort(key, kind="stable")
    counts = np.bincount(key, minlength=len(workforce.QUEUES) * n_int)
    staffed = counts.reshape(len(workforce.QUEUES), n_int) > 0
    following = np.full((len(workforce.QUEUES), n_int + 1), n_int)
    for j in range(n_int - 1, -1, -1):
        following[:, j] = np.where(staffed[:, j], j, following[:, j + 1])
    return counts, np.concatenate([[0], np.cumsum(counts)[:-1]]), s[order], following


def day_shifts(
    day: dt.date,
    n_rows: int,
    seed: int,
    staffed_for: int,
    reference: Reference,
    staffing: tuple | None = None,
) -> tuple[workforce.Shifts, np.ndarray, np.ndarray]:
    """(shifts around the day, those serving it, those it writes). One site per block of the
    day: each block is a random sample of the day's contacts and is served by its own site,
    planned for its share (Erlang C per site), so a block's queues need only that block:
    blocks stay independent (any shard, any order). Days up to BLOCK_SIZE rows have one site.
    `staffing`: a twin's factor per queue on the agents scheduled (None: as forecast)."""
    sites = rosters.build_roster(seed, staffed_for, reference).n_sites
    shifts = schedules.shifts_around(day, seed, staffed_for, reference, sites, staffing)
    serving = np.flatnonzero((shifts.start < US_PER_DAY) & (shifts.end > 0))
    written = np.flatnonzero((shifts.start >= 0) & (shifts.start < US_PER_DAY))
    return shifts, serving, written


def arrival_curves(day: dt.date, seed: int, plan: DayPlan) -> dict[str, np.ndarray | None]:
    """The day context's arrival curves (arrival_times): per zone, when contacts and store visits
    come, the share of store visits kept, the channel of a customer whose store is closed, and
    when a timed regional event's contacts come."""
    extra = plan.extra_events
    everyone, stores = interval_mass(day, seed, extra_events=extra), interval_mass(day, seed, True, extra)
    return {
        "time_cdf": _zone_cdf(everyone),
        "store_time_cdf": _zone_cdf(stores),
        "store_keep": np.minimum(stores.sum(axis=1) / np.maximum(everyone.sum(axis=1), 1e-12), 1.0),
        "no_store_cdf": (
            np.cumsum(_without_stores(unit_channel_given_type(plan)), axis=1) + np.arange(len(TYPES))[:, None]
        ).ravel(),
        "regional_time_cdf": (
            _zone_cdf(plan.regional_profile[None, :]) if plan.regional_profile.sum() > 0 else None
        ),
    }


def _zone_cdf(mass: np.ndarray) -> np.ndarray:
    """Per zone, the cumulative share of its mass per interval, zone z's row shifted by z, flattened."""
    share = mass / np.maximum(mass.sum(axis=1, keepdims=True), 1e-300)
    cdf = np.cumsum(share, axis=1)
    cdf[:, -1] = 1.0
    return (cdf + np.arange(len(mass))[:, None]).ravel()


def _without_stores(p: np.ndarray) -> np.ndarray:
    q = p.copy()
    q[:, IN_STORE] = 0.0
    return q / np.maximum(q.sum(axis=1, keepdims=True), 1e-300)


def center_offset(day: dt.date) -> int:
    """Seconds the contact center's clock is ahead of UTC at noon UTC of `day`."""
    noon = dt.datetime.combine(day, dt.time(12), dt.UTC)
    return int(noon.astimezone(ZoneInfo(parameters.CENTER_TIME_ZONE)).utcoffset().total_seconds())
