"""The contact center's workforce: a roster sized by Erlang C, shifts, and the queues they serve.

Pure functions of (seed, interactions_per_day, date), no database:

* Queues: a department (which owns contact types, config.INTERACTION_TYPES) times a service
  group (config.SERVICE_GROUPS: Voice, Messaging, Store), each with its agents' concurrency.
* Roster: per queue, a fixed number of seats ("slots"), sized so that a peak day's shifts can
  be filled. A slot is held by a chain of agents: each one stays a drawn tenure (attrition),
  the slot is vacant a few weeks, then a new hire takes it. The agents table grows over time
  and hire dates and `is_active` mean something.
* Shifts: every day, the workforce-management forecast (the calendar without its noise or
  unplanned outages) gives offered contacts per 15-minute interval and queue; Erlang C gives
  the agents needed for the queue's service-level target; 8-hour shifts with a break cover
  them (greedy); available agents (not on their days off, not absent) fill them.
* Service: a first-come-first-served multi-server queue per queue with abandonment (each
  caller has a patience): waits and abandoned contacts come from arrivals against the staff
  actually on shift, so a busy hour or an understaffed day shows longer waits.
"""

from __future__ import annotations

import datetime as dt
import heapq
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from include.generator import config
from include.generator.reference import Reference
from include.generator.stable_random import uniform

DEPARTMENTS = tuple(sorted({dept for _, _, dept in config.INTERACTION_TYPES.values()}))
GROUPS = tuple(config.SERVICE_GROUPS)
QUEUES = tuple((d, g) for d in DEPARTMENTS for g in GROUPS)
INTERVAL_US = config.INTERVAL_MINUTES * 60_000_000
INTERVALS = 24 * 60 // config.INTERVAL_MINUTES
SKILLS = ("Junior", "Senior", "Expert")
#: Generated agents: agent_id = AGENT_ID_BASE + (queue * SLOT_LIMIT + slot) * GENERATION_LIMIT + generation.
AGENT_ID_BASE = 100_000_000
SLOT_LIMIT = 100_000
GENERATION_LIMIT = 100
#: Agents per slot computed (40 tenures of ~2.5 years: far beyond any generated date).
GENERATIONS = 40
_SEAT_BITS = 24  # seat index packed under the time in the service heap
_NEVER = np.iinfo(np.int32).max // 2


def queue_of(department: str, group: str) -> int:
    return QUEUES.index((department, group))


# ------------------------------------------------------------------ staffing model


def erlang_c_servers(
    offered: np.ndarray, aht_s: np.ndarray, target_share: np.ndarray, target_s: np.ndarray
) -> np.ndarray:
    """Servers needed so that `target_share` of contacts wait at most `target_s` (Erlang C).

    Vectorized over any shape (queues x intervals; targets broadcast). Written out (the Erlang
    B recursion) rather than taken from pyworkforce, which pulls in OR-Tools and works one
    interval at a time. The recursion starts 10 standard deviations below the load, from
    B ~ 1 - n/A (the forward recursion contracts errors by ~n/A a step there, so the value is
    exact to float precision long before n reaches the load): a few hundred steps for any
    volume instead of one per server.
    """
    load = offered * aht_s / (config.INTERVAL_MINUTES * 60)  # Erlangs
    n = np.maximum(np.floor(load - 10 * np.sqrt(load)), 0)
    erlang_b = np.where(n > 0, np.clip(1 - n / np.maximum(load, 1e-12), 1e-12, 1), 1.0)
    need = np.zeros(load.shape, dtype=np.int64)
    todo = load > 0
    while todo.any():
        n = n + 1
        erlang_b = load * erlang_b / (n + load * erlang_b)
        stable = n > load
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            wait_p = np.where(stable, n * erlang_b / np.maximum(n - load * (1 - erlang_b), 1e-12), 1.0)
            service = 1 - wait_p * np.exp(-(n - load) * target_s / np.maximum(aht_s, 1e-9))
        done = todo & stable & (service >= target_share)
        need[done] = n[done]
        todo &= ~done
    return need


@dataclass(frozen=True)
class Shifts:
    """A day's scheduled shifts (filled ones only), microseconds since the day's UTC midnight."""

    queue: np.ndarray  # int16 index into QUEUES
    agent_id: np.ndarray  # int32
    skill: np.ndarray  # int8 index into SKILLS
    start: np.ndarray  # int64
    end: np.ndarray
    break_start: np.ndarray  # == break_end when the shift has no break
    break_end: np.ndarray
    needed: np.ndarray  # (queues, intervals) agents the forecast asked for
    unfilled: np.ndarray  # per queue: shifts planned but without an available agent
    site: np.ndarray  # int16: the site (a block of the day's contacts) the shift serves


def plan_shifts(need: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Greedy cover of agents needed per interval: (start interval, length, break offset) per shift.

    Walking through the day, a deficit is covered by full shifts (SHIFT_INTERVALS, with a break
    at one of four staggered offsets) as far as it lasts, the rest by part-time shifts
    (PART_TIME_INTERVALS, no break), as workforce planners cover peaks. Shifts are cut at the
    end of the UTC day (a break that no longer fits is dropped)."""
    horizon = INTERVALS + config.SHIFT_INTERVALS
    cover = np.zeros(horizon, dtype=np.int64)
    padded = np.zeros(horizon, dtype=np.int64)
    padded[:INTERVALS] = need
    starts: list[np.ndarray] = []
    lengths: list[np.ndarray] = []
    breaks: list[np.ndarray] = []
    offsets = np.array(config.BREAK_OFFSETS_INTERVALS)
    part = config.PART_TIME_INTERVALS
    placed = 0
    for i in range(INTERVALS):
        deficit = int(padded[i] - cover[i])
        if deficit <= 0:
            continue
        later = padded[i + part : i + config.SHIFT_INTERVALS] - cover[i + part : i + config.SHIFT_INTERVALS]
        full = min(deficit, max(int(later.min()), 0)) if i + part < INTERVALS else 0
        if full:
            which = (placed + np.arange(full)) % len(offsets)
            placed += full
            cover[i : i + config.SHIFT_INTERVALS] += full
            for k, off in enumerate(offsets):
                count = int((which == k).sum())
                cover[i + off : i + off + config.BREAK_INTERVALS] -= count
            starts.append(np.full(full, i))
            lengths.append(np.full(full, config.SHIFT_INTERVALS))
            breaks.append(offsets[which])
        if deficit > full:
            cover[i : i + part] += deficit - full
            starts.append(np.full(deficit - full, i))
            lengths.append(np.full(deficit - full, part))
            breaks.append(np.full(deficit - full, config.SHIFT_INTERVALS))  # none
    if not starts:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, empty
    return np.concatenate(starts), np.concatenate(lengths), np.concatenate(breaks)


# ------------------------------------------------------------------ roster


@dataclass(frozen=True)
class Roster:
    """Every queue's slots and the chain of agents holding each (a pure function of seed, volume)."""

    seed: int
    slot_queue: np.ndarray  # int16 per slot
    slot_number: np.ndarray  # int32: the slot's number within its queue
    hire_day: np.ndarray  # (slots, generations) int32 day index from config.EPOCH
    leave_day: np.ndarray  # (slots, generations) int32, first day not employed
    agent_id: np.ndarray  # (slots, generations) int32
    skill: np.ndarray  # (slots, generations) int8
    off_weekday: np.ndarray  # int8: first of the slot's two consecutive days off
    baseline: np.ndarray  # (slots, generations) bool: one of the reference data's agents
    shift_rank: np.ndarray  # float per slot: where in the day the slot's shifts fall (0 earliest)


def _day(d: dt.date) -> int:
    return (d - config.EPOCH).days


def channel_given_type(type_p: np.ndarray, channel_p: np.ndarray) -> np.ndarray:
    """P(channel | type), (types x channels): the independent mix times the affinities of
    TYPE_CHANNEL_AFFINITY, fitted back to both marginals (iterative proportional fitting)."""
    affinity = np.array(
        [
            [config.TYPE_CHANNEL_AFFINITY.get(t, {}).get(c, 1.0) for c in config.CHANNEL_MIX]
            for t in config.INTERACTION_TYPES
        ]
    )
    joint = np.outer(type_p, channel_p) * affinity
    for _ in range(50):
        joint *= (type_p / np.maximum(joint.sum(axis=1), 1e-300))[:, None]
        joint *= (channel_p / np.maximum(joint.sum(axis=0), 1e-300))[None, :]
    return joint / np.maximum(joint.sum(axis=1, keepdims=True), 1e-300)


def typical_load(weekday: int) -> np.ndarray:
    """(queues, intervals) offered contacts per interval on an average `weekday` for 1 contact a day."""
    from include.generator.geography import STATE_POPULATION_2020, STATE_ZONE, TIME_ZONES, utc_offsets

    zone_share = np.zeros(len(TIME_ZONES))
    for state, population in STATE_POPULATION_2020.items():
        zone_share[STATE_ZONE[state]] += population
    zone_share /= zone_share.sum()
    offsets = utc_offsets(dt.date(2025, 1, 15)) // 60 // config.INTERVAL_MINUTES
    channel_p = np.array(list(config.CHANNEL_MIX.values()))
    if weekday >= 5:
        channel_p = channel_p * np.array(
            [config.WEEKEND_CHANNEL_LIFT.get(c, 1.0) for c in config.CHANNEL_MIX]
        )
        channel_p /= channel_p.sum()
    type_p = np.array([config.INTERACTION_TYPES[t][0] for t in config.INTERACTION_TYPES])
    type_p = type_p / type_p.sum()
    share = queue_shares(type_p, channel_given_type(type_p, channel_p))
    volume = config.WEEKDAY_VOLUME[weekday]
    return volume * share[:, None] * utc_profiles(zone_share, offsets, weekday)[queue_groups()]


def queue_groups() -> np.ndarray:
    """Service group (index into GROUPS) of each queue."""
    return np.array([GROUPS.index(g) for _, g in QUEUES])


def utc_profiles(zone_share: np.ndarray, zone_offset_intervals: np.ndarray, weekday: int) -> np.ndarray:
    """(groups, intervals) share of a group's arrivals per UTC interval: the local hourly profile
    (stores: only in store hours) of each time zone, shifted to UTC, weighted by the zones' share."""
    hourly = np.array(config.HOURLY_PROFILE, dtype=float)
    if weekday >= 5:
        hourly = (1 - config.WEEKEND_HOURLY_FLATTEN) * hourly + config.WEEKEND_HOURLY_FLATTEN * hourly.mean()
    store = hourly.copy()
    opens, closes = config.STORE_HOURS[weekday]
    store[:opens] = 0
    store[closes:] = 0
    per_interval = 60 // config.INTERVAL_MINUTES
    rows = []
    for group in GROUPS:
        local = np.repeat(store if group == "Store" else hourly, per_interval)
        local = local / local.sum()
        rows.append(
            sum(
                zone_share[z] * np.roll(local, -int(zone_offset_intervals[z])) for z in range(len(zone_share))
            )
        )
    return np.array(rows)


def queue_shares(type_p: np.ndarray, channel_given_type: np.ndarray | None = None) -> np.ndarray:
    """Work reaching each queue, in contacts of the queue's average handle time, per contact of
    the day: live contacts for an agent (bots that hand off included, bots that contain the
    contact excluded), plus the asynchronous messages its agents answer (in equivalent contacts:
    their work time over the queue's AHT)."""
    channels = tuple(config.CHANNEL_MIX)
    if channel_given_type is None:
        channel_given_type = np.tile(np.array(list(config.CHANNEL_MIX.values())), (len(type_p), 1))
    bot = np.array([config.SELF_SERVICE_SHARE.get(c, 0.0) for c in channels])
    synchronous = np.array([c in config.HANDLE_TIME_LOGNORMAL for c in channels])
    # Of a channel's rows: humans who never met a bot, plus the bots' hand-offs.
    human = (1 - bot + bot * config.BOT_HANDOFF_SHARE) / rows_per_contact()
    aht = queue_aht_seconds()
    shares = np.zeros(len(QUEUES))
    types = tuple(config.INTERACTION_TYPES)
    for t, code in enumerate(types):
        dept = config.INTERACTION_TYPES[code][2]
        for c, channel in enumerate(channels):
            if synchronous[c]:
                q = queue_of(dept, channel_group(channel))
                shares[q] += type_p[t] * channel_given_type[t, c] * human[c]
            else:
                q = queue_of(dept, config.ASYNC_GROUP)
                median, sigma = config.ASYNC_WORK_LOGNORMAL[channel]
                work = median * np.exp(sigma**2 / 2)
                shares[q] += type_p[t] * channel_given_type[t, c] * human[c] * work / aht[q]
    return shares


def rows_per_contact() -> np.ndarray:
    """Rows a contact started on each channel makes: 1, plus the human contact of a bot hand-off."""
    return np.array(
        [1 + config.SELF_SERVICE_SHARE.get(c, 0.0) * config.BOT_HANDOFF_SHARE for c in config.CHANNEL_MIX]
    )


@lru_cache(maxsize=32)
def channel_group(channel: str) -> str | None:
    for group, spec in config.SERVICE_GROUPS.items():
        if channel in spec["channels"]:
            return group
    return None


@lru_cache(maxsize=1)
def queue_aht_seconds() -> np.ndarray:
    """Mean handle time per queue (seconds): the channels' lognormal means times the types'."""
    aht = np.zeros(len(QUEUES))
    weight = np.zeros(len(QUEUES))
    for share, multiplier, dept in config.INTERACTION_TYPES.values():
        for channel, mix in config.CHANNEL_MIX.items():
            group = channel_group(channel)
            if group is None or channel not in config.HANDLE_TIME_LOGNORMAL:
                continue
            median, sigma = config.HANDLE_TIME_LOGNORMAL[channel]
            q = queue_of(dept, group)
            w = share * mix
            aht[q] += w * median * multiplier * np.exp(sigma**2 / 2)
            weight[q] += w
    return aht / np.maximum(weight, 1e-12)


def needed_agents(offered: np.ndarray) -> np.ndarray:
    """(queues, intervals) agents needed by Erlang C for each queue's service-level target."""
    specs = [config.SERVICE_GROUPS[g] for _, g in QUEUES]
    column = lambda key: np.array([float(spec[key]) for spec in specs])[:, None]  # noqa: E731
    servers = erlang_c_servers(
        offered, queue_aht_seconds()[:, None], column("target_share"), column("target_seconds")
    )
    need = np.ceil(servers / column("concurrency")).astype(np.int64)
    return np.where(column("always_open") > 0, np.maximum(need, 1), need)


@lru_cache(maxsize=8)
def build_roster(seed: int, interactions_per_day: int, reference: Reference) -> Roster:
    """Slots per queue for a peak day of `interactions_per_day`, and the agents holding them."""
    # Enough agents for every weekday's peak shifts among those not on their days off.
    off_start = np.array(config.DAYS_OFF_START_WEEKDAY)
    slots_per_queue = [0] * len(QUEUES)
    for weekday in range(7):
        available = 1 - off_start[weekday] - off_start[(weekday - 1) % 7]
        load = typical_load(weekday) * interactions_per_day * config.ROSTER_PEAK_FACTOR
        sizes = np.array(
            site_sizes(interactions_per_day * config.ROSTER_PEAK_FACTOR * config.WEEKDAY_VOLUME[weekday])
        )
        needs = [needed_agents(load * size / sizes.sum()) for size in sizes]
        for q in range(len(QUEUES)):
            shifts = sum(len(plan_shifts(need[q])[0]) for need in needs)
            slots_per_queue[q] = max(
                slots_per_queue[q], int(np.ceil(shifts / available / (1 - config.ROSTER_MARGIN)))
            )
    # The reference data's agents hold the first slots of their department's Voice and Messaging queues.
    baseline: dict[int, list[tuple[int, str]]] = {}
    for i, (agent, dept, skill) in enumerate(
        zip(reference.agent_ids, reference.agent_departments, reference.agent_skills, strict=True)
    ):
        group = ("Voice", "Messaging")[i % 2]
        baseline.setdefault(queue_of(dept, group), []).append((int(agent), skill))
    for q, agents in baseline.items():
        slots_per_queue[q] = max(slots_per_queue[q], len(agents))
    if max(slots_per_queue) >= SLOT_LIMIT:
        raise ValueError(
            f"interactions_per_day={interactions_per_day:,} needs more agents than the roster holds"
        )
    slot_queue = np.repeat(np.arange(len(QUEUES)), slots_per_queue).astype(np.int16)
    slot_number = np.concatenate([np.arange(k) for k in slots_per_queue]).astype(np.int32)
    keys = (slot_queue.astype(np.int64) * SLOT_LIMIT + slot_number)[:, None] * GENERATION_LIMIT + np.arange(
        GENERATIONS
    )
    # Tenure: exponential (annual attrition, config); a vacancy between leaver and new hire.
    tenure = (
        np.ceil(-np.log1p(-uniform(seed, keys, 1_501)) * config.AGENT_MEAN_TENURE_DAYS).astype(np.int64) + 30
    )
    vacancy = (uniform(seed, keys, 1_502) * config.AGENT_VACANCY_DAYS_MAX).astype(np.int64)
    first_hire = -np.floor(uniform(seed, keys[:, 0], 1_503) * config.AGENT_MEAN_TENURE_DAYS * 2).astype(
        np.int64
    )
    hire = np.zeros(keys.shape, dtype=np.int64)
    hire[:, 0] = first_hire
    hire[:, 1:] = first_hire[:, None] + np.cumsum(tenure + vacancy, axis=1)[:, :-1]
    leave = hire + tenure
    skill = np.searchsorted(
        np.cumsum(list(config.AGENT_SKILL_MIX.values())), uniform(seed, keys, 1_504), side="right"
    ).clip(0, len(SKILLS) - 1)
    agent_id = (AGENT_ID_BASE + keys).astype(np.int64)
    is_baseline = np.zeros(keys.shape, dtype=bool)
    for q, agents in baseline.items():
        rows = np.flatnonzero(slot_queue == q)[: len(agents)]
        agent_id[rows, 0] = [a for a, _ in agents]
        skill[rows, 0] = [SKILLS.index(s) for _, s in agents]
        hire[rows, 0] = np.minimum(hire[rows, 0], -1)
        is_baseline[rows, 0] = True
    off = np.searchsorted(
        np.cumsum(config.DAYS_OFF_START_WEEKDAY), uniform(seed, keys[:, 0], 1_505), side="right"
    ).clip(0, 6)
    return Roster(
        seed=seed,
        slot_queue=slot_queue,
        slot_number=slot_number,
        hire_day=np.minimum(hire, _NEVER).astype(np.int32),
        leave_day=np.minimum(leave, _NEVER).astype(np.int32),
        agent_id=agent_id.astype(np.int32),
        skill=skill.astype(np.int8),
        off_weekday=off.astype(np.int8),
        baseline=is_baseline,
        shift_rank=uniform(seed, keys[:, 0], 1_507),
    )


def site_sizes(rows: float) -> list[int]:
    """Contacts per site on a day of `rows` contacts: one site per block of BLOCK_SIZE (the
    generator serves each block at its own site)."""
    full, rest = divmod(max(int(round(rows)), 1), config.BLOCK_SIZE)
    return [config.BLOCK_SIZE] * full + ([rest] if rest else [])


def holders_on(roster: Roster, day: dt.date) -> tuple[np.ndarray, np.ndarray]:
    """(generation index, employed) per slot on `day`."""
    d = _day(day)
    gen = np.maximum((roster.hire_day <= d).sum(axis=1) - 1, 0)
    rows = np.arange(len(gen))
    employed = (roster.hire_day[rows, gen] <= d) & (roster.leave_day[rows, gen] > d)
    return gen, employed


def _assign(start: np.ndarray, end: np.ndarray, pool: np.ndarray, rank: np.ndarray) -> np.ndarray:
    """Slot for each shift (sorted by start), -1 when its crew has nobody left."""
    holder = np.full(len(start), -1, dtype=np.int64)
    pool = pool[np.argsort(rank[pool], kind="stable")]
    low, high = pool[rank[pool] < 0.5], pool[rank[pool] >= 0.5]
    early = start < config.EARLY_SHIFT_BEFORE_INTERVAL
    late = end >= INTERVALS
    used = np.zeros(0, dtype=np.int64)
    for shifts, crew in ((np.flatnonzero(early), low), (np.flatnonzero(late & ~early), high)):
        taken = _by_quantile(len(shifts), crew)
        holder[shifts[: len(taken)]] = taken
        used = np.concatenate([used, taken])
    rest = np.flatnonzero(~early & ~late)
    taken = _by_quantile(len(rest), pool[~np.isin(pool, used)])
    holder[rest[: len(taken)]] = taken
    return holder


def _by_quantile(n: int, pool: np.ndarray) -> np.ndarray:
    """n slots spread over `pool` (ranked) by quantile; fewer when the pool is smaller."""
    n = min(n, len(pool))
    return pool[((np.arange(n) + 0.5) * len(pool) / max(n, 1)).astype(np.int64)]


def schedule_day(
    roster: Roster, day: dt.date, offered: np.ndarray, seed: int, sites: np.ndarray | None = None
) -> Shifts:
    """The day's shifts: Erlang C on the forecast, greedy shifts, filled by available agents.

    `sites`: shares of the day's contacts each site takes (default: one site). Generation
    serves each block of a day at its own site, so blocks stay independent."""
    sites = np.ones(1) if sites is None else sites
    site_need = [needed_agents(offered * share) for share in sites]
    need = np.sum(site_need, axis=0)
    gen, employed = holders_on(roster, day)
    weekday = day.weekday()
    off = ((weekday - roster.off_weekday) % 7) < 2
    slots = np.arange(len(roster.slot_queue))
    keys = slots.astype(np.int64) * 100_000 + day.toordinal()
    available = employed & ~off
    # Callouts: an absent agent's shift stays empty (nobody replaces them the same day).
    absent = uniform(seed, keys, 1_506) < config.ABSENCE_RATE
    parts: dict[str, list[np.ndarray]] = {
        k: [] for k in ("queue", "agent", "skill", "start", "length", "brk", "site")
    }
    unfilled = np.zeros(len(QUEUES), dtype=np.int64)
    for q in range(len(QUEUES)):
        planned = [plan_shifts(n[q]) for n in site_need]
        starts, lengths, breaks = (np.concatenate([p[i] for p in planned]) for i in range(3))
        site = np.concatenate([np.full(len(p[0]), k) for k, p in enumerate(planned)])
        # Unfilled shifts are a random subset (callouts and vacancies are not planned).
        pool = slots[(roster.slot_queue == q) & available]
        filled = min(len(starts), len(pool))
        unfilled[q] = len(starts) - filled
        keep = np.sort(
            np.argsort(uniform(seed, np.arange(len(starts)) + q * 1_000_000 + day.toordinal(), 1_508))[
                :filled
            ]
        )
        keep = keep[np.argsort(starts[keep], kind="stable")]
        # Each slot keeps its place in the day (a stable rank per slot): the k-th earliest shift
        # goes to the slot at the k-th quantile of the available ones, so an agent starts at
        # about the same time every day. Two crews make it a rule across midnight: shifts that
        # start before EARLY_SHIFT_BEFORE go to the lower half of the ranks, shifts that end at
        # midnight to the upper half, so nobody who worked until midnight starts again at night.
        holder = _assign(
            starts[keep], np.minimum(starts[keep] + lengths[keep], INTERVALS), pool, roster.shift_rank
        )
        hired = holder >= 0
        unfilled[q] += int((~hired).sum())
        keep, holder, filled = keep[hired], holder[hired], int(hired.sum())
        present = ~absent[holder]
        unfilled[q] += int((~present).sum())
        keep, holder, filled = keep[present], holder[present], int(present.sum())
        parts["queue"].append(np.full(filled, q))
        parts["agent"].append(roster.agent_id[holder, gen[holder]])
        parts["skill"].append(
            skill_on(roster, holder, gen[holder], _day(day))
        )  # issue #24: grows with tenure
        parts["start"].append(starts[keep])
        parts["length"].append(lengths[keep])
        parts["brk"].append(breaks[keep])
        parts["site"].append(site[keep])
    start_i = np.concatenate(parts["start"]).astype(np.int64)
    end_i = np.minimum(start_i + np.concatenate(parts["length"]).astype(np.int64), INTERVALS)
    brk_i = start_i + np.concatenate(parts["brk"]).astype(np.int64)
    has_break = brk_i + config.BREAK_INTERVALS <= end_i
    break_start = np.where(has_break, brk_i, end_i) * INTERVAL_US
    break_end = np.where(has_break, brk_i + config.BREAK_INTERVALS, end_i) * INTERVAL_US
    return Shifts(
        queue=np.concatenate(parts["queue"]).astype(np.int16),
        agent_id=np.concatenate(parts["agent"]).astype(np.int32),
        skill=np.concatenate(parts["skill"]).astype(np.int8),
        start=start_i * INTERVAL_US,
        end=end_i * INTERVAL_US,
        break_start=break_start,
        break_end=break_end,
        needed=need,
        unfilled=unfilled,
        site=np.concatenate(parts["site"]).astype(np.int16),
    )


# ------------------------------------------------------------------ service


@dataclass(frozen=True)
class Service:
    """Per live arrival: the shift that served it (-1: abandoned), wait and handle time."""

    shift: np.ndarray  # int64 index into Shifts (-1 when abandoned)
    wait_us: np.ndarray  # int64: until answered, or until the caller gave up
    handle_s: np.ndarray  # int32 seconds (0 when abandoned)


def serve(
    shifts: Shifts,
    queue: np.ndarray,
    arrival_us: np.ndarray,
    patience_us: np.ndarray,
    handle_s: np.ndarray,
    usable: np.ndarray,
) -> Service:
    """First come, first served per queue, over the seats of the agents on shift.

    Arrivals must be sorted by time; `usable` are the shifts (indexes) that may serve them.
    Each agent-shift offers `concurrency` seats of its
    queue; a seat is available from shift start to the break and from the break to the end
    (a contact may run past either, as real calls do). A contact takes the seat free
    earliest; if that is later than its patience allows, it is abandoned. The handle time
    is scaled by the agent's skill. Pure Python over a heap (about 1 us a contact): the
    one sequential step of a day.
    """
    n = len(arrival_us)
    served_by = np.full(n, -1, dtype=np.int64)
    wait = np.zeros(n, dtype=np.int64)
    handle = np.zeros(n, dtype=np.int32)
    skill_factor = np.array([config.SKILL_HANDLE_FACTOR[s] for s in SKILLS])
    mask = (1 << _SEAT_BITS) - 1
    for q in range(len(QUEUES)):
        rows = np.flatnonzero(queue == q)
        if len(rows) == 0:
            continue
        own = usable[shifts.queue[usable] == q]
        if len(own) == 0:  # nobody on shift for this queue at this site: every caller gives up
            wait[rows] = patience_us[rows]
            continue
        seats_per = config.SERVICE_GROUPS[QUEUES[q][1]]["concurrency"]
        seat_shift = np.repeat(own, seats_per)
        # Two segments per seat: [start, break_start) and [break_end, end).
        k = len(seat_shift)
        seg_shift = np.concatenate([seat_shift, seat_shift])
        seg_start = np.concatenate([shifts.start[seat_shift], shifts.break_end[seat_shift]]).tolist()
        seg_end = np.concatenate([shifts.break_start[seat_shift], shifts.end[seat_shift]]).tolist()
        next_seg = list(range(k, 2 * k)) + [-1] * k
        factor = np.concatenate([skill_factor[shifts.skill[seat_shift]]] * 2).tolist()
        heap = [(seg_start[s] << _SEAT_BITS) | s for s in range(k)]
        heapq.heapify(heap)
        arrivals = arrival_us[rows].tolist()
        patience = patience_us[rows].tolist()
        base = handle_s[rows].tolist()
        got = [-1] * len(rows)
        waited = list(patience)  # abandoned: waited until the caller gave up
        took = [0] * len(rows)
        heappop, heapreplace = heapq.heappop, heapq.heapreplace
        for i, a in enumerate(arrivals):
            while heap:
                key = heap[0]
                free, s = key >> _SEAT_BITS, key & mask
                # Whole seconds, as stored: the answer comes a whole number of seconds after the
                # arrival, and the seat is free again exactly when the stored end says.
                start = a - ((a - free) // 1_000_000) * 1_000_000 if free > a else a
                if start < seg_end[s]:
                    break
                nxt = next_seg[s]
                if nxt >= 0:
                    later = seg_start[nxt]
                    heapreplace(heap, ((later if later > free else free) << _SEAT_BITS) | nxt)
                else:
                    heappop(heap)
            else:
                continue
            if start - a > patience[i]:
                continue
            h = int(base[i] * factor[s] + 0.5)
            got[i] = s
            waited[i] = start - a
            took[i] = h
            heapreplace(heap, ((start + h * 1_000_000) << _SEAT_BITS) | s)
        got_a = np.array(got, dtype=np.int64)
        served_by[rows] = np.where(got_a >= 0, seg_shift[np.maximum(got_a, 0)], -1)
        wait[rows] = waited
        handle[rows] = took
    return Service(shift=served_by, wait_us=wait, handle_s=handle)


# ------------------------------------------------------------------ rows for the database

AGENT_COLUMNS = (
    "agent_id",
    "agent_name",
    "employee_id",
    "department",
    "team",
    "skill_level",
    "hire_date",
    "is_active",
    "created_at",
)
#: Agents per team (a team lead's span of control; assumption).
TEAM_SIZE = 15


def agents_employed_since_epoch(roster: Roster, through: dt.date) -> tuple[np.ndarray, np.ndarray]:
    """(slot, generation) of every generated agent hired by `through` who worked on or after EPOCH."""
    d = _day(through)
    mask = (roster.hire_day <= d) & (roster.leave_day > 0) & ~roster.baseline
    return np.nonzero(mask)


def agent_rows(roster: Roster, slots: np.ndarray, gens: np.ndarray, as_of: dt.date) -> list[tuple]:
    """agents rows (AGENT_COLUMNS) for generated agents: a pure function of (seed, agent)."""
    from include.generator.customers import faker_vocabulary

    vocab = faker_vocabulary()
    ids = roster.agent_id[slots, gens].astype(np.int64)

    def pick(name: str, field: int) -> np.ndarray:
        words, cdf = vocab[name]
        return words[
            np.minimum(np.searchsorted(cdf, uniform(roster.seed, ids, field), side="right"), len(words) - 1)
        ]

    first, last = pick("first", 1_520), pick("last", 1_521)
    d = _day(as_of)
    rows = []
    for i, (slot, gen) in enumerate(zip(slots.tolist(), gens.tolist(), strict=True)):
        department, group = QUEUES[roster.slot_queue[slot]]
        hired = config.EPOCH + dt.timedelta(days=int(roster.hire_day[slot, gen]))
        rows.append(
            (
                int(ids[i]),
                f"{first[i]} {last[i]}",
                f"EMP{int(ids[i])}",
                department,
                f"{group} {int(roster.slot_number[slot]) // TEAM_SIZE + 1}",
                SKILLS[skill_on(roster, slot, gen, d)],
                hired,
                bool(roster.leave_day[slot, gen] > d),
                dt.datetime.combine(hired, dt.time(8), dt.UTC),
            )
        )
    return rows


def shift_rows(shifts: Shifts, day: dt.date, n_shifts: int) -> list[tuple]:
    """agent_shifts rows for the day's first `n_shifts` shifts (times as UTC datetimes)."""
    midnight = dt.datetime.combine(day, dt.time(0), dt.UTC)

    def at(us: int) -> dt.datetime:
        return midnight + dt.timedelta(microseconds=int(us))

    rows = []
    for i in range(n_shifts):
        has_break = shifts.break_end[i] > shifts.break_start[i]
        rows.append(
            (
                day,
                int(shifts.agent_id[i]),
                int(shifts.queue[i]) + 1,
                at(shifts.start[i]),
                at(shifts.end[i]),
                at(shifts.break_start[i]) if has_break else None,
                at(shifts.break_end[i]) if has_break else None,
            )
        )
    return rows


def queue_rows() -> list[tuple]:
    """service_queues rows: queue_id is the index in QUEUES + 1."""
    return [
        (
            q + 1,
            dept,
            group,
            config.SERVICE_GROUPS[group]["concurrency"],
            config.SERVICE_GROUPS[group]["target_share"],
            config.SERVICE_GROUPS[group]["target_seconds"],
        )
        for q, (dept, group) in enumerate(QUEUES)
    ]


def routing_rows(reference: Reference) -> list[tuple]:
    """contact_routing rows: (interaction_type_id, channel_id, queue_id, is_live) for every pair."""
    rows = []
    for code, (_, _, dept) in config.INTERACTION_TYPES.items():
        for channel in config.CHANNEL_MIX:
            group = channel_group(channel) or config.ASYNC_GROUP
            live = channel in config.HANDLE_TIME_LOGNORMAL
            rows.append(
                (
                    reference.interaction_type_ids[code],
                    reference.channel_ids[channel],
                    queue_of(dept, group) + 1,
                    live,
                )
            )
    return rows


# ------------------------------------------------------------------ issue #24: skill grows with tenure
def skill_on(roster: Roster, slots: np.ndarray | int, gens: np.ndarray | int, day: int) -> np.ndarray:
    """Skill (index into SKILLS) of agents on day index `day`: the skill they were hired with, or
    the level their tenure has reached (config.SKILL_PROMOTION_DAYS: Senior, then Expert) if
    higher (new agents take 60-90 days to reach baseline performance, revenuetools.io)."""
    tenure = day - roster.hire_day[slots, gens].astype(np.int64)
    steps = np.zeros(np.shape(tenure), dtype=np.int64)
    for days in config.SKILL_PROMOTION_DAYS:
        steps += tenure >= days
    return np.maximum(roster.skill[slots, gens], np.minimum(steps, len(SKILLS) - 1))
