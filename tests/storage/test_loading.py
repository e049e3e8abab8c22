"""Loading generated days: COPY into the database, the customer base, the psql size files."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest

from devtools.database import connect, psql_path
from devtools.reliability import RUN_SIGNUPS
from include.config import PROJECT_ROOT
from include.generator.calendar import day_volume
from include.generator.reference import reference_from_rows
from include.generator.settings import BatchSettings
from include.storage.days import load_day
from include.storage.reference import load_reference
from include.storage.sql import BASELINE_FILE, SCHEMA_FILE
from tests.support import plant_earlier_release_base

DAY = dt.date(2026, 3, 4)  # a Wednesday
CATALOG = Path(__file__).resolve().parent.parent / "generator" / "catalog.json"


def test_the_generator_tests_catalog_is_the_one_the_baseline_loads(schema_url):
    """tests/generator/ run without a database on this catalog: it must not drift from the SQL."""
    with connect(schema_url) as conn:
        loaded = load_reference(conn)
    rows = json.loads(CATALOG.read_text())
    pinned = reference_from_rows(
        *(list(map(tuple, rows[k])) for k in ("channels", "types", "plans", "agents"))
    )
    assert loaded.channel_ids == pinned.channel_ids
    assert loaded.channel_is_synchronous == pinned.channel_is_synchronous
    assert loaded.interaction_type_ids == pinned.interaction_type_ids
    assert loaded.plan_tier_by_id == pinned.plan_tier_by_id
    assert {k: v.tolist() for k, v in loaded.plan_ids_by_family_tier.items()} == {
        k: v.tolist() for k, v in pinned.plan_ids_by_family_tier.items()
    }
    assert loaded.agent_ids.tolist() == pinned.agent_ids.tolist()
    assert loaded.agent_departments.tolist() == pinned.agent_departments.tolist()
    assert loaded.agent_skills.tolist() == pinned.agent_skills.tolist()


def test_loaded_day_references_existing_customers_and_replaces_itself(schema_url):
    # the base's own rules hold whatever its size: the small base (3,000 a day would size it to ~0.7M)
    settings = BatchSettings(interactions_per_day=3_000, new_customers_per_day=RUN_SIGNUPS)
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


def test_a_database_keeps_the_seed_it_was_built_with(schema_url):
    from include.generator.customers import CustomerBaseMismatch
    from include.storage.days import ensure_customer_base

    small = {"new_customers_per_day": RUN_SIGNUPS}  # the seed is checked whatever the base's size
    with connect(schema_url) as conn:
        ensure_customer_base(conn, DAY, BatchSettings(seed=42, **small))
        with pytest.raises(CustomerBaseMismatch, match="base_seed=42"):
            ensure_customer_base(conn, DAY + dt.timedelta(days=1), BatchSettings(seed=7, **small))
        assert ensure_customer_base(conn, DAY - dt.timedelta(days=3), BatchSettings(seed=42, **small)) == 0


def test_a_database_from_before_the_volume_sized_base_is_refused_with_one_line(schema_url):
    """Its first customers (ids 1-2,000) are not in today's universe: refuse, write nothing."""
    from include.generator.customers import CustomerBaseMismatch
    from include.storage.days import ensure_customer_base

    with connect(schema_url) as conn:
        plant_earlier_release_base(conn)
        conn.commit()
        with pytest.raises(CustomerBaseMismatch, match="fresh database") as caught:
            ensure_customer_base(conn, dt.date(2020, 3, 2), BatchSettings())
        assert "\n" not in str(caught.value)
        conn.rollback()
        assert conn.execute("SELECT count(*) FROM customers").fetchone()[0] == 1


#: Early, so the 20,000-a-day base (customers active on EPOCH and a month of sign-ups) is smaller.
EARLY = dt.date(2020, 2, 3)
_CUSTOMERS = "SELECT customer_id, customer_name, email, phone, address, city, state, registration_date, "
_CUSTOMERS += "customer_segment, created_at, time_zone, preferred_language FROM customers"
_PLANS = "SELECT customer_service_plan_id, customer_id, service_plan_id, start_date, change_type, created_at "
_PLANS += "FROM customer_service_plans"


def _fingerprint(conn, query: str) -> tuple[int, str]:
    return conn.execute(
        f"SELECT count(*), md5(string_agg(t::text, '|' ORDER BY t::text)) FROM ({query}) t"
    ).fetchone()


def test_a_bigger_volume_after_a_smaller_one_shares_the_database_and_keeps_every_row(schema_url):
    """Issue #14: the base follows the volume. A run at 500 a day then a backfill at ten times that
    on the same database (as `make run`'s 2,000 then 20,000): not refused, every earlier row kept,
    the union materialized."""
    from include.generator.customers import base_size
    from include.storage.days import ensure_customer_base

    small, big = BatchSettings(interactions_per_day=500), BatchSettings(interactions_per_day=5_000)
    assert small.signups < big.signups
    next_day = EARLY + dt.timedelta(days=1)
    day_rows = "SELECT * FROM customer_interactions WHERE (start_timestamp AT TIME ZONE 'UTC')::date = '{}'"
    with connect(schema_url) as conn:
        load_day(conn, EARLY, small)
        customers = _fingerprint(conn, _CUSTOMERS)
        conn.execute(f"CREATE TEMP TABLE before_customers AS {_CUSTOMERS}")
        conn.execute(f"CREATE TEMP TABLE before_plans AS {_PLANS}")
        first_day = _fingerprint(conn, day_rows.format(EARLY))
        assert customers[0] == base_size(42, small.signups, EARLY)

        load_day(conn, next_day, big)
        assert conn.execute(
            "SELECT new_customers_per_day, materialized_through FROM customer_base_state"
        ).fetchone() == (big.signups, next_day)
        assert conn.execute("SELECT count(*) FROM customers").fetchone()[0] == base_size(
            42, big.signups, next_day
        )
        # Every earlier customer and plan is still there, as it was (status and end dates move on).
        for name, query in (("customers", _CUSTOMERS), ("plans", _PLANS)):
            assert (
                conn.execute(f"SELECT count(*) FROM (TABLE before_{name} EXCEPT {query}) t").fetchone()[0]
                == 0
            )
        assert _fingerprint(conn, day_rows.format(EARLY)) == first_day
        assert conn.execute("SELECT count(*) FROM interaction_batches").fetchone()[0] == 2

        # Back to the smaller volume: its days are exactly what they were, nothing is refused.
        assert ensure_customer_base(conn, EARLY, small) == 0
        load_day(conn, EARLY, small)
        assert _fingerprint(conn, day_rows.format(EARLY)) == first_day
        load_day(conn, next_day + dt.timedelta(days=1), small)
        assert (
            conn.execute("SELECT new_customers_per_day FROM customer_base_state").fetchone()[0] == big.signups
        )


def test_the_scaled_up_base_equals_one_built_at_once(make_database):
    """Materializing 5 sign-ups a day and then 40 gives the rows a database built at 40 has."""
    from include.storage.days import ensure_customer_base
    from include.storage.sql import apply_schema
    from tests.support import table_checksums

    sums = []
    for steps in ([(DAY, 5), (DAY + dt.timedelta(days=20), 40)], [(DAY + dt.timedelta(days=20), 40)]):
        url = make_database()
        with connect(url) as conn:
            apply_schema(conn)
            for day, rate in steps:
                ensure_customer_base(conn, day, BatchSettings(new_customers_per_day=rate))
        sums.append({k: v for k, v in table_checksums(url).items() if "customer" in k})
    assert sums[0] == sums[1] and sums[0]


def test_a_days_planted_events_are_written_to_the_ledger(schema_url):
    from include.generator.calendar import events_on

    day = next(DAY + dt.timedelta(days=k) for k in range(120) if events_on(42, DAY + dt.timedelta(days=k)))
    with connect(schema_url) as conn:
        load_day(conn, day, BatchSettings(interactions_per_day=300))
        load_day(conn, day, BatchSettings(interactions_per_day=300))  # once each
        ledger = conn.execute(
            "SELECT event_id, event_type, start_date, end_date, scope, intended_effect FROM planted_events "
            "WHERE %s BETWEEN start_date AND end_date ORDER BY event_id",
            (day,),
        ).fetchall()
    assert ledger == [
        (e.event_id, e.kind, e.start, e.end, e.scope, e.intended_effect) for e in events_on(42, day)
    ]


#: Every index and constraint of the customer base's tables, as pg_get_*def gives them.
_KEYS = """
SELECT 'index', indexdef FROM pg_indexes WHERE tablename IN ('customers', 'customer_service_plans')
UNION ALL SELECT 'constraint', conrelid::regclass::text || ' ' || conname || ' ' || pg_get_constraintdef(oid)
FROM pg_constraint WHERE conrelid IN ('customers'::regclass, 'customer_service_plans'::regclass)
   OR conrelid IN (SELECT relid FROM pg_partition_tree('customer_interactions'))
UNION ALL SELECT 'trigger', tgname || ' ' || tgenabled::text FROM pg_trigger
WHERE tgrelid = 'customer_service_plans'::regclass AND NOT tgisinternal
ORDER BY 1, 2"""


def test_the_first_materialization_writes_frozen_rows_identical_to_row_by_row(make_database, monkeypatch):
    """Issue 25: a fresh database's base is written with COPY FREEZE into its tables truncated in
    the same transaction (pages all-visible at once, but for those a COPY batch began part full),
    its keys and indexes built after: the same
    rows, keys and indexes as written one chunk at a time into the indexed tables."""
    import include.storage.customers as customers
    from include.storage.days import ensure_customer_base
    from include.storage.sql import apply_schema
    from tests.support import table_checksums

    settings = BatchSettings(new_customers_per_day=5)
    results = []
    for big in (10**9, 1_000):  # row by row into the indexed tables; the fresh database's path
        monkeypatch.setattr(customers, "BIG_MATERIALIZATION", big)
        url = make_database()
        with connect(url) as conn:
            apply_schema(conn)
            keys = conn.execute(_KEYS).fetchall()
            assert ensure_customer_base(conn, DAY, settings) > 1_000
            assert conn.execute(_KEYS).fetchall() == keys
            conn.execute("ANALYZE customers, customer_service_plans")
            visible = conn.execute(
                "SELECT relname, relpages > 0 AND relallvisible >= 0.9 * relpages FROM pg_class "
                "WHERE relname IN ('customers', 'customer_service_plans') ORDER BY 1"
            ).fetchall()
            population = conn.execute(
                "SELECT md5(string_agg(t::text, '|' ORDER BY t::text)) FROM analytics.plan_population_changes t"
            ).fetchone()
        sums = {k: v for k, v in table_checksums(url).items() if "customer" in k}
        results.append((sums, population, visible))
    assert results[0][:2] == results[1][:2]
    assert results[1][2] == [("customer_service_plans", True), ("customers", True)]
