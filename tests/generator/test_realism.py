"""Issue #14's targets the pure generator can show: calendar, planted events, local time, customers."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from functools import lru_cache

import numpy as np
import pandas as pd
import pytest

from include.generator import calendar, geography, parameters
from include.generator.calendar import day_volume
from include.generator.customers import build_customer_base
from include.generator.interactions import CHANNELS, day_context, generate_day
from include.storage.copy_format import to_frame
from include.storage.rows.customers import customer_attributes

SEED = 42
VOLUME = 20_000
#: The issue's window: two months at 20,000 a day, Thanksgiving and Christmas included.
WINDOW = [dt.date(2026, 11, 1) + dt.timedelta(days=i) for i in range(61)]


@lru_cache
def _rows(reference, day: dt.date, n: int):
    base = build_customer_base(SEED, 5, day, reference)
    frame = pd.concat([to_frame(b) for b in generate_day(day_context(day, n, SEED, base, reference))])
    return frame.reset_index(drop=True)


def rows(reference, day: dt.date, n: int | None = None) -> pd.DataFrame:
    return _rows(reference, day, n or day_volume(day, VOLUME, SEED)).copy()


def customers_of(reference, day: dt.date) -> pd.DataFrame:
    base = build_customer_base(SEED, 5, day, reference)
    return pd.DataFrame(
        {"state": base.state, "zone": base.zone, "language": base.language}, index=base.customer_id
    )


def local(reference, f: pd.DataFrame, day: dt.date) -> pd.Series:
    zone = customers_of(reference, day)["zone"][f["customer_id"]].to_numpy()
    offsets = geography.utc_offsets(day)[zone]
    return f["start_timestamp"].dt.tz_convert(None) + pd.to_timedelta(offsets, unit="s").to_numpy()


# ------------------------------------------------------------------ (5) calendar
def test_holidays_come_from_the_holidays_package():
    assert calendar.holiday_name(dt.date(2026, 11, 26)) == "Thanksgiving Day"
    assert calendar.holiday_name(dt.date(2026, 7, 3)) == "Independence Day"  # observed
    assert calendar.holiday_name(dt.date(2026, 11, 27)) is None
    assert calendar.is_post_holiday(dt.date(2026, 11, 27))  # the Friday after Thanksgiving
    assert calendar.is_post_holiday(dt.date(2026, 12, 28))  # Christmas on a Friday: next is Monday


def test_christmas_and_thanksgiving_below_60_percent_of_a_normal_same_weekday():
    for holiday in (dt.date(2026, 11, 26), dt.date(2026, 12, 25)):
        normal = [
            day_volume(d, VOLUME, SEED)
            for d in WINDOW
            if d.weekday() == holiday.weekday() and calendar.holiday_name(d) is None
        ]
        assert day_volume(holiday, VOLUME, SEED) < 0.6 * np.median(normal)


def test_no_two_days_of_the_same_weekday_share_a_volume_in_a_month():
    for month in (11, 12):
        by_weekday: dict[int, list[int]] = {}
        for d in WINDOW:
            if d.month == month:
                by_weekday.setdefault(d.weekday(), []).append(day_volume(d, VOLUME, SEED))
        for volumes in by_weekday.values():
            assert len(set(volumes)) == len(volumes), volumes


def test_month_seasonality_and_weekly_shape_over_a_year():
    year = pd.Series({d: day_volume(d, VOLUME, SEED) for d in pd.date_range("2026-01-01", "2026-12-31").date})
    by_month = year.groupby([d.month for d in year.index]).mean()
    assert by_month[1] > by_month[5] * 1.05  # January's post-holiday surge
    by_weekday = year.groupby([d.weekday() for d in year.index]).median()
    assert by_weekday[0] > by_weekday[3] > by_weekday[6]


def test_planted_events_are_a_pure_function_of_seed_and_date():
    events = calendar.events_between(SEED, WINDOW[0], WINDOW[-1])
    assert {e.kind for e in events} >= {"Network outage", "Promotion"}
    calendar.events_on.cache_clear()
    for e in events:
        assert e in calendar.events_on(SEED, e.end)  # found from its last day alone
        assert e.end >= e.start and e.intended_effect
    assert calendar.events_between(7, WINDOW[0], WINDOW[-1]) != events


def test_a_planted_outage_raises_tech_support_contacts_in_its_region(reference):
    outage = next(
        e for e in calendar.events_between(SEED, WINDOW[0], WINDOW[-1]) if e.kind == "Network outage"
    )
    quiet = next(
        outage.start - dt.timedelta(days=k)
        for k in range(7, 70, 7)
        if not any(
            e.kind == "Network outage" for e in calendar.events_on(SEED, outage.start - dt.timedelta(days=k))
        )
    )
    tech = reference.interaction_type_ids["TECH_SUPPORT"]

    def tech_in_region(day):
        f = rows(reference, day)
        state = customers_of(reference, day)["state"][f["customer_id"]].to_numpy()
        in_region = geography.STATE_DIVISION[state] == outage.division
        return ((f["interaction_type_id"] == tech).to_numpy() & in_region).sum()

    assert tech_in_region(outage.start) > 2 * tech_in_region(quiet)
    assert day_volume(outage.start, VOLUME, SEED) > day_volume(quiet, VOLUME, SEED)


# ------------------------------------------------------------------ (2) local time
WEDNESDAY = dt.date(2026, 11, 18)


def test_weekday_volume_peaks_between_09_and_12_local_time(reference):
    f = rows(reference, WEDNESDAY)
    hours = local(reference, f, WEDNESDAY).dt.hour.value_counts()
    assert 9 <= hours.idxmax() < 12
    assert hours[range(0, 6)].sum() / hours.sum() < 0.05  # quiet nights


#: A regional network outage in force (division 8, Mountain): its contacts come by its own profile.
OUTAGE_DAY = dt.date(2026, 12, 4)


def test_no_in_store_contact_outside_store_hours(reference):
    assert calendar.day_plan(OUTAGE_DAY, SEED).regional_share > 0.05
    for day in (WEDNESDAY, dt.date(2026, 11, 22), dt.date(2026, 11, 23), dt.date(2026, 11, 27), OUTAGE_DAY):
        f = rows(reference, day)
        when = local(reference, f, day)[(f["channel_id"] == reference.channel_ids["IN_STORE"]).to_numpy()]
        assert len(when) > 100
        hours = np.array(parameters.STORE_HOURS)[when.dt.weekday]
        hour = when.dt.hour + when.dt.minute / 60
        assert ((hour >= hours[:, 0]) & (hour < hours[:, 1])).all()
        assert not when.dt.date.map(calendar.stores_closed).any()


def test_no_in_store_contact_on_christmas(reference):
    """On the customer's local Christmas Day (the UTC day also holds western Christmas Eve evenings)."""
    day = dt.date(2026, 12, 25)
    f = rows(reference, day)
    when = local(reference, f, day)[(f["channel_id"] == reference.channel_ids["IN_STORE"]).to_numpy()]
    assert (when.dt.date != day).all()


def test_asynchronous_replies_fall_in_digital_desk_hours(reference):
    f = rows(reference, WEDNESDAY)
    asynchronous = [reference.channel_ids[c] for c in CHANNELS if c not in parameters.HANDLE_TIME_LOGNORMAL]
    # Replies an agent writes (bots answer SMS at any hour, in seconds).
    written = f["channel_id"].isin(asynchronous) & f["agent_id"].notna()
    replies = f.loc[written, "end_timestamp"].dt.tz_convert(parameters.CENTER_TIME_ZONE)
    opens, closes = parameters.DIGITAL_DESK_HOURS
    # Taken up while the desk is open: the last ones are finished minutes after it closes.
    minute = replies.dt.hour * 60 + replies.dt.minute
    assert minute.between(opens * 60, closes * 60 + 30).all()
    assert (minute >= closes * 60).mean() < 0.01


# ------------------------------------------------------------------ (1) customers
def test_states_weighted_by_population_with_consistent_time_zones(reference):
    c = customers_of(reference, WEDNESDAY)
    share = pd.Series(np.array(geography.STATES)[c["state"]]).value_counts(normalize=True)
    census = pd.Series(geography.STATE_POPULATION_2020) / sum(geography.STATE_POPULATION_2020.values())
    assert share["CA"] == pytest.approx(census["CA"], abs=0.01)
    assert share["TX"] > share["OH"] > share["WY"]
    for state, zone in zip(c["state"], c["zone"], strict=True):
        st = geography.STATES[state]
        allowed = {geography.STATE_ZONE[st], geography.STATE_MINOR_ZONE.get(st, (None, 0))[0]}
        assert zone in allowed


def test_phone_numbers_are_valid_nanp_with_the_states_area_code(reference):
    base = build_customer_base(SEED, 5, WEDNESDAY, reference)
    attrs = customer_attributes(SEED, base.customer_id[:5_000], base.state[:5_000], base.zone[:5_000])
    pattern = re.compile(r"^\(([2-9]\d\d)\) ([2-9]\d\d)-(\d{4})$")
    for _, _, phone, _, _, state in attrs:
        m = pattern.match(phone)
        assert m, phone
        assert int(m[1]) in geography.state_area_codes(state)
        assert m[2][1:] != "11"


def test_each_customer_speaks_one_language(reference):
    f = rows(reference, WEDNESDAY)
    preferred = customers_of(reference, WEDNESDAY)["language"][f["customer_id"]].to_numpy()
    assert (f["language"].to_numpy() == np.array(list(parameters.LANGUAGE_MIX))[preferred]).all()
    assert Counter(f.groupby("customer_id")["language"].nunique()) == {1: f["customer_id"].nunique()}


def test_plan_changes_stay_within_their_family(reference):
    base = build_customer_base(SEED, 5, WEDNESDAY, reference)
    business = set(reference.plan_ids_by_family_tier[("Business", 2)].tolist()) | set(
        reference.plan_ids_by_family_tier[("Business", 4)].tolist()
    )
    started = base.event_day < 10**8  # events that happen at all
    is_business = np.isin(base.event_plan, list(business))
    mixed = (is_business & started).any(axis=1) & (~is_business & started).any(axis=1)
    assert not mixed.any()
    share = is_business[:, 0].mean()
    assert 0.05 < share < 0.15


# ------------------------------------------------------------------ (6) correlated behaviour
def _channel_name(reference, f):
    names = {v: k for k, v in reference.channel_ids.items()}
    return f["channel_id"].map(names)


def test_fcr_differs_by_at_least_10_points_between_channels(reference):
    f = rows(reference, WEDNESDAY)
    fcr = f.groupby(_channel_name(reference, f))["first_contact_resolution"].mean()
    assert fcr.max() - fcr.min() >= 0.10, fcr
    assert fcr["IN_STORE"] > fcr["SOCIAL"]
    by_type = f.groupby("interaction_type_id")["first_contact_resolution"].mean()
    assert by_type.max() - by_type.min() >= 0.10
    assert 0.5 < f["first_contact_resolution"].mean() < 0.75  # about 70 % (SQM Group), 54 % (ServiceXRG)


def test_type_mix_differs_by_channel(reference):
    f = rows(reference, WEDNESDAY)
    mix = pd.crosstab(_channel_name(reference, f), f["interaction_type_id"], normalize="index")
    complaint = reference.interaction_type_ids["COMPLAINT"]
    new_service = reference.interaction_type_ids["NEW_SERVICE"]
    assert mix.loc["SOCIAL", complaint] > 3 * mix.loc["MOBILE_APP", complaint]
    assert mix.loc["IN_STORE", new_service] > 3 * mix.loc["PHONE", new_service]
    # The day's overall mixes are kept (fitted back to both marginals).
    share = _channel_name(reference, f).value_counts(normalize=True)
    assert share["PHONE"] == pytest.approx(parameters.CHANNEL_MIX["PHONE"], abs=0.02)


def test_channel_mix_shifts_at_weekends(reference):
    weekday = _channel_name(reference, rows(reference, WEDNESDAY)).value_counts(normalize=True)
    saturday = dt.date(2026, 11, 21)
    weekend = _channel_name(reference, rows(reference, saturday)).value_counts(normalize=True)
    assert weekend["PHONE"] < weekday["PHONE"] - 0.03
    assert weekend["MOBILE_APP"] > weekday["MOBILE_APP"]


def test_survey_response_depends_on_the_outcome(reference):
    f = rows(reference, WEDNESDAY)
    answered = f["satisfaction_score"].notna()
    by_outcome = answered.groupby(f["resolution_status"]).mean()
    assert by_outcome.max() - by_outcome.min() >= 0.03, by_outcome
    low, high = parameters.SURVEY_RESPONSE_RANGE
    assert low <= answered.mean() <= high
    # Extreme answers are over-represented among respondents.
    scores = f["satisfaction_score"].dropna()
    assert scores.isin([1, 5]).mean() > 0.3


def test_phone_and_chat_handle_times_in_published_ranges(reference):
    f = rows(reference, WEDNESDAY)
    minutes = f.groupby(_channel_name(reference, f))["duration_seconds"].mean() / 60
    assert 5 <= minutes["PHONE"] <= 9, minutes  # about 6 min; 43 % of centres 5-9 min
    assert 8 <= minutes["WEB_CHAT"] <= 15, minutes  # about 12 min (Comm100 2019)
