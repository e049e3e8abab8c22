"""The roster: every queue's seats and the chain of agents holding each.

A pure function of (seed, interactions_per_day). Per site and queue, seats ("slots") come from
a peak day's shift plan: each seat has a contract (parameters.CONTRACTS: 5 x 8 h, 4 x 10 h,
part-time 4 h) and a fixed start time in its site's local time. A seat is held by a chain of
agents: each one stays a drawn tenure (attrition), the seat is vacant a few weeks, then a new
hire takes it. The agents table grows over time and hire dates and `is_active` mean something.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from zoneinfo import ZoneInfo

import numpy as np

from include.generator import parameters
from include.generator.reference import Reference
from include.generator.stable_random import FIELDS, uniform
from include.generator.workforce import (
    CONTRACT_DAYS_OFF,
    CONTRACTS,
    FULL_TIME_4X10,
    FULL_TIME_5X8,
    GROUPS,
    PART_TIME,
    QUEUES,
    SKILLS,
    needed_agents,
    plan_shifts,
    pool_store_queues,
    queue_groups,
    queue_of,
    typical_load,
)

#: Generated agents: agent_id = AGENT_ID_BASE + (queue * SLOT_LIMIT + slot) * GENERATION_LIMIT + generation.
AGENT_ID_BASE = 100_000_000
SLOT_LIMIT = 100_000
GENERATION_LIMIT = 100
#: Agents per slot computed (40 tenures of ~2.5 years: far beyond any generated date).
GENERATIONS = 40
_NEVER = np.iinfo(np.int32).max // 2


@dataclass(frozen=True)
class Roster:
    """Every queue's slots (seats) and the chain of agents holding each (a pure function of seed, volume).

    A seat has a site, a contract and a fixed start time in the site's local time: whoever
    holds it works that shift on the days they are scheduled."""

    seed: int
    slot_queue: np.ndarray  # int16 per slot
    slot_number: np.ndarray  # int32: the slot's number within its queue
    hire_day: np.ndarray  # (slots, generations) int32 day index from parameters.EPOCH
    leave_day: np.ndarray  # (slots, generations) int32, first day not employed
    agent_id: np.ndarray  # (slots, generations) int32
    skill: np.ndarray  # (slots, generations) int8
    off_weekday: np.ndarray  # int8: first of the slot's days off in the rotation's first week
    baseline: np.ndarray  # (slots, generations) bool: one of the reference data's agents
    site: np.ndarray  # int16 per slot: index into parameters.SITES
    store: np.ndarray  # int16 per slot: the store (index into geography.TIME_ZONES), -1: the center
    contract: np.ndarray  # int8 per slot: index into CONTRACTS
    start_interval: np.ndarray  # int16 per slot: the shift's start, site-local interval of the day
    n_sites: int


def _day(d: dt.date) -> int:
    return (d - parameters.EPOCH).days


def place_zone(site: int, store: int) -> str:
    """The time zone of a place: a contact-center site (store -1), or the store of a time zone."""
    from include.generator.geography import TIME_ZONES

    return TIME_ZONES[store] if store >= 0 else parameters.SITES[site % len(parameters.SITES)][2]


def site_offset_intervals(site: int, day: dt.date, store: int = -1) -> int:
    """Intervals the place's clock is ahead of UTC at noon UTC of `day` (negative in the US)."""
    noon = dt.datetime.combine(day, dt.time(12), dt.UTC)
    offset = noon.astimezone(ZoneInfo(place_zone(site, store))).utcoffset()
    return int(offset.total_seconds()) // 60 // parameters.INTERVAL_MINUTES


def places(n_sites: int) -> list[tuple[int, int]]:
    """(site, store) of every place that has seats: each site's contact center (store -1), and
    per site the store of each time zone (its customers visit the store of their zone)."""
    from include.generator.geography import TIME_ZONES

    return [(site, store) for site in range(n_sites) for store in range(-1, len(TIME_ZONES))]


def _peak_need(interactions_per_day: int) -> list[tuple[int, int, np.ndarray]]:
    """Per place (site, store): (queues, local intervals) agents a peak day needs, the worst
    weekday per interval: the center all but the Store queues, a store its zone's Store queues."""
    from include.generator.calendar import population_zone_share

    peak = interactions_per_day * parameters.ROSTER_PEAK_FACTOR
    sizes = np.array(site_sizes(peak * max(parameters.WEEKDAY_VOLUME)), dtype=float)
    # Seats for the busiest weekday, with or without a national campaign's type mix.
    mixes = [None] + [e["type_lift"] for e in parameters.PLANTED_EVENTS.values() if e["scope"] == "national"]
    loads = [typical_load(weekday, mix) * peak for weekday in range(7) for mix in mixes]
    stores = (queue_groups() == GROUPS.index("Store"))[:, None]
    zones = population_zone_share()
    need = []
    for site, share in enumerate(sizes / sizes.sum()):
        for _, store in places(1):
            if store < 0:
                worst = np.max([needed_agents(load * share) for load in loads], axis=0)
            else:
                one = np.eye(len(zones))[store] * zones[store]
                zone_loads = [typical_load(weekday, None, one) * peak * share for weekday in range(7)]
                worst = np.max([needed_agents(pool_store_queues(load)) for load in zone_loads], axis=0)
            worst = np.where(stores == (store >= 0), worst, 0)
            need.append(
                (
                    site,
                    store,
                    np.roll(worst, site_offset_intervals(site, dt.date(2025, 1, 15), store), axis=1),
                )
            )
    return need


def _seat_templates(seed: int, need: np.ndarray, key: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(start interval, contract, days off) per seat of a queue at a site: the peak day's shifts,
    each worked by enough seats that days off and a margin leave one of them available. Seats
    of the same start and contract take their days off apart (a lone night shift stays covered)."""
    starts, full = plan_shifts(need)
    if len(starts) == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    ten = (
        uniform(seed, key * 10_000 + np.arange(len(starts)), FIELDS["four_by_ten_contract"])
        < parameters.FOUR_BY_TEN_SHARE
    )
    contract = np.where(full, np.where(ten, FULL_TIME_4X10, FULL_TIME_5X8), PART_TIME)
    weight = 7 / (7 - CONTRACT_DAYS_OFF[contract]) / (1 - parameters.ROSTER_MARGIN)
    total = np.cumsum(weight)
    n = int(np.ceil(total[-1]))
    pick = np.searchsorted(total, (np.arange(n) + 0.5) * total[-1] / n).clip(0, len(starts) - 1)
    kind = starts[pick] * len(CONTRACTS) + contract[pick]
    order = np.argsort(kind, kind="stable")
    rank = np.empty(n, dtype=np.int64)
    rank[order] = np.arange(n) - np.searchsorted(kind[order], kind[order])
    group = np.unique(kind, return_inverse=True)[1]
    size = np.bincount(group)[group]
    base = (uniform(seed, key * 10_000 + kind, 1_505) * 7).astype(np.int64)
    return starts[pick], contract[pick], (base + rank * 7 // size) % 7


def _baseline_agents(reference: Reference) -> dict[int, list[tuple[int, str]]]:
    """The reference data's agents hold the first slots of their department's Voice and Messaging queues."""
    baseline: dict[int, list[tuple[int, str]]] = {}
    for i, (agent, dept, skill) in enumerate(
        zip(reference.agent_ids, reference.agent_departments, reference.agent_skills, strict=True)
    ):
        group = ("Voice", "Messaging")[i % 2]
        baseline.setdefault(queue_of(dept, group), []).append((int(agent), skill))
    return baseline


def _extra_seats(per_slot: tuple[np.ndarray, ...], factor: float) -> tuple[np.ndarray, ...]:
    """A twin's staffing lever: (factor - 1) x as many seats again as a queue has, copying evenly
    spread existing ones (start, contract, place), their days off moved 3 days on."""
    n = len(per_slot[0])
    extra = int(np.ceil(n * (factor - 1) - 1e-9)) if factor > 1 and n else 0
    pick = np.floor((np.arange(extra) + 0.5) * n / max(extra, 1)).astype(np.int64)
    queue, site, start, contract, off, store = per_slot
    return queue[pick], site[pick], start[pick], contract[pick], (off[pick] + 3) % 7, store[pick]


def _seats(
    seed: int, interactions_per_day: int, baseline: dict, staffing: tuple | None = None
) -> tuple[np.ndarray, ...]:
    """(queue, site, start interval, contract, first day off, store) per slot, queue by queue;
    `staffing` (a twin's factor per queue) adds seats for the extra agents it schedules, after
    every queue's own: the existing seats keep their places (and what is drawn by them)."""
    need = _peak_need(interactions_per_day)
    columns: list[list[np.ndarray]] = [[], [], [], [], [], []]
    extras: list[tuple[np.ndarray, ...]] = []
    for q in range(len(QUEUES)):
        parts = [_seat_templates(seed, n[q], q * 100 + k) for k, (_, _, n) in enumerate(need)]
        start = np.concatenate([p[0] for p in parts])
        contract = np.concatenate([p[1] for p in parts])
        off = np.concatenate([p[2] for p in parts])
        site = np.concatenate([np.full(len(p[0]), need[k][0]) for k, p in enumerate(parts)])
        store = np.concatenate([np.full(len(p[0]), need[k][1]) for k, p in enumerate(parts)])
        short = len(baseline.get(q, ())) - len(start)
        if short > 0:  # more reference agents than seats: they work the first seats' shifts too
            extra = np.arange(short) % max(len(start), 1)
            start = np.concatenate([start, start[extra]]) if len(start) else np.full(short, 36)
            contract = np.concatenate([contract, contract[extra]]) if len(contract) else np.zeros(short)
            site = np.concatenate([site, site[extra]]) if len(site) else np.zeros(short)
            off = np.concatenate([off, (off[extra] + 3) % 7]) if len(off) else np.arange(short) % 7
            store = np.concatenate([store, store[extra]]) if len(store) else np.full(short, -1)
        per_slot = (np.full(len(start), q), site, start, contract, off, store)
        for column, values in zip(columns, per_slot, strict=True):
            column.append(values)
        if staffing:
            extras.append(_extra_seats(per_slot, staffing[q]))
    for extra in extras:
        for column, values in zip(columns, extra, strict=True):
            column.append(values)
    if np.bincount(np.concatenate(columns[0]).astype(np.int64)).max() >= SLOT_LIMIT:
        raise ValueError(
            f"interactions_per_day={interactions_per_day:,} needs more agents than the roster holds"
        )
    return tuple(np.concatenate(c).astype(np.int64) for c in columns)


@lru_cache(maxsize=8)
def build_roster(
    seed: int, interactions_per_day: int, reference: Reference, staffing: tuple | None = None
) -> Roster:
    """Slots per queue for a peak day of `interactions_per_day`, and the agents holding them
    (`staffing`: a twin's factor per queue on the seats, include/generator/scenario.py)."""
    baseline = _baseline_agents(reference)
    slot_queue, slot_site, slot_start, slot_contract, slot_off, slot_store = _seats(
        seed, interactions_per_day, baseline, staffing
    )
    # A slot's number within its queue: its rank among the queue's slots (a twin's extra seats,
    # after every queue's own, number on from the queue's last).
    order = np.argsort(slot_queue, kind="stable")
    slot_number = np.empty(len(slot_queue), dtype=np.int32)
    slot_number[order] = np.arange(len(order)) - np.searchsorted(slot_queue[order], slot_queue[order])
    keys = (slot_queue * SLOT_LIMIT + slot_number)[:, None] * GENERATION_LIMIT + np.arange(GENERATIONS)
    # Tenure: exponential (annual attrition, parameters); a vacancy between leaver and new hire.
    tenure = (
        np.ceil(-np.log1p(-uniform(seed, keys, 1_501)) * parameters.AGENT_MEAN_TENURE_DAYS).astype(np.int64)
        + 30
    )
    vacancy = (uniform(seed, keys, 1_502) * parameters.AGENT_VACANCY_DAYS_MAX).astype(np.int64)
    first_hire = -np.floor(uniform(seed, keys[:, 0], 1_503) * parameters.AGENT_MEAN_TENURE_DAYS * 2).astype(
        np.int64
    )
    hire = np.zeros(keys.shape, dtype=np.int64)
    hire[:, 0] = first_hire
    hire[:, 1:] = first_hire[:, None] + np.cumsum(tenure + vacancy, axis=1)[:, :-1]
    leave = hire + tenure
    skill = np.searchsorted(
        np.cumsum(list(parameters.AGENT_SKILL_MIX.values())), uniform(seed, keys, 1_504), side="right"
    ).clip(0, len(SKILLS) - 1)
    agent_id = (AGENT_ID_BASE + keys).astype(np.int64)
    is_baseline = np.zeros(keys.shape, dtype=bool)
    for q, agents in baseline.items():
        rows = np.flatnonzero(slot_queue == q)[: len(agents)]
        agent_id[rows, 0] = [a for a, _ in agents]
        skill[rows, 0] = [SKILLS.index(s) for _, s in agents]
        hire[rows, 0] = np.minimum(hire[rows, 0], -1)
        is_baseline[rows, 0] = True
    return Roster(
        seed=seed,
        slot_queue=slot_queue.astype(np.int16),
        slot_number=slot_number,
        hire_day=np.minimum(hire, _NEVER).astype(np.int32),
        leave_day=np.minimum(leave, _NEVER).astype(np.int32),
        agent_id=agent_id.astype(np.int32),
        skill=skill.astype(np.int8),
        off_weekday=slot_off.astype(np.int8),
        baseline=is_baseline,
        site=slot_site.astype(np.int16),
        store=slot_store.astype(np.int16),
        contract=slot_contract.astype(np.int8),
        start_interval=slot_start.astype(np.int16),
        n_sites=int(slot_site.max()) + 1 if len(slot_site) else 1,
    )


def site_sizes(rows: float) -> list[int]:
    """Contacts per site on a day of `rows` contacts: one site per block of BLOCK_SIZE (the
    generator serves each block at its own site)."""
    full, rest = divmod(max(int(round(rows)), 1), parameters.BLOCK_SIZE)
    return [parameters.BLOCK_SIZE] * full + ([rest] if rest else [])


def holders_on(roster: Roster, day: dt.date) -> tuple[np.ndarray, np.ndarray]:
    """(generation index, employed) per slot on `day`."""
    d = _day(day)
    gen = np.maximum((roster.hire_day <= d).sum(axis=1) - 1, 0)
    rows = np.arange(len(gen))
    employed = (roster.hire_day[rows, gen] <= d) & (roster.leave_day[rows, gen] > d)
    return gen, employed


def agents_employed_since_epoch(roster: Roster, through: dt.date) -> tuple[np.ndarray, np.ndarray]:
    """(slot, generation) of every generated agent hired by `through` who worked on or after EPOCH."""
    d = _day(through)
    mask = (roster.hire_day <= d) & (roster.leave_day > 0) & ~roster.baseline
    return np.nonzero(mask)


def agent_names(roster: Roster, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(first, last) name per generated agent: stable draws of (seed, agent id) from Faker's lists."""
    from include.generator.contacts import faker_vocabulary

    vocab = faker_vocabulary()

    def pick(name: str, field: int) -> np.ndarray:
        words, cdf = vocab[name]
        return words[
            np.minimum(np.searchsorted(cdf, uniform(roster.seed, ids, field), side="right"), len(words) - 1)
        ]

    return pick("first", 1_520), pick("last", 1_521)


def skill_on(roster: Roster, slots: np.ndarray | int, gens: np.ndarray | int, day: int) -> np.ndarray:
    """Skill (index into SKILLS) of agents on day index `day`: the skill they were hired with, or
    the level their tenure has reached (parameters.SKILL_PROMOTION_DAYS: Senior, then Expert) if
    higher (new agents take 60-90 days to reach baseline performance, revenuetools.io)."""
    tenure = day - roster.hire_day[slots, gens].astype(np.int64)
    steps = np.zeros(np.shape(tenure), dtype=np.int64)
    for days in parameters.SKILL_PROMOTION_DAYS:
        steps += tenure >= days
    return np.maximum(roster.skill[slots, gens], np.minimum(steps, len(SKILLS) - 1))
