"""Same seed, same rows, across installs and refactors: golden digests of one generated day.

Changed on purpose by issue #14 (the workforce: roster, shifts, queues, bots, with digests
of the roster's agents and the day's shifts; calendar, planted events, local time, customer states,
time zones, phones, languages, plan families; then correlated behaviour and published
handle times: the interactions digest again; then the population sized to the volume: the
default run's customers, ids of customers active on EPOCH, a lighter propensity tail; then repeat contacts across days: the interactions and the
customers they reach; then issue #24, local time and published schedules: seats with
contracts and local start times, shifts across midnight written by the day they start in,
each zone's own local day, timed outages, stores as places; with issue #24's customers where
they live, contacts that change accounts and skill that grows with tenure: every digest). An
upgrade of numpy, Faker or anything else that changes the data fails here instead of
silently changing what "same seed, same rows" means. Update them only on purpose.
"""

from __future__ import annotations

import datetime as dt
import hashlib

import numpy as np

from include.generator import rosters
from include.generator.customers import build_customer_base, day_index
from include.generator.interactions import day_context, generate_day
from include.generator.settings import BatchSettings
from include.storage.copy_format import encode_binary
from include.storage.rows import workforce as workforce_rows
from include.storage.rows.customers import customer_rows, plan_rows

DAY = dt.date(2026, 3, 4)
GOLDEN = {
    "interactions": "5333a8e45af92906b81f112a17dd3b6a",  # binary COPY bytes of 20,000 rows, seed 42
    "agents": "ee453146a5226c2073d13c649c57929f",  # the roster for 20,000 a day, hired by DAY
    "shifts": "5bbe8acd2db056aa506fffefa675f914",  # the shifts starting on DAY (UTC)
    "customers": "eb7d50a0f4010acb89222d2062cfda01",
    "plans": "12641a3d5762176cfa40851d9aa9a6c4",
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
    ctx = day_context(DAY, 20_000, 42, base, reference)
    roster = rosters.build_roster(42, 20_000, reference)
    hired = rosters.agents_employed_since_epoch(roster, DAY)
    digests = {
        "interactions": interactions.hexdigest(),
        "agents": hashlib.md5(repr(workforce_rows.agent_rows(roster, *hired, DAY)).encode()).hexdigest(),
        "shifts": hashlib.md5(
            repr(workforce_rows.shift_rows(ctx.shifts, DAY, ctx.written)).encode()
        ).hexdigest(),
        "customers": hashlib.md5(repr(customer_rows(base, registered, day_index(DAY))).encode()).hexdigest(),
        "plans": hashlib.md5(repr(plan_rows(base, registered, day_index(DAY))).encode()).hexdigest(),
    }
    assert digests == GOLDEN
