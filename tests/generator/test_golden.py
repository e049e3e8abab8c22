"""Same seed, same rows, across installs and refactors: golden digests of one generated day.

Changed on purpose by issue #14 (the workforce: roster, shifts, queues, bots, with digests
of the roster's agents and the day's shifts; calendar, planted events, local time, customer states,
time zones, phones, languages, plan families; then correlated behaviour and published
handle times: the interactions digest again; then the population sized to the volume: the
default run's customers, ids of customers active on EPOCH, a lighter propensity tail; then repeat contacts across days: the interactions and the
customers they reach; then issue #24's customers and outcomes: contacts that announce account
events, escalation by type, abandoned callers' retries and no summary, holiday content, cities,
exchanges, e-mails and languages by state, skill by tenure: every digest). An
upgrade of numpy, Faker or anything else that changes the data fails here instead of
silently changing what "same seed, same rows" means. Update them only on purpose.
"""

from __future__ import annotations

import datetime as dt
import hashlib

import numpy as np

from include.generator import workforce
from include.generator.customers import build_customer_base, customer_rows, day_index, plan_rows
from include.generator.interactions import day_context, generate_day
from include.generator.settings import BatchSettings
from include.storage.copy_format import encode_binary

DAY = dt.date(2026, 3, 4)
GOLDEN = {
    "interactions": "e9cf5bd0d4fc65569babd7e1f725ce23",  # binary COPY bytes of 20,000 rows, seed 42
    "agents": "cbf672041f0b2006fe3c9d77a2a33923",  # the roster for 20,000 a day, hired by DAY
    "shifts": "95000b7be123492a23cce81aa8900f30",  # DAY's shifts
    "customers": "fc29ae55aae6425271bac5a075a0e2fa",
    "plans": "6c11fbe0828a4a68c78268a2bb2b089d",
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
    roster = workforce.build_roster(42, 20_000, reference)
    hired = workforce.agents_employed_since_epoch(roster, DAY)
    digests = {
        "interactions": interactions.hexdigest(),
        "agents": hashlib.md5(repr(workforce.agent_rows(roster, *hired, DAY)).encode()).hexdigest(),
        "shifts": hashlib.md5(
            repr(workforce.shift_rows(ctx.shifts, DAY, ctx.today_shifts)).encode()
        ).hexdigest(),
        "customers": hashlib.md5(repr(customer_rows(base, registered, day_index(DAY))).encode()).hexdigest(),
        "plans": hashlib.md5(repr(plan_rows(base, registered, day_index(DAY))).encode()).hexdigest(),
    }
    assert digests == GOLDEN
