"""Migrate a database in the earlier 20-table model (UUID keys) into the 7-table model.

Thin by design: manual trigger, params, wiring. The work lives in `include/migration/`.
"""

from __future__ import annotations

import datetime as dt

from airflow.sdk import DAG, Param, get_current_context, task

from include.config import CONN_ID
from include.notifications import FailureNotifier

DOC_MD = f"""
### Migration from the earlier (20-table, UUID) schema

Reads the source (Airflow connection `source_conn_id`, schema `source_schema`) **read-only**
and migrates it into the analytics database (connection `{CONN_ID}`): reference rows onto
the catalog, customers with their plan history, interactions with their steps, journeys and
feedback folded in. Manual trigger only. Re-running gives identical tables.

**Tasks**
1. `check_source_shape` - the source has every table and column of the earlier model (else
   one error naming what is missing; nothing is written).
2. `migrate_reference_and_customers` - stage the source with COPY, then channels, types,
   plans, agents, customers and plan history.
3. `migrate_interactions` - interactions into a work table, then each day swapped in.
4. `refresh_summaries` - the analytics summaries of the migrated days, and the report; the
   staging copies of the source (rejected rows' personal data included) are dropped.

Timeouts as in the pipeline DAG: each session's statement and idle timeouts
(include/connections.py), a 2-hour execution timeout per task, and the failure alert.

A day that already holds generated interactions is left alone (and its legacy rows reported
as rejected) unless `replace_generated` is true. See docs/migration.md.
"""

with DAG(
    dag_id="customer_care_legacy_migration",
    description="Migrate the earlier 20-table customer-care model into the 7-table model.",
    doc_md=DOC_MD,
    schedule=None,
    start_date=dt.datetime(2020, 1, 1, tzinfo=dt.UTC),
    catchup=False,
    max_active_runs=1,
    tags=["customer-care", "postgres", "migration"],
    default_args={
        "owner": "customer-care-analytics",
        "retries": 1,
        "retry_delay": dt.timedelta(seconds=30),
        # As the pipeline's: a hung task ends, every failure is logged and alerted
        # (Slack / e-mail when configured, include/notifications.py).
        "execution_timeout": dt.timedelta(hours=2),
        "on_failure_callback": [FailureNotifier()],
    },
    params={
        "source_conn_id": Param(
            "legacy_customer_care_db",
            type="string",
            minLength=1,
            title="Source connection",
            description="Airflow connection id of the database in the earlier model (read only).",
        ),
        "source_schema": Param("public", type="string", minLength=1, title="Source schema"),
        "start_date": Param(
            None,
            type=["null", "string"],
            pattern=r"^\d{4}-\d{2}-\d{2}$",
            title="First day",
            description="First UTC day of interactions to migrate, YYYY-MM-DD (empty: no limit).",
        ),
        "end_date": Param(
            None,
            type=["null", "string"],
            pattern=r"^\d{4}-\d{2}-\d{2}$",
            title="Last day",
            description="Last UTC day of interactions to migrate, YYYY-MM-DD (empty: no limit).",
        ),
        "replace_generated": Param(
            False,
            type="boolean",
            title="Replace generated days",
            description="Replace days that already hold generated interactions (default: keep them).",
        ),
    },
) as dag:

    def _params() -> dict:
        return get_current_context()["params"]

    def _connection(conn_id: str = CONN_ID):
        from airflow.providers.postgres.hooks.postgres import PostgresHook

        from include.connections import limit_session

        return limit_session(PostgresHook(postgres_conn_id=conn_id).get_conn())

    def _day(value: str | None) -> dt.date | None:
        return dt.date.fromisoformat(value) if value else None

    @task(retries=0)
    def check_source_shape() -> dict:
        from include.migration.run import check_source_shape as check

        params = _params()
        if _day(params.get("start_date")) and _day(params.get("end_date")):
            if _day(params["start_date"]) > _day(params["end_date"]):
                raise ValueError(f"start_date {params['start_date']} is after end_date {params['end_date']}")
        with _connection(params["source_conn_id"]) as source:
            found = check(source, params["source_schema"])
        return {table: len(columns) for table, columns in found.items()}

    @task
    def migrate_reference_and_customers() -> int:
        from include.migration.run import check_source_shape as check
        from include.migration.run import customers_phase, migration_lock, stage_phase

        params = _params()
        label = f"{params['source_conn_id']} schema {params['source_schema']}"
        with _connection(params["source_conn_id"]) as source, _connection() as target:
            found = check(source, params["source_schema"])
            with migration_lock(target):
                run_id = stage_phase(target, source, params["source_schema"], found, label)
                customers_phase(target, run_id)
        return run_id

    @task
    def migrate_interactions(migration_run: int) -> list[str]:
        from include.migration.run import migration_lock, prepare_interactions_phase, publish_phase

        params = _params()
        with _connection() as target, migration_lock(target):
            prepare_interactions_phase(
                target,
                migration_run,
                _day(params.get("start_date")),
                _day(params.get("end_date")),
                bool(params.get("replace_generated")),
            )
            days, _ = publish_phase(
                target, migration_run, f"{params['source_conn_id']} schema {params['source_schema']}"
            )
        return [day.isoformat() for day in days]

    @task
    def refresh_summaries(migration_run: int, days: list[str]) -> list[str]:
        from include.migration.run import (
            MigrationResult,
            drop_staging,
            finish_phase,
            format_report,
            summaries_phase,
        )

        with _connection() as target:
            summaries_phase(target, migration_run, [dt.date.fromisoformat(d) for d in days])
            lines = format_report(MigrationResult(report=finish_phase(target, migration_run)))
            drop_staging(target)
        for line in lines:
            print(line)
        return lines

    migration_run = migrate_reference_and_customers()
    check_source_shape() >> migration_run
    refresh_summaries(migration_run, migrate_interactions(migration_run))
