"""A day's interactions, generated in fixed, independently seeded blocks (vectorized).

Block b of day D is a pure function of (seed, D, b, the day's size): the rows of a day do
not depend on the order days are generated in, nor on how blocks are grouped into shards.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import numpy as np

from include.generator import (
    accounts,
    content,
    geography,
    outcomes,
    parameters,
    queueing,
    repeats,
    rosters,
    schedules,
    workforce,
)
from include.generator.calendar import DayPlan, day_plan, interval_mass
from include.generator.customers import TIER_CONTACT_FACTOR, CustomerBase, day_index
from include.generator.outcomes import CHANNELS, LANGUAGES, RESOLUTIONS, SKILLS, SUMMARIES, TYPES  # noqa: F401
from include.generator.reference import Reference

PG_EPOCH = dt.date(2000, 1, 1)
US_PER_DAY = 86_400_000_000
US_PER_HOUR = 3_600_000_000
IN_STORE = CHANNELS.index("IN_STORE")
STORE_GROUP = workforce.GROUPS.index("Store")
_POSITION_BITS = 17  # a block's row positions, packed under the time when sorting
assert parameters.BLOCK_SIZE <= 1 << _POSITION_BITS


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


DEPARTMENTS = workforce.DEPARTMENTS


def unit_channel_given_type(plan: DayPlan) -> np.ndarray:
    """P(channel | type) of the contacts customers start: a bot session that hands off makes
    two rows (the bot's, the human's), so bot channels are drawn less often and the day's rows
    keep the configured channel mix."""
    rows = workforce.channel_given_type(plan.type_p, channel_weights(plan))
    units = rows / workforce.rows_per_contact()[None, :]
    return units / units.sum(axis=1, keepdims=True)


def _on_duty(shifts: workforce.Shifts, reply_ok: np.ndarray) -> tuple[np.ndarray, ...]:
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
    day: dt.date, n_rows: int, seed: int, staffed_for: int, reference: Reference
) -> tuple[workforce.Shifts, np.ndarray, np.ndarray]:
    """(shifts around the day, those serving it, those it writes). One site per block of the
    day: each block is a random sample of the day's contacts and is served by its own site,
    planned for its share (Erlang C per site), so a block's queues need only that block:
    blocks stay independent (any shard, any order). Days up to BLOCK_SIZE rows have one site."""
    sites = rosters.build_roster(seed, staffed_for, reference).n_sites
    shifts = schedules.shifts_around(day, seed, staffed_for, reference, sites)
    serving = np.flatnonzero((shifts.start < US_PER_DAY) & (shifts.end > 0))
    written = np.flatnonzero((shifts.start >= 0) & (shifts.start < US_PER_DAY))
    return shifts, serving, written


def day_context(
    day: dt.date,
    n_rows: int,
    seed: int,
    base: CustomerBase,
    reference: Reference,
    interactions_per_day: int | None = None,
) -> DayContext:
    """`interactions_per_day` sizes the roster and the forecast (default: `n_rows`)."""
    staffed_for = interactions_per_day or n_rows
    d = day_index(day)
    active = base.active_on(d)
    if not active.any():
        raise ValueError(f"no active customers on {day}")
    weights = base.propensity[active] * TIER_CONTACT_FACTOR[base.tier_on(d)[active]]
    cdf = np.cumsum(weights)
    announced = accounts.announced_on(day, seed, base, n_rows, active)  # issue #24
    plan = content.day_mix(day_plan(day, seed), n_rows, announced.counts())
    zone = base.zone[active]
    region = np.zeros(0, dtype=np.int64)
    region_cdf = np.zeros(0)
    if plan.regional_division is not None:
        region = np.flatnonzero(geography.STATE_DIVISION[base.state[active]] == plan.regional_division)
        if len(region):
            region_cdf = np.cumsum(weights[region])
            region_cdf = region_cdf / region_cdf[-1]
    offsets = geography.utc_offsets(day)
    # Expected UTC arrival profile: the local profile shifted by each zone's offset, weighted
    # by the zone's share of the contact weight (asynchronous backlogs use it as the hourly load).
    zone_weight = np.bincount(zone, weights=weights, minlength=len(geography.TIME_ZONES)) / cdf[-1]
    local = hourly_weights(day)
    utc = sum(zone_weight[z] * np.roll(local, int(-offsets[z] // 3600)) for z in range(len(offsets)))
    shifts, serving, written = day_shifts(day, n_rows, seed, staffed_for, reference)
    planted = repeats.planted_on(day, seed, staffed_for, base)
    pool_of = np.flatnonzero(active)  # base index -> position in the day's pool, by search

    def in_pool(by_block: dict) -> dict:
        return {b: (s, np.searchsorted(pool_of, c), t) for b, (s, c, t) in by_block.items()}

    return DayContext(
        day=day,
        seed=seed,
        n_rows=n_rows,
        pool_ids=base.customer_id[active],
        pool_cdf=cdf / cdf[-1],
        reference=reference,
        type_department=np.array([DEPARTMENTS.index(parameters.INTERACTION_TYPES[t][2]) for t in TYPES]),
        plan=plan,
        pool_zone=zone,
        pool_language=base.language[active],
        region_index=region,
        region_cdf=region_cdf,
        utc_load=utc / utc.sum() * 24,
        **_arrival_curves(day, seed, plan),
        center_offset_us=center_offset(day) * 1_000_000,
        channel_cdf=(
            np.cumsum(unit_channel_given_type(plan), axis=1) + np.arange(len(TYPES))[:, None]
        ).ravel(),
        shifts=shifts,
        serving=serving,
        written=written,
        forecast=schedules.forecast(day, staffed_for, seed),
        needed=sum(
            schedules.site_need(day, staffed_for, seed, site, store)
            for site, store in rosters.places(rosters.build_roster(seed, staffed_for, reference).n_sites)
        ),
        on_duty=_on_duty(shifts, shifts.hire_day <= (day - parameters.EPOCH).days),
        planted_accounts=announced.by_block(pool_of),
        planted_sources=in_pool(planted.sources),
        planted_repeats=in_pool(planted.targets),
    )


def _arrival_curves(day: dt.date, seed: int, plan: DayPlan) -> dict[str, np.ndarray | None]:
    """The day context's arrival curves (arrival_times): per zone, when contacts and store visits
    come, the share of store visits kept, the channel of a customer whose store is closed, and
    when a timed regional event's contacts come."""
    everyone, stores = interval_mass(day, seed), interval_mass(day, seed, store=True)
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


_NO_SLOTS = (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64))


def _lookup(mapping: dict, keys: tuple, dtype: type = float, default: float = 0) -> np.ndarray:
    return np.array([mapping.get(k, default) for k in keys], dtype=dtype)


@dataclass
class Arrivals:
    """One block's contacts before service, in time order; `rng` continues the block's draws."""

    rng: np.random.Generator
    pick: np.ndarray  # index into the day's pool of customers
    itype: np.ndarray
    channel: np.ndarray
    regional: np.ndarray  # caused by the day's regional event
    utc_us: np.ndarray  # arrival, microseconds after the day's UTC midnight
    bot: np.ndarray  # a bot / self-service session (no queue, no agent)
    handed_off: np.ndarray  # a bot session that handed the customer to a human
    from_bot: np.ndarray  # the human contact a bot hand-off created
    bot_seconds: np.ndarray  # the bot session's length
    queue: np.ndarray  # work for an agent's seat: index into workforce.QUEUES, else -1
    handle_s: np.ndarray  # base handle (work) time for an agent (before the agent's skill)
    patience_us: np.ndarray
    is_async: np.ndarray  # a message (email, social, SMS) a human answers
    ready_us: np.ndarray  # when the queue takes it up: the arrival, or a message's desk time
    async_queue: np.ndarray  # the Messaging queue of the type's department (who answers messages)
    planted: np.ndarray  # 1: the first contact of a later day's repeat, 2: a repeat of an earlier day's


SYNCHRONOUS = np.array([c in parameters.HANDLE_TIME_LOGNORMAL for c in CHANNELS])
_NEVER_GIVES_UP = 10**15  # a message waits for its answer
_CHANNEL_GROUP = np.array(
    [workforce.GROUPS.index(g) if (g := workforce.channel_group(c)) else -1 for c in CHANNELS]
)


def arrival_times(
    ctx: DayContext,
    rng: np.random.Generator,
    pick: np.ndarray,
    itype: np.ndarray,
    channel: np.ndarray,
    regional: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """The arrivals stage: (channel, microseconds after the UTC midnight) per contact.

    A UTC interval is drawn from the expected contacts of the customer's time zone over this
    UTC day (calendar.interval_mass: each zone lives its own local day, so a holiday starts at
    its local midnight), uniform within it. Store visits follow the store hours of that local
    day; where they are closed or shorter, fewer customers go to a store (the others take
    another channel of their type). A timed regional event's own contacts (`regional`) follow
    its onset and recovery in its region."""
    n = len(pick)
    zone = ctx.pool_zone[pick].astype(np.int64)
    leaves = (channel == IN_STORE) & (rng.random(n) >= ctx.store_keep[zone])
    other = np.searchsorted(ctx.no_store_cdf, itype + rng.random(n), side="right") - itype * len(CHANNELS)
    channel = np.where(leaves, other.clip(0, len(CHANNELS) - 1), channel)
    u = zone + rng.random(n)
    interval = (
        np.where(
            channel == IN_STORE,
            np.searchsorted(ctx.store_time_cdf, u, side="right"),
            np.searchsorted(ctx.time_cdf, u, side="right"),
        )
        - zone * workforce.INTERVALS
    )
    if ctx.regional_time_cdf is not None:
        at = np.searchsorted(ctx.regional_time_cdf, rng.random(n), side="right")
        interval = np.where(regional, at, interval)
    utc_us = interval.clip(0, workforce.INTERVALS - 1) * workforce.INTERVAL_US
    return channel, utc_us + rng.integers(0, workforce.INTERVAL_US, size=n)


def desk_times(
    ctx: DayContext, rng: np.random.Generator, channel: np.ndarray, utc_us: np.ndarray, bot: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The digital desk stage: (a message a human answers, when the desk takes it up, its work
    seconds) per contact.

    The desk takes a message up after the channel's usual delay (longer in busy hours and on
    event days, at most ASYNC_DESK_DELAY_MAX_HOURS); one due outside the desk's hours waits for
    the next opening (in the center's time zone) plus a backlog delay. Then it needs an agent's
    seat for its work time, like any contact of the Messaging queue (a message taken up after
    midnight UTC is answered by a later shift on duty, without the queue)."""
    n = len(channel)
    is_async = ~SYNCHRONOUS[channel] & ~bot
    load = ctx.utc_load[utc_us // US_PER_HOUR]
    mean_wait = _lookup(parameters.QUEUE_TIME_MEAN_SECONDS, CHANNELS)[channel] * ctx.plan.wait_multiplier
    mean_wait = mean_wait * np.maximum(1 + parameters.QUEUE_LOAD_SENSITIVITY * (load - 1), 0.2)
    delay_us = np.maximum(np.rint(rng.exponential(mean_wait)), 1).astype(np.int64) * 1_000_000
    delay_us = np.minimum(delay_us, parameters.ASYNC_DESK_DELAY_MAX_HOURS * US_PER_HOUR)
    local = utc_us + delay_us + ctx.center_offset_us  # on the center's clock
    tod = local % US_PER_DAY
    opens, closes = (h * US_PER_HOUR for h in parameters.DIGITAL_DESK_HOURS)
    backlog = np.minimum(
        rng.exponential(parameters.BACKLOG_REPLY_MEAN_MINUTES * 60e6, size=n), 4 * US_PER_HOUR
    )
    moved = np.where(tod < opens, local - tod + opens, local - tod + US_PER_DAY + opens)
    closed = (tod < opens) | (tod >= closes)
    ready = np.where(closed, moved + backlog.astype(np.int64), local) - ctx.center_offset_us
    ready = utc_us - ((utc_us - ready) // 1_000_000) * 1_000_000  # whole seconds after the arrival
    work = np.zeros(n)
    for code, (w_median, w_sigma) in parameters.ASYNC_WORK_LOGNORMAL.items():
        rows = channel == CHANNELS.index(code)
        work[rows] = w_median * np.exp(w_sigma * rng.standard_normal(int(rows.sum())))
    return is_async, ready, work


def block_arrivals(ctx: DayContext, block: int) -> Arrivals:
    """Who contacts us, about what, on which channel and when: block `block`'s first draws."""
    n = block_sizes(ctx.n_rows)[block]
    rng = np.random.default_rng([ctx.seed, ctx.day.toordinal(), block])
    plan = ctx.plan

    # Who and what: ordinary contacts from the whole base with the day's type mix; a
    # regional event's contacts from its division's customers with the event's type mix.
    pick = np.searchsorted(ctx.pool_cdf, rng.random(n), side="right").clip(0, len(ctx.pool_ids) - 1)
    itype = rng.choice(len(TYPES), size=n, p=plan.type_p)
    regional = np.zeros(n, dtype=bool)
    if plan.regional_share > 0 and len(ctx.region_index):
        regional = rng.random(n) < plan.regional_share
        k = int(regional.sum())
        pick[regional] = ctx.region_index[
            np.searchsorted(ctx.region_cdf, rng.random(k), side="right").clip(0, len(ctx.region_index) - 1)
        ]
        itype[regional] = rng.choice(len(TYPES), size=k, p=plan.regional_type_p)
    # Cross-day repeat pairs: their customer and type in the slots they claim.
    planted = np.zeros(n, dtype=np.int8)
    for marker, by_block in (
        (outcomes.PLANTED_ACCOUNT_EVENT, ctx.planted_accounts),  # first: repeats' slots win
        (outcomes.PLANTED_REPEAT_SOURCE, ctx.planted_sources),
        (outcomes.PLANTED_REPEAT, ctx.planted_repeats),
    ):
        slots, members, types = by_block.get(block, _NO_SLOTS)
        fits = slots < n // 2  # (a day sized by hand may have other blocks than its volume's)
        slots = slots[fits]
        pick[slots], itype[slots], regional[slots], planted[slots] = members[fits], types[fits], False, marker
    # The channel depends on what the contact is about (complaints on social media, sales in stores).
    # (One search in the types' cumulative rows laid end to end, type t's row shifted by t.)
    channel = np.searchsorted(ctx.channel_cdf, itype + rng.random(n), side="right") - itype * len(CHANNELS)
    channel = channel.clip(0, len(CHANNELS) - 1)

    channel, utc_us = arrival_times(ctx, rng, pick, itype, channel, regional & (planted == 0))

    # Bots and self-service: a separate path. A hand-off creates the human contact (same
    # customer, type and channel) when the bot session ends; it counts among the day's rows,
    # so the block keeps exactly n rows: units are taken until they fill n.
    bot = (rng.random(n) < _lookup(parameters.SELF_SERVICE_SHARE, CHANNELS)[channel]) & (planted == 0)
    bot_median, bot_sigma = parameters.BOT_SESSION_LOGNORMAL
    bot_seconds = np.maximum(np.rint(bot_median * np.exp(bot_sigma * rng.standard_normal(n))), 10).astype(
        np.int64
    )
    handed_off = bot & (rng.random(n) < parameters.BOT_HANDOFF_SHARE)
    handed_off &= utc_us + (bot_seconds + 1) * 1_000_000 < US_PER_DAY
    rows_per_unit = 1 + handed_off
    units = int(np.searchsorted(np.cumsum(rows_per_unit), n, side="right"))
    if units < n and int(rows_per_unit[:units].sum()) < n:  # the next unit fits without its hand-off
        handed_off[units] = False
        units += 1
    keep = slice(0, units)
    pick, itype, channel, regional, utc_us, planted = (
        pick[keep],
        itype[keep],
        channel[keep],
        regional[keep],
        utc_us[keep],
        planted[keep],
    )
    bot, bot_seconds, handed_off = bot[keep], bot_seconds[keep], handed_off[keep]
    src = np.flatnonzero(handed_off)
    m = len(src)
    pick = np.concatenate([pick, pick[src]])
    itype = np.concatenate([itype, itype[src]])
    channel = np.concatenate([channel, channel[src]])
    regional = np.concatenate([regional, regional[src]])
    utc_us = np.concatenate([utc_us, utc_us[src] + bot_seconds[src] * 1_000_000])
    from_bot = np.concatenate([np.zeros(units, dtype=bool), np.ones(m, dtype=bool)])
    bot = np.concatenate([bot, np.zeros(m, dtype=bool)])
    handed_off = np.concatenate([handed_off, np.zeros(m, dtype=bool)])
    bot_seconds = np.concatenate([bot_seconds, np.zeros(m, dtype=np.int64)])
    planted = np.concatenate([planted, np.zeros(m, dtype=np.int8)])

    # ids follow time: sort (time, position) packed in one integer (faster than argsort).
    key = np.sort((utc_us << _POSITION_BITS) | np.arange(n, dtype=np.int64))
    order = key & ((1 << _POSITION_BITS) - 1)
    utc_us = key >> _POSITION_BITS
    pick, itype, channel, regional = pick[order], itype[order], channel[order], regional[order]
    planted = planted[order]
    bot, handed_off, from_bot, bot_seconds = (
        bot[order],
        handed_off[order],
        from_bot[order],
        bot_seconds[order],
    )

    # Live contacts for an agent: the queue of the type's department and the channel's group.
    live = SYNCHRONOUS[channel] & ~bot
    group = _CHANNEL_GROUP[channel]
    queue = np.where(live, ctx.type_department[itype] * len(workforce.GROUPS) + group, -1)
    median = _lookup({c: v[0] for c, v in parameters.HANDLE_TIME_LOGNORMAL.items()}, CHANNELS, default=1.0)[
        channel
    ]
    sigma = _lookup({c: v[1] for c, v in parameters.HANDLE_TIME_LOGNORMAL.items()}, CHANNELS)[channel]
    multiplier = np.array([parameters.INTERACTION_TYPES[t][1] for t in TYPES])[itype]
    handle = np.maximum(
        median * multiplier * np.exp(sigma * rng.standard_normal(n)), parameters.HANDLE_TIME_MIN_SECONDS
    )
    patience_mean = np.array([parameters.PATIENCE_MEAN_SECONDS[g] for g in workforce.GROUPS])[group.clip(0)]
    patience = np.maximum(rng.exponential(1.0, size=n) * patience_mean, 1.0)
    patience = (np.rint(patience) * 1_000_000).astype(np.int64)  # whole seconds, as stored

    is_async, ready, work = desk_times(ctx, rng, channel, utc_us, bot)
    async_queue = ctx.type_department[itype] * len(workforce.GROUPS) + workforce.GROUPS.index(
        parameters.ASYNC_GROUP
    )
    queue = np.where(is_async & (ready < US_PER_DAY), async_queue, queue)
    handle = np.where(is_async, np.maximum(work, 10), handle)
    patience = np.where(is_async, _NEVER_GIVES_UP, patience)
    return Arrivals(
        rng=rng,
        pick=pick,
        itype=itype,
        channel=channel,
        regional=regional,
        utc_us=utc_us,
        bot=bot,
        handed_off=handed_off,
        from_bot=from_bot,
        bot_seconds=bot_seconds,
        queue=queue,
        handle_s=handle,
        patience_us=patience,
        is_async=is_async,
        ready_us=np.where(is_async, ready, utc_us),
        async_queue=async_queue,
        planted=planted,
    )


def block_shifts(ctx: DayContext, block: int) -> np.ndarray:
    """Today's shifts at the site that serves block `block` (see day_context)."""
    return ctx.serving[ctx.shifts.site[ctx.serving] == block]


def overflow(ctx: DayContext, usable: np.ndarray, queue: np.ndarray, at_us: np.ndarray) -> np.ndarray:
    """Each contact's queue after overflow: one arriving when nobody of its queue is on duty at
    the site goes to the queue of the same service group (another department's agents, who
    take it as cross-skilled agents do) with the most agents on duty then; with nobody in the
    group either it stays (and waits for the next agent). A store visit goes to its store's
    agents (workforce.STORE_QUEUE). Contact routing keeps the queue it was offered to (the
    interval table counts it there)."""
    shifts = ctx.shifts.take(usable)
    duty = workforce.on_duty_intervals(shifts, workforce.INTERVALS)
    staff = np.zeros((len(workforce.QUEUES), workforce.INTERVALS), dtype=np.int64)
    np.add.at(staff, shifts.queue.astype(np.int64), duty.astype(np.int64))
    groups = workforce.queue_groups()
    # per (queue, interval): the queue that takes its contacts
    best = np.arange(len(workforce.QUEUES))[:, None].repeat(workforce.INTERVALS, axis=1)
    for g in range(len(workforce.GROUPS)):
        if g == STORE_GROUP:  # (a store is a place: its visitors wait for its own agents)
            continue
        members = np.flatnonzero(groups == g)
        busiest = members[np.argmax(staff[members], axis=0)]
        empty = staff[members] == 0
        best[members] = np.where(
            empty & (staff[busiest, np.arange(workforce.INTERVALS)] > 0), busiest, members[:, None]
        )
    best[groups == STORE_GROUP] = workforce.STORE_QUEUE  # (a store's agents serve every visit)
    interval = (at_us // workforce.INTERVAL_US).clip(0, workforce.INTERVALS - 1)
    return np.where(queue >= 0, best[np.maximum(queue, 0), interval], queue)


def generate_block(ctx: DayContext, block: int) -> dict[str, np.ndarray]:
    """Columns of block `block` of the day, as numpy arrays (see COLUMNS for meaning)."""
    a = block_arrivals(ctx, block)
    usable = block_shifts(ctx, block)
    a.queue = overflow(ctx, usable, a.queue, a.ready_us)
    # A store visit is served by the store of the customer's time zone (stores near home).
    at_store = (a.queue >= 0) & (workforce.queue_groups()[np.maximum(a.queue, 0)] == STORE_GROUP)
    store = np.where(at_store, ctx.pool_zone[a.pick], -1)
    order = np.argsort(a.ready_us, kind="stable")  # the queues take work up in time order
    served = queueing.serve(
        ctx.shifts,
        a.queue[order],
        a.ready_us[order],
        a.patience_us[order],
        a.handle_s[order],
        usable,
        store[order],
    )
    shift, wait, handle = (
        np.empty_like(served.shift),
        np.empty_like(served.wait_us),
        np.empty_like(served.handle_s),
    )
    shift[order], wait[order], handle[order] = served.shift, served.wait_us, served.handle_s
    return finish_block(ctx, block, a, queueing.Service(shift=shift, wait_us=wait, handle_s=handle))


def _reply_agents(
    ctx: DayContext, queue: np.ndarray, at_us: np.ndarray, u: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """A shift on duty in `queue` for the whole interval of each time (the next staffed interval
    if none), as (index into ctx.shifts or -1, the earliest reply time inside that interval)."""
    counts, offsets, flat, following = ctx.on_duty
    n_int = schedules.REPLY_HORIZON_DAYS * workforce.INTERVALS
    interval = following[queue, (at_us // workforce.INTERVAL_US).clip(0, n_int - 1)]
    ok = interval < n_int
    slot = queue * n_int + np.minimum(interval, n_int - 1)
    k = counts[slot]
    pos = offsets[slot] + (u * np.maximum(k, 1)).astype(np.int64).clip(0, np.maximum(k - 1, 0))
    shift = np.where(ok & (k > 0), flat[np.minimum(pos, len(flat) - 1)] if len(flat) else -1, -1)
    return shift, np.maximum(at_us, interval * workforce.INTERVAL_US)


def finish_block(
    ctx: DayContext, block: int, a: Arrivals, service: queueing.Service
) -> dict[str, np.ndarray]:
    """Outcomes of a block's contacts once the queues have served them."""
    n = len(a.queue)
    first = block * parameters.BLOCK_SIZE
    rng = a.rng
    ref = ctx.reference
    plan = ctx.plan
    itype, channel, pick = a.itype, a.channel, a.pick
    start_us = (ctx.day - PG_EPOCH).days * US_PER_DAY + a.utc_us
    synchronous = SYNCHRONOUS[channel]
    live = (a.queue >= 0) & synchronous
    abandoned = live & (service.shift < 0)
    served = live & ~abandoned

    # Messages: answered by the agent who took one up, when the work is done; one taken up after
    # the day's shifts (or with no seat left) by a Messaging agent of the type's department on
    # the next shift at that time.
    is_async = a.is_async
    answered = is_async & (a.queue >= 0) & (service.shift >= 0)
    # (a gap in the roster waits for the next interval with an agent on duty all through it)
    reply_shift, later_reply = _reply_agents(ctx, a.async_queue, a.ready_us, rng.random(n))
    done_us = a.ready_us + service.wait_us + service.handle_s.astype(np.int64) * 1_000_000
    async_wait = np.ceil((np.where(answered, done_us, later_reply) - a.utc_us) / 1e6).astype(np.int64)
    reply_shift = np.where(answered, service.shift, reply_shift)
    # A reply is stamped while its agent is on shift: work that ran past the end is sent by then.
    shift_end = ctx.shifts.end[np.maximum(reply_shift, 0)]
    async_wait = np.where(
        reply_shift >= 0, np.minimum(async_wait, (shift_end - a.utc_us) // 1_000_000 - 1), async_wait
    )

    shift = np.where(served, service.shift, np.where(is_async, reply_shift, -1))
    has_agent = shift >= 0
    agent_id = np.where(has_agent, ctx.shifts.agent_id[np.maximum(shift, 0)], 0)
    skill = np.where(has_agent, ctx.shifts.skill[np.maximum(shift, 0)], 3)

    # Waits and handle times: live ones from the queues, bots none (SMS bots reply in seconds).
    queue = np.where(
        live,
        service.wait_us // 1_000_000,
        np.where(a.bot, np.where(synchronous, 0, 1 + (rng.random(n) * 9).astype(np.int64)), async_wait),
    ).astype(np.int32)
    handle = np.where(served, service.handle_s, np.where(a.bot & synchronous, a.bot_seconds, 0))
    duration = handle.astype(np.int32)
    duration_null = ~synchronous | abandoned
    end_us = start_us + (queue.astype(np.int64) + np.where(duration_null, 0, duration)) * 1_000_000
    end_us = np.maximum(end_us, start_us + 1_000_000)

    served_contacts = outcomes.Served(
        rng=rng, itype=itype, channel=channel, pick=pick, bot=a.bot, handed_off=a.handed_off,
        from_bot=a.from_bot, planted=a.planted, regional=a.regional, abandoned=abandoned,
        served=served, skill=skill, queue_s=queue, handle_s=handle, arrival_us=a.utc_us, live=live,
    )  # fmt: skip
    pool = outcomes.Pool(ids=ctx.pool_ids, zone=ctx.pool_zone, language=ctx.pool_language)
    out = outcomes.outcomes(served_contacts, plan, pool)

    ids = first_id(ctx.day) + first + 1 + np.arange(n, dtype=np.int64)
    return {
        "interaction_id": ids,
        "customer_id": out["customer_id"],
        "channel_id": _lookup(ref.channel_ids, CHANNELS, np.int16)[channel],
        "interaction_type_id": _lookup(ref.interaction_type_ids, TYPES, np.int16)[itype],
        "agent_id": agent_id.astype(np.int32),
        "agent_null": ~has_agent,
        "start_us": start_us,
        "end_us": end_us,
        "duration_seconds": duration,
        "duration_null": duration_null,
        "queue_time_seconds": queue,
        "resolution": out["resolution"],
        "is_escalated": out["is_escalated"],
        "first_contact_resolution": out["first_contact_resolution"],
        "is_repeat_contact": out["is_repeat_contact"],
        "satisfaction_score": out["satisfaction_score"],
        "satisfaction_null": out["satisfaction_null"],
        "summary": out["summary"],
        "language": out["language"],
    }


def generate_day(ctx: DayContext, blocks: range | None = None) -> Iterator[dict[str, np.ndarray]]:
    """The day's blocks in order (or only `blocks`, for one shard)."""
    for b in blocks if blocks is not None else range(len(block_sizes(ctx.n_rows))):
        yield generate_block(ctx, b)
