"""A day's interactions, generated in fixed, independently seeded blocks (vectorized).

Block b of day D is a pure function of (seed, D, b, the day's size): the rows of a day do
not depend on the order days are generated in, nor on how blocks are grouped into shards.
A day is built once (day_context, include/generator/day_inputs.py); each block then runs its
stages: arrivals (include/generator/arrivals.py), overflow and service (queueing.py), the
replies to messages, waits and handle times, outcomes (outcomes.py), and its columns.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

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
from include.generator.arrivals import SYNCHRONOUS, Arrivals, block_arrivals
from include.generator.calendar import day_plan
from include.generator.customers import TIER_CONTACT_FACTOR, CustomerBase, day_index
from include.generator.day_inputs import (
    DEPARTMENTS,
    PG_EPOCH,
    STORE_GROUP,
    US_PER_DAY,
    DayContext,
    arrival_curves,
    block_sizes,
    center_offset,
    day_shifts,
    first_id,
    hourly_weights,
    lookup,
    on_duty_table,
    unit_channel_given_type,
)
from include.generator.outcomes import CHANNELS, LANGUAGES, RESOLUTIONS, SKILLS, SUMMARIES, TYPES  # noqa: F401
from include.generator.reference import Reference
from include.generator.scenario import BASELINE, Scenario


def day_context(
    day: dt.date,
    n_rows: int,
    seed: int,
    base: CustomerBase,
    reference: Reference,
    interactions_per_day: int | None = None,
    scenario: Scenario = BASELINE,
) -> DayContext:
    """What every block of `day` shares, computed once: the pool of customers who may contact
    us and their weights, the calendar, arrival curves, staffing and planted contacts.
    `interactions_per_day` sizes the roster and the forecast (default: `n_rows`); `scenario`
    is a twin's levers (the shifts scheduled, the work a contact brings)."""
    staffed_for = interactions_per_day or n_rows
    d = day_index(day)
    active = base.active_on(d)
    if not active.any():
        raise ValueError(f"no active customers on {day}")
    weights = base.propensity[active] * TIER_CONTACT_FACTOR[base.tier_on(d)[active]]
    cdf = np.cumsum(weights)
    announced = accounts.announced_on(day, seed, base, n_rows, active)  # issue #24
    extra = scenario.extra_events()  # a twin's planted outage or price change (none: ())
    plan = content.day_mix(day_plan(day, seed, extra), n_rows, announced.counts())
    zone = base.zone[active]
    pool_of = np.flatnonzero(active)  # base index -> position in the day's pool, by search
    planted = repeats.planted_on(day, seed, staffed_for, base, extra)

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
        **_regional_pool(plan, base, active, weights),
        utc_load=_utc_load(day, zone, weights, cdf[-1]),
        **arrival_curves(day, seed, plan),
        center_offset_us=center_offset(day) * 1_000_000,
        channel_cdf=(
            np.cumsum(unit_channel_given_type(plan), axis=1) + np.arange(len(TYPES))[:, None]
        ).ravel(),
        **_staffing(day, n_rows, seed, staffed_for, reference, scenario.staffing_factors()),
        planted_accounts=announced.by_block(pool_of),
        planted_sources=in_pool(planted.sources),
        planted_repeats=in_pool(planted.targets),
        scenario=scenario,
    )


def _regional_pool(
    plan, base: CustomerBase, active: np.ndarray, weights: np.ndarray
) -> dict[str, np.ndarray]:
    """The pool members in the division of the day's regional event, and their cumulative weights."""
    region = np.zeros(0, dtype=np.int64)
    region_cdf = np.zeros(0)
    if plan.regional_division is not None:
        region = np.flatnonzero(geography.STATE_DIVISION[base.state[active]] == plan.regional_division)
        if len(region):
            region_cdf = np.cumsum(weights[region])
            region_cdf = region_cdf / region_cdf[-1]
    return {"region_index": region, "region_cdf": region_cdf}


def _utc_load(day: dt.date, zone: np.ndarray, weights: np.ndarray, total: float) -> np.ndarray:
    """Expected arrivals per UTC hour relative to the day's mean (1.0): the local profile shifted
    by each zone's offset, weighted by the zone's share of the contact weight (asynchronous
    backlogs use it as the hourly load)."""
    offsets = geography.utc_offsets(day)
    zone_weight = np.bincount(zone, weights=weights, minlength=len(geography.TIME_ZONES)) / total
    local = hourly_weights(day)
    utc = sum(zone_weight[z] * np.roll(local, int(-offsets[z] // 3600)) for z in range(len(offsets)))
    return utc / utc.sum() * 24


def _staffing(
    day: dt.date, n_rows: int, seed: int, staffed_for: int, reference: Reference, staffing: tuple | None
) -> dict:
    """The day's shifts (around it, serving it, written by it), the forecast, the agents it asked
    for (as forecast: a twin's `staffing` lever schedules more or fewer than it), and who is on
    duty to reply to messages."""
    shifts, serving, written = day_shifts(day, n_rows, seed, staffed_for, reference, staffing)
    n_sites = rosters.build_roster(seed, staffed_for, reference).n_sites
    return {
        "shifts": shifts,
        "serving": serving,
        "written": written,
        "forecast": schedules.forecast(day, staffed_for, seed),
        "needed": sum(
            schedules.site_need(day, staffed_for, seed, site, store)
            for site, store in rosters.places(n_sites)
        ),
        "on_duty": on_duty_table(shifts, shifts.hire_day <= (day - parameters.EPOCH).days),
    }


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
    a.handle_s = ctx.scenario.handle_time(a.handle_s)  # a twin's `aht` lever (after every draw)
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
    """Outcomes of a block's contacts once the queues have served them.

    Stages, in the order they draw from the block's generator: the replies to messages, the
    waits and handle times, the outcomes (outcomes.py); then the block's columns."""
    n = len(a.queue)
    live = (a.queue >= 0) & SYNCHRONOUS[a.channel]
    abandoned = live & (service.shift < 0)
    served = live & ~abandoned
    reply_shift, async_wait = _message_replies(ctx, a, service, n)
    shift = np.where(served, service.shift, np.where(a.is_async, reply_shift, -1))
    has_agent = shift >= 0
    agent_id = np.where(has_agent, ctx.shifts.agent_id[np.maximum(shift, 0)], 0)
    skill = np.where(has_agent, ctx.shifts.skill[np.maximum(shift, 0)], 3)
    times = _times(ctx, a, service, live, served, abandoned, async_wait)

    served_contacts = outcomes.Served(
        rng=a.rng, itype=a.itype, channel=a.channel, pick=a.pick, bot=a.bot, handed_off=a.handed_off,
        from_bot=a.from_bot, planted=a.planted, regional=a.regional, abandoned=abandoned,
        served=served, skill=skill, queue_s=times.queue_s, handle_s=times.handle_s, arrival_us=a.utc_us,
        live=live,
    )  # fmt: skip
    pool = outcomes.Pool(ids=ctx.pool_ids, zone=ctx.pool_zone, language=ctx.pool_language)
    out = outcomes.outcomes(served_contacts, ctx.plan, pool)
    return _columns(ctx, block, a, times, agent_id, has_agent, out)


def _message_replies(
    ctx: DayContext, a: Arrivals, service: queueing.Service, n: int
) -> tuple[np.ndarray, np.ndarray]:
    """(shift that replies, seconds until the reply) per message.

    Answered by the agent who took one up, when the work is done; one taken up after the
    day's shifts (or with no seat left) by a Messaging agent of the type's department on the
    next shift at that time (a gap in the roster waits for the next interval with an agent on
    duty all through it). A reply is stamped while its agent is on shift: work that ran past
    the end is sent by then."""
    answered = a.is_async & (a.queue >= 0) & (service.shift >= 0)
    reply_shift, later_reply = _reply_agents(ctx, a.async_queue, a.ready_us, a.rng.random(n))
    done_us = a.ready_us + service.wait_us + service.handle_s.astype(np.int64) * 1_000_000
    async_wait = np.ceil((np.where(answered, done_us, later_reply) - a.utc_us) / 1e6).astype(np.int64)
    reply_shift = np.where(answered, service.shift, reply_shift)
    shift_end = ctx.shifts.end[np.maximum(reply_shift, 0)]
    async_wait = np.where(
        reply_shift >= 0, np.minimum(async_wait, (shift_end - a.utc_us) // 1_000_000 - 1), async_wait
    )
    return reply_shift, async_wait


@dataclass(frozen=True)
class _Times:
    """A block's stored times: start, end, queue time, handle time and duration (NULL or not)."""

    start_us: np.ndarray
    end_us: np.ndarray
    queue_s: np.ndarray
    handle_s: np.ndarray
    duration: np.ndarray
    duration_null: np.ndarray


def _times(
    ctx: DayContext,
    a: Arrivals,
    service: queueing.Service,
    live: np.ndarray,
    served: np.ndarray,
    abandoned: np.ndarray,
    async_wait: np.ndarray,
) -> _Times:
    """Waits and handle times: live ones from the queues, messages their reply, bots none (SMS
    bots reply in seconds)."""
    n = len(a.queue)
    synchronous = SYNCHRONOUS[a.channel]
    start_us = (ctx.day - PG_EPOCH).days * US_PER_DAY + a.utc_us
    queue = np.where(
        live,
        service.wait_us // 1_000_000,
        np.where(a.bot, np.where(synchronous, 0, 1 + (a.rng.random(n) * 9).astype(np.int64)), async_wait),
    ).astype(np.int32)
    handle = np.where(served, service.handle_s, np.where(a.bot & synchronous, a.bot_seconds, 0))
    duration = handle.astype(np.int32)
    duration_null = ~synchronous | abandoned
    end_us = start_us + (queue.astype(np.int64) + np.where(duration_null, 0, duration)) * 1_000_000
    end_us = np.maximum(end_us, start_us + 1_000_000)
    return _Times(start_us, end_us, queue, handle, duration, duration_null)


def _columns(
    ctx: DayContext,
    block: int,
    a: Arrivals,
    times: _Times,
    agent_id: np.ndarray,
    has_agent: np.ndarray,
    out: dict[str, np.ndarray],
) -> dict[str, np.ndarray]:
    """The block's columns (copy_format.COLUMNS): ids count up from the block's first."""
    ref = ctx.reference
    first = block * parameters.BLOCK_SIZE
    ids = first_id(ctx.day) + first + 1 + np.arange(len(a.queue), dtype=np.int64)
    return {
        "interaction_id": ids,
        "customer_id": out["customer_id"],
        "channel_id": lookup(ref.channel_ids, CHANNELS, np.int16)[a.channel],
        "interaction_type_id": lookup(ref.interaction_type_ids, TYPES, np.int16)[a.itype],
        "agent_id": agent_id.astype(np.int32),
        "agent_null": ~has_agent,
        "start_us": times.start_us,
        "end_us": times.end_us,
        "duration_seconds": times.duration,
        "duration_null": times.duration_null,
        "queue_time_seconds": times.queue_s,
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
