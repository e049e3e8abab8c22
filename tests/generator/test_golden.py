"""Same seed, same rows, across installs and refactors: golden digests of one generated day.

Changed on purpose by issue #14 (calendar, planted events, local time, customer states,
time zones, phones, languages, plan families; then correlated behaviour and published
handle times: the interactions digest again; then the population sized to the volume: the
default run's customers, ids of customers active on EPOCH, a lighter propensity tail). An
upgrade of numpy, Faker or anything else that changes the data fails here instead of
silently changing what "same seed, same rows" means. Update them only on purpose.
"""

from __future__ import annotations

import datetime as dt
import hashlib

import numpy as np

from include.generator.customers import build_customer_base, customer_rows, day_index, plan_rows
from include.generator.interactions import day_context, generate_day
from include.generator.settings import BatchSettings
from include.storage.copy_format import encode_binary

DAY = dt.date(2026, 3, 4)
GOLDEN = {
    "interactions": "019c0fd20e0c3633fd94d1e25252e604",  # binary COPY bytes of 20,000 rows, seed 42
    "customers": "71f53fd261f484df35cab7343cc3d799",
    "plans": "84b3fa5825ac3deb40f7091ada4d600c",
}


def test_a_generated_day_matches_its_golden_digests(reference):
    base = build_customer_base(42, BatchSettings().signups, DAY, reference)  # the default run's
    interactions = hashlib.md5()
    contacted = []
    for block in generate_day(day_context(DAY, 20_000, 42, base, reference)):
        interactions.update(encode_binary(block))
        contacted.append(block["customer_id"])
    # The customers of those interactions (the whole base is ~460,000 customers).
    registered = np.isin(base.customer_id, np.concatenate(contacted))
    digests = {
        "interactions": interactions.hexdigest(),
        "customers": hashlib.md5(repr(customer_rows(base, registered, day_index(DAY))).encode()).hexdigest(),
        "plans": hashlib.md5(repr(plan_rows(base, registered, day_index(DAY))).encode()).hexdigest(),
    }
    assert digests == GOLDEN
