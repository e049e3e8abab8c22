"""A twin's planted outage through the loader (issue #29): the day plans and publishes the twin's
own rows (the write-audit-publish audit passes), and the lever's event is in the ledger beside
the calendar's own."""

from __future__ import annotations

import datetime as dt

from devtools.database import connect
from include.generator.calendar import day_volume, events_on
from include.generator.settings import BatchSettings
from include.storage.days import load_day

DAY = dt.date(2026, 3, 4)


def test_an_outage_twins_day_loads_its_own_rows_and_ledgers_its_event(schema_url):
    settings = BatchSettings(interactions_per_day=300, scenario="outage=2026-03-04")
    extra = settings.levers.extra_events()
    with connect(schema_url) as conn:
        rows = load_day(conn, DAY, settings)
        requested = conn.execute(
            "SELECT interactions_requested FROM interaction_batches WHERE batch_date = %s", (DAY,)
        ).fetchone()[0]
        loaded = conn.execute(
            "SELECT count(*) FROM customer_interactions WHERE (start_timestamp AT TIME ZONE 'UTC')::date = %s",
            (DAY,),
        ).fetchone()[0]
        ledger = conn.execute(
            "SELECT event_id, event_type, start_date, end_date, scope, intended_effect FROM planted_events "
            "WHERE %s BETWEEN start_date AND end_date ORDER BY event_id",
            (DAY,),
        ).fetchall()
    assert rows == requested == loaded == day_volume(DAY, 300, 42, extra) > day_volume(DAY, 300, 42)
    assert ledger == [
        (e.event_id, e.kind, e.start, e.end, e.scope, e.intended_effect) for e in events_on(42, DAY, extra)
    ]
    assert [kind for event_id, kind, *_ in ledger if event_id % 10 >= 5] == ["Network outage"]  # the lever's
