"""Customer-care analytics: schema, reference data, one day of interactions, checks, summaries.

Thin by design: wiring, schedule, params and docs. The work lives in `include/`.
"""

from __future__ import annotations

import datetime as dt

from airflow.providers.common.sql.operators.sql import SQLExecuteQueryOperator
from airflow.sdk import DAG, Param, get_current_context, task
from airflow.timetables.interval import CronDataIntervalTimetable

from include.config import CONN_ID, DAG_ID, SQL_DIR
from include.generator import config as generator_config

DOC_MD = f"""
### Customer-care analytics pipeline

Loads **one UTC calendar day** of synthetic customer-care interactions into Postgres
(connection `{CONN_ID}`) and refreshes the analytics summary tables for that day.

**Which day?** The schedule is `CronDataIntervalTimetable("@daily", UTC)`: a run loads
the UTC day of its logical date, which is the start of its data interval. So the run that
starts just after midnight UTC loads the day that has just ended, and a backfill run for
date D loads D. A manual trigger loads `batch_date` if you set it, else the day of the
logical date you picked, else the last full day before the trigger.

**Tasks**
1. `validate_run` - checks params, decides the day (nothing is written before this passes).
2. `create_schema` - `include/sql/00_schema.sql` (idempotent).
3. `load_baseline` - `include/sql/01_baseline_data.sql` (reference data, idempotent).
4. `extend_customer_base` - customers and plan history up to the day (deterministic).
5. `generate_interactions` - generates the day and COPY-loads it, replacing the day atomically.
6. `check_data_quality` - row count, foreign keys, CSAT range, durations vs timestamps, day bounds.
7. `refresh_summaries` - the day's rows of the `analytics.*` tables, in one transaction.
8. `render_report` - `reports/customer_care_report_<day>.html`.

Re-running a day, or a whole range, leaves exactly the same rows.
"""

with DAG(
    dag_id=DAG_ID,
    description="Daily synthetic customer-care interactions into Postgres, checked and summarized.",
    doc_md=DOC_MD,
    schedule=CronDataIntervalTimetable("@daily", timezone="UTC"),
    start_date=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
    catchup=False,
    max_active_runs=1,
    template_searchpath=[str(SQL_DIR)],
    tags=["customer-care", "postgres", "synthetic-data"],
    default_args={
        "owner": "customer-care-analytics",
        "retries": 2,
        "retry_delay": dt.timedelta(seconds=30),
        "retry_exponential_backoff": True,
        "max_retry_delay": dt.timedelta(minutes=10),
        "execution_timeout": dt.timedelta(hours=2),
    },
    params={
        "batch_date": Param(
            None,
            type=["null", "string"],
            pattern=r"^\d{4}-\d{2}-\d{2}$",
            title="Batch date",
            description="UTC day to load, YYYY-MM-DD. Empty: the run's data interval (scheduled and "
            "backfill runs) or the day before the trigger (manual runs).",
        ),
        "interactions_per_day": Param(
            generator_config.DEFAULT_INTERACTIONS_PER_DAY,
            type="integer",
            minimum=1,
            maximum=generator_config.MAX_INTERACTIONS_PER_DAY,
            title="Interactions per day",
            description="Average daily volume; weekdays get more, weekends fewer.",
        ),
        "seed": Param(
            generator_config.DEFAULT_SEED,
            type="integer",
            minimum=0,
            maximum=2**31 - 1,
            title="Base seed",
            description="Same seed and day give the same rows. Must match the database's customer base.",
        ),
        "new_customers_per_day": Param(
            generator_config.DEFAULT_NEW_CUSTOMERS_PER_DAY,
            type="integer",
            minimum=0,
            maximum=generator_config.MAX_NEW_CUSTOMERS_PER_DAY,
            title="New customers per day",
            description="Average sign-ups per day. Must match the database's customer base.",
        ),
    },
) as dag:

    def _run_inputs() -> tuple[dt.date, object]:
        """The day and settings, from the context (validate_run has vetted them)."""
        from include.pipeline import resolve_batch_date, settings_from_params

        ctx = get_current_context()
        dag_run = ctx["dag_run"]
        day = resolve_batch_date(
            ctx["params"].get("batch_date"),
            ctx.get("logical_date"),
            getattr(dag_run, "run_after", None),
        )
        return day, settings_from_params(ctx["params"], dag_run.conf)

    def _connection():
        from airflow.providers.postgres.hooks.postgres import PostgresHook

        return PostgresHook(postgres_conn_id=CONN_ID).get_conn()

    @task(retries=0)
    def validate_run() -> str:
        """Fail fast, before anything is written, on a bad date or setting."""
        day, _ = _run_inputs()
        return day.isoformat()

    create_schema = SQLExecuteQueryOperator(task_id="create_schema", conn_id=CONN_ID, sql="00_schema.sql")
    load_baseline = SQLExecuteQueryOperator(
        task_id="load_baseline", conn_id=CONN_ID, sql="01_baseline_data.sql"
    )

    @task
    def extend_customer_base() -> int:
        from include.pipeline import extend_customer_base as extend

        day, settings = _run_inputs()
        with _connection() as conn:
            return extend(conn, day, settings)

    @task
    def generate_interactions() -> int:
        from include.pipeline import generate_interactions as generate

        day, settings = _run_inputs()
        with _connection() as conn:
            return generate(conn, day, settings)

    @task(retries=0)
    def check_data_quality() -> None:
        from include.pipeline import check_data_quality as check

        day, _ = _run_inputs()
        with _connection() as conn:
            check(conn, day)

    @task
    def refresh_summaries() -> None:
        from include.analytics import refresh_day

        day, _ = _run_inputs()
        with _connection() as conn:
            refresh_day(conn, day)

    @task
    def render_report() -> str:
        from include.pipeline import write_report

        day, _ = _run_inputs()
        with _connection() as conn:
            return str(write_report(conn, day))

    (
        validate_run()
        >> create_schema
        >> load_baseline
        >> extend_customer_base()
        >> generate_interactions()
        >> check_data_quality()
        >> refresh_summaries()
        >> render_report()
    )
