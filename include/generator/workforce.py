"""The contact center's queues and the staffing model that sizes them.

Pure functions of parameters, no database:

* Queues: a department (which owns contact types, parameters.INTERACTION_TYPES) times a service
  group (parameters.SERVICE_GROUPS: Voice, Messaging, Store), each with its agents' concurrency.
* Staffing: the load each queue is offered per interval and the agents Erlang C needs for its
  service-level target; a peak day's need covered by whole shifts (plan_shifts).
* Shifts: the arrays of a day's agent shifts, with their breaks.

The roster of seats and agents is include/generator/rosters.py; the queue that serves a day's
contacts is include/generator/queueing.py; shifts are published by include/generator/schedules.py.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from include.generator import parameters

DEPARTMENTS = tuple(sorted({dept for _, _, dept in parameters.INTERACTION_TYPES.values()}))
GROUPS = tuple(parameters.SERVICE_GROUPS)
QUEUES = tuple((d, g) for d in DEPARTMENTS for g in GROUPS)
INTERVAL_US = parameters.INTERVAL_MINUTES * 60_000_000
INTERVALS = 24 * 60 // parameters.INTERVAL_MINUTES
SKILLS = ("Junior", "Senior", "Expert")
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
