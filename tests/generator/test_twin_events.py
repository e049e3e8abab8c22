"""Counterfactual twins (issue #29) with a planted event: `outage=DATE` and `price_change=DATE`
plant the calendar's own event kinds on chosen dates (include/generator/calendar.py), so their
volume, waits and abandonment come from the model; every other day's calendar is today's, and
days out of the event's reach are row for row today's. No database: the pure generator."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from include.generator import calendar, parameters
from include.generator.calendar import day_volume, events_on
from include.generator.customers import build_customer_base
from include.generator.interactions import day_context, generate_day
from include.generator.repeats import LAGS
from include.generator.settings import BatchSettings

DAY = dt.date(2026, 3, 4)  # a Wednesday
VOLUME = 3_000
SEED = parameters.DEFAULT_SEED
PHONE = 1  # catalog.json's channel id
MARCH = [dt.date(2026, 2, 20) + dt.timedelta(days=k) for k in range(40)]


def _extra(scenario: str) -> tuple:
    return BatchSettings(scenario=scenario).levers.extra_events()


def _touched(extra: tuple) -> set[dt.date]:
    """The UTC days whose calendar an event can change: the days it is in force, and the one
    after (its last local day runs into the next UTC day)."""
    days = {d for d in MARCH for e in events_on(SEED, d, extra) if e.event_id % 10 >= 5}
    return days | {d + dt.timedelta(days=1) for d in days}


@pytest.mark.parametrize(
    ("scenario", "kind"),
    [("outage=2026-03-04", "Network outage"), ("price_change=2026-03-04", "Price change")],
)
def test_a_date_lever_plants_the_calendars_event_and_changes_no_other_day(scenario, kind):
    extra = _extra(scenario)
    planted = [e for e in events_on(SEED, DAY, extra) if e not in events_on(SEED, DAY)]
    assert [e.kind for e in planted] == [kind]
    assert planted[0].event_id % 10 == 5 + calendar.EVENT_KINDS.index(kind)  # (the calendar's own: 0..2)
    touched = _touched(extra)
    assert DAY in touched and len(touched) <= (3 if kind == "Network outage" else 11)
    for d in MARCH:
        if d in touched:
            assert day_volume(d, VOLUME, SEED, extra) >= day_volume(d, VOLUME, SEED), d
        else:
            assert day_volume(d, VOLUME, SEED, extra) == day_volume(d, VOLUME, SEED), d
            assert events_on(SEED, d, extra) == events_on(SEED, d), d
    assert day_volume(DAY, VOLUME, SEED, extra) > 1.05 * day_volume(DAY, VOLUME, SEED)


def _day(reference, day: dt.date, scenario: str) -> dict[str, np.ndarray]:
    settings = BatchSettings(interactions_per_day=VOLUME, scenario=scenario)
    rows = day_volume(day, VOLUME, SEED, settings.levers.extra_events())
    base = build_customer_base(settings.seed, settings.signups, day, reference)
    ctx = day_context(day, rows, settings.seed, base, reference, VOLUME, settings.levers)
    blocks = list(generate_day(ctx))
    return {k: np.concatenate([b[k] for b in blocks]) for k in blocks[0]}


def _phone(rows: dict) -> tuple[float, float]:
    """(ASA seconds, abandonment rate) of the day's phone calls that reached a queue."""
    calls = (rows["channel_id"] == PHONE) & (~rows["agent_null"] | rows["duration_null"])
    answered = calls & ~rows["duration_null"]
    return rows["queue_time_seconds"][answered].mean(), (calls & rows["duration_null"]).sum() / calls.sum()


@pytest.mark.parametrize("scenario", ["outage=2026-03-04", "price_change=2026-03-04"])
def test_a_planted_event_brings_contacts_and_longer_waits_through_the_model(reference, scenario):
    base, twin = _day(reference, DAY, ""), _day(reference, DAY, scenario)
    assert len(twin["customer_id"]) > 1.05 * len(base["customer_id"])
    lifted = [
        i
        for i, t in enumerate(calendar.TYPES, start=1)
        if t in parameters.PLANTED_EVENTS[_extra(scenario)[0][0]]["type_lift"]
    ]  # fmt: skip  (catalog.json's type ids follow INTERACTION_TYPES' order)
    share = [np.isin(r["interaction_type_id"], lifted).mean() for r in (base, twin)]
    assert share[1] > share[0], share
    (asa, abandoned), (twin_asa, twin_abandoned) = _phone(base), _phone(twin)
    assert twin_asa > asa and twin_abandoned > abandoned, (asa, twin_asa, abandoned, twin_abandoned)


def test_the_day_before_an_outage_is_row_for_row_todays_and_the_days_after_keep_their_arrivals(reference):
    """Causality: nothing before the outage changes. After it, the days keep today's contacts;
    the outage's own contacts bring their repeat contacts (1-LAGS days later), and the queues
    answer them."""
    before = DAY - dt.timedelta(days=1)
    base, twin = _day(reference, before, ""), _day(reference, before, "outage=2026-03-04")
    assert base.keys() == twin.keys()
    for column in base:
        assert np.array_equal(base[column], twin[column]), column
    keys = ("customer_id", "start_us", "channel_id", "interaction_type_id")
    for later in (DAY + dt.timedelta(days=3), DAY + dt.timedelta(days=LAGS)):
        base, twin = (_day(reference, later, s) for s in ("", "outage=2026-03-04"))
        arrivals = [set(zip(*(r[k].tolist() for k in keys), strict=True)) for r in (base, twin)]
        assert len(arrivals[0] & arrivals[1]) >= 0.97 * len(base["customer_id"]), later


def test_an_outage_twins_day_does_not_depend_on_how_it_is_split(reference, monkeypatch):
    from include.generator.interactions import block_sizes
    from include.storage.copy_format import encode_binary

    monkeypatch.setattr(parameters, "BLOCK_SIZE", 1_000)
    settings = BatchSettings(interactions_per_day=VOLUME, scenario="outage=2026-03-04")
    rows = day_volume(DAY, VOLUME, SEED, settings.levers.extra_events())
    base = build_customer_base(SEED, settings.signups, DAY, reference)
    ctx = day_context(DAY, rows, SEED, base, reference, VOLUME, settings.levers)
    blocks = len(block_sizes(rows))
    whole = b"".join(encode_binary(b) for b in generate_day(ctx))
    shards = (range(0, 1), range(1, blocks - 1), range(blocks - 1, blocks))
    assert whole == b"".join(encode_binary(b) for shard in shards for b in generate_day(ctx, shard))
