"""Counter-based randomness: a value per (seed, key, field), independent of call order.

The customer base uses it so that customer N looks the same whichever day, order or
process first materializes it. Daily interaction blocks use numpy's default_rng instead.

FIELDS and STREAMS are the one registry of the generator's random streams: two draws that
share a field (or a stream) would be the same numbers, so every field and stream is named
here and tests/generator/test_streams.py checks they are unique (a `normal` field also
takes field + NORMAL_COMPANION, a field + k one per k in its range).
"""

from __future__ import annotations

import numpy as np

#: The second uniform of a normal draw on `field` (Box-Muller) is on field + NORMAL_COMPANION.
NORMAL_COMPANION = 7_919

#: name -> field number of the stable uniform draws (per (seed, key)); a range (first, count)
#: takes first .. first + count - 1 (one per plan event, event kind, ...).
FIELD_RANGES: dict[str, tuple[int, int]] = {
    # customers (include/generator/customers.py)
    "segment": (1, 1),
    "start_tier": (2, 1),
    "lifetime": (3, 1),
    "suspended": (4, 1),
    "propensity": (5, 1),  # normal: also 5 + NORMAL_COMPANION
    "state": (6, 1),
    "time_zone": (7, 1),
    "language": (8, 1),
    "business": (9, 1),
    "plan_change_gap": (10, 4),  # + event
    "plan_change_up": (20, 4),  # + event
    "plan_pick": (30, 4),  # + event
    "first_name": (40, 1),
    "last_name": (41, 1),
    "street": (42, 1),
    "street_suffix": (43, 1),
    "city": (46, 1),
    "email_domain": (48, 1),
    "house_number": (49, 1),
    "area_code": (50, 1),  # the exchange (area code and NXX)
    "line_number": (52, 1),
    "email_style": (53, 1),
    "signup_noise": (901, 1),
    "initial_age": (902, 1),
    # calendar (include/generator/calendar.py), per planted event kind
    "event_starts": (1_000, 3),
    "event_days": (1_100, 3),
    "event_division": (1_200, 3),
    "event_start_minute": (1_250, 3),  # a timed event's local start, + event kind
    "day_noise": (1_300, 1),  # normal
    # workforce (include/generator/workforce.py) and its forecast (interactions.py)
    "agent_tenure": (1_501, 1),
    "agent_vacancy": (1_502, 1),
    "agent_first_hire": (1_503, 1),
    "agent_skill": (1_504, 1),
    "agent_days_off": (1_505, 1),
    "agent_absent": (1_506, 1),
    "agent_shift_rank": (1_507, 1),
    "shift_order": (1_508, 1),
    "four_by_ten_contract": (1_509, 1),
    "agent_first_name": (1_520, 1),
    "agent_last_name": (1_521, 1),
    "interval_forecast_error": (1_600, 1),  # normal
    # a counterfactual twin's levers (include/generator/scenario.py; the baseline never draws them)
    "twin_staffing_rounding": (1_700, 1),
    # contacts that announce account events (include/generator/accounts.py)
    "churn_announced": (2_001, 1),
    "churn_announce_lag": (2_002, 1),
    "plan_change_announced": (2_010, 4),  # + event
    "plan_change_announce_lag": (2_020, 4),  # + event
    "suspended_contact": (2_030, 1),
    "suspended_contact_type": (2_031, 1),
    "announce_block": (2_040, 1),
    "announce_slot": (2_041, 1),
    "announce_thinning": (2_042, 1),
}
#: Fields drawn with `normal` (they also take field + NORMAL_COMPANION).
NORMAL_FIELDS = ("propensity", "day_noise", "interval_forecast_error")
FIELDS: dict[str, int] = {name: first for name, (first, _) in FIELD_RANGES.items()}

#: The third key of numpy generators default_rng([seed, day ordinal, stream]): a day's blocks
#: use 0, 1, ... (block numbers, below BLOCK_STREAMS_BELOW); other streams of a day are named here.
BLOCK_STREAMS_BELOW = 1_000_000
STREAMS: dict[str, int] = {
    "repeat_pairs": 1_000_003,  # include/generator/repeats.py
}


def fields_taken() -> list[int]:
    """Every field number the registry hands out (ranges expanded, normal companions included)."""
    taken = [first + k for first, count in FIELD_RANGES.values() for k in range(count)]
    return taken + [FIELDS[name] + NORMAL_COMPANION for name in NORMAL_FIELDS]


_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)


def _splitmix64(x: np.ndarray) -> np.ndarray:
    x = x + _GOLDEN
    x = (x ^ (x >> np.uint64(30))) * _M1
    x = (x ^ (x >> np.uint64(27))) * _M2
    return x ^ (x >> np.uint64(31))


def uniform(seed: int, keys: np.ndarray, field: int) -> np.ndarray:
    """Uniform [0, 1) floats, one per key, for this seed and field number."""
    with np.errstate(over="ignore"):
        salt = _splitmix64(np.array([seed * 1_000_003 + field], dtype=np.uint64))[0]
        bits = _splitmix64(np.asarray(keys, dtype=np.uint64) ^ salt)
    return (bits >> np.uint64(11)).astype(np.float64) * (1.0 / (1 << 53))


def normal(seed: int, keys: np.ndarray, field: int) -> np.ndarray:
    """Standard normal values (Box-Muller on two stable uniforms)."""
    u1 = uniform(seed, keys, field)
    u2 = uniform(seed, keys, field + NORMAL_COMPANION)
    return np.sqrt(-2.0 * np.log1p(-u1)) * np.cos(2.0 * np.pi * u2)
