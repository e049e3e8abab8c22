"""Issue #14, part 1: the population is sized to the volume, so contacts per active customer
per month stay in the published range, and no customer contacts us an impossible number of times."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import numpy as np
import pytest

from include.generator import parameters
from include.generator.calendar import day_volume
from include.generator.customers import build_customer_base, customers_changed_between, day_index, in_base
from include.generator.interactions import day_context, generate_day
from include.generator.settings import BatchSettings, latest_day, validate_run

SEED = 42
#: A month ending on a Wednesday; the rate is measured over it.
MONTH = [dt.date(2026, 2, 2) + dt.timedelta(days=i) for i in range(30)]


def contacts_per_active_customer_per_month(reference, interactions_per_day: int) -> float:
    """What `cca realism` measures: the month's contacts over its mean active customers."""
    settings = BatchSettings(interactions_per_day=interactions_per_day)
    base = build_customer_base(SEED, settings.signups, MONTH[-1], reference)
    active = np.mean([base.active_on(day_index(d)).sum() for d in MONTH])
    contacts = sum(day_volume(d, interactions_per_day, SEED) for d in MONTH)
    return contacts / active / (len(MONTH) / 30.44)


@pytest.mark.parametrize("volume", [2_000, 20_000])
def test_contacts_per_active_customer_per_month_are_in_the_published_range(reference, volume):
    low, high = parameters.CONTACT_RATE_RANGE
    assert low <= contacts_per_active_customer_per_month(reference, volume) <= high


def test_the_rate_holds_from_the_first_day_to_the_horizon(reference):
    """The base is stationary: customers active on EPOCH are as many as the sign-ups keep active."""
    settings = BatchSettings(interactions_per_day=2_000)
    base = build_customer_base(SEED, settings.signups, latest_day(), reference)
    for day in (parameters.EPOCH, dt.date(2023, 6, 1), latest_day()):
        active = base.active_on(day_index(day)).sum()
        rate = 2_000 * 30.44 / active
        assert parameters.CONTACT_RATE_RANGE[0] <= rate <= parameters.CONTACT_RATE_RANGE[1], (day, rate)


def test_no_customer_has_an_impossible_number_of_contacts_in_30_days(reference):
    """At 20,000 a day for 30 days (600,000 contacts): a heavy tail, but nobody calls daily."""
    settings = BatchSettings(interactions_per_day=20_000)
    base = build_customer_base(SEED, settings.signups, MONTH[-1], reference)
    per_customer: Counter = Counter()
    for day in MONTH:
        ctx = day_context(day, day_volume(day, 20_000, SEED), SEED, base, reference)
        for block in generate_day(ctx):
            per_customer.update(block["customer_id"].tolist())
    counts = np.array(list(per_customer.values()))
    assert counts.max() <= 15, counts.max()
    # Still a tail: some customers contact us several times a month, most once.
    assert counts.max() >= 6
    assert (counts == 1).mean() > 0.6
    top = np.sort(counts)[::-1][: len(counts) // 20]
    assert top.sum() / counts.sum() > 0.10  # the busiest 5 % of contacting customers


def test_a_smaller_volume_uses_a_subset_of_a_bigger_ones_customers(reference):
    """The universe: a run at 2,000 a day has some of the customers a 20,000-a-day run has, alike."""
    day = dt.date(2026, 3, 4)
    small = build_customer_base(SEED, BatchSettings(interactions_per_day=2_000).signups, day, reference)
    big = build_customer_base(SEED, BatchSettings(interactions_per_day=20_000).signups, day, reference)
    assert len(big.customer_id) > 8 * len(small.customer_id)
    shared = in_base(
        SEED, small_rate := BatchSettings(interactions_per_day=2_000).signups, day_index(day), big
    )
    assert small_rate < big.customer_id.size
    assert np.array_equal(big.customer_id[shared], small.customer_id)
    for name in (
        "registration_day",
        "churn_day",
        "propensity",
        "state",
        "language",
        "event_day",
        "event_plan",
    ):
        assert np.array_equal(getattr(big, name)[shared], getattr(small, name)), name


def test_derived_sign_ups_follow_the_volume_up_to_the_cap():
    assert BatchSettings(interactions_per_day=2_000).signups == 113
    assert BatchSettings(interactions_per_day=20_000).signups == 1_127
    assert (
        BatchSettings(interactions_per_day=10_000_000).signups == parameters.MAX_DERIVED_NEW_CUSTOMERS_PER_DAY
    )
    assert BatchSettings(interactions_per_day=20_000, new_customers_per_day=5).signups == 5
    validate_run(latest_day(), BatchSettings(interactions_per_day=parameters.MAX_INTERACTIONS_PER_DAY))


def _copy_text(rows: list[tuple]) -> bytes:
    """Rows as PostgreSQL's COPY text would hold them (what write_row sends)."""

    def field(value: object) -> str:
        if value is None:
            return "\\N"
        if isinstance(value, bool):
            return "t" if value else "f"
        if isinstance(value, dt.datetime):
            return f"{value:%Y-%m-%d %H:%M:%S}+00"
        return str(value)

    return "".join("\t".join(map(field, row)) + "\n" for row in rows).encode()


def test_the_copy_text_of_a_big_base_is_the_rows_of_the_reference_functions(reference):
    """A fresh database at 20,000 a day COPYs millions of customers from whole-column text; it
    must hold exactly the rows customer_rows and plan_rows (the golden digests') describe."""
    from include.storage.rows.customers import customer_copy_text, customer_rows, plan_copy_text, plan_rows

    day = dt.date(2026, 3, 4)
    base = build_customer_base(SEED, 113, day, reference)
    mask = np.zeros(len(base.customer_id), dtype=bool)
    mask[::7] = True  # initial customers, sign-ups, churned ones, every plan shape
    as_of = day_index(day)
    assert customer_copy_text(base, mask, as_of) == _copy_text(customer_rows(base, mask, as_of))
    assert plan_copy_text(base, mask, as_of) == _copy_text(plan_rows(base, mask, as_of))
    since = as_of - 40
    fresh = [r for r in plan_rows(base, mask, as_of) if day_index(r[3]) > since]
    assert plan_copy_text(base, mask, as_of, since) == _copy_text(fresh)


def test_a_days_changed_customers_come_from_the_index_as_from_a_scan_of_the_base(reference):
    """customers_changed_between slices a per-bucket index of the changes instead of scanning
    millions of customers a day; it must find exactly the customers a scan finds."""
    settings = BatchSettings(interactions_per_day=2_000)
    day = dt.date(2026, 3, 4)
    base = build_customer_base(SEED, settings.signups, day, reference)
    now = day_index(day)
    for prev in (now - 1, now - 3, now - 40, now - 400):  # the last one: before the bucket
        scanned = ((base.event_day[:, 1:] > prev) & (base.event_day[:, 1:] <= now)).any(axis=1)
        scanned |= (base.churn_day > prev) & (base.churn_day <= now)
        found = customers_changed_between(base, prev, now)
        assert len(found) > 0
        assert found.tolist() == np.flatnonzero(scanned).tolist(), prev


def test_a_process_keeps_one_bucket_of_a_base_in_memory(reference):
    """A backfill moves forward through 128-day buckets: the one before is dropped, not kept."""
    from include.generator import customers

    rate = BatchSettings(interactions_per_day=2_000).signups
    days = [dt.date(2025, 1, 10), dt.date(2025, 9, 10)]  # two buckets
    bases = [build_customer_base(SEED, rate, day, reference) for day in days]
    assert bases[0].universe_key != bases[1].universe_key
    held = [k for k in customers._UNIVERSES if k[:2] == (SEED, rate)]
    assert held == [bases[1].universe_key]
    # a base cut before still answers (its arrays outlive the cache), by a scan
    moved = customers_changed_between(bases[0], day_index(days[0]) - 3, day_index(days[0]))
    assert len(moved) > 0
