"""Issue #15 (Medium, Low): every accepted input is bounded; bad ones fail with one clear line
before anything is written (dates up to a horizon, a customer base the generator can hold)."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

import pytest

from devtools.database import connect
from include.config import PROJECT_ROOT
from include.generator import parameters
from include.generator.customers import base_size
from include.generator.settings import BatchSettings, latest_day, validate_day, validate_run
from include.pipeline import plan_from_params

TODAY = dt.datetime.now(dt.UTC).date()
PARAMS = {
    "batch_date": None,
    "interactions_per_day": 2_000,
    "seed": 42,
    "new_customers_per_day": 5,
    "max_rows_per_shard": 1_000_000,
}


def plan(**overrides):
    params = {**PARAMS, **overrides}
    conf = {k: v for k, v in overrides.items()}
    return plan_from_params(params, conf, None, dt.datetime.now(dt.UTC))


@pytest.fixture(scope="module")
def reference_catalog():
    import json

    from include.generator.reference import reference_from_rows

    rows = json.loads((PROJECT_ROOT / "tests" / "generator" / "catalog.json").read_text())
    return reference_from_rows(*(list(map(tuple, rows[k])) for k in ("channels", "types", "plans", "agents")))


@pytest.mark.parametrize("text", ["9999-12-31", "2100-01-01", str(latest_day() + dt.timedelta(days=1))])
def test_far_future_dates_are_rejected_with_one_line(text):
    with pytest.raises(ValueError, match="latest day that can be generated") as caught:
        plan(batch_date=text)
    assert "\n" not in str(caught.value)


def test_the_horizon_itself_is_accepted(monkeypatch):
    monkeypatch.delenv(parameters.FUTURE_DAYS_ENV, raising=False)
    validate_day(latest_day())
    assert latest_day() == TODAY + dt.timedelta(days=parameters.DEFAULT_DAYS_AHEAD)
    assert plan(batch_date=str(latest_day()))[0]["day"] == str(latest_day())
    monkeypatch.setenv(parameters.FUTURE_DAYS_ENV, "1")
    validate_day(latest_day())
    assert latest_day() == TODAY + dt.timedelta(days=parameters.MAX_DAYS_AHEAD)
    assert plan(batch_date=str(latest_day()))[0]["day"] == str(latest_day())


@pytest.mark.parametrize("ahead", [parameters.DEFAULT_DAYS_AHEAD + 1, 30, parameters.MAX_DAYS_AHEAD])
def test_a_day_ahead_of_the_horizon_needs_the_explicit_opt_in(ahead, monkeypatch):
    """Issue #27: a run at today + 366 would move the customer base's statuses a year ahead."""
    day = str(TODAY + dt.timedelta(days=ahead))
    monkeypatch.delenv(parameters.FUTURE_DAYS_ENV, raising=False)
    with pytest.raises(ValueError, match=f"{parameters.FUTURE_DAYS_ENV}=1 allows") as caught:
        plan(batch_date=day)
    assert "\n" not in str(caught.value)
    monkeypatch.setenv(parameters.FUTURE_DAYS_ENV, "1")
    assert plan(batch_date=day)[0]["day"] == day


@pytest.mark.parametrize("value", [9_999, parameters.MAX_NEW_CUSTOMERS_PER_DAY + 1, 10**6])
def test_new_customers_per_day_is_bounded(value):
    with pytest.raises(ValueError, match="new_customers_per_day"):
        plan(new_customers_per_day=value)


def test_the_customer_base_the_largest_accepted_input_needs_is_bounded(monkeypatch):
    """The largest accepted sign-up rate at the horizon stays within MAX_CUSTOMER_BASE, or is refused."""
    monkeypatch.setenv(parameters.FUTURE_DAYS_ENV, "1")  # the farthest horizon
    settings = BatchSettings(new_customers_per_day=parameters.MAX_NEW_CUSTOMERS_PER_DAY)
    day = latest_day()
    if base_size(settings.seed, settings.signups, day) <= parameters.MAX_CUSTOMER_BASE:
        validate_run(day, settings)
    else:
        with pytest.raises(ValueError, match="at most"):
            validate_run(day, settings)


def test_the_largest_volume_at_the_horizon_is_accepted_with_a_capped_base(monkeypatch):
    """Issue #14: the base follows the volume only up to MAX_DERIVED_NEW_CUSTOMERS_PER_DAY; the
    largest accepted volume at the latest day is accepted, its base within MAX_CUSTOMER_BASE."""
    monkeypatch.setenv(parameters.FUTURE_DAYS_ENV, "1")  # the farthest horizon
    settings = BatchSettings(interactions_per_day=parameters.MAX_INTERACTIONS_PER_DAY)
    assert settings.signups == parameters.MAX_DERIVED_NEW_CUSTOMERS_PER_DAY
    assert plan(batch_date=str(latest_day()), interactions_per_day=parameters.MAX_INTERACTIONS_PER_DAY)
    # Derived rates fit under the cap for years: through 2032 at least.
    assert base_size(42, settings.signups, dt.date(2032, 12, 31)) <= parameters.MAX_CUSTOMER_BASE
    # Every day's sign-ups fit the id layout (weekday factor up to 1.1, day noise up to 1.5).
    assert parameters.MAX_NEW_CUSTOMERS_PER_DAY * 1.1 * 1.5 < parameters.SIGNUPS_ID_LIMIT


def test_a_capped_base_fits_in_memory(reference_catalog):
    """The arrays of a CustomerBase, per customer, times MAX_CUSTOMER_BASE (the universe cache's
    limit), leave room under 1.5 GB for the build's chunks and the day's generation."""
    import numpy as np

    from include.generator.customers import build_customer_base

    base = build_customer_base(42, 5, dt.date(2026, 3, 4), reference_catalog)
    per_customer = sum(v.nbytes for v in vars(base).values() if isinstance(v, np.ndarray)) / len(
        base.customer_id
    )
    assert per_customer < 64
    assert parameters.MAX_CUSTOMER_BASE * per_customer < 0.65 * 2**30


def test_a_float_shard_size_from_the_param_schema_is_taken_as_an_integer():
    """JSON schema's "integer" admits 150000.0; the first task used to crash with a TypeError."""
    work = plan(batch_date="2026-03-04", interactions_per_day=300_000, max_rows_per_shard=150000.0)
    assert len(work) == 3 and all(isinstance(x, int) for x in work[0]["shard"])
    assert (
        plan(batch_date="2026-03-04", interactions_per_day=2000.0)[0]["settings"]["interactions_per_day"]
        == 2000
    )
    for bad in (150000.5, "150000", True, 10):
        with pytest.raises(ValueError, match="max_rows_per_shard"):
            plan(batch_date="2026-03-04", max_rows_per_shard=bad)


def test_the_dag_param_schema_shows_the_bound():
    import ast

    tree = ast.parse((PROJECT_ROOT / "dags" / "customer_care_pipeline.py").read_text())
    text = ast.unparse(tree)
    assert "maximum=parameters.MAX_NEW_CUSTOMERS_PER_DAY" in text
    assert parameters.MAX_NEW_CUSTOMERS_PER_DAY <= parameters.MAX_DERIVED_NEW_CUSTOMERS_PER_DAY


def test_a_far_future_date_writes_nothing(schema_url, monkeypatch):
    monkeypatch.delenv(parameters.FUTURE_DAYS_ENV, raising=False)
    from include.storage.days import ensure_customer_base, load_day

    with connect(schema_url) as conn:
        before = conn.execute("SELECT count(*) FROM customers").fetchone()[0]
        for day in (
            TODAY + dt.timedelta(days=parameters.MAX_DAYS_AHEAD),
            dt.date(2100, 1, 1),
            dt.date(9999, 12, 31),
        ):
            with pytest.raises(ValueError):
                ensure_customer_base(conn, day, BatchSettings())
            with pytest.raises(ValueError):
                load_day(conn, day, BatchSettings())
        with pytest.raises(ValueError):
            ensure_customer_base(conn, TODAY, _huge())
        after = conn.execute("SELECT count(*) FROM customers").fetchone()[0]
    assert before == after == 0


def _huge() -> BatchSettings:
    """Past validation of the settings alone, but a base too big for the day."""
    settings = BatchSettings(new_customers_per_day=parameters.MAX_NEW_CUSTOMERS_PER_DAY)
    object.__setattr__(settings, "new_customers_per_day", 9_999)
    return settings


@pytest.mark.parametrize(
    "argv",
    [
        ["generate", "--end-date", "2100-01-01"],
        ["generate", "--end-date", "9999-12-31"],
        ["generate", "--new-customers-per-day", "9999"],
        ["backfill", "2026-01-01", "9999-12-31"],
        ["backfill", "2099-12-01", "2100-01-01"],
    ],
)
def test_cli_rejects_unbounded_input_with_one_line(argv):
    env = {
        "PATH": "/usr/bin:/bin",
        "PYTHONPATH": str(PROJECT_ROOT),
        "CCA_DATABASE_URL": "postgresql://x@127.0.0.1:9/x",
    }
    done = subprocess.run(
        [sys.executable, "-m", "devtools", *argv], capture_output=True, text=True, env=env, timeout=120
    )
    assert done.returncode == 2, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:") and "connect" not in lines[0], done.stderr


def test_the_customer_base_is_written_in_chunks_with_the_same_rows(make_database, monkeypatch):
    """Chunked materialization (bounded memory) writes exactly the rows of one big batch."""
    from include.storage import customers
    from include.storage.days import ensure_customer_base
    from include.storage.sql import apply_schema
    from tests.support import table_checksums

    sums = []
    for chunk in (customers.MATERIALIZE_CHUNK, 97):
        monkeypatch.setattr(customers, "MATERIALIZE_CHUNK", chunk)
        url = make_database()
        with connect(url) as conn:
            apply_schema(conn)
            ensure_customer_base(conn, dt.date(2026, 3, 1), BatchSettings(new_customers_per_day=2))
            ensure_customer_base(conn, dt.date(2026, 3, 9), BatchSettings(new_customers_per_day=2))
        got = table_checksums(url)
        sums.append({k: v for k, v in got.items() if "customer" in k})
    assert sums[0] == sums[1] and sums[0]


@pytest.mark.parametrize(
    "text", ["2026-03-02\n", "2026-03-02\r\n", "２０２６-03-02", "2026-03-02 ", "x2026-03-02"]
)
def test_the_batch_date_param_accepts_exactly_a_date(text):
    """Issue #27: the DAG's pattern (Airflow's own Param validation) refuses a trailing newline."""
    from airflow.sdk import Param
    from airflow.sdk.definitions.param import ParamValidationError

    from dags.customer_care_pipeline import dag

    param = dag.params.get_param("batch_date")
    with pytest.raises(ParamValidationError):
        Param(param.value, **param.schema).resolve(text)
    assert Param(param.value, **param.schema).resolve("2026-03-02") == "2026-03-02"
