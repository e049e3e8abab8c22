"""Customer-care analytics: schema, reference data, one day of interactions, checks, summaries.

Thin by design: wiring, schedule, params and docs. The work lives in `include/`.
"""

from __future__ import annotations

import contextlib
import datetime as dt

from airflow.providers.common.sql.operators.sql import SQLExecuteQueryOperator
from airflow.sdk import DAG, CronDataIntervalTimetable, Param, get_current_context, task

from include.assets import LAKE_DAY, PUBLISHED_DAY, SUMMARIES
from include.config import CONN_ID, DAG_ID, DATE_PATTERN, REPORTS_DIR, SQL_DIR
from include.generator import parameters
from include.notifications import FailureNotifier, day_deadline

DOC_MD = f"""
### Customer-care analytics pipeline

Loads **one UTC calendar day** of synthetic customer-care interactions into Postgres
(connection `{CONN_ID}`) and refreshes the analytics summary tables for that day.

**Which day?** The schedule is `CronDataIntervalTimetable("@daily", UTC)`. A run loads
the `batch_date` param if set; otherwise, if its logical date is a UTC midnight (scheduled
and backfill runs, `airflow dags test ... 2026-03-02`), that day; any other logical date
(a manual "trigger now") loads the last full day before it. So the scheduled run that
starts just after midnight loads the day that has just ended, and a backfill of D loads D.

**Tasks** (write, audit, publish: a day is checked before anyone can see it)
1. `validate_run` - checks params, decides the day and its shards (nothing is written before);
   returns the day's plan, `[{{day, settings, rows, blocks, shard}}, ...]` (one item per shard), to
   later tasks (`include.storage.days.DayLoad`; made once, never recomputed).
2. `create_schema` - `include/sql/00_schema.sql` and its parts (idempotent; upgrades run once).
3. `load_baseline` - `include/sql/01_baseline_data.sql` (reference data, idempotent).
4. `extend_customer_base` - customers and plan history up to the day (deterministic); the one
   writer of the customer base in a run.
5. `generate_interactions` - writes the day into a pending table by COPY, audits it
   (`include/sql/checks/pending_day.sql`: foreign keys, active customers, durations vs
   timestamps, row count) and swaps it in, in one transaction: a failed check leaves the
   previous version of the day in place and fails the task without retries (same rows, same
   result). A day above `max_rows_per_shard` is mapped into several tasks (Celery workers
   share them) that write to a staging table instead.
6. `publish_day` - for sharded days: the same write-audit-swap from the staging table.
7. `refresh_summaries` - the day's rows of the `analytics.*` tables, in one transaction.
8. `check_published_day` - checks that need the published day: rows of other days filed
   under this one, summaries that disagree with the rows (`checks/published_day.sql`).
9. `render_report` - `reports/customer_care_report_<day>.html`, and `reports/latest.html` when
   it is the newest day loaded (a backfill of older days leaves it alone).
10. `export_day` - the checked day as Parquet under `CCA_EXPORT_URL` (docs/lake.md), verified
   against Postgres, manifest last; emits the `customer_care.lake_day` Asset event. Off with the
   `export` param or `CCA_EXPORT=off` (skipped).

The README and docs/ link this list rather than repeat it; tests/pipeline/test_dag.py reads it.

Re-running a day, or a whole range, leaves exactly the same rows.
"""

with DAG(
    dag_id=DAG_ID,
    description="Daily synthetic customer-care interactions into Postgres, checked and summarized.",
    doc_md=DOC_MD,
    schedule=CronDataIntervalTimetable("@daily", timezone="UTC"),
    # The generator's first day: backfills may reach back to it (runs before start_date are empty).
    start_date=dt.datetime.combine(parameters.EPOCH, dt.time(0), dt.UTC),
    catchup=False,
    max_active_runs=1,
    # Off unless CCA_DAY_DEADLINE_HOURS is set (include/notifications.py).
    deadline=day_deadline(),
    template_searchpath=[str(SQL_DIR)],
    tags=["customer-care", "postgres", "synthetic-data"],
    default_args={
        "owner": "customer-care-analytics",
        "retries": 2,
        "retry_delay": dt.timedelta(seconds=30),
        "retry_exponential_backoff": True,
        "max_retry_delay": dt.timedelta(minutes=10),
        "execution_timeout": dt.timedelta(hours=2),
        # A log line always; Slack / e-mail when configured (include/notifications.py).
        "on_failure_callback": [FailureNotifier()],
    },
    params={
        "batch_date": Param(
            None,
            type=["null", "string"],
            pattern=DATE_PATTERN,
            title="Batch date",
            description="UTC day to load, YYYY-MM-DD. Empty: the run's data interval (scheduled and "
            "backfill runs) or the day before the trigger (manual runs).",
        ),
        "interactions_per_day": Param(
            parameters.DEFAULT_INTERACTIONS_PER_DAY,
            type="integer",
            minimum=1,
            maximum=parameters.MAX_INTERACTIONS_PER_DAY,
            title="Interactions per day",
            description="Average daily volume; weekdays get more, weekends fewer.",
        ),
        "seed": Param(
            parameters.DEFAULT_SEED,
            type="integer",
            minimum=0,
            maximum=2**31 - 1,
            title="Base seed",
            description="Same seed and day give the same rows. Must match the database's customer base.",
        ),
        "max_rows_per_shard": Param(
            parameters.DEFAULT_MAX_ROWS_PER_SHARD,
            type="integer",
            minimum=1_000,
            maximum=parameters.MAX_INTERACTIONS_PER_DAY,
            title="Max rows per shard",
            description="Bigger days are generated by several parallel tasks (one per shard) and swapped "
            "in atomically. The rows are the same whatever the number of shards.",
        ),
        "export": Param(
            True,
            type="boolean",
            title="Export to the lake",
            description="Write the checked day as Parquet under CCA_EXPORT_URL (docs/lake.md). "
            "CCA_EXPORT=off turns it off for every run.",
        ),
        "new_customers_per_day": Param(
            parameters.DEFAULT_NEW_CUSTOMERS_PER_DAY,
            type=["null", "integer"],
            minimum=0,
            maximum=parameters.MAX_NEW_CUSTOMERS_PER_DAY,
            title="New customers per day",
            description="Average sign-ups per day. Empty (the default): sized to the volume, about "
            "0.3 contacts per active customer a month. Runs with any value share one database.",
        ),
        "scenario": Param(
            "",
            type=["null", "string"],
            title="Scenario (counterfactual twin)",
            description="Levers changed from today's world, e.g. staffing=1.10,aht=0.90 (docs/twins.md). "
            "Empty: today's world. Must match the database's scenario.",
        ),
    },
) as dag:

    def _connection():
        from airflow.providers.postgres.hooks.postgres import PostgresHook

        from include.connections import limit_session

        return limit_session(PostgresHook(postgres_conn_id=CONN_ID).get_conn())

    @task(retries=0)
    def validate_run() -> list[dict]:
        """Fail fast, before anything is written; return the day's work, one item per shard."""
        from include.pipeline import plan_from_params

        ctx = get_current_context()
        dag_run = ctx["dag_run"]
        return plan_from_params(
            ctx["params"], dag_run.conf, ctx.get("logical_date"), getattr(dag_run, "run_after", None)
        )

    @task
    def create_schema() -> None:
        """00_schema.sql and the files it includes (`\\ir`, expanded by include.storage.sql)."""
        from airflow.providers.postgres.hooks.postgres import PostgresHook

        from include.storage.sql import create_schema as create

        # No statement timeout: an upgrade of a large database may rightly take long.
        with PostgresHook(postgres_conn_id=CONN_ID).get_conn() as conn:
            create(conn)

    load_baseline = SQLExecuteQueryOperator(
        task_id="load_baseline", conn_id=CONN_ID, sql="01_baseline_data.sql"
    )

    @contextlib.contextmanager
    def _no_retry_for_refusals():
        """A failed audit, another seed's customers or a migrated day fail the task at once: the
        rows are a function of (seed, day), so a retry would fail the same way after its backoff."""
        from airflow.sdk.exceptions import AirflowFailException

        from include.generator.customers import CustomerBaseMismatch
        from include.quality import DataQualityError
        from include.storage.days import MigratedDayRefused

        try:
            yield
        except (CustomerBaseMismatch, DataQualityError, MigratedDayRefused) as refused:
            raise AirflowFailException(str(refused)) from refused

    @task
    def extend_customer_base(work: list[dict]) -> int:
        from include.pipeline import extend_customer_base as extend
        from include.storage.days import DayLoad

        with _no_retry_for_refusals(), _connection() as conn:
            plan = DayLoad.from_xcom(work[0])
            return extend(conn, plan.day, plan.settings)

    @task
    def generate_interactions(shard_work: dict) -> int:
        from include.pipeline import generate_interactions as generate
        from include.storage.days import DayLoad

        with _no_retry_for_refusals(), _connection() as conn:
            return generate(conn, DayLoad.from_xcom(shard_work), shard_work["shard"])

    @task(outlets=[PUBLISHED_DAY])
    def publish_day(work: list[dict]) -> str:
        """Returns the published day (YYYY-MM-DD) for the tasks after it."""
        from include.pipeline import publish_sharded_day
        from include.storage.days import DayLoad

        with _no_retry_for_refusals(), _connection() as conn:
            publish_sharded_day(conn, DayLoad.from_xcom(work[0]), len(work))
        get_current_context()["outlet_events"][PUBLISHED_DAY].extra = {"day": work[0]["day"]}
        return work[0]["day"]

    @task(outlets=[SUMMARIES])
    def refresh_summaries(day: str) -> str:
        from include.analytics import refresh_day

        with _connection() as conn:
            refresh_day(conn, dt.date.fromisoformat(day))
        get_current_context()["outlet_events"][SUMMARIES].extra = {"day": day}
        return day

    @task(retries=0)
    def check_published_day(day: str) -> str:
        from include.quality import check_published

        with _connection() as conn:
            check_published(conn, dt.date.fromisoformat(day))
        return day

    @task
    def render_report(day: str) -> str:
        from include.reporting import report

        with _connection() as conn:
            return str(report.render_report(conn, dt.date.fromisoformat(day), REPORTS_DIR))

    @task(outlets=[LAKE_DAY])
    def export_day(day: str) -> str:
        """Returns the lake's URL; skipped when the param or CCA_EXPORT turns the export off."""
        from airflow.sdk.exceptions import AirflowSkipException

        from include.config import export_enabled
        from include.export.lake import export_day as export

        ctx = get_current_context()
        if not (ctx["params"].get("export", True) and export_enabled()):
            raise AirflowSkipException("export is off (param export=false or CCA_EXPORT=off)")
        with _connection() as conn:
            done = export(conn, dt.date.fromisoformat(day))
        ctx["outlet_events"][LAKE_DAY].extra = {"day": day, "url": done.url, "rows": done.rows}
        return done.url

    work = validate_run()
    extended = extend_customer_base(work)
    work >> create_schema() >> load_baseline >> extended
    generated = generate_interactions.expand(shard_work=work)
    extended >> generated
    published = publish_day(work)
    generated >> published
    checked = check_published_day(refresh_summaries(published))
    render_report(checked)
    export_day(checked)
