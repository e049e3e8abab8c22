"""Contacts that announce account events: the account's events are drawn first (the customer
base's timeline), and the contacts that announce them are placed before them.

- A customer who leaves often asks to cancel first: CHURN_ANNOUNCED_SHARE of churners make a
  CANCELLATION contact 1..CHURN_ANNOUNCE_MAX_DAYS days before their churn day.
- A plan change follows a request: PLAN_CHANGE_ANNOUNCED_SHARE of plan changes are preceded by
  a PLAN_CHANGE contact 0..PLAN_CHANGE_ANNOUNCE_MAX_DAYS days before the new plan starts.
- A suspended account (payment trouble) calls about its bill: each suspended customer makes
  SUSPENDED_BILLING_CONTACTS_PER_DAY extra BILLING or PAYMENT contacts a day.

Which customers announce, and on which day, are stable hashes of (seed, customer); a day
finds the ones it holds from the base alone, so the rows of a day stay a pure function of
(seed, day) whatever the order or sharding of days. Each contact takes a slot in the first
half of one of the day's blocks (the slots the cross-day repeats of repeats.py claim win).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from include.generator import parameters, rosters
from include.generator.customers import CustomerBase, customers_changed_between, day_index
from include.generator.stable_random import FIELDS, uniform

TYPES = tuple(parameters.INTERACTION_TYPES)
CANCELLATION, PLAN_CHANGE = TYPES.index("CANCELLATION"), TYPES.index("PLAN_CHANGE")
BILLING, PAYMENT = TYPES.index("BILLING"), TYPES.index("PAYMENT")
#: At most this share of a day's rows announce account events (a day sized by hand may be far
#: smaller than its customer base would call).
_MAX_SHARE_OF_ROWS = 0.25


@dataclass(frozen=True)
class Announcements:
    """A day's contacts that announce account events: customer (index into the base), type, slot."""

    customer: np.ndarray
    itype: np.ndarray
    block: np.ndarray
    slot: np.ndarray

    def by_block(self, pool_of: np.ndarray) -> dict[int, tuple[np.ndarray, np.ndarray, np.ndarray]]:
        """{block: (slots, indices into the day's pool, types)}; `pool_of`: the pool's base indices."""
        return {
            int(b): (self.slot[rows], np.searchsorted(pool_of, self.customer[rows]), self.itype[rows])
            for b in np.unique(self.block)
            if len(rows := np.flatnonzero(self.block == b))
        }

    def counts(self) -> np.ndarray:
        """Announcing contacts per type (index into TYPES)."""
        return np.bincount(self.itype, minlength=len(TYPES))


def _announced_churn(seed: int, base: CustomerBase, d: int, changed: np.ndarray) -> np.ndarray:
    """Base indices of the customers who ask to cancel on day `d` (they churn within days)."""
    churn = base.churn_day[changed]
    ids = base.customer_id[changed]
    lag = 1 + (uniform(seed, ids, FIELDS["churn_announce_lag"]) * parameters.CHURN_ANNOUNCE_MAX_DAYS).astype(
        int
    )
    says = uniform(seed, ids, FIELDS["churn_announced"]) < parameters.CHURN_ANNOUNCED_SHARE
    return changed[says & (churn - lag == d)]


def _announced_plan_changes(seed: int, base: CustomerBase, d: int, changed: np.ndarray) -> np.ndarray:
    """Base indices of the customers who ask for the plan change that starts within days of `d`."""
    ids = base.customer_id[changed]
    found = []
    for e in range(1, base.event_day.shape[1]):
        lag = (
            uniform(seed, ids, FIELDS["plan_change_announce_lag"] + e)
            * (parameters.PLAN_CHANGE_ANNOUNCE_MAX_DAYS + 1)
        ).astype(int)
        says = (
            uniform(seed, ids, FIELDS["plan_change_announced"] + e) < parameters.PLAN_CHANGE_ANNOUNCED_SHARE
        )
        found.append(changed[says & (base.event_day[changed, e] - lag == d)])
    return np.concatenate(found)


def _suspended_billing(
    seed: int, base: CustomerBase, d: int, active: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """(base indices, types) of suspended customers' extra billing and payment contacts on `d`."""
    who = np.flatnonzero(base.suspended & active)
    keys = base.customer_id[who] * 100_000 + d
    calls = uniform(seed, keys, FIELDS["suspended_contact"]) < parameters.SUSPENDED_BILLING_CONTACTS_PER_DAY
    payment = uniform(seed, keys, FIELDS["suspended_contact_type"]) < parameters.SUSPENDED_PAYMENT_SHARE
    return who[calls], np.where(payment[calls], PAYMENT, BILLING)


def announced_on(
    day: dt.date, seed: int, base: CustomerBase, n_rows: int, active: np.ndarray
) -> Announcements:
    """The day's announcing contacts, placed in slots of its blocks (`active`: the day's pool)."""
    d = day_index(day)
    horizon = max(parameters.CHURN_ANNOUNCE_MAX_DAYS, parameters.PLAN_CHANGE_ANNOUNCE_MAX_DAYS)
    changed = customers_changed_between(base, d - 1, d + horizon)
    changed = changed[active[changed]]
    churners = _announced_churn(seed, base, d, changed)
    changers = _announced_plan_changes(seed, base, d, changed)
    suspended, billing = _suspended_billing(seed, base, d, active)
    customer = np.concatenate([churners, changers, suspended])
    itype = np.concatenate(
        [np.full(len(churners), CANCELLATION), np.full(len(changers), PLAN_CHANGE), billing]
    ).astype(np.int64)
    keys = base.customer_id[customer] * 100_000 + d
    # A day sized below what its customers would call announces proportionally less.
    natural_rows = active.sum() * parameters.TARGET_CONTACTS_PER_ACTIVE_MONTH / 30.44
    thin = uniform(seed, keys, FIELDS["announce_thinning"]) < n_rows / max(natural_rows, 1.0)
    customer, itype, keys = customer[thin], itype[thin], keys[thin]
    sizes = np.array(rosters.site_sizes(n_rows) if n_rows > 0 else [0])
    cdf = np.cumsum(sizes) / max(sizes.sum(), 1)
    block = np.searchsorted(cdf, uniform(seed, keys, FIELDS["announce_block"]), side="right").clip(
        0, len(sizes) - 1
    )
    slot = (uniform(seed, keys, FIELDS["announce_slot"]) * (sizes[block] // 2)).astype(np.int64)
    keep = np.zeros(len(customer), dtype=bool)
    keep[np.unique(block * (1 << 32) + slot, return_index=True)[1]] = True  # one contact a slot
    keep &= np.cumsum(keep) <= int(n_rows * _MAX_SHARE_OF_ROWS)
    return Announcements(customer=customer[keep], itype=itype[keep], block=block[keep], slot=slot[keep])
