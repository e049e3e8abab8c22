"""The customer base and its plan history, as a pure function of (seed, sign-ups, date).

Customer N and its whole plan timeline come from stable hashes of N, so the base as of
any date is the same whichever days were generated before, in whatever order. A run with
s sign-ups a day uses the first ones of each day of a per-seed universe (and the first
initial customers), so the bases of two rates nest. The database holds the union of what
its runs needed: the largest rate, as of the latest date loaded ("materialized through").
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

import numpy as np

from include.generator import geography, parameters
from include.generator.reference import Reference
from include.generator.stable_random import FIELDS, normal, uniform

SEGMENTS = tuple(parameters.SEGMENT_MIX)
LANGUAGES = tuple(parameters.LANGUAGE_MIX)
CHANGE_TYPES = ("New", "Upgrade", "Downgrade")
#: A day index later than any generated date (a plan or churn that has not happened).
NEVER = np.iinfo(np.int32).max // 2
_ID_STRIDE = 10_000  # customer_id = (day index + 1) * 10_000 + k for sign-ups after EPOCH


#: Contact propensity factor by plan tier (index 0: no plan yet, no contacts).
TIER_CONTACT_FACTOR = np.array([0.0] + [parameters.TIER_PROPENSITY[t] for t in range(1, 5)])


class CustomerBaseMismatch(ValueError):
    """The database's customer base was generated with other settings."""


def day_index(day: dt.date) -> int:
    return (day - parameters.EPOCH).days


def index_day(index: int) -> dt.date:
    return parameters.EPOCH + dt.timedelta(days=int(index))


@dataclass(frozen=True)
class CustomerBase:
    """Every customer registered up to `through`, with its full (future-proof) timeline."""

    seed: int
    through: dt.date
    customer_id: np.ndarray  # int64
    registration_day: np.ndarray  # int32 day index (negative: before EPOCH)
    segment: np.ndarray  # int8 index into SEGMENTS
    churn_day: np.ndarray  # int32 first inactive day (may lie after `through`)
    suspended: np.ndarray  # bool
    propensity: np.ndarray  # float64 contact weight, before the plan-tier factor
    state: np.ndarray  # int8 index into geography.STATES (population-weighted)
    zone: np.ndarray  # int8 index into geography.TIME_ZONES (consistent with the state)
    language: np.ndarray  # int8 index into parameters.LANGUAGE_MIX: the customer's preferred language
    event_day: np.ndarray  # (n, K+1) int32 plan start days, NEVER where none
    event_plan: np.ndarray  # (n, K+1) int16 service_plan_id
    event_tier: np.ndarray  # (n, K+1) int8
    event_type: np.ndarray  # (n, K+1) int8 index into CHANGE_TYPES
    #: The cached universe this base is a cut of (see `customers_changed_between`).
    universe_key: tuple | None = None

    @property
    def new_per_day(self) -> int:
        """The sign-up rate of the universe this base is a cut of."""
        return self.universe_key[1]

    def registered_by(self, day: int) -> np.ndarray:
        return self.registration_day <= day

    def active_on(self, day: int) -> np.ndarray:
        """Registered and not yet churned on that day: the customers who may contact us."""
        return (self.registration_day <= day) & (self.churn_day > day)

    def current_event(self, day: int, rows: np.ndarray | None = None) -> np.ndarray:
        """Index of each customer's (or `rows`'s, any shape) plan event in force on `day` (0 if none yet).

        A customer's event days ascend, so it is the number of later events already started.
        Summed one column at a time: no (n, K+1) temporary for millions of customers (2.5x faster
        than a sum over a boolean matrix, measured on a base of 4.9 million).
        """
        days = self.event_day if rows is None else self.event_day[rows]
        event = np.zeros(days.shape[:-1], dtype=np.intp)
        for column in range(1, days.shape[-1]):
            event += days[..., column] <= day
        return event

    def tier_on(self, day: int, rows: np.ndarray | None = None) -> np.ndarray:
        """Plan tier of each customer (or of `rows`, any shape) on `day`."""
        tiers = self.event_tier if rows is None else self.event_tier[rows]
        return np.take_along_axis(tiers, self.current_event(day, rows)[..., None], axis=-1)[..., 0]


def signups_per_day(seed: int, new_per_day: int, last_index: int) -> np.ndarray:
    """Sign-ups of each day 0..last_index: monotone in `new_per_day` for every day, so a run
    with fewer sign-ups a day has a prefix of each day's sign-ups of a run with more."""
    days = np.arange(last_index + 1, dtype=np.int64)
    weekday = np.array(parameters.WEEKDAY_SIGNUPS)[(np.array([parameters.EPOCH.weekday()]) + days) % 7]
    noise = 0.5 + uniform(seed, days, FIELDS["signup_noise"])
    return np.minimum(np.rint(new_per_day * weekday * noise), parameters.SIGNUPS_ID_LIMIT).astype(np.int64)


def initial_customers(new_per_day: int) -> int:
    """Customers active on EPOCH: as many as the sign-ups keep active (a stationary base)."""
    return max(parameters.MIN_INITIAL_CUSTOMERS, round(new_per_day * parameters.MEAN_LIFETIME_DAYS))


def base_size(seed: int, new_per_day: int, through: dt.date) -> int:
    """Customers in build_customer_base(seed, new_per_day, through): what memory bounds check."""
    return initial_customers(new_per_day) + int(signups_per_day(seed, new_per_day, day_index(through)).sum())


def in_base(seed: int, new_per_day: int, through: int, base: CustomerBase) -> np.ndarray:
    """Which of `base`'s customers are also in the base of (seed, new_per_day, through):
    registered by `through` and within the first sign-ups of their day (or initial customers)."""
    if through < 0:
        return np.zeros(len(base.customer_id), dtype=bool)
    if base.universe_key is not None and base.universe_key[:2] == (seed, new_per_day):
        # The same rate: the base through `through` is a prefix (initial customers, then days).
        held = np.zeros(len(base.customer_id), dtype=bool)
        held[: base_size(seed, new_per_day, index_day(through))] = True
        return held
    initial = base.customer_id >= parameters.INITIAL_ID_BASE
    counts = signups_per_day(seed, new_per_day, through)
    day = base.registration_day.astype(np.int64)
    rank = base.customer_id - (day + 1) * _ID_STRIDE  # 1-based rank of a sign-up in its day
    signed_up = (~initial) & (day <= through)
    signed_up[signed_up] = rank[signed_up] <= counts[day[signed_up]]
    return signed_up | (
        initial & (base.customer_id - parameters.INITIAL_ID_BASE <= initial_customers(new_per_day))
    )


#: A base is built through the end of a bucket of this many days and cut down to the day asked
#: (a view, no copy): a backfill builds it a few times a year instead of every day.
_BUCKET_DAYS = 128
#: Customers whose attributes are drawn at a time: bounds the build's temporary arrays.
_BUILD_CHUNK = 1_000_000
_UNIVERSES: dict[tuple, CustomerBase] = {}


def build_customer_base(seed: int, new_per_day: int, through: dt.date, reference: Reference) -> CustomerBase:
    """All customers registered on or before `through` for this sign-up rate (cached per process).

    The customers of a smaller rate are a subset of a bigger rate's (see `in_base`), and
    customer N's attributes and timeline are stable hashes of N.
    """
    last = day_index(through)
    if last < 0:
        raise ValueError(f"dates before {parameters.EPOCH} are not supported (got {through})")
    bucket_end = (last // _BUCKET_DAYS + 1) * _BUCKET_DAYS - 1
    key, universe = _universe(seed, new_per_day, bucket_end, reference)
    n = initial_customers(new_per_day) + int(signups_per_day(seed, new_per_day, last).sum())
    fields = {f.name: getattr(universe, f.name) for f in dataclasses.fields(CustomerBase)}
    return CustomerBase(
        **{k: (v[:n] if isinstance(v, np.ndarray) else v) for k, v in fields.items()}
        | {"through": through, "universe_key": key}
    )


def _universe(seed: int, new_per_day: int, last: int, reference: Reference) -> tuple[tuple, CustomerBase]:
    """(key, base through day `last`), cached; the cache holds at most MAX_CUSTOMER_BASE customers."""
    # By value: every load_reference returns a new Reference (hashed by identity), and the
    # base depends only on the plans each (family, tier) offers.
    plans = tuple(sorted((k, tuple(v.tolist())) for k, v in reference.plan_ids_by_family_tier.items()))
    key = (seed, new_per_day, last, plans)
    if key not in _UNIVERSES:
        # One bucket per (seed, rate): a backfill moves forward, so the previous bucket is done
        # with (keeping it cost a year's backfill about 300 MB at 20,000 a day).
        for older in [k for k in _UNIVERSES if k[:2] == key[:2] and k[3] == key[3]]:
            _CHANGES.pop(older, None)
            _UNIVERSES.pop(older)
        needed = initial_customers(new_per_day) + int(signups_per_day(seed, new_per_day, last).sum())
        while _UNIVERSES and sum(len(b.customer_id) for b in _UNIVERSES.values()) + needed > (
            parameters.MAX_CUSTOMER_BASE
        ):
            _CHANGES.pop(next(iter(_UNIVERSES)), None)
            _UNIVERSES.pop(next(iter(_UNIVERSES)))  # the oldest: a base can take hundreds of MB
        _UNIVERSES[key] = _build(seed, new_per_day, last, reference)
    return key, _UNIVERSES[key]


def _clear_cache() -> None:
    _UNIVERSES.clear()
    _CHANGES.clear()


#: Per cached universe: (change days, sorted; customer index of each) of the plan changes and
#: churns inside its last bucket, so a day's changes are a slice, not a scan of every customer.
_CHANGES: dict[tuple, tuple[np.ndarray, np.ndarray]] = {}


def customers_changed_between(base: CustomerBase, prev: int, now: int) -> np.ndarray:
    """Sorted indices of `base`'s customers whose plan changed (a new plan started, not their
    first) or who churned in (prev, now]: the only ones whose rows a day after `prev` updates."""
    universe = _UNIVERSES.get(base.universe_key) if base.universe_key is not None else None
    first = day_index(universe.through) - _BUCKET_DAYS + 1 if universe is not None else None
    if universe is None or prev < first - 1 or now > day_index(universe.through):
        moved = ((base.event_day[:, 1:] > prev) & (base.event_day[:, 1:] <= now)).any(axis=1)
        moved |= (base.churn_day > prev) & (base.churn_day <= now)
        return np.flatnonzero(moved)
    if base.universe_key not in _CHANGES:
        _CHANGES[base.universe_key] = _change_index(universe, first)
    days, who = _CHANGES[base.universe_key]
    lo, hi = np.searchsorted(days, [prev + 1, now + 1])
    picked = np.unique(who[lo:hi])
    return picked[picked < len(base.customer_id)]


def _change_index(universe: CustomerBase, first: int) -> tuple[np.ndarray, np.ndarray]:
    """The changes (plan starts after the first plan, churns) on days `first`.. of `universe`."""
    last = day_index(universe.through)
    later = universe.event_day[:, 1:]
    inside = (later >= first) & (later <= last)
    rows, _ = np.nonzero(inside)
    churned = np.flatnonzero((universe.churn_day >= first) & (universe.churn_day <= last))
    days = np.concatenate([later[inside], universe.churn_day[churned]])
    who = np.concatenate([rows, churned])
    order = np.argsort(days, kind="stable")
    return days[order], who[order]


build_customer_base.cache_clear = _clear_cache  # type: ignore[attr-defined]


def _build(seed: int, new_per_day: int, last: int, reference: Reference) -> CustomerBase:
    """Every customer registered through day `last`: initial customers first, then each day's sign-ups."""
    counts = signups_per_day(seed, new_per_day, last)
    starts = np.repeat(np.cumsum(counts) - counts, counts)
    day_of = np.repeat(np.arange(last + 1, dtype=np.int64), counts)
    daily_ids = (day_of + 1) * _ID_STRIDE + (np.arange(counts.sum()) - starts) + 1
    del starts
    initial_ids = parameters.INITIAL_ID_BASE + np.arange(
        1, initial_customers(new_per_day) + 1, dtype=np.int64
    )
    # Active on EPOCH: the ages of a stationary base are exponential with the mean lifetime.
    age = -np.log1p(-uniform(seed, initial_ids, FIELDS["initial_age"])) * parameters.MEAN_LIFETIME_DAYS
    initial_days = -1 - np.floor(np.minimum(age, 365 * parameters.INITIAL_MAX_AGE_YEARS)).astype(np.int64)
    ids = np.concatenate([initial_ids, daily_ids])
    reg = np.concatenate([initial_days, day_of]).astype(np.int32)
    del daily_ids, day_of, initial_days, age
    n, k = len(ids), parameters.MAX_PLAN_CHANGES + 1
    out = {
        "segment": np.empty(n, np.int8),
        "churn_day": np.empty(n, np.int32),
        "suspended": np.empty(n, bool),
        "propensity": np.empty(n, np.float64),
        "state": np.empty(n, np.int8),
        "zone": np.empty(n, np.int8),
        "language": np.empty(n, np.int8),
        "event_day": np.empty((n, k), np.int32),
        "event_plan": np.empty((n, k), np.int16),
        "event_tier": np.empty((n, k), np.int8),
        "event_type": np.empty((n, k), np.int8),
    }
    for lo in range(0, n, _BUILD_CHUNK):
        part = _draw(seed, ids[lo : lo + _BUILD_CHUNK], reg[lo : lo + _BUILD_CHUNK], reference)
        for name, values in part.items():
            out[name][lo : lo + len(values)] = values
    return CustomerBase(seed=seed, through=index_day(last), customer_id=ids, registration_day=reg, **out)


def is_suspended(seed: int, ids: np.ndarray) -> np.ndarray:
    """Whether each customer is suspended while not churned: PostgreSQL keeps only the status
    after churn, so the lake asks here what it was before (include/export)."""
    return uniform(seed, np.asarray(ids, dtype=np.int64), FIELDS["suspended"]) < parameters.SUSPENDED_SHARE


def _draw(seed: int, ids: np.ndarray, reg: np.ndarray, reference: Reference) -> dict[str, np.ndarray]:
    """Attributes and plan timeline of these customers: pure functions of (seed, id, registration)."""
    segment = np.searchsorted(
        np.cumsum(list(parameters.SEGMENT_MIX.values())), uniform(seed, ids, FIELDS["segment"]), side="right"
    )
    segment = np.minimum(segment, len(SEGMENTS) - 1).astype(np.int8)
    lifetime = np.ceil(
        -np.log1p(-uniform(seed, ids, FIELDS["lifetime"])) * parameters.MEAN_LIFETIME_DAYS
    ).astype(np.int32)
    # Sign-ups churn a lifetime after registering; initial customers were active on EPOCH and
    # (memoryless) have a whole lifetime left from there.
    churn = np.where(reg >= 0, reg + lifetime + 1, lifetime)
    suspended = is_suspended(seed, ids)
    z = np.minimum(normal(seed, ids, FIELDS["propensity"]), parameters.PROPENSITY_MAX_Z)
    propensity = np.exp(parameters.PROPENSITY_SIGMA * z)
    state = geography.draw_states(uniform(seed, ids, FIELDS["state"]))
    zone = geography.draw_zones(state, uniform(seed, ids, FIELDS["time_zone"]))
    language = geography.draw_languages(state, uniform(seed, ids, FIELDS["language"]), LANGUAGES)

    timeline = _plan_timeline(seed, ids, reg, segment, churn, reference)
    return {
        "segment": segment,
        "churn_day": churn.astype(np.int32),
        "suspended": suspended,
        "propensity": propensity,
        "state": state,
        "zone": zone,
        "language": language,
        **timeline,
    }


def _plan_timeline(
    seed: int, ids: np.ndarray, reg: np.ndarray, segment: np.ndarray, churn: np.ndarray, reference: Reference
) -> dict[str, np.ndarray]:
    """Each customer's plan events (day, plan, tier, change type), up to MAX_PLAN_CHANGES, before churn."""
    k = parameters.MAX_PLAN_CHANGES + 1
    n = len(ids)
    event_day = np.full((n, k), NEVER, dtype=np.int32)
    event_tier = np.zeros((n, k), dtype=np.int8)
    event_plan = np.zeros((n, k), dtype=np.int16)
    event_type = np.zeros((n, k), dtype=np.int8)
    start_tiers = np.array([parameters.SEGMENT_START_TIERS[s] for s in SEGMENTS])
    tier = start_tiers[segment, (uniform(seed, ids, FIELDS["start_tier"]) < 0.5).astype(int)]
    business = uniform(seed, ids, FIELDS["business"]) < parameters.BUSINESS_SHARE
    low_b, high_b = parameters.BUSINESS_TIERS
    tier = np.where(business, np.where(segment == SEGMENTS.index("Premium"), high_b, low_b), tier)
    day = reg.astype(np.int64)
    for e in range(k):
        if e > 0:
            gap = np.ceil(
                -np.log1p(-uniform(seed, ids, FIELDS["plan_change_gap"] + e))
                * parameters.PLAN_CHANGE_MEAN_DAYS
            )
            day = day + np.maximum(gap, 1).astype(np.int64)
            up = uniform(seed, ids, FIELDS["plan_change_up"] + e) < parameters.UPGRADE_SHARE
            up = np.where(tier == 4, False, np.where(tier == 1, True, up))
            up = np.where(business, tier == low_b, up)
            step = np.where(business, high_b - low_b, 1)
            tier = tier + np.where(up, step, -step)
            event_type[:, e] = np.where(up, 1, 2)
        pick = uniform(seed, ids, FIELDS["plan_pick"] + e)
        plans = np.zeros(n, dtype=np.int16)
        for (family, t), options in reference.plan_ids_by_family_tier.items():
            chosen = options[np.minimum((pick * len(options)).astype(int), len(options) - 1)]
            plans = np.where((tier == t) & (business == (family == "Business")), chosen, plans)
        alive = day < churn
        event_day[:, e] = np.where(alive, day, NEVER)
        event_tier[:, e] = tier
        event_plan[:, e] = plans
    return {
        "event_day": event_day,
        "event_plan": event_plan,
        "event_tier": event_tier,
        "event_type": event_type,
    }


def plans_ended_between(
    base: CustomerBase, prev: int, now: int, among: np.ndarray | None = None
) -> list[tuple[int, int, int]]:
    """(customer_id, event, end_day) for plans started by `prev` that ended in (prev, now]
    (of the customers at the indices `among`, by default those customers_changed_between finds)."""
    # A plan ends the day before its successor starts or the customer churns: only customers
    # with one of those in (prev, now] qualify (a few thousand a day of millions).
    index = customers_changed_between(base, prev, now) if among is None else among
    days = base.event_day[index]
    following = np.concatenate([days[:, 1:], np.full((len(index), 1), NEVER, dtype=days.dtype)], axis=1)
    end = np.minimum(following, base.churn_day[index][:, None]) - 1
    ended = (days <= prev) & (end + 1 > prev) & (end + 1 <= now)
    return [
        (int(base.customer_id[index[i]]), int(e), int(end[i, e]))
        for i, e in zip(*np.nonzero(ended), strict=False)
    ]
