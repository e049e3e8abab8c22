"""Repeat contacts across days: a customer comes back 1-7 days after an unresolved contact.

A day's rows stay a pure function of (seed, day): the pairs that start on day X (an
unresolved contact on X, the customer's repeat about the same type on X + lag) are drawn
from (seed, X) alone, from what every day can compute cheaply (the calendar's volumes and
type mix, the customer base). Day X plants the first contact in a slot of one of its
blocks (that customer, that type, a human contact, left unresolved); day X + lag plants
the repeat in a slot of one of its blocks. Each day finds both kinds by drawing the pairs
of the eight days that touch it, so days can be generated in any order or on any shard.

Slots are positions in a block's draws before they are sorted by time: the first quarter
of a block holds first contacts, the second quarter holds repeats, split by lag, so two
pairs never claim one slot (a block always keeps at least half its draws, see
`arrivals.block_arrivals`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from include.generator import parameters
from include.generator.calendar import day_plan, day_volume
from include.generator.customers import TIER_CONTACT_FACTOR, CustomerBase, base_size, day_index
from include.generator.rosters import site_sizes  # a day's blocks are its sites
from include.generator.stable_random import STREAMS

LAGS = len(parameters.REPEAT_LAG_DAY_WEIGHTS)  # a repeat comes 1..LAGS days after its first contact
_CANDIDATES = 4  # customer draws per pair: the first one active on both days is taken
_STREAM = STREAMS["repeat_pairs"]  # the pairs' random stream of a day (blocks use 0, 1, ...)


@dataclass(frozen=True)
class Pairs:
    """Cross-day repeat pairs that start on one day, one entry per pair."""

    lag: np.ndarray  # days to the repeat, 1..LAGS
    customer: np.ndarray  # index into the customer base (a prefix of its universe)
    itype: np.ndarray  # index into parameters.INTERACTION_TYPES
    source_block: np.ndarray
    source_slot: np.ndarray
    target_block: np.ndarray
    target_slot: np.ndarray


@dataclass(frozen=True)
class Planted:
    """A day's planted contacts, per block: (slots, customer indices into the base, types)."""

    sources: dict[int, tuple[np.ndarray, np.ndarray, np.ndarray]]
    targets: dict[int, tuple[np.ndarray, np.ndarray, np.ndarray]]


def _blocks(rng: np.random.Generator, sizes: np.ndarray, count: int) -> np.ndarray:
    """Blocks drawn in proportion to their sizes."""
    block = np.searchsorted(np.cumsum(sizes) / sizes.sum(), rng.random(count), side="right")
    return block.clip(0, len(sizes) - 1)


def pairs_from(
    origin: dt.date,
    seed: int,
    interactions_per_day: int,
    base: CustomerBase,
    propensity_cdf: np.ndarray,
    extra_events: tuple = (),
) -> Pairs:
    """The pairs whose first contact is on `origin` (`base` holds at least the customers registered
    by then; `propensity_cdf` its cumulative contact weight). `extra_events`: a twin's planted
    events; the origin's usual pairs stay the baseline's, and the contacts an event adds bring
    pairs of their own from a stream of their own, so the days after keep the baseline's repeats
    plus the event's; a repeat's slot is laid out on the baseline's blocks of its day, so a day
    before a planted event stays the baseline's, as causality wants."""
    usual = day_volume(origin, interactions_per_day, seed)
    rng = np.random.default_rng([seed, origin.toordinal(), _STREAM])
    drawn = _drawn(
        rng,
        origin,
        seed,
        interactions_per_day,
        base,
        propensity_cdf,
        usual,
        usual,
        day_plan(origin, seed).type_p,
    )
    volume = day_volume(origin, interactions_per_day, seed, extra_events) if extra_events else usual
    if volume > usual:
        added = day_plan(origin, seed, extra_events).type_p * volume - day_plan(origin, seed).type_p * usual
        added = np.maximum(added, 0) if added.max() > 0 else day_plan(origin, seed, extra_events).type_p
        rng = np.random.default_rng([seed, origin.toordinal(), _STREAM, 1])  # (the event's own)
        more = _drawn(
            rng,
            origin,
            seed,
            interactions_per_day,
            base,
            propensity_cdf,
            volume - usual,
            volume,
            added / added.sum(),
        )
        drawn = {k: np.concatenate([drawn[k], more[k]]) for k in drawn}
    keep = drawn.pop("ok")
    keep &= _first_of_each(drawn["source_block"] * (1 << 32) + drawn["source_slot"])
    keep &= _first_of_each(
        (drawn["lag"] * (1 << 20) + drawn["target_block"]) * (1 << 32) + drawn["target_slot"]
    )
    return Pairs(**{k: v[keep] for k, v in drawn.items()})


def _drawn(
    rng: np.random.Generator,
    origin: dt.date,
    seed: int,
    interactions_per_day: int,
    base: CustomerBase,
    propensity_cdf: np.ndarray,
    contacts: int,
    volume: int,
    type_p: np.ndarray,
) -> dict[str, np.ndarray]:
    """Pairs of `contacts` first contacts on `origin` (a day of `volume`), with `ok`: whether
    each can be laid out (a customer found, room in its blocks)."""
    m = int(rng.binomial(contacts, parameters.CROSS_DAY_REPEAT_SHARE))
    weights = np.array(parameters.REPEAT_LAG_DAY_WEIGHTS)
    lag = rng.choice(LAGS, size=m, p=weights / weights.sum()) + 1
    itype = rng.choice(len(parameters.INTERACTION_TYPES), size=m, p=type_p)
    # The customer: weighted as the origin's contacts are (propensity times the plan tier's
    # factor, the tier by rejection) among those registered by then, and still a customer
    # on the day of the repeat.
    registered = base_size(seed, base.new_per_day, origin)
    cdf = propensity_cdf[:registered]
    draws = np.searchsorted(cdf, rng.random((m, _CANDIDATES)) * cdf[-1], side="right").clip(0, registered - 1)
    d = day_index(origin)
    ok = base.churn_day[draws] > d + lag[:, None]
    tier_factor = TIER_CONTACT_FACTOR[base.tier_on(d, draws)]
    ok &= rng.random((m, _CANDIDATES)) * TIER_CONTACT_FACTOR.max() < tier_factor
    customer = draws[np.arange(m), ok.argmax(axis=1)]
    # The first contact: a slot in the first quarter of a block of the origin.
    sizes = np.array(site_sizes(volume))
    source_block = _blocks(rng, sizes, m)
    source_sizes = sizes[source_block]
    source_slot = (rng.random(m) * (source_sizes // 4)).astype(np.int64)
    # The repeat: a slot in the second quarter of a block of its day, the part of that
    # quarter kept for its lag (repeats from different days never meet).
    target_block = np.zeros(m, dtype=np.int64)
    target_sizes = np.zeros(m, dtype=np.int64)
    for k in range(1, LAGS + 1):
        rows = np.flatnonzero(lag == k)
        sizes = np.array(site_sizes(day_volume(origin + dt.timedelta(days=k), interactions_per_day, seed)))
        target_block[rows] = _blocks(rng, sizes, len(rows))
        target_sizes[rows] = sizes[target_block[rows]]
    quarter = target_sizes // 4
    width = (target_sizes // 2 - quarter) // LAGS
    target_slot = quarter + (lag - 1) * width + (rng.random(m) * width).astype(np.int64)
    return {
        "lag": lag, "customer": customer, "itype": itype,
        "source_block": source_block, "source_slot": source_slot,
        "target_block": target_block, "target_slot": target_slot,
        "ok": ok.any(axis=1) & (source_sizes >= 4) & (width >= 1),
    }  # fmt: skip


def _first_of_each(key: np.ndarray) -> np.ndarray:
    """True at the first occurrence of each key (two pairs never share a slot)."""
    first = np.zeros(len(key), dtype=bool)
    first[np.unique(key, return_index=True)[1]] = True
    return first


def planted_on(
    day: dt.date, seed: int, interactions_per_day: int, base: CustomerBase, extra_events: tuple = ()
) -> Planted:
    """The first contacts day `day` plants (pairs from `day`) and its repeats (pairs from the
    LAGS days before it, with that lag). `base` is the base through `day`."""
    cdf = np.cumsum(base.propensity)
    out = _by_block(pairs_from(day, seed, interactions_per_day, base, cdf, extra_events), source=True)
    targets: dict[int, list[tuple[np.ndarray, np.ndarray, np.ndarray]]] = {}
    for k in range(1, LAGS + 1):
        origin = day - dt.timedelta(days=k)
        if origin < parameters.EPOCH:
            break
        p = pairs_from(origin, seed, interactions_per_day, base, cdf, extra_events)
        rows = p.lag == k
        for block, part in _by_block(p, source=False, rows=rows).items():
            targets.setdefault(block, []).append(part)
    joined = {
        b: tuple(np.concatenate(col) for col in zip(*parts, strict=True)) for b, parts in targets.items()
    }
    return Planted(sources=out, targets=joined)


def _by_block(
    p: Pairs, *, source: bool, rows: np.ndarray | None = None
) -> dict[int, tuple[np.ndarray, np.ndarray, np.ndarray]]:
    block, slot = (p.source_block, p.source_slot) if source else (p.target_block, p.target_slot)
    rows = np.ones(len(block), dtype=bool) if rows is None else rows
    out = {}
    for b in np.unique(block[rows]):
        mine = rows & (block == b)
        out[int(b)] = (slot[mine], p.customer[mine], p.itype[mine])
    return out
