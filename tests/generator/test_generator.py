"""The generator, pure: rows from (seed, date, parameters), deterministic and realistic; no database."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import numpy as np
import pytest

from include.generator import parameters
from include.generator.calendar import day_volume
from include.generator.customers import build_customer_base, day_index
from include.generator.interactions import CHANNELS, block_sizes, day_context, generate_day
from include.storage.copy_format import encode_binary, to_frame

DAY = dt.date(2026, 3, 4)  # a Wednesday


@lru_cache
def _day(reference, day: dt.date, n: int, seed: int = 42):
    base = build_customer_base(seed, 5, day, reference)
    return [dict(b) for b in generate_day(day_context(day, n, seed, base, reference))]


def local_times(reference, f, day: dt.date, seed: int = 42):
    """start_timestamp of each row in its customer's time zone (naive local wall time)."""
    import pandas as pd

    from include.generator import geography

    base = build_customer_base(seed, 5, day, reference)
    zone = pd.Series(base.zone, index=base.customer_id)[f["customer_id"]].to_numpy()
    offsets = geography.utc_offsets(day)[zone]
    return (f["start_timestamp"].dt.tz_convert(None) + pd.to_timedelta(offsets, unit="s")).reset_index(
        drop=True
    )


def frame(reference, day=DAY, n=60_000, seed=42):
    import pandas as pd

    return pd.concat([to_frame(b) for b in _day(reference, day, n, seed)], ignore_index=True)


def test_same_inputs_give_byte_identical_output(reference):
    base = build_customer_base(42, 5, DAY, reference)
    first = [encode_binary(b) for b in generate_day(day_context(DAY, 5_000, 42, base, reference))]
    build_customer_base.cache_clear()
    base = build_customer_base(42, 5, DAY, reference)
    second = [encode_binary(b) for b in generate_day(day_context(DAY, 5_000, 42, base, reference))]
    assert first == second


def test_dates_and_seeds_change_the_data(reference):
    a = frame(reference, n=2_000)
    b = frame(reference, day=DAY + dt.timedelta(days=1), n=2_000)
    c = frame(reference, n=2_000, seed=7)
    assert not a["customer_id"].equals(b["customer_id"])
    assert not a["customer_id"].equals(c["customer_id"])
    assert a["interaction_id"].iloc[0] == 20260304000000001
    assert b["interaction_id"].iloc[0] == 20260305000000001


def test_blocks_do_not_depend_on_how_the_day_is_split(reference, monkeypatch):
    monkeypatch.setattr(parameters, "BLOCK_SIZE", 1_000)
    base = build_customer_base(42, 5, DAY, reference)
    ctx = day_context(DAY, 5_500, 42, base, reference)
    whole = b"".join(encode_binary(b) for b in generate_day(ctx))
    sharded = b"".join(
        encode_binary(b)
        for shard in (range(0, 2), range(2, 5), range(5, 6))
        for b in generate_day(ctx, shard)
    )
    assert block_sizes(5_500) == [1_000] * 5 + [500]
    assert whole == sharded


def test_the_customer_base_of_a_day_does_not_depend_on_later_days(reference):
    early = build_customer_base(42, 5, DAY, reference)
    late = build_customer_base(42, 5, DAY + dt.timedelta(days=400), reference)
    n = len(early.customer_id)
    assert np.array_equal(early.customer_id, late.customer_id[:n])
    assert np.array_equal(early.event_day, late.event_day[:n])
    assert (late.registration_day[n:] > day_index(DAY)).all()


def test_counts_are_exact_and_ids_unique(reference):
    f = frame(reference, n=12_345)
    assert len(f) == 12_345
    assert f["interaction_id"].is_unique
    assert day_volume(dt.date(2026, 3, 2), 1_000) > day_volume(dt.date(2026, 3, 8), 1_000)  # Monday > Sunday


def test_hourly_shape_business_hours_peak_and_quiet_nights(reference):
    """In the customer's local time (the batch itself is a UTC day)."""
    f = frame(reference)
    hours = local_times(reference, f, DAY).dt.hour
    business = hours.between(8, 17).mean()
    night = hours.between(0, 5).mean()
    assert business > 0.65, business
    assert night < 0.06, night
    assert (f["start_timestamp"].dt.date == DAY).all()


def test_weekend_dip_in_daily_volume():
    weekdays = [day_volume(dt.date(2026, 3, d), 10_000) for d in range(2, 7)]
    weekend = [day_volume(dt.date(2026, 3, d), 10_000) for d in (7, 8)]
    assert min(weekdays) > max(weekend)
    # The requested figure is the long-run average of a day (parameters.VOLUME_CALIBRATION).
    year = [day_volume(dt.date(2026, 1, 1) + dt.timedelta(days=i), 10_000) for i in range(365)]
    assert np.mean(year) == pytest.approx(10_000, rel=0.03)


def test_null_durations_exactly_for_asynchronous_channels_and_abandoned_contacts(reference):
    f = frame(reference)
    asynchronous = {reference.channel_ids[c] for c in CHANNELS if not reference.channel_is_synchronous[c]}
    is_async = f["channel_id"].isin(asynchronous)
    abandoned = ~is_async & f["agent_id"].isna() & (f["resolution_status"] == "Cancelled")
    assert f.loc[is_async | abandoned, "duration_seconds"].isna().all()
    assert f.loc[~is_async & ~abandoned, "duration_seconds"].notna().all()
    assert is_async.mean() == pytest.approx(0.19, abs=0.02)
    assert 0 < abandoned.mean() < 0.1


def test_satisfaction_in_range_with_documented_response_rate(reference):
    f = frame(reference)
    answered = f["satisfaction_score"].dropna()
    assert answered.between(1, 5).all()
    low, high = parameters.SURVEY_RESPONSE_RANGE
    assert low <= len(answered) / len(f) <= high
    resolved = f.loc[f["resolution_status"] == "Resolved", "satisfaction_score"].mean()
    escalated = f.loc[f["resolution_status"] == "Escalated", "satisfaction_score"].mean()
    assert resolved > escalated + 0.5


def test_handle_times_chat_longer_than_phone_and_types_differ(reference):
    """Published: phone about 6 min, web chat about 12 min (agents run chats side by side)."""
    f = frame(reference)
    phone = f.loc[f["channel_id"] == reference.channel_ids["PHONE"], "duration_seconds"].median()
    chat = f.loc[f["channel_id"] == reference.channel_ids["WEB_CHAT"], "duration_seconds"].median()
    assert chat > phone
    by_type = f.groupby("interaction_type_id")["duration_seconds"].median()
    assert (
        by_type[reference.interaction_type_ids["CANCELLATION"]]
        > by_type[reference.interaction_type_ids["INFO_REQUEST"]]
    )


def test_contacts_are_heavy_tailed_and_repeat_contacts_exist(reference):
    f = frame(reference)
    per_customer = f["customer_id"].value_counts()
    top_decile = per_customer.iloc[: max(1, len(per_customer) // 10)].sum() / len(f)
    assert top_decile > 0.25  # a tenth of the callers make over a quarter of the contacts
    assert 0.05 < f["is_repeat_contact"].mean() < 0.2
    assert 0.1 < f["agent_id"].isna().mean() < 0.3  # self-service


def _natural_days(reference, days: list[dt.date], volume: int):
    """Consecutive days as the pipeline generates them: each day's own volume and base."""
    import pandas as pd

    from include.generator.settings import BatchSettings

    signups = BatchSettings(interactions_per_day=volume).signups
    frames = []
    for day in days:
        base = build_customer_base(42, signups, day, reference)
        ctx = day_context(day, day_volume(day, volume, 42), 42, base, reference, volume)
        frames += [to_frame(b) for b in generate_day(ctx)]
    return pd.concat(frames, ignore_index=True)


def test_every_repeat_contact_follows_an_unresolved_contact_of_its_customer_within_days(reference):
    """Across days too: the first contact may be up to 7 UTC days earlier, about the same type."""
    import pandas as pd

    days = [DAY + dt.timedelta(days=i) for i in range(9)]  # the last two have their 7 days before
    f = _natural_days(reference, days, 3_000)
    repeats = f[f["is_repeat_contact"] & (f["start_timestamp"] >= pd.Timestamp(days[-2], tz="UTC"))]
    earlier = f.loc[
        f["resolution_status"] != "Resolved", ["customer_id", "interaction_type_id", "start_timestamp"]
    ]
    pairs = repeats.merge(earlier, on=["customer_id", "interaction_type_id"], suffixes=("", "_first"))
    window_start = pairs["start_timestamp"].dt.floor("D") - pd.Timedelta(days=7)
    pairs = pairs[
        (pairs["start_timestamp_first"] < pairs["start_timestamp"])
        & (pairs["start_timestamp_first"] >= window_start)
    ]
    latest = pairs.groupby("interaction_id")["start_timestamp_first"].max()
    assert len(repeats) > 200
    assert set(latest.index) == set(repeats["interaction_id"])  # none without its first contact
    repeat_day = repeats.set_index("interaction_id")["start_timestamp"].dt.floor("D")
    first_day = pd.to_datetime(latest).dt.floor("D").reindex(repeat_day.index)
    days_after = (repeat_day - first_day).dt.days
    assert 0.3 < (days_after >= 1).mean() < 0.8  # many come back on a later day
    assert days_after.max() == 7
    assert 0.04 < f["is_repeat_contact"].mean() < 0.1  # SQM: under 10 % is healthy
