"""The synthetic data generator: deterministic, realistic, exact, fast to load (issue 3)."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from functools import lru_cache

import numpy as np
import pytest

from devtools.database import connect, psql_path
from include.config import PROJECT_ROOT
from include.generator import config
from include.generator.customers import build_customer_base, day_index
from include.generator.interactions import CHANNELS, block_sizes, day_context, day_volume, generate_day
from include.generator.settings import BatchSettings
from include.storage.copy_format import encode_binary, to_frame
from include.storage.days import load_day
from include.storage.reference import load_reference
from include.storage.sql import BASELINE_FILE, SCHEMA_FILE

DAY = dt.date(2026, 3, 4)  # a Wednesday


@pytest.fixture(scope="module")
def reference(make_database):
    from include.storage.sql import apply_schema

    url = make_database()
    with connect(url) as conn:
        apply_schema(conn)
        return load_reference(conn)


@lru_cache
def _day(reference, day: dt.date, n: int, seed: int = 42):
    base = build_customer_base(seed, 5, day, reference)
    return [dict(b) for b in generate_day(day_context(day, n, seed, base, reference))]


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
    monkeypatch.setattr(config, "BLOCK_SIZE", 1_000)
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
    hours = frame(reference)["start_timestamp"].dt.hour
    business = hours.between(8, 17).mean()
    night = hours.between(0, 5).mean()
    assert business > 0.65, business
    assert night < 0.06, night
    assert (frame(reference)["start_timestamp"].dt.date == DAY).all()


def test_weekend_dip_in_daily_volume():
    weekdays = [day_volume(dt.date(2026, 3, d), 10_000) for d in range(2, 7)]
    weekend = [day_volume(dt.date(2026, 3, d), 10_000) for d in (7, 8)]
    assert min(weekdays) > max(weekend)
    assert sum(weekdays + weekend) == pytest.approx(70_000, rel=0.01)


def test_null_durations_exactly_for_asynchronous_channels(reference, make_database):
    f = frame(reference)
    asynchronous = {reference.channel_ids[c] for c in CHANNELS if not reference.channel_is_synchronous[c]}
    is_async = f["channel_id"].isin(asynchronous)
    assert f.loc[is_async, "duration_seconds"].isna().all()
    assert f.loc[~is_async, "duration_seconds"].notna().all()
    assert is_async.mean() == pytest.approx(0.19, abs=0.02)


def test_satisfaction_in_range_with_documented_response_rate(reference):
    f = frame(reference)
    answered = f["satisfaction_score"].dropna()
    assert answered.between(1, 5).all()
    low, high = config.SURVEY_RESPONSE_RANGE
    assert low <= len(answered) / len(f) <= high
    resolved = f.loc[f["resolution_status"] == "Resolved", "satisfaction_score"].mean()
    escalated = f.loc[f["resolution_status"] == "Escalated", "satisfaction_score"].mean()
    assert resolved > escalated + 0.5


def test_handle_times_phone_longer_than_chat_and_types_differ(reference):
    f = frame(reference)
    phone = f.loc[f["channel_id"] == reference.channel_ids["PHONE"], "duration_seconds"].median()
    chat = f.loc[f["channel_id"] == reference.channel_ids["WEB_CHAT"], "duration_seconds"].median()
    assert phone > chat
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


def test_loaded_day_references_existing_customers_and_replaces_itself(schema_url):
    settings = BatchSettings(interactions_per_day=3_000)
    with connect(schema_url) as conn:
        first = load_day(conn, DAY, settings)
        again = load_day(conn, DAY, settings)
        count = conn.execute("SELECT count(*) FROM customer_interactions").fetchone()[0]
        orphans = conn.execute(
            "SELECT count(*) FROM customer_interactions ci JOIN customers c USING (customer_id) "
            "WHERE c.registration_date > %s OR (c.churn_date IS NOT NULL AND c.churn_date <= %s)",
            (DAY, DAY),
        ).fetchone()[0]
        active_plans = conn.execute(
            "SELECT count(*) FROM customers c WHERE c.status <> 'Inactive' AND NOT EXISTS "
            "(SELECT 1 FROM customer_service_plans p WHERE p.customer_id = c.customer_id AND p.is_active)"
        ).fetchone()[0]
    assert first == again == count == day_volume(DAY, 3_000)
    assert orphans == 0
    assert active_plans == 0  # exactly one active plan per active customer


@pytest.mark.parametrize(
    "size,expected", [("small", 1_000), ("medium", 5_000), ("large", 20_000), ("xlarge", 50_000)]
)
def test_size_files_load_with_plain_psql_with_exact_counts(
    size, expected, fresh_url, make_database, tmp_path
):
    out = tmp_path / f"synthetic_data_{size}.sql"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "devtools",
            "generate",
            "--size",
            size,
            "--end-date",
            "2026-03-31",
            "--output",
            str(out),
        ],
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == str(out)
    target = make_database()  # a database that has never seen the generator
    for _ in range(2):  # loading the file twice leaves one copy
        load = subprocess.run(
            [
                psql_path(),
                target,
                "-q",
                "-v",
                "ON_ERROR_STOP=1",
                "-f",
                str(SCHEMA_FILE),
                "-f",
                str(BASELINE_FILE),
                "-f",
                str(out),
            ],
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert load.returncode == 0, load.stderr
    with connect(target) as conn:
        assert conn.execute("SELECT count(*) FROM customer_interactions").fetchone()[0] == expected
        assert conn.execute(
            "SELECT min(start_timestamp)::date, max(start_timestamp)::date FROM customer_interactions"
        ).fetchone() == (dt.date(2026, 3, 2), dt.date(2026, 3, 31))


def test_generate_data_script_rejects_an_unknown_size():
    done = subprocess.run(
        [str(PROJECT_ROOT / "scripts" / "generate_data.sh"), "huge"], capture_output=True, text=True
    )
    assert done.returncode != 0
    assert done.stderr.strip().count("\n") == 0 and "small, medium, large, xlarge" in done.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["--size", "huge"],
        ["--interactions", "0"],
        ["--interactions", "-4"],
        ["--interactions", "lots"],
        ["--interactions", "99999999999"],
        ["--start-date", "2026-02-30"],
        ["--end-date", "yesterday"],
        ["--start-date", "2026-03-05", "--end-date", "2026-03-01"],
        ["--start-date", "1999-01-01"],
        ["--seed", "1.5"],
    ],
)
def test_cli_rejects_bad_input_with_one_line_and_writes_nothing(args, schema_url, tmp_path):
    out = tmp_path / "never.sql"
    for extra in ([], ["--output", str(out)]):
        done = subprocess.run(
            [sys.executable, "-m", "devtools", "generate", *args, *extra],
            capture_output=True,
            text=True,
            cwd=PROJECT_ROOT,
            timeout=120,
        )
        assert done.returncode != 0
        lines = [line for line in done.stderr.splitlines() if line.strip()]
        assert len(lines) == 1 and lines[0].startswith("error:"), done.stderr
    assert not out.exists()
    with connect(schema_url) as conn:
        assert conn.execute("SELECT count(*) FROM customer_interactions").fetchone()[0] == 0
        assert conn.execute("SELECT count(*) FROM customers").fetchone()[0] == 0


def test_cli_loads_a_range_into_the_database_in_use(schema_url):
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "devtools",
            "generate",
            "--start-date",
            "2026-03-02",
            "--end-date",
            "2026-03-03",
            "--interactions",
            "400",
        ],
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    with connect(schema_url) as conn:
        n = conn.execute("SELECT count(*) FROM customer_interactions").fetchone()[0]
    assert n == day_volume(dt.date(2026, 3, 2), 400) + day_volume(dt.date(2026, 3, 3), 400)


def test_a_database_keeps_the_customer_base_settings_it_was_built_with(schema_url):
    from include.generator.customers import CustomerBaseMismatch
    from include.storage.days import ensure_customer_base

    with connect(schema_url) as conn:
        ensure_customer_base(conn, DAY, BatchSettings(seed=42))
        with pytest.raises(CustomerBaseMismatch, match="base_seed=42"):
            ensure_customer_base(conn, DAY + dt.timedelta(days=1), BatchSettings(seed=7))
        assert ensure_customer_base(conn, DAY - dt.timedelta(days=3), BatchSettings(seed=42)) == 0
