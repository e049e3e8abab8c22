"""The day's load as a sequence (issue 26, item 3): planned once, the base written by one owner."""

from __future__ import annotations

import datetime as dt

import psycopg
import pytest

from devtools.database import connect
from include import pipeline
from include.storage import days

PARAMS = {"batch_date": "2026-04-07", "interactions_per_day": 500, "max_rows_per_shard": 1_000}


def test_the_day_is_planned_once_and_its_load_leaves_the_customer_base_to_its_task(schema_url, monkeypatch):
    work = pipeline.plan_from_params(PARAMS, None, None, dt.datetime.now(dt.UTC))
    plan = days.DayLoad.from_xcom(work[0])
    assert (plan.day, plan.rows, plan.blocks) == (dt.date(2026, 4, 7), work[0]["rows"], work[0]["blocks"])

    def planned_again(*args, **kwargs):
        raise AssertionError("the day's volume was computed again after validate_run")

    monkeypatch.setattr(days, "day_volume", planned_again)
    with connect(schema_url, autocommit=True) as conn:
        # The load writes the day only: without extend_customer_base its shifts' agents are missing.
        with pytest.raises(psycopg.errors.ForeignKeyViolation, match="agent_shifts"):
            pipeline.generate_interactions(conn, plan, work[0]["shard"])
        assert conn.execute("SELECT count(*) FROM customer_base_state").fetchone()[0] == 0
        days.ensure_customer_base(conn, plan.day, plan.settings)  # the extend_customer_base task
        assert pipeline.generate_interactions(conn, plan, work[0]["shard"]) == plan.rows
        assert conn.execute("SELECT interactions_requested FROM interaction_batches").fetchall() == [
            (plan.rows,)
        ]


def test_a_days_swap_waits_for_a_schema_being_applied(schema_url):
    """The schema (create_schema of another day, JOBS=2) and a day's swap take the schema's lock
    first, so neither locks the fact table under the other (a deadlock on a fresh database)."""
    from include.generator.settings import BatchSettings

    day = dt.date(2026, 4, 8)
    settings = BatchSettings(interactions_per_day=200)
    with connect(schema_url) as conn:
        days.ensure_customer_base(conn, day, settings)
    with connect(schema_url) as schema:  # what 00_schema.sql holds while it runs
        schema.execute("SELECT pg_advisory_xact_lock(hashtext('customer_care_pipeline:schema'))")
        with connect(schema_url) as conn:
            conn.execute("SET lock_timeout = '1s'")
            conn.commit()
            with pytest.raises(psycopg.errors.LockNotAvailable):
                days.load_day(conn, day, settings)
    with connect(schema_url) as conn:  # and once the schema is applied, the day loads
        assert days.load_day(conn, day, settings) > 0
