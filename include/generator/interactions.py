"""A day's interactions, generated in fixed, independently seeded blocks (vectorized).

Block b of day D is a pure function of (seed, D, b, the day's size): the rows of a day do
not depend on the order days are generated in, nor on how blocks are grouped into shards.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from include.generator import config
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


def first_id(day: dt.date) -> int:
    """yyyymmdd * 10^9: a day's interaction ids count up from here (SQL: interaction_days.first_id)."""
    return int(day.strftime("%Y%m%d")) * 1_000_000_000


def day_volume(day: dt.date, interactions_per_day: int) -> int:
    """Rows for a day: the average volume shaped by weekday (at least 1)."""
    return max(1, round(interactions_per_day * config.WEEKDAY_VOLUME[day.weekday()]))


def block_sizes(n_rows: int) -> list[int]:
    full, rest = divmod(n_rows, config.BLOCK_SIZE)
    return [config.BLOCK_SIZE] * full + ([rest] if rest else [])


def hourly_weights(day: dt.date) -> np.ndarray:
    w = np.array(config.HOURLY_PROFILE, dtype=float)
    if day.weekday() >= 5:
        w = (1 - config.WEEKEND_HOURLY_FLATTEN) * w + config.WEEKEND_HOURLY_FLATTEN * w.mean()
    return w / w.sum()


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


DEPARTMENTS = tuple(sorted({dept for _, _, dept in config.INTERACTION_TYPES.values()}))


def day_context(day: dt.date, n_rows: int, seed: int, base: CustomerBase, reference: Reference) -> DayContext:
    d = day_index(day)
    active = base.active_on(d)
    if not active.any():
        raise ValueError(f"no active customers on {day}")
    tier_factor = np.array([0.0] + [config.TIER_PROPENSITY[t] for t in range(1, 5)])
    weights = base.propensity[active] * tier_factor[base.tier_on(d)[active]]
    cdf = np.cumsum(weights)
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
    )


def _lookup(mapping: dict, keys: tuple, dtype: type = float) -> np.ndarray:
    return np.array([mapping.get(k, 0) for k in keys], dtype=dtype)


def generate_block(ctx: DayContext, block: int) -> dict[str, np.ndarray]:
    """Columns of block `block` of the day, as numpy arrays (see COLUMNS for meaning)."""
    sizes = block_sizes(ctx.n_rows)
    n = sizes[block]
    first = block * config.BLOCK_SIZE
    rng = np.random.default_rng([ctx.seed, ctx.day.toordinal(), block])
    ref = ctx.reference

    # Arrivals: hour of day from the profile, uniform within the hour; ids follow time.
    hour = rng.choice(24, size=n, p=hourly_weights(ctx.day))
    start_us = (
        (ctx.day - PG_EPOCH).days * US_PER_DAY
        + hour.astype(np.int64) * 3_600_000_000
        + rng.integers(0, 3_600_000_000, size=n)
    )
    start_us.sort()
    hour = (start_us % US_PER_DAY) // 3_600_000_000

    channel = rng.choice(len(CHANNELS), size=n, p=list(config.CHANNEL_MIX.values()))
    itype = rng.choice(len(TYPES), size=n, p=[config.INTERACTION_TYPES[t][0] for t in TYPES])
    customer = ctx.pool_ids[
        np.searchsorted(ctx.pool_cdf, rng.random(n), side="right").clip(0, len(ctx.pool_ids) - 1)
    ]

    # Agents: the department that owns the type; some channels are partly self-service.
    self_service = rng.random(n) < _lookup(config.SELF_SERVICE_SHARE, CHANNELS)[channel]
    dept = ctx.type_department[itype]
    slot = (rng.random(n) * ctx.agent_counts[dept]).astype(np.int64)
    agent_idx = ctx.agent_table[dept, slot]
    agent_id = ref.agent_ids[agent_idx]
    skill = np.array([SKILLS.index(s) for s in ref.agent_skills], dtype=np.int8)[agent_idx]
    skill = np.where(self_service, 3, skill)

    # Outcome: the seed's resolution mix, shifted by skill.
    shift = np.array([config.SKILL_RESOLUTION_SHIFT[s] for s in SKILLS])[skill]
    base = np.array(list(config.RESOLUTION_MIX.values()))
    cut_resolved = base[0] - shift
    cut_pending = cut_resolved + base[1]
    cut_escalated = cut_pending + base[2] + shift
    u = rng.random(n)
    resolution = np.select([u < cut_resolved, u < cut_pending, u < cut_escalated], [0, 1, 2], 3).astype(
        np.int8
    )
    escalated = (resolution == 2) | ((resolution == 0) & (rng.random(n) < config.RESOLVED_AFTER_ESCALATION))

    # Repeat contacts: a later contact of the customer (and about the type) of an earlier unresolved one.
    unresolved = resolution != 0
    earlier = np.concatenate([[0], np.cumsum(unresolved)[:-1]])
    repeat = (rng.random(n) < config.REPEAT_CONTACT_SHARE) & (earlier > 0)
    source = (
        np.flatnonzero(unresolved)[
            (rng.random(n) * np.maximum(earlier, 1))
            .astype(np.int64)
            .clip(0, None)
            .clip(None, max(unresolved.sum() - 1, 0))
        ]
        if unresolved.any()
        else None
    )
    if source is not None:
        customer = np.where(repeat, customer[source], customer)
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

    # Wait: exponential, longer in busy hours.
    load = hourly_weights(ctx.day)[hour] * 24
    mean_wait = _lookup(config.QUEUE_TIME_MEAN_SECONDS, CHANNELS)[channel]
    mean_wait = mean_wait * np.maximum(1 + config.QUEUE_LOAD_SENSITIVITY * (load - 1), 0.2)
    queue = np.maximum(np.rint(rng.exponential(mean_wait)), np.where(synchronous, 0, 1)).astype(np.int32)
    end_us = start_us + (queue.astype(np.int64) + np.where(synchronous, duration, 0)) * 1_000_000

    # CSAT 1..5 from outcome, skill, wait and handle time; answered by only a share of customers.
    latent = (
        config.CSAT_BASE
        + np.array([config.CSAT_RESOLUTION_EFFECT[r] for r in RESOLUTIONS])[resolution]
        + np.array([config.CSAT_SKILL_EFFECT[s] for s in SKILLS])[skill]
        + config.CSAT_WAIT_EFFECT * np.log2(np.maximum(queue, 1) / mean_wait).clip(-2, 4)
        + np.where(synchronous, config.CSAT_HANDLE_EFFECT * np.log2(handle / median).clip(-2, 4), 0)
        + np.where(repeat, config.CSAT_REPEAT_EFFECT, 0)
        + config.CSAT_NOISE * rng.standard_normal(n)
    )
    satisfaction = np.clip(np.rint(latent), 1, 5).astype(np.int16)
    answered = rng.random(n) < _lookup(config.SURVEY_RESPONSE_RATE, CHANNELS)[channel]

    language = rng.choice(len(LANGUAGES), size=n, p=list(config.LANGUAGE_MIX.values())).astype(np.int8)
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
