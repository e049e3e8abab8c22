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

from include.generator import config, geography
from include.generator.calendar import DayPlan, day_plan
from include.generator.customers import CustomerBase, day_index
from include.generator.reference import Reference

CHANNELS = tuple(config.CHANNEL_MIX)
TYPES = tuple(config.INTERACTION_TYPES)
RESOLUTIONS = tuple(config.RESOLUTION_MIX)
LANGUAGES = tuple(config.LANGUAGE_MIX)
SKILLS = ("Junior", "Senior", "Expert", None)
SUMMARIES = tuple(text for code in TYPES for text in config.SUMMARY_TEMPLATES[code])
PG_EPOCH = dt.date(2000, 1, 1)
US_PER_DAY = 86_400_000_000
US_PER_HOUR = 3_600_000_000
IN_STORE = CHANNELS.index("IN_STORE")
_POSITION_BITS = 17  # a block's row positions, packed under the time when sorting
assert config.BLOCK_SIZE <= 1 << _POSITION_BITS


def first_id(day: dt.date) -> int:
    """yyyymmdd * 10^9: a day's interaction ids count up from here (SQL: interaction_days.first_id)."""
    return int(day.strftime("%Y%m%d")) * 1_000_000_000


def day_volume(day: dt.date, interactions_per_day: int, seed: int = config.DEFAULT_SEED) -> int:
    """Rows for a day: the requested average shaped by the calendar of (seed, day) (at least 1):
    weekday, month, holidays, the surge after them, bill runs, planted events and noise."""
    return max(1, round(interactions_per_day * day_plan(day, seed).volume_factor))


def block_sizes(n_rows: int) -> list[int]:
    full, rest = divmod(n_rows, config.BLOCK_SIZE)
    return [config.BLOCK_SIZE] * full + ([rest] if rest else [])


def hourly_weights(day: dt.date) -> np.ndarray:
    """Share of a customer's contacts per local hour of the day."""
    w = np.array(config.HOURLY_PROFILE, dtype=float)
    if day.weekday() >= 5:
        w = (1 - config.WEEKEND_HOURLY_FLATTEN) * w + config.WEEKEND_HOURLY_FLATTEN * w.mean()
    return w / w.sum()


def store_hour_weights(weekday: int) -> np.ndarray:
    """Share of in-store contacts per local hour: the hourly profile, only while stores are open."""
    opens, closes = config.STORE_HOURS[weekday]
    w = np.array(config.HOURLY_PROFILE, dtype=float)
    w[:opens] = 0
    w[closes:] = 0
    return w / w.sum()


def store_open(weekday: np.ndarray, local_us: np.ndarray) -> np.ndarray:
    """Whether a store is open at these local times of day on these weekdays."""
    hours = np.array(config.STORE_HOURS, dtype=np.int64)
    return (local_us >= hours[weekday, 0] * US_PER_HOUR) & (local_us < hours[weekday, 1] * US_PER_HOUR)


def channel_weights(plan: DayPlan) -> np.ndarray:
    """The day's channel mix: the configured one, shifted at weekends, no stores when closed."""
    p = np.array(list(config.CHANNEL_MIX.values()), dtype=float)
    if plan.day.weekday() >= 5:
        p *= _lookup(config.WEEKEND_CHANNEL_LIFT, CHANNELS, default=1.0)
    if plan.stores_closed:
        p[IN_STORE] = 0.0
    return p / p.sum()


def channel_given_type(type_p: np.ndarray, channel_p: np.ndarray) -> np.ndarray:
    """P(channel | type), (types x channels): the independent mix times the affinities of
    TYPE_CHANNEL_AFFINITY, fitted back to both marginals (iterative proportional fitting)."""
    affinity = np.array(
        [[config.TYPE_CHANNEL_AFFINITY.get(t, {}).get(c, 1.0) for c in CHANNELS] for t in TYPES]
    )
    joint = np.outer(type_p, channel_p) * affinity
    for _ in range(50):
        joint *= (type_p / np.maximum(joint.sum(axis=1), 1e-300))[:, None]
        joint *= (channel_p / np.maximum(joint.sum(axis=0), 1e-300))[None, :]
    return joint / np.maximum(joint.sum(axis=1, keepdims=True), 1e-300)


@dataclass(frozen=True)
class DayContext:
    """What every block of a day shares: the customers who may contact us that day and the agents."""

    day: dt.date
    seed: int
    n_rows: int
    pool_ids: np.ndarray
    pool_cdf: np.ndarray
    reference: Reference
    agent_table: np.ndarray  # (department, slot) -> index into reference.agent_ids
    agent_counts: np.ndarray  # agents per department
    type_department: np.ndarray  # type index -> department index
    plan: DayPlan  # the calendar: type mix, planted events
    pool_zone: np.ndarray  # time zone of each pool member (index into geography.TIME_ZONES)
    pool_language: np.ndarray  # preferred language of each pool member
    region_index: np.ndarray  # pool members in the division of the day's regional event
    region_cdf: np.ndarray
    zone_offset_us: np.ndarray  # per time zone: microseconds ahead of UTC on this day
    utc_load: np.ndarray  # expected arrivals per UTC hour relative to the day's mean (1.0)
    previous_day_stores_closed: bool
    center_offset_us: int  # the contact center's time zone, microseconds ahead of UTC
    channel_cdf: np.ndarray  # cumulative P(channel | type) per type, + type index, flattened


DEPARTMENTS = tuple(sorted({dept for _, _, dept in config.INTERACTION_TYPES.values()}))


def day_context(day: dt.date, n_rows: int, seed: int, base: CustomerBase, reference: Reference) -> DayContext:
    d = day_index(day)
    active = base.active_on(d)
    if not active.any():
        raise ValueError(f"no active customers on {day}")
    tier_factor = np.array([0.0] + [config.TIER_PROPENSITY[t] for t in range(1, 5)])
    weights = base.propensity[active] * tier_factor[base.tier_on(d)[active]]
    cdf = np.cumsum(weights)
    plan = day_plan(day, seed)
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
    # by the zone's share of the contact weight (the queue model uses it as the hourly load).
    zone_weight = np.bincount(zone, weights=weights, minlength=len(geography.TIME_ZONES)) / cdf[-1]
    local = hourly_weights(day)
    utc = sum(zone_weight[z] * np.roll(local, int(-offsets[z] // 3600)) for z in range(len(offsets)))
    members = [np.flatnonzero(reference.agent_departments == dept) for dept in DEPARTMENTS]
    table = np.zeros((len(DEPARTMENTS), max(len(m) for m in members)), dtype=np.int64)
    for i, m in enumerate(members):
        table[i, : len(m)] = m
    return DayContext(
        day=day,
        seed=seed,
        n_rows=n_rows,
        pool_ids=base.customer_id[active],
        pool_cdf=cdf / cdf[-1],
        reference=reference,
        agent_table=table,
        agent_counts=np.array([len(m) for m in members]),
        type_department=np.array([DEPARTMENTS.index(config.INTERACTION_TYPES[t][2]) for t in TYPES]),
        plan=plan,
        pool_zone=zone,
        pool_language=base.language[active],
        region_index=region,
        region_cdf=region_cdf,
        zone_offset_us=offsets * 1_000_000,
        utc_load=utc / utc.sum() * 24,
        previous_day_stores_closed=day_plan(day - dt.timedelta(days=1), seed).stores_closed,
        center_offset_us=center_offset(day) * 1_000_000,
        channel_cdf=(
            np.cumsum(channel_given_type(plan.type_p, channel_weights(plan)), axis=1)
            + np.arange(len(TYPES))[:, None]
        ).ravel(),
    )


def center_offset(day: dt.date) -> int:
    """Seconds the contact center's clock is ahead of UTC at noon UTC of `day`."""
    noon = dt.datetime.combine(day, dt.time(12), dt.UTC)
    return int(noon.astimezone(ZoneInfo(config.CENTER_TIME_ZONE)).utcoffset().total_seconds())


def _lookup(mapping: dict, keys: tuple, dtype: type = float, default: float = 0) -> np.ndarray:
    return np.array([mapping.get(k, default) for k in keys], dtype=dtype)


def generate_block(ctx: DayContext, block: int) -> dict[str, np.ndarray]:
    """Columns of block `block` of the day, as numpy arrays (see COLUMNS for meaning)."""
    sizes = block_sizes(ctx.n_rows)
    n = sizes[block]
    first = block * config.BLOCK_SIZE
    rng = np.random.default_rng([ctx.seed, ctx.day.toordinal(), block])
    ref = ctx.reference

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
    # The channel depends on what the contact is about (complaints on social media, sales in stores).
    # (One search in the types' cumulative rows laid end to end, type t's row shifted by t.)
    channel = np.searchsorted(ctx.channel_cdf, itype + rng.random(n), side="right") - itype * len(CHANNELS)
    channel = channel.clip(0, len(CHANNELS) - 1)

    # When: a local time of day from the customer's local profile (stores: only while open),
    # turned into UTC by the customer's time zone. The batch is one UTC day, so the late
    # evening of western customers' previous local day falls into it (and is checked
    # against that local day's store hours).
    local_us = rng.choice(24, size=n, p=hourly_weights(ctx.day)).astype(np.int64) * US_PER_HOUR
    local_us += rng.integers(0, US_PER_HOUR, size=n)
    offset = ctx.zone_offset_us[ctx.pool_zone[pick]]
    store = np.flatnonzero(channel == IN_STORE)
    if len(store):
        k = len(store)
        hours = rng.choice(24, size=k, p=store_hour_weights(ctx.day.weekday())).astype(np.int64)
        at = hours * US_PER_HOUR + rng.integers(0, US_PER_HOUR, size=k)
        # Late-evening hours whose local day is the previous one must be open on that day;
        # the others move to noon-13:00 local, open every day and inside this UTC day in
        # every US zone.
        wraps = at - offset[store] >= US_PER_DAY
        prev_weekday = np.full(k, (ctx.day.weekday() - 1) % 7)
        bad = wraps & (ctx.previous_day_stores_closed | ~store_open(prev_weekday, at))
        local_us[store] = np.where(bad, 12 * US_PER_HOUR + at % US_PER_HOUR, at)
    utc_us = (local_us - offset) % US_PER_DAY
    # ids follow time: sort (time, position) packed in one integer (faster than argsort).
    key = np.sort((utc_us << _POSITION_BITS) | np.arange(n, dtype=np.int64))
    order = key & ((1 << _POSITION_BITS) - 1)
    utc_us = key >> _POSITION_BITS
    start_us = (ctx.day - PG_EPOCH).days * US_PER_DAY + utc_us
    pick, itype, channel, regional = pick[order], itype[order], channel[order], regional[order]
    hour = utc_us // US_PER_HOUR
    customer = ctx.pool_ids[pick]
    zone = ctx.pool_zone[pick]

    # Agents: the department that owns the type; some channels are partly self-service.
    self_service = rng.random(n) < _lookup(config.SELF_SERVICE_SHARE, CHANNELS)[channel]
    dept = ctx.type_department[itype]
    slot = (rng.random(n) * ctx.agent_counts[dept]).astype(np.int64)
    agent_idx = ctx.agent_table[dept, slot]
    agent_id = ref.agent_ids[agent_idx]
    skill = np.array([SKILLS.index(s) for s in ref.agent_skills], dtype=np.int8)[agent_idx]
    skill = np.where(self_service, 3, skill)

    # Outcome: the seed's resolution mix, shifted by skill (towards escalation) and by
    # channel and type (towards pending: first-contact resolution differs by both).
    shift = np.array([config.SKILL_RESOLUTION_SHIFT[s] for s in SKILLS])[skill]
    pending_shift = (
        _lookup(config.CHANNEL_RESOLUTION_SHIFT, CHANNELS)[channel]
        + _lookup(config.TYPE_RESOLUTION_SHIFT, TYPES)[itype]
    )
    base = np.array(list(config.RESOLUTION_MIX.values()))
    cut_resolved = np.maximum(base[0] - shift - pending_shift, 0.05)
    cut_pending = np.maximum(base[0] + base[1] - shift, cut_resolved)
    cut_escalated = cut_pending + base[2] + shift
    u = rng.random(n)
    resolution = np.select([u < cut_resolved, u < cut_pending, u < cut_escalated], [0, 1, 2], 3).astype(
        np.int8
    )
    escalated = (resolution == 2) | ((resolution == 0) & (rng.random(n) < config.RESOLVED_AFTER_ESCALATION))

    # Repeat contacts: a later contact of the customer (and about the type) of an earlier
    # unresolved one, in the same time zone (so the repeat's local time stays where it was drawn).
    unresolved = resolution != 0
    repeat_u, source_u = rng.random(n), rng.random(n)
    repeat = np.zeros(n, dtype=bool)
    source = np.arange(n)
    for z in range(len(geography.TIME_ZONES)):
        rows = np.flatnonzero(zone == z)
        if len(rows) == 0:
            continue
        open_rows = unresolved[rows]
        earlier = np.concatenate([[0], np.cumsum(open_rows)[:-1]])
        wants = (repeat_u[rows] < config.REPEAT_CONTACT_SHARE) & (earlier > 0)
        if not wants.any():
            continue
        candidates = rows[np.flatnonzero(open_rows)]
        chosen = candidates[
            (source_u[rows] * np.maximum(earlier, 1)).astype(np.int64).clip(0, len(candidates) - 1)
        ]
        repeat[rows] = wants
        source[rows] = np.where(wants, chosen, rows)
    customer = customer[source]
    pick = pick[source]
    itype = np.where(repeat, itype[source], itype)
    fcr = (resolution == 0) & ~escalated & ~repeat

    # Handle time: lognormal per live channel times the type's multiplier; NULL when asynchronous.
    synchronous = np.array([c in config.HANDLE_TIME_LOGNORMAL for c in CHANNELS])[channel]
    median = _lookup({c: v[0] for c, v in config.HANDLE_TIME_LOGNORMAL.items()}, CHANNELS)[channel]
    median = np.where(synchronous, median, 1.0)
    sigma = _lookup({c: v[1] for c, v in config.HANDLE_TIME_LOGNORMAL.items()}, CHANNELS)[channel]
    multiplier = np.array([config.INTERACTION_TYPES[t][1] for t in TYPES])[itype]
    handle = median * multiplier * np.exp(sigma * rng.standard_normal(n))
    duration = np.maximum(np.rint(handle), config.HANDLE_TIME_MIN_SECONDS).astype(np.int32)

    # Wait: exponential, longer in busy hours and on event days.
    load = ctx.utc_load[hour]
    mean_wait = _lookup(config.QUEUE_TIME_MEAN_SECONDS, CHANNELS)[channel] * plan.wait_multiplier
    mean_wait = mean_wait * np.maximum(1 + config.QUEUE_LOAD_SENSITIVITY * (load - 1), 0.2)
    queue = np.maximum(np.rint(rng.exponential(mean_wait)), np.where(synchronous, 0, 1)).astype(np.int32)
    # Asynchronous replies come from the digital desk: one due outside its hours waits for
    # the next opening (in the center's time zone) plus a backlog delay.
    reply_us = start_us + queue.astype(np.int64) * 1_000_000 + ctx.center_offset_us
    tod = reply_us % US_PER_DAY
    opens, closes = (h * US_PER_HOUR for h in config.DIGITAL_DESK_HOURS)
    backlog = np.minimum(rng.exponential(config.BACKLOG_REPLY_MEAN_MINUTES * 60e6, size=n), 4 * US_PER_HOUR)
    backlog = backlog.astype(np.int64)
    moved = np.where(tod < opens, reply_us - tod + opens, reply_us - tod + US_PER_DAY + opens) + backlog
    late = ~synchronous & ((tod < opens) | (tod >= closes))
    queue = np.where(late, np.ceil((moved - ctx.center_offset_us - start_us) / 1e6), queue).astype(np.int32)
    end_us = start_us + (queue.astype(np.int64) + np.where(synchronous, duration, 0)) * 1_000_000

    # CSAT 1..5 from outcome, skill, wait and handle time; answered by only a share of customers.
    latent = (
        config.CSAT_BASE
        + np.array([config.CSAT_RESOLUTION_EFFECT[r] for r in RESOLUTIONS])[resolution]
        + np.array([config.CSAT_SKILL_EFFECT[s] for s in SKILLS])[skill]
        + config.CSAT_WAIT_EFFECT * np.log2(np.maximum(queue, 1) / mean_wait).clip(-2, 4)
        + np.where(synchronous, config.CSAT_HANDLE_EFFECT * np.log2(handle / median).clip(-2, 4), 0)
        + np.where(repeat, config.CSAT_REPEAT_EFFECT, 0)
        + np.where(regional, plan.regional_csat_effect, 0)
        + plan.type_csat[itype]
        + config.CSAT_NOISE * rng.standard_normal(n)
    )
    satisfaction = np.clip(np.rint(latent), 1, 5).astype(np.int16)
    # Who answers the survey depends on how it went: unhappy and delighted customers answer more.
    by_score = np.array([0.0] + [config.SURVEY_RESPONSE_BY_SCORE[k] for k in range(1, 6)])
    answered = (
        rng.random(n) < _lookup(config.SURVEY_RESPONSE_RATE, CHANNELS)[channel] * by_score[satisfaction]
    )

    language = ctx.pool_language[pick]
    summary = (itype * 2 + (rng.random(n) < 0.5)).astype(np.int16)

    ids = first_id(ctx.day) + first + 1 + np.arange(n, dtype=np.int64)
    return {
        "interaction_id": ids,
        "customer_id": customer.astype(np.int64),
        "channel_id": _lookup(ref.channel_ids, CHANNELS, np.int16)[channel],
        "interaction_type_id": _lookup(ref.interaction_type_ids, TYPES, np.int16)[itype],
        "agent_id": agent_id.astype(np.int32),
        "agent_null": self_service,
        "start_us": start_us,
        "end_us": end_us,
        "duration_seconds": duration,
        "duration_null": ~synchronous,
        "queue_time_seconds": queue,
        "resolution": resolution,
        "is_escalated": escalated,
        "first_contact_resolution": fcr,
        "is_repeat_contact": repeat,
        "satisfaction_score": satisfaction,
        "satisfaction_null": ~answered,
        "summary": summary,
        "language": language,
    }


def generate_day(ctx: DayContext, blocks: range | None = None) -> Iterator[dict[str, np.ndarray]]:
    """The day's blocks in order (or only `blocks`, for one shard)."""
    for b in blocks if blocks is not None else range(len(block_sizes(ctx.n_rows))):
        yield generate_block(ctx, b)
