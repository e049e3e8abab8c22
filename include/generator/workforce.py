"""The contact center's workforce: a roster of seats sized by Erlang C, and the queues they serve.

Pure functions of (seed, interactions_per_day, date), no database:

* Queues: a department (which owns contact types, parameters.INTERACTION_TYPES) times a service
  group (parameters.SERVICE_GROUPS: Voice, Messaging, Store), each with its agents' concurrency.
* Roster: per site and queue, seats ("slots") from a peak day's shift plan: each seat has a
  contract (parameters.CONTRACTS: 5 x 8 h, 4 x 10 h, part-time 4 h) and a fixed start time in its
  site's local time. A seat is held by a chain of agents: each one stays a drawn tenure
  (attrition), the seat is vacant a few weeks, then a new hire takes it. The agents table
  grows over time and hire dates and `is_active` mean something.
* Shifts: include/generator/schedules.py publishes each site's local day from the seats.
* Service: a first-come-first-served multi-server queue per queue with abandonment (each
  caller has a patience): waits and abandoned contacts come from arrivals against the staff
  actually on shift, so a busy hour or an understaffed day shows longer waits.
"""

from __future__ import annotations

import datetime as dt
import heapq
from dataclasses import dataclass
from functools import lru_cache
from zoneinfo import ZoneInfo

import numpy as np

from include.generator import parameters
from include.generator.reference import Reference
from include.generator.stable_random import FIELDS, uniform

DEPARTMENTS = tuple(sorted({dept for _, _, dept in parameters.INTERACTION_TYPES.values()}))
GROUPS = tuple(parameters.SERVICE_GROUPS)
QUEUES = tuple((d, g) for d in DEPARTMENTS for g in GROUPS)
INTERVAL_US = parameters.INTERVAL_MINUTES * 60_000_000
INTERVALS = 24 * 60 // parameters.INTERVAL_MINUTES
SKILLS = ("Junior", "Senior", "Expert")
#: Generated agents: agent_id = AGENT_ID_BASE + (queue * SLOT_LIMIT + slot) * GENERATION_LIMIT + generation.
AGENT_ID_BASE = 100_000_000
SLOT_LIMIT = 100_000
GENERATION_LIMIT = 100
#: Agents per slot computed (40 tenures of ~2.5 years: far beyond any generated date).
GENERATIONS = 40
_SEAT_BITS = 24  # seat index packed under the time in the service heap
_NEVER = np.iinfo(np.int32).max // 2
US_PER_DAY = 86_400_000_000


def queue_of(department: str, group: str) -> int:
    return QUEUES.index((department, group))


#: A store's agents serve every visit (the store queues of all departments pool into this one:
#: store staff sell, fix and bill alike).
STORE_QUEUE = queue_of("Sales" if "Sales" in DEPARTMENTS else DEPARTMENTS[0], "Store")


def pool_store_queues(per_queue: np.ndarray) -> np.ndarray:
    """(queues, ...) with the Store group's rows summed into STORE_QUEUE's (the others zero)."""
    stores = np.array([g == "Store" for _, g in QUEUES])
    pooled = np.zeros_like(per_queue)
    pooled[STORE_QUEUE] = per_queue[stores].sum(axis=0)
    return pooled


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
    load = offered * aht_s / (parameters.INTERVAL_MINUTES * 60)  # Erlangs
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


#: Contracts (parameters.CONTRACTS): the integer code is the index.
CONTRACTS = tuple(parameters.CONTRACTS)
FULL_TIME_5X8, FULL_TIME_4X10, PART_TIME = range(len(CONTRACTS))
CONTRACT_INTERVALS = np.array([spec["shift_intervals"] for spec in parameters.CONTRACTS.values()])
CONTRACT_DAYS_OFF = np.array([spec["days_off"] for spec in parameters.CONTRACTS.values()])
#: Short (paid) breaks a shift may have: agent_shift_breaks rows.
REST_BREAKS = max(len(spec["rest"]) for spec in parameters.SHIFT_BREAKS.values())


@dataclass(frozen=True)
class Shifts:
    """Shifts in microseconds since a batch day's UTC midnight (negative: started the day before).

    A break that does not exist has start == end == the shift's end."""

    queue: np.ndarray  # int16 index into QUEUES
    agent_id: np.ndarray  # int32
    skill: np.ndarray  # int8 index into SKILLS
    start: np.ndarray  # int64
    end: np.ndarray
    break_start: np.ndarray  # the meal break
    break_end: np.ndarray
    rest_start: np.ndarray  # (shifts, REST_BREAKS): the short paid breaks
    rest_end: np.ndarray
    site: np.ndarray  # int16: the site (a block of the day's contacts) the shift serves
    store: np.ndarray  # int16: the store (index into geography.TIME_ZONES) it works in, -1: the center
    local_day: np.ndarray  # int32 ordinal of the site-local day the shift belongs to
    hire_day: np.ndarray  # int32 the agent's hire day (days since parameters.EPOCH)

    def take(self, rows: np.ndarray) -> Shifts:
        return Shifts(**{f: getattr(self, f)[rows] for f in self.__dataclass_fields__})

    @staticmethod
    def concat(parts: list[Shifts]) -> Shifts:
        return Shifts(
            **{f: np.concatenate([getattr(p, f) for p in parts]) for f in Shifts.__dataclass_fields__}
        )

    def shifted(self, by_us: int) -> Shifts:
        times = ("start", "end", "break_start", "break_end", "rest_start", "rest_end")
        return Shifts(
            **{
                f: getattr(self, f) + by_us if f in times else getattr(self, f)
                for f in self.__dataclass_fields__
            }
        )

    def segments(self) -> tuple[np.ndarray, np.ndarray]:
        """(shifts, breaks + 1) starts and ends of the stretches on duty between breaks, in time order."""
        starts = np.column_stack([self.start, self.rest_start, self.break_start])
        ends = np.column_stack([self.end, self.rest_end, self.break_end])
        order = np.argsort(starts[:, 1:], axis=1, kind="stable") + 1
        b_start = np.take_along_axis(starts, order, axis=1)
        b_end = np.take_along_axis(ends, order, axis=1)
        return np.column_stack([self.start, b_end]), np.column_stack([b_start, self.end])


def on_duty_intervals(shifts: Shifts, n_int: int) -> np.ndarray:
    """(shifts, intervals from the batch's midnight) on duty for the whole interval, not on a break."""
    starts, ends = shifts.segments()
    iv = np.arange(n_int, dtype=np.int64) * INTERVAL_US
    inside = np.zeros((len(shifts.queue), n_int), dtype=bool)
    for k in range(starts.shape[1]):
        inside |= (starts[:, k : k + 1] <= iv[None, :]) & (iv[None, :] + INTERVAL_US <= ends[:, k : k + 1])
    return inside


def plan_shifts(need: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Greedy cover of agents needed per interval of a local day: (start interval, full) per shift.

    Walking through the day, a deficit is covered by full shifts (8 h) as far as it lasts, the
    rest by part-time shifts (4 h), as workforce planners cover peaks. Shifts are never cut."""
    full_len = int(CONTRACT_INTERVALS[FULL_TIME_5X8])
    part = int(CONTRACT_INTERVALS[PART_TIME])
    cover = np.zeros(len(need) + full_len, dtype=np.int64)
    padded = np.zeros(len(need) + full_len, dtype=np.int64)
    padded[: len(need)] = need
    starts: list[np.ndarray] = []
    fulls: list[np.ndarray] = []
    for i in range(len(need)):
        deficit = int(padded[i] - cover[i])
        if deficit <= 0:
            continue
        later = padded[i + part : i + full_len] - cover[i + part : i + full_len]
        full = min(deficit, max(int(later.min()), 0))
        cover[i : i + full_len] += full
        cover[i : i + part] += deficit - full
        starts.append(np.full(deficit, i))
        fulls.append(np.arange(deficit) < full)
    if not starts:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=bool)
    return np.concatenate(starts), np.concatenate(fulls)


# ------------------------------------------------------------------ roster


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


def channel_given_type(type_p: np.ndarray, channel_p: np.ndarray) -> np.ndarray:
    """P(channel | type), (types x channels): the independent mix times the affinities of
    TYPE_CHANNEL_AFFINITY, fitted back to both marginals (iterative proportional fitting)."""
    affinity = np.array(
        [
            [parameters.TYPE_CHANNEL_AFFINITY.get(t, {}).get(c, 1.0) for c in parameters.CHANNEL_MIX]
            for t in parameters.INTERACTION_TYPES
        ]
    )
    joint = np.outer(type_p, channel_p) * affinity
    for _ in range(50):
        joint *= (type_p / np.maximum(joint.sum(axis=1), 1e-300))[:, None]
        joint *= (channel_p / np.maximum(joint.sum(axis=0), 1e-300))[None, :]
    return joint / np.maximum(joint.sum(axis=1, keepdims=True), 1e-300)


def typical_load(
    weekday: int, type_lift: dict[str, float] | None = None, zone_share: np.ndarray | None = None
) -> np.ndarray:
    """(queues, intervals) offered contacts per interval on an average `weekday` for 1 contact a day
    (with the type mix lifted by `type_lift`, as a national campaign does; from the time zones'
    `zone_share`, default: the population's)."""
    from include.generator.calendar import population_zone_share
    from include.generator.geography import utc_offsets

    zone_share = population_zone_share() if zone_share is None else zone_share
    offsets = utc_offsets(dt.date(2025, 1, 15)) // 60 // parameters.INTERVAL_MINUTES
    channel_p = np.array(list(parameters.CHANNEL_MIX.values()))
    if weekday >= 5:
        channel_p = channel_p * np.array(
            [parameters.WEEKEND_CHANNEL_LIFT.get(c, 1.0) for c in parameters.CHANNEL_MIX]
        )
        channel_p /= channel_p.sum()
    type_p = np.array([parameters.INTERACTION_TYPES[t][0] for t in parameters.INTERACTION_TYPES])
    type_p = type_p * np.array([(type_lift or {}).get(t, 1.0) for t in parameters.INTERACTION_TYPES])
    type_p = type_p / type_p.sum()
    share = queue_shares(type_p, channel_given_type(type_p, channel_p))
    volume = parameters.WEEKDAY_VOLUME[weekday]
    return volume * share[:, None] * utc_profiles(zone_share, offsets, weekday)[queue_groups()]


def queue_groups() -> np.ndarray:
    """Service group (index into GROUPS) of each queue."""
    return np.array([GROUPS.index(g) for _, g in QUEUES])


def utc_profiles(zone_share: np.ndarray, zone_offset_intervals: np.ndarray, weekday: int) -> np.ndarray:
    """(groups, intervals) share of a group's arrivals per UTC interval: the local hourly profile
    (stores: only in store hours) of each time zone, shifted to UTC, weighted by the zones' share."""
    hourly = np.array(parameters.HOURLY_PROFILE, dtype=float)
    if weekday >= 5:
        hourly = (
            1 - parameters.WEEKEND_HOURLY_FLATTEN
        ) * hourly + parameters.WEEKEND_HOURLY_FLATTEN * hourly.mean()
    store = hourly.copy()
    opens, closes = parameters.STORE_HOURS[weekday]
    store[:opens] = 0
    store[closes:] = 0
    per_interval = 60 // parameters.INTERVAL_MINUTES
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
    channels = tuple(parameters.CHANNEL_MIX)
    if channel_given_type is None:
        channel_given_type = np.tile(np.array(list(parameters.CHANNEL_MIX.values())), (len(type_p), 1))
    bot = np.array([parameters.SELF_SERVICE_SHARE.get(c, 0.0) for c in channels])
    synchronous = np.array([c in parameters.HANDLE_TIME_LOGNORMAL for c in channels])
    # Of a channel's rows: humans who never met a bot, plus the bots' hand-offs.
    human = (1 - bot + bot * parameters.BOT_HANDOFF_SHARE) / rows_per_contact()
    aht = queue_aht_seconds()
    shares = np.zeros(len(QUEUES))
    types = tuple(parameters.INTERACTION_TYPES)
    for t, code in enumerate(types):
        dept = parameters.INTERACTION_TYPES[code][2]
        for c, channel in enumerate(channels):
            if synchronous[c]:
                q = queue_of(dept, channel_group(channel))
                shares[q] += type_p[t] * channel_given_type[t, c] * human[c]
            else:
                q = queue_of(dept, parameters.ASYNC_GROUP)
                median, sigma = parameters.ASYNC_WORK_LOGNORMAL[channel]
                work = median * np.exp(sigma**2 / 2)
                shares[q] += type_p[t] * channel_given_type[t, c] * human[c] * work / aht[q]
    return shares


def rows_per_contact() -> np.ndarray:
    """Rows a contact started on each channel makes: 1, plus the human contact of a bot hand-off."""
    return np.array(
        [
            1 + parameters.SELF_SERVICE_SHARE.get(c, 0.0) * parameters.BOT_HANDOFF_SHARE
            for c in parameters.CHANNEL_MIX
        ]
    )


@lru_cache(maxsize=32)
def channel_group(channel: str) -> str | None:
    for group, spec in parameters.SERVICE_GROUPS.items():
        if channel in spec["channels"]:
            return group
    return None


@lru_cache(maxsize=1)
def queue_aht_seconds() -> np.ndarray:
    """Mean handle time per queue (seconds): the channels' lognormal means times the types'."""
    aht = np.zeros(len(QUEUES))
    weight = np.zeros(len(QUEUES))
    for share, multiplier, dept in parameters.INTERACTION_TYPES.values():
        for channel, mix in parameters.CHANNEL_MIX.items():
            group = channel_group(channel)
            if group is None or channel not in parameters.HANDLE_TIME_LOGNORMAL:
                continue
            median, sigma = parameters.HANDLE_TIME_LOGNORMAL[channel]
            q = queue_of(dept, group)
            w = share * mix
            aht[q] += w * median * multiplier * np.exp(sigma**2 / 2)
            weight[q] += w
    return aht / np.maximum(weight, 1e-12)


def needed_agents(offered: np.ndarray) -> np.ndarray:
    """(queues, intervals) agents needed by Erlang C for each queue's service-level target."""
    specs = [parameters.SERVICE_GROUPS[g] for _, g in QUEUES]
    column = lambda key: np.array([float(spec[key]) for spec in specs])[:, None]  # noqa: E731
    servers = erlang_c_servers(
        offered, queue_aht_seconds()[:, None], column("target_share"), column("target_seconds")
    )
    need = np.ceil(servers / column("concurrency")).astype(np.int64)
    return np.where(column("always_open") > 0, np.maximum(need, 1), need)


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


def _seats(seed: int, interactions_per_day: int, baseline: dict) -> tuple[np.ndarray, ...]:
    """(queue, site, start interval, contract, first day off, store) per slot, queue by queue."""
    need = _peak_need(interactions_per_day)
    columns: list[list[np.ndarray]] = [[], [], [], [], [], []]
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
    if max(len(c) for c in columns[0]) >= SLOT_LIMIT:
        raise ValueError(
            f"interactions_per_day={interactions_per_day:,} needs more agents than the roster holds"
        )
    return tuple(np.concatenate(c).astype(np.int64) for c in columns)


@lru_cache(maxsize=8)
def build_roster(seed: int, interactions_per_day: int, reference: Reference) -> Roster:
    """Slots per queue for a peak day of `interactions_per_day`, and the agents holding them."""
    baseline = _baseline_agents(reference)
    slot_queue, slot_site, slot_start, slot_contract, slot_off, slot_store = _seats(
        seed, interactions_per_day, baseline
    )
    slot_number = (np.arange(len(slot_queue)) - np.searchsorted(slot_queue, slot_queue)).astype(np.int32)
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


# ------------------------------------------------------------------ service


@dataclass(frozen=True)
class Service:
    """Per live arrival: the shift that served it (-1: abandoned), wait and handle time."""

    shift: np.ndarray  # int64 index into Shifts (-1 when abandoned)
    wait_us: np.ndarray  # int64: until answered, or until the caller gave up
    handle_s: np.ndarray  # int32 seconds (0 when abandoned)


def _seat_segments(shifts: Shifts, own: np.ndarray, seats_per: int) -> tuple[list, list, list, np.ndarray]:
    """Per seat and stretch on duty (seat-major within each stretch): start, end, next stretch
    (-1: none), and when the seat's work must end (see parameters.MIDNIGHT_HANDOVER_SECONDS).

    The batch is one UTC day: no contact is taken up after its midnight; a shift begun the day
    before takes contacts from the handover on; a shift running past midnight wraps up by it."""
    handover = parameters.MIDNIGHT_HANDOVER_SECONDS * 1_000_000
    seat_shift = np.repeat(own, seats_per)
    starts, ends = shifts.take(seat_shift).segments()
    began_before = (shifts.start[seat_shift] < 0)[:, None]
    starts = np.maximum(starts, np.where(began_before, handover, 0))
    ends = np.minimum(ends, US_PER_DAY)
    k, stretches = starts.shape
    nxt = np.arange(k)[None, :] + k * np.arange(1, stretches + 1)[:, None]
    nxt[-1] = -1
    runs_past = shifts.end[seat_shift] > US_PER_DAY
    wrap_up = np.where(runs_past, US_PER_DAY + handover, np.iinfo(np.int64).max // 4)
    return (
        starts.T.ravel().tolist(),
        ends.T.ravel().tolist(),
        nxt.ravel().tolist(),
        np.tile(wrap_up, stretches),
    )


def serve(
    shifts: Shifts,
    queue: np.ndarray,
    arrival_us: np.ndarray,
    patience_us: np.ndarray,
    handle_s: np.ndarray,
    usable: np.ndarray,
    store: np.ndarray | None = None,
) -> Service:
    """First come, first served per queue, over the seats of the agents on shift.

    Arrivals must be sorted by time; `usable` are the shifts (indexes) that may serve them.
    Each agent-shift offers `concurrency` seats of its queue; a seat takes contacts in the
    stretches between the shift's breaks (a contact may run past a break or the end, as real
    calls do). A contact takes the seat free earliest; if that is later than its patience
    allows, it is abandoned. The handle time is scaled by the agent's skill. Pure Python over
    a heap (about 1 us a contact): the one sequential step of a day. `store`: per arrival, the
    store (time zone) whose agents serve it, -1: the center's.
    """
    n = len(arrival_us)
    served_by = np.full(n, -1, dtype=np.int64)
    wait = np.zeros(n, dtype=np.int64)
    handle = np.zeros(n, dtype=np.int32)
    skill_factor = np.array([parameters.SKILL_HANDLE_FACTOR[s] for s in SKILLS])
    store = np.full(n, -1) if store is None else store
    for q, place in sorted(set(zip(queue.tolist(), store.tolist(), strict=True))):
        if q < 0:
            continue
        rows = np.flatnonzero((queue == q) & (store == place))
        own = usable[(shifts.queue[usable] == q) & (shifts.store[usable] == place)]
        if len(own) == 0:  # (interactions.overflow sends such contacts to a staffed queue first)
            wait[rows] = patience_us[rows]
            continue
        seats_per = parameters.SERVICE_GROUPS[QUEUES[q][1]]["concurrency"]
        seg_start, seg_end, next_seg, wrap_up = _seat_segments(shifts, own, seats_per)
        seg_shift = np.tile(np.repeat(own, seats_per), len(seg_start) // (len(own) * seats_per))
        factor = skill_factor[shifts.skill[seg_shift]].tolist()
        got, waited, took = _serve_queue(
            seg_start, seg_end, next_seg, wrap_up.tolist(), factor, len(own) * seats_per,
            arrival_us[rows].tolist(), patience_us[rows].tolist(), handle_s[rows].tolist(),
        )  # fmt: skip
        got_a = np.array(got, dtype=np.int64)
        served_by[rows] = np.where(got_a >= 0, seg_shift[np.maximum(got_a, 0)], -1)
        wait[rows] = waited
        handle[rows] = took
    return Service(shift=served_by, wait_us=wait, handle_s=handle)


def _serve_queue(
    seg_start: list, seg_end: list, next_seg: list, wrap_up: list, factor: list, seats: int,
    arrivals: list, patience: list, base: list,
) -> tuple[list, list, list]:  # fmt: skip
    """One queue's heap walk: (stretch index or -1, wait, handle seconds) per arrival."""
    mask = (1 << _SEAT_BITS) - 1
    heap = [(seg_start[s] << _SEAT_BITS) | s for s in range(seats)]
    heapq.heapify(heap)
    got = [-1] * len(arrivals)
    waited = list(patience)  # abandoned: waited until the caller gave up
    took = [0] * len(arrivals)
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
        h = min(h, (wrap_up[s] - start) // 1_000_000)
        got[i] = s
        waited[i] = start - a
        took[i] = h
        heapreplace(heap, ((start + h * 1_000_000) << _SEAT_BITS) | s)
    return got, waited, took


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
        hired = parameters.EPOCH + dt.timedelta(days=int(roster.hire_day[slot, gen]))
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


SHIFT_COLUMNS = (
    "shift_date", "agent_id", "queue_id", "shift_start", "shift_end", "break_start", "break_end", "site_name",
)  # fmt: skip
BREAK_COLUMNS = ("shift_date", "agent_id", "break_start", "break_end")


def shift_rows(shifts: Shifts, day: dt.date, rows: np.ndarray) -> list[tuple]:
    """agent_shifts rows for shifts `rows` (times as UTC datetimes; shift_date: the site-local
    day the shift belongs to, break_start/break_end: its meal break, NULL when none)."""
    midnight = dt.datetime.combine(day, dt.time(0), dt.UTC)

    def at(us: int) -> dt.datetime:
        return midnight + dt.timedelta(microseconds=int(us))

    out = []
    for i in rows.tolist():
        has_break = shifts.break_end[i] > shifts.break_start[i]
        out.append(
            (
                dt.date.fromordinal(int(shifts.local_day[i])),
                int(shifts.agent_id[i]),
                int(shifts.queue[i]) + 1,
                at(shifts.start[i]),
                at(shifts.end[i]),
                at(shifts.break_start[i]) if has_break else None,
                at(shifts.break_end[i]) if has_break else None,
                place_name(int(shifts.site[i]), int(shifts.store[i])),
            )
        )
    return out


def shift_break_rows(shifts: Shifts, day: dt.date, rows: np.ndarray) -> list[tuple]:
    """agent_shift_breaks rows (the short paid breaks) of shifts `rows`."""
    midnight = dt.datetime.combine(day, dt.time(0), dt.UTC)
    out = []
    for i in rows.tolist():
        for b in range(REST_BREAKS):
            if shifts.rest_end[i, b] > shifts.rest_start[i, b]:
                out.append(
                    (
                        dt.date.fromordinal(int(shifts.local_day[i])),
                        int(shifts.agent_id[i]),
                        midnight + dt.timedelta(microseconds=int(shifts.rest_start[i, b])),
                        midnight + dt.timedelta(microseconds=int(shifts.rest_end[i, b])),
                    )
                )
    return out


def forecast_rows(day: dt.date, forecast: np.ndarray, needed: np.ndarray) -> list[tuple]:
    """workforce_forecast rows: per UTC interval of `day` and queue, contacts expected and agents needed."""
    midnight = dt.datetime.combine(day, dt.time(0), dt.UTC)
    return [
        (
            midnight + dt.timedelta(minutes=i * parameters.INTERVAL_MINUTES),
            q + 1,
            float(forecast[q, i]),
            int(needed[q, i]),
        )
        for q in range(len(QUEUES))
        for i in range(INTERVALS)
    ]


def place_name(site: int, store: int) -> str:
    if store >= 0:
        return f"Store {parameters.STORES[store][0]}, {parameters.STORES[store][1]}"
    return f"Contact center {parameters.SITES[site % len(parameters.SITES)][0]}"


def site_rows() -> list[tuple]:
    """contact_sites rows: (site_name, kind, city, state, time_zone, opening_hours, holiday_hours)."""
    from include.generator.geography import TIME_ZONES

    days = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
    hours = ", ".join(
        f"{d} {o:02d}:00-{c:02d}:00" for d, (o, c) in zip(days, parameters.STORE_HOURS, strict=True)
    )
    holiday = ", ".join(
        [f"closed on {name}" for name in parameters.STORE_CLOSED_HOLIDAYS]
        + [f"{m:02d}-{d:02d} {o:02d}:00-{c:02d}:00" for (m, d), (o, c) in parameters.STORE_EVE_HOURS.items()]
    )
    centers = [
        (place_name(k, -1), "Contact center", city, state, zone, "24/7 (shifts)", None)
        for k, (city, state, zone) in enumerate(parameters.SITES)
    ]
    stores = [
        (place_name(0, z), "Store", city, state, TIME_ZONES[z], hours, holiday)
        for z, (_, city, state) in enumerate(parameters.STORES)
    ]
    return centers + stores


def queue_rows() -> list[tuple]:
    """service_queues rows: queue_id is the index in QUEUES + 1."""
    return [
        (
            q + 1,
            dept,
            group,
            parameters.SERVICE_GROUPS[group]["concurrency"],
            parameters.SERVICE_GROUPS[group]["target_share"],
            parameters.SERVICE_GROUPS[group]["target_seconds"],
        )
        for q, (dept, group) in enumerate(QUEUES)
    ]


def routing_rows(reference: Reference) -> list[tuple]:
    """contact_routing rows: (interaction_type_id, channel_id, queue_id, is_live) for every pair."""
    rows = []
    for code, (_, _, dept) in parameters.INTERACTION_TYPES.items():
        for channel in parameters.CHANNEL_MIX:
            group = channel_group(channel) or parameters.ASYNC_GROUP
            live = channel in parameters.HANDLE_TIME_LOGNORMAL
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
    the level their tenure has reached (parameters.SKILL_PROMOTION_DAYS: Senior, then Expert) if
    higher (new agents take 60-90 days to reach baseline performance, revenuetools.io)."""
    tenure = day - roster.hire_day[slots, gens].astype(np.int64)
    steps = np.zeros(np.shape(tenure), dtype=np.int64)
    for days in parameters.SKILL_PROMOTION_DAYS:
        steps += tenure >= days
    return np.maximum(roster.skill[slots, gens], np.minimum(steps, len(SKILLS) - 1))
