"""`cca realism`'s issue #24 figures (customers and outcomes) on loaded days in a real database."""

from __future__ import annotations

import datetime as dt

from devtools.commands import realism_customers
from devtools.commands.realism import PUBLISHED
from devtools.database import connect
from include.analytics import refresh_day
from include.generator.settings import BatchSettings
from include.storage.days import load_day

#: Thanksgiving (Nov 26) and Black Friday, with ordinary Fridays before.
DAYS = [dt.date(2026, 11, 13) + dt.timedelta(days=i) for i in range(15)]


def test_the_customer_and_outcome_figures_are_measured_and_in_range(schema_url):
    with connect(schema_url) as conn:
        for day in DAYS:
            load_day(conn, day, BatchSettings(interactions_per_day=3_000))
            refresh_day(conn, day)
        figures = realism_customers.measure(conn)
    assert set(figures) == set(realism_customers.PUBLISHED) and set(figures) <= set(PUBLISHED)
    assert figures["Christmas device-support share / ordinary Thursday's"] is None  # not loaded
    for name, value in figures.items():
        if value is None:
            continue
        low, high, _ = realism_customers.PUBLISHED[name]
        assert low <= value <= high, (name, value)
