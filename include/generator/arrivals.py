"""The arrivals stage of a block: who contacts us, about what, on which channel and when.

Block b of day D draws from its own generator, seeded by (seed, D, b), in a fixed order of
stages (block_arrivals): the order is part of the rows, so a stage never draws out of turn.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from include.generator import outcomes, parameters, workforce
from include.generator.day_inputs import (
    IN_STORE,
    US_PER_DAY,
    US_PER_HOUR,
    DayContext,
    block_sizes,
    lookup,
)
from include.generator.outcomes import CHANNELS, TYPES

_POSITION_BITS = 17  # a block's row positions, packed under the time when sorting
assert parameters.BLOCK_SIZE <= 1 << _POSITION_BITS
_NO_SLOTS = (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64))


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
    its onset and recovery in its region, except its store visits: stores keep their hours."""
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
        interval = np.where(regional & (channel != IN_STORE), at, interval)
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
    mean_wait = lookup(parameters.QUEUE_TIME_MEAN_SECONDS, CHANNELS)[channel] * ctx.plan.wait_multiplier
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
    """Who contacts us, about what, on which channel and when: block `block`'s first draws.

    The stages draw from the block's generator in this order: who and what, the channel,
    the arrival time, bot sessions, then the work each contact brings an agent."""
    n = block_sizes(ctx.n_rows)[block]
    rng = np.random.default_rng([ctx.seed, ctx.day.toordinal(), block])
    pick, itype, regional, planted = _who_and_what(ctx, rng, block, n)
    # The channel depends on what the contact is about (complaints on social media, sales in stores).
    # (One search in the types' cumulative rows laid end to end, type t's row shifted by t.)
    channel = np.searchsorted(ctx.channel_cdf, itype + rng.random(n), side="right") - itype * len(CHANNELS)
    channel = channel.clip(0, len(CHANNELS) - 1)
    channel, utc_us = arrival_times(ctx, rng, pick, itype, channel, regional & (planted == 0))
    contacts = {"pick": pick, "itype": itype, "channel": channel, "regional": regional}
    contacts |= {"utc_us": utc_us, "planted": planted}
    contacts = _in_time_order(_bot_sessions(rng, n, contacts), n)
    return _agent_work(ctx, rng, contacts)


def _who_and_what(
    ctx: DayContext, rng: np.random.Generator, block: int, n: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(pool index, type, regional, planted marker) per contact.

    Ordinary contacts come from the whole base with the day's type mix; a regional event's
    contacts from its division's customers with the event's type mix; planted contacts (account
    events, cross-day repeat pairs) take their customer and type in the slots they claim."""
    plan = ctx.plan
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
    return pick, itype, regional, planted


def _bot_sessions(rng: np.random.Generator, n: int, contacts: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Bots and self-service: a separate path. A hand-off creates the human contact (same
    customer, type and channel) when the bot session ends; it counts among the day's rows,
    so the block keeps exactly n rows: units are taken until they fill n."""
    channel, utc_us = contacts["channel"], contacts["utc_us"]
    bot = (rng.random(n) < lookup(parameters.SELF_SERVICE_SHARE, CHANNELS)[channel]) & (
        contacts["planted"] == 0
    )
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
    kept = {k: v[:units] for k, v in (contacts | {"bot": bot, "bot_seconds": bot_seconds}).items()}
    kept["handed_off"] = handed_off[:units]
    return _with_handoffs(kept, units)


def _with_handoffs(kept: dict[str, np.ndarray], units: int) -> dict[str, np.ndarray]:
    """The `units` contacts, then the human contact of each hand-off (arriving as its bot session ends)."""
    src = np.flatnonzero(kept["handed_off"])
    m = len(src)
    out = {k: np.concatenate([kept[k], kept[k][src]]) for k in ("pick", "itype", "channel", "regional")}
    out["utc_us"] = np.concatenate(
        [kept["utc_us"], kept["utc_us"][src] + kept["bot_seconds"][src] * 1_000_000]
    )
    out["from_bot"] = np.concatenate([np.zeros(units, dtype=bool), np.ones(m, dtype=bool)])
    for key, dtype in (("bot", bool), ("handed_off", bool), ("bot_seconds", np.int64), ("planted", np.int8)):
        out[key] = np.concatenate([kept[key], np.zeros(m, dtype=dtype)])
    return out


def _in_time_order(contacts: dict[str, np.ndarray], n: int) -> dict[str, np.ndarray]:
    """The contacts sorted by arrival (ids follow time): (time, position) packed in one integer
    and sorted (faster than argsort)."""
    key = np.sort((contacts["utc_us"] << _POSITION_BITS) | np.arange(n, dtype=np.int64))
    order = key & ((1 << _POSITION_BITS) - 1)
    out = {k: v[order] for k, v in contacts.items() if k != "utc_us"}
    out["utc_us"] = key >> _POSITION_BITS
    return out


def _agent_work(ctx: DayContext, rng: np.random.Generator, c: dict[str, np.ndarray]) -> Arrivals:
    """The work each contact brings an agent: a live contact's queue (the type's department and
    the channel's group), handle time and patience; a message's desk time and work."""
    n, channel, itype, bot, utc_us = len(c["pick"]), c["channel"], c["itype"], c["bot"], c["utc_us"]
    live = SYNCHRONOUS[channel] & ~bot
    group = _CHANNEL_GROUP[channel]
    queue = np.where(live, ctx.type_department[itype] * len(workforce.GROUPS) + group, -1)
    median = lookup({c: v[0] for c, v in parameters.HANDLE_TIME_LOGNORMAL.items()}, CHANNELS, default=1.0)[
        channel
    ]
    sigma = lookup({c: v[1] for c, v in parameters.HANDLE_TIME_LOGNORMAL.items()}, CHANNELS)[channel]
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
    return Arrivals(
        rng=rng,
        **c,
        queue=np.where(is_async & (ready < US_PER_DAY), async_queue, queue),
        handle_s=np.where(is_async, np.maximum(work, 10), handle),
        patience_us=np.where(is_async, _NEVER_GIVES_UP, patience),
        is_async=is_async,
        ready_us=np.where(is_async, ready, utc_us),
        async_queue=async_queue,
    )
