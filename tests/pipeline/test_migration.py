"""Migration from the earlier 20-table model (issue 16), on the project's legacy fixture.

Real PostgreSQL, scratch databases: a legacy source built by devtools/legacy_fixture and
targets the migration writes into.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re

import pytest

from devtools.database import connect
from devtools.legacy_fixture.dirty import DIRTY_VALUES, make_sql_ascii, plant_dirty_values, plant_latin1_name
from devtools.legacy_fixture.generate import DEFAULT_DAYS, DEFAULT_START, build_legacy, checksums
from include.config import SQL_DIR
from include.migration import MigrationFailed, SourceShapeError, format_report, migrate
from include.migration.source import NOT_MIGRATED, SOURCE_COLUMNS
from tests.support import run_cca, table_checksums

ROWS = 4_000
LEGACY_DAYS = [DEFAULT_START + dt.timedelta(days=i) for i in range(DEFAULT_DAYS)]
#: Tables of ours the migration writes beyond table_checksums' ones, and its mapping.
EXTRA_CHECKSUMS = {
    "catalog": "SELECT md5(string_agg(x, '|' ORDER BY x)) FROM (SELECT (to_jsonb(t) - 'created_at')::text AS x "
    "FROM channels t UNION ALL SELECT (to_jsonb(t) - 'created_at')::text FROM interaction_types t "
    "UNION ALL SELECT (to_jsonb(t) - 'created_at')::text FROM service_plans t "
    "UNION ALL SELECT (to_jsonb(t) - 'created_at')::text FROM agents t) s",  # baseline rows: created_at = now()
    "uuid_map": "SELECT md5(string_agg(t::text, '|' ORDER BY source_table, source_uuid)) FROM migration.uuid_map t",
    "migrated_days": "SELECT md5(string_agg(day || ':' || interactions, '|' ORDER BY day)) FROM migration.migrated_days",
    "type_summary": "SELECT md5(string_agg(t::text, '|' ORDER BY summary_date, interaction_type_id)) "
    "FROM analytics.daily_interaction_type_summary t",
    "plan_summary": "SELECT md5(string_agg(t::text, '|' ORDER BY summary_date, service_plan_id)) "
    "FROM analytics.daily_service_plan_summary t",
    "report": "SELECT md5(string_agg(t::text, '|' ORDER BY source_table, outcome, reason)) FROM migration.report t",
}


def all_checksums(url: str) -> dict[str, str]:
    sums = table_checksums(url)
    with connect(url) as conn:
        sums.update({name: conn.execute(q).fetchone()[0] for name, q in EXTRA_CHECKSUMS.items()})
    return sums


def run_migration(target_url: str, source_url: str, **kwargs):
    with connect(target_url) as target, connect(source_url) as source:
        return migrate(target, source, "public", **kwargs)


@pytest.fixture(scope="module")
def legacy_url(make_database) -> str:
    url = make_database()
    with connect(url) as conn:
        build_legacy(conn, ROWS, seed=11)
    return url


@pytest.fixture(scope="module")
def migrated(make_database, legacy_url):
    """One clean migration: (target url, result, source checksums before it)."""
    with connect(legacy_url) as conn:
        before = checksums(conn)
    url = make_database()
    result = run_migration(url, legacy_url)
    return url, result, before


def source_count(legacy_url: str, table: str) -> int:
    with connect(legacy_url) as conn:
        return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def test_counts_per_source_table_are_migrated_plus_rejected(migrated, legacy_url):
    url, result, _ = migrated
    for table in SOURCE_COLUMNS:
        read = result.rows(table, "read")
        assert read == source_count(legacy_url, table), table
        assert read == result.rows(table, "migrated") + result.rows(table, "rejected"), table
    for table, reason in NOT_MIGRATED.items():
        assert [r for r in result.report if r[0] == table and r[1] == "not migrated"] == [
            (table, "not migrated", reason, source_count(legacy_url, table))
        ]
    reasons = {(r[0], r[2]) for r in result.report if r[1] == "rejected"}
    for expected in [  # every kind of dirty row of the fixture is counted with its reason
        ("customer_interactions", "orphan: customer not in source"),
        ("customer_interactions", "orphan: channel not in source"),
        ("interaction_steps", "orphan: interaction not in source"),
        ("customer_feedback", "orphan: interaction not in source"),
        ("channels", "unknown channel_type"),
        ("agents", "bot (not a human agent: its interactions are self-service)"),
    ]:
        assert expected in reasons, expected
    repaired = {(r[0], r[2]) for r in result.report if r[1] == "migrated" and r[2].startswith("repaired")}
    for expected in [  # missing starts, and ends missing or not after the start, come from the steps
        ("customer_interactions", "repaired: start_timestamp from the steps"),
        ("customer_interactions", "repaired: end_timestamp from the steps"),
        ("customer_interactions", "repaired: unknown interaction_status -> Pending"),
        ("customer_interactions", "repaired: unknown interaction_mode (kept in the summary)"),
        ("interaction_types", "repaired: unknown interaction_category -> Support"),
    ]:
        assert expected in repaired, expected
    merged = [r for r in result.report if r[0] == "customers" and "same msisdn" in r[2]]
    assert merged and merged[0][3] > 0
    with connect(url) as conn:
        # The migrated counts are what landed in our tables, and each rejection is one stored row.
        assert (
            result.rows("customer_interactions", "migrated")
            == conn.execute(
                "SELECT count(*) FROM customer_interactions WHERE interaction_id % 1000000000 >= 500000000"
            ).fetchone()[0]
        )
        survivors = result.rows("customers", "migrated") - merged[0][3]
        assert (
            survivors
            == conn.execute("SELECT count(*) FROM customers WHERE customer_id >= 900000000000").fetchone()[0]
        )
        assert (
            result.rows("customer_service_plans", "migrated")
            == conn.execute(
                "SELECT count(*) FROM customer_service_plans WHERE customer_service_plan_id >= 9000000000000"
            ).fetchone()[0]
        )
        for table in SOURCE_COLUMNS:
            stored = conn.execute(
                "SELECT count(*) FROM migration.rejections WHERE source_table = %s", (table,)
            ).fetchone()[0]
            assert stored == result.rows(table, "rejected"), table
        scored = conn.execute(
            "SELECT count(*) FROM customer_interactions WHERE interaction_id % 1000000000 >= 500000000 "
            "AND satisfaction_score IS NOT NULL"
        ).fetchone()[0]
    with connect(legacy_url) as conn:
        own = conn.execute(
            "SELECT count(*) FROM customer_interactions WHERE customer_satisfaction_score BETWEEN 1 AND 5"
        ).fetchone()[0]
    # Feedback fills satisfaction_score where the interaction had none.
    assert scored > own * 0.9 and result.rows("customer_feedback", "migrated") > 0
    assert scored <= own + result.rows("customer_feedback", "migrated")
    lines = format_report(result)
    assert [line.split(":")[0] for line in lines] == [t for t in [*SOURCE_COLUMNS, *NOT_MIGRATED]]


def test_only_interactions_of_a_missing_customer_or_channel_are_rejected(migrated, legacy_url):
    """Issue #27: an interaction whose customer and channel exist in the source migrates,
    through the documented fallbacks (unknown type category, status, mode, agent type, account
    status), counted as repaired; only orphans of a customer or a channel are lost."""
    url, result, _ = migrated
    assert set(reasons(result, "customer_interactions")) <= {
        "orphan: customer not in source",
        "orphan: channel not in source",
    }, reasons(result, "customer_interactions")
    repaired = reasons(result, "customer_interactions", "migrated")
    for expected in [
        "unknown interaction_status -> Pending",
        "unknown interaction_mode (kept in the summary)",
        "agent of an unknown agent_type -> no agent",
    ]:
        assert any(expected in reason for reason in repaired), (expected, repaired)
    assert (
        reasons(result, "interaction_types", "migrated")["repaired: unknown interaction_category -> Support"]
        == 1
    )
    customers = reasons(result, "customers", "migrated")
    assert any("unknown account_status -> " in r for r in customers), customers
    assert "unknown account_status" not in reasons(result, "customers")
    with connect(url) as conn:
        # The fallbacks' values: a Support type, Pending contacts, no agent for the unknown type.
        assert conn.execute(
            "SELECT category FROM interaction_types WHERE interaction_code = 'LEGACY_LOYALTY_GAME'"
        ).fetchone() == ("Support",)
        pending_unknown = conn.execute(
            "SELECT count(*) FROM customer_interactions WHERE interaction_id % 1000000000 >= 500000000 "
            "AND interaction_summary LIKE '%, timeout%' AND resolution_status <> 'Pending'"
        ).fetchone()[0]
        assert pending_unknown == 0


def test_every_foreign_key_resolves_and_plans_are_consistent(migrated):
    url, _, _ = migrated
    with connect(url) as conn:
        orphans = conn.execute(
            """
            SELECT
              (SELECT count(*) FROM customer_interactions i LEFT JOIN customers c USING (customer_id)
               WHERE c.customer_id IS NULL),
              (SELECT count(*) FROM customer_interactions i LEFT JOIN channels c USING (channel_id)
               WHERE c.channel_id IS NULL),
              (SELECT count(*) FROM customer_interactions i LEFT JOIN interaction_types t USING (interaction_type_id)
               WHERE t.interaction_type_id IS NULL),
              (SELECT count(*) FROM customer_interactions i LEFT JOIN agents a USING (agent_id)
               WHERE i.agent_id IS NOT NULL AND a.agent_id IS NULL),
              (SELECT count(*) FROM customer_service_plans p LEFT JOIN customers c USING (customer_id)
               WHERE c.customer_id IS NULL),
              (SELECT count(*) FROM customer_service_plans p LEFT JOIN service_plans s USING (service_plan_id)
               WHERE s.service_plan_id IS NULL),
              (SELECT count(*) FROM migration.uuid_map u WHERE NOT CASE u.source_table
                  WHEN 'customers' THEN EXISTS (SELECT FROM customers c WHERE c.customer_id = u.target_id)
                  WHEN 'channels' THEN EXISTS (SELECT FROM channels c WHERE c.channel_id = u.target_id)
                  WHEN 'interaction_types' THEN EXISTS (
                      SELECT FROM interaction_types c WHERE c.interaction_type_id = u.target_id)
                  WHEN 'service_plans' THEN EXISTS (SELECT FROM service_plans c WHERE c.service_plan_id = u.target_id)
                  WHEN 'agents' THEN EXISTS (SELECT FROM agents c WHERE c.agent_id = u.target_id)
                  WHEN 'customer_interactions' THEN EXISTS (
                      SELECT FROM customer_interactions c WHERE c.interaction_id = u.target_id)
                  WHEN 'customer_service_plans' THEN EXISTS (
                      SELECT FROM customer_service_plans c WHERE c.customer_service_plan_id = u.target_id)
                  ELSE true END)
            """
        ).fetchone()
        assert orphans == (0, 0, 0, 0, 0, 0, 0)
        # One active plan per Active/Suspended migrated customer (none for those the report
        # counts as migrated without one), none for Inactive ones.
        plans = "(SELECT count(*) FROM customer_service_plans p WHERE p.customer_id = c.customer_id AND p.is_active)"
        wrong = conn.execute(
            f"SELECT count(*) FROM customers c WHERE c.customer_id >= 900000000000 AND {plans} "
            "> CASE WHEN c.status IN ('Active', 'Suspended') THEN 1 ELSE 0 END"
        ).fetchone()[0]
        assert wrong == 0
        planless = conn.execute(
            f"SELECT count(*) FROM customers c WHERE c.customer_id >= 900000000000 AND {plans} = 0 "
            "AND c.status IN ('Active', 'Suspended')"
        ).fetchone()[0]
        counted = conn.execute(
            "SELECT rows FROM migration.report WHERE source_table = 'customers' AND reason LIKE 'active without%'"
        ).fetchone()[0]
        assert planless == counted > 0
        # Bots are not agents; every migrated interaction traces back to its source row.
        assert conn.execute("SELECT count(*) FROM agents WHERE agent_name LIKE 'Bot %'").fetchone()[0] == 0
        untraced = conn.execute(
            "SELECT count(*) FROM customer_interactions i WHERE interaction_id % 1000000000 >= 500000000 "
            "AND NOT EXISTS (SELECT FROM migration.uuid_map u WHERE u.source_table = 'customer_interactions' "
            "AND u.target_id = i.interaction_id)"
        ).fetchone()[0]
        assert untraced == 0


def test_second_run_changes_nothing(migrated, legacy_url):
    url, _, _ = migrated
    before = all_checksums(url)
    again = run_migration(url, legacy_url)
    assert all_checksums(url) == before
    assert again.rows("customer_interactions", "migrated") > 0


def test_source_is_unchanged(migrated, legacy_url):
    _, _, before = migrated
    with connect(legacy_url) as conn:
        assert checksums(conn) == before


@pytest.mark.parametrize("stop_at", ["staged", "customers", "interactions", "day 2024-03-10", "summaries"])
def test_interrupted_migration_reruns_to_the_clean_result(make_database, migrated, legacy_url, stop_at):
    clean_url, _, _ = migrated
    url = make_database()

    def interrupt(phase: str) -> None:
        if phase == stop_at:
            raise KeyboardInterrupt(phase)

    with pytest.raises(KeyboardInterrupt):
        run_migration(url, legacy_url, after_phase=interrupt)
    run_migration(url, legacy_url)
    assert all_checksums(url) == all_checksums(clean_url)


def test_killed_connection_mid_publish_reruns_to_the_clean_result(make_database, migrated, legacy_url):
    clean_url, _, _ = migrated
    url = make_database()
    with connect(url) as target, connect(legacy_url) as source, connect(url, autocommit=True) as killer:
        pid = target.info.backend_pid

        def kill(phase: str) -> None:
            if phase == "day 2024-03-15":
                killer.execute("SELECT pg_terminate_backend(%s)", (pid,))

        with pytest.raises(MigrationFailed, match="in phase 'publish'"):
            migrate(target, source, "public", after_phase=kill)
    run_migration(url, legacy_url)
    assert all_checksums(url) == all_checksums(clean_url)


def test_summaries_equal_a_recomputation_over_the_migrated_rows(migrated):
    url, result, _ = migrated
    with connect(url) as conn:
        mismatches = conn.execute(
            """
            WITH facts AS (
                SELECT (start_timestamp AT TIME ZONE 'UTC')::date AS day, channel_id, count(*) AS n,
                       count(satisfaction_score) AS responses, coalesce(sum(satisfaction_score), 0) AS csat_sum,
                       coalesce(sum(duration_seconds), 0) AS duration_sum,
                       count(*) FILTER (WHERE resolution_status = 'Resolved') AS resolved
                FROM customer_interactions GROUP BY 1, 2)
            SELECT count(*) FROM facts f FULL JOIN analytics.daily_channel_summary s
                ON s.summary_date = f.day AND s.channel_id = f.channel_id
            WHERE s.interaction_count IS DISTINCT FROM f.n::integer
               OR s.survey_responses IS DISTINCT FROM f.responses::integer
               OR s.satisfaction_sum IS DISTINCT FROM f.csat_sum
               OR s.duration_sum IS DISTINCT FROM f.duration_sum
               OR s.resolved_count IS DISTINCT FROM f.resolved::integer
            """
        ).fetchone()[0]
        assert mismatches == 0
        agents = conn.execute(
            """
            SELECT count(*) FROM (
                SELECT (start_timestamp AT TIME ZONE 'UTC')::date AS day, agent_id, count(*) AS n
                FROM customer_interactions WHERE agent_id IS NOT NULL GROUP BY 1, 2) f
            FULL JOIN analytics.daily_agent_performance s ON s.summary_date = f.day AND s.agent_id = f.agent_id
            WHERE s.interactions_handled IS DISTINCT FROM f.n::integer
            """
        ).fetchone()[0]
        assert agents == 0
        customers = conn.execute(
            """
            SELECT count(*) FROM (SELECT customer_id, count(*) AS n FROM customer_interactions GROUP BY 1) f
            FULL JOIN analytics.customer_summary s USING (customer_id)
            WHERE s.total_interactions IS DISTINCT FROM f.n::integer
            """
        ).fetchone()[0]
        assert customers == 0
        days = [
            r[0] for r in conn.execute("SELECT DISTINCT summary_date FROM analytics.daily_channel_summary")
        ]
    assert sorted(days) == result.days == LEGACY_DAYS


def test_the_seeds_five_sample_queries_run_on_the_result(migrated):
    url, _, _ = migrated
    text = (SQL_DIR / "seed" / "sample_queries.sql").read_text()
    queries = [q for q in re.split(r";\s*\n", text) if "SELECT" in q.upper()]
    assert len(queries) == 5
    with connect(url) as conn:
        for query in queries:
            assert conn.execute(query).fetchall(), query


def test_a_source_not_in_the_earlier_model_writes_nothing(make_database, legacy_url):
    url = make_database()
    with connect(legacy_url) as conn:  # a schema with one table, one column short
        conn.execute("DROP SCHEMA IF EXISTS partial CASCADE")
        conn.execute("CREATE SCHEMA partial")
        conn.execute(
            "CREATE TABLE partial.customers AS SELECT customer_id, customer_name FROM public.customers"
        )
        conn.commit()
    try:
        with connect(url) as target, connect(legacy_url) as source:
            with pytest.raises(SourceShapeError) as error:
                migrate(target, source, "partial")
        message = str(error.value)
        assert "\n" not in message and "customers.msisdn" in message and "customer_interactions" in message
        with connect(url) as conn:
            assert (
                conn.execute(
                    "SELECT count(*) FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')"
                ).fetchone()[0]
                == 0
            )
    finally:
        with connect(legacy_url) as conn:
            conn.execute("DROP SCHEMA partial CASCADE")
            conn.commit()


def test_generated_days_win_unless_replace_generated_and_the_generator_refuses_migrated_days(
    make_database, legacy_url, monkeypatch
):
    from include.generator.settings import BatchSettings
    from include.storage.days import REPLACE_MIGRATED_ENV, load_day
    from include.storage.sql import apply_schema

    url = make_database()
    generated_day, other_day = dt.date(2024, 3, 10), dt.date(2024, 4, 20)
    settings = BatchSettings(interactions_per_day=300)
    with connect(url) as conn:
        apply_schema(conn)
        load_day(conn, generated_day, settings, n_rows=300)
        load_day(conn, other_day, settings, n_rows=300)
    checks = {
        d: f"SELECT count(*), md5(string_agg(t::text, '|' ORDER BY interaction_id)) FROM interaction_days.of_day('{d}') t"
        for d in (generated_day, other_day)
    }
    with connect(url) as conn:
        before = {d: conn.execute(q).fetchone() for d, q in checks.items()}

    result = run_migration(url, legacy_url)
    held = [
        r for r in result.report if r[0] == "customer_interactions" and r[2].startswith("day holds generated")
    ]
    assert held and held[0][3] > 0
    assert generated_day not in result.days and result.replaced_generated == 0
    with connect(url) as conn:
        assert {d: conn.execute(q).fetchone() for d, q in checks.items()} == before

    result = run_migration(url, legacy_url, replace_generated=True)
    assert generated_day in result.days and result.replaced_generated == 300
    with connect(url) as conn:
        n, _ = conn.execute(checks[generated_day]).fetchone()
        assert n > 0  # the day now holds migrated rows only (checked next)
        assert (
            conn.execute(
                f"SELECT count(*) FROM interaction_days.of_day('{generated_day}') WHERE interaction_id % 1000000000 < 500000000"
            ).fetchone()[0]
            == 0
        )
        assert conn.execute(checks[other_day]).fetchone() == before[other_day]  # untouched
        assert (
            conn.execute(
                "SELECT count(*) FROM interaction_batches WHERE batch_date = %s", (generated_day,)
            ).fetchone()[0]
            == 0
        )

        monkeypatch.delenv(REPLACE_MIGRATED_ENV, raising=False)
        with pytest.raises(ValueError, match="migrated from the earlier schema"):
            load_day(conn, generated_day, settings, n_rows=300)
        conn.rollback()
        monkeypatch.setenv(REPLACE_MIGRATED_ENV, "1")
        assert load_day(conn, generated_day, settings, n_rows=300) == 300
        assert (
            conn.execute(
                "SELECT count(*) FROM migration.migrated_days WHERE day = %s", (generated_day,)
            ).fetchone()[0]
            == 0
        )


def test_date_range_migrates_only_those_days(make_database, legacy_url):
    url = make_database()
    first, last = dt.date(2024, 3, 8), dt.date(2024, 3, 12)
    result = run_migration(url, legacy_url, start_date=first, end_date=last)
    assert result.days == [first + dt.timedelta(days=i) for i in range(5)]
    outside = [
        r
        for r in result.report
        if r[0] == "customer_interactions" and r[2] == "outside the requested date range"
    ]
    assert outside and outside[0][3] > 0
    table = "customer_interactions"
    assert result.rows(table, "read") == result.rows(table, "migrated") + result.rows(table, "rejected")


def test_commands_print_one_line_per_source_table(make_database, legacy_url, use_database, capsys):
    from devtools.commands import migrate as command

    parser = argparse.ArgumentParser()
    command.register(parser.add_subparsers(required=True))
    use_database(make_database())
    args = parser.parse_args(["migrate", "--source", legacy_url])
    assert args.handler(args) == 0
    out = capsys.readouterr().out
    for table in [*SOURCE_COLUMNS, *NOT_MIGRATED]:
        assert re.search(rf"^{table}: read [\d,]+, ", out, re.M), table
    assert "interactions/min" in out
    args = parser.parse_args(["migrate", "--source", legacy_url, "--source-schema", "nothing_here"])
    with pytest.raises(ValueError, match="not in the earlier model: missing tables channels"):
        args.handler(args)
    args = parser.parse_args(["migrate-demo", "--rows", "500"])
    assert args.handler(args) == 0
    out = capsys.readouterr().out
    assert "customer_interactions: read 500," in out and "five sample queries ran" in out


def test_migration_dag_is_manual_with_its_params_and_tasks():
    from airflow.dag_processing.dagbag import DagBag

    from include.config import PROJECT_ROOT

    bag = DagBag(str(PROJECT_ROOT / "dags"))
    assert not bag.import_errors
    dag = bag.dags["customer_care_legacy_migration"]
    assert type(dag.timetable).__name__ == "NullTimetable"
    assert set(dag.params) == {
        "source_conn_id",
        "source_schema",
        "start_date",
        "end_date",
        "replace_generated",
    }
    assert {t.task_id for t in dag.tasks} == {
        "check_source_shape",
        "migrate_reference_and_customers",
        "migrate_interactions",
        "refresh_summaries",
    }
    assert dag.get_task("migrate_interactions").upstream_task_ids == {"migrate_reference_and_customers"}
    assert dag.get_task("refresh_summaries").upstream_task_ids == {
        "migrate_reference_and_customers",
        "migrate_interactions",
    }
    assert "check_source_shape" in dag.get_task("migrate_reference_and_customers").upstream_task_ids


@pytest.mark.slow
def test_migration_dag_end_to_end_equals_the_command(
    make_database, legacy_url, airflow_metadata, monkeypatch
):
    from airflow.dag_processing.dagbag import DagBag

    from devtools.database import airflow_conn_uri
    from include.config import PROJECT_ROOT
    from tests.support import pointing_at

    first, last = "2024-03-05", "2024-03-09"
    direct = make_database()
    run_migration(direct, legacy_url, start_date=dt.date(2024, 3, 5), end_date=dt.date(2024, 3, 9))
    url = make_database()
    monkeypatch.setenv("AIRFLOW_CONN_LEGACY_CUSTOMER_CARE_DB", airflow_conn_uri(legacy_url))
    dag = DagBag(str(PROJECT_ROOT / "dags")).dags["customer_care_legacy_migration"]
    with pointing_at(url):
        run = dag.test(run_conf={"start_date": first, "end_date": last})
    states = {ti.task_id: str(getattr(ti.state, "value", ti.state)) for ti in run.get_task_instances()}
    assert str(getattr(run.state, "value", run.state)) == "success", states
    assert all_checksums(url) == all_checksums(direct)


def test_a_source_schema_inside_the_target_database(make_database, migrated):
    clean_url, _, _ = migrated
    url = make_database()
    with connect(url) as conn:
        build_legacy(conn, ROWS, seed=11, schema="legacy")
    with connect(url) as target, connect(url) as source:
        migrate(target, source, "legacy")
    assert all_checksums(url) == all_checksums(clean_url)


def test_the_html_report_covers_a_migrated_day(migrated, tmp_path):
    from include.reporting.report import render_report

    url, result, _ = migrated
    day = result.days[-1]
    with connect(url) as conn:
        path = render_report(conn, day, tmp_path)
        count = conn.execute("SELECT count(*) FROM interaction_days.of_day(%s)", (day,)).fetchone()[0]
    html = path.read_text()
    assert count > 0
    assert day.isoformat() in html and "Mobile App" in html
    assert f"{count:,}" in html or str(count) in html


# ---------------------------------------------------------------- dirty data and failures (issue #27)
DIRTY_ROWS = 3_000


def assert_every_row_counted(result, source_url: str) -> None:
    for table in SOURCE_COLUMNS:
        read = result.rows(table, "read")
        assert read == source_count(source_url, table), table
        assert read == result.rows(table, "migrated") + result.rows(table, "rejected"), table


def reasons(result, table: str, outcome: str = "rejected") -> dict[str, int]:
    return {r[2]: r[3] for r in result.report if r[0] == table and r[1] == outcome}


@pytest.fixture(scope="module")
def dirty_migrated(make_database):
    """The fixture with every dirty value of DIRTY_VALUES planted, migrated once."""
    source = make_database()
    with connect(source) as conn:
        build_legacy(conn, DIRTY_ROWS, seed=7)
        plant_dirty_values(conn)
    url = make_database()
    return url, run_migration(url, source), source


def test_every_dirty_value_is_counted_and_the_migration_completes(dirty_migrated):
    url, result, source = dirty_migrated
    assert_every_row_counted(result, source)
    interactions = reasons(result, "customer_interactions")
    # -infinity, BC, year 44, 2099, 9999: rejected, never a partition.
    assert interactions["start_timestamp outside the date window"] == 5
    assert interactions["duplicate interaction_id (the first row with it is kept)"] == 1
    assert interactions["missing or unreadable interaction_id"] >= 1
    assert reasons(result, "customers")["duplicate customer_id (the first row with it is kept)"] == 1
    plans = reasons(result, "service_plans")
    assert plans["monthly_fee not a number (NaN or Infinity)"] == 2
    assert plans["monthly_fee too large (100,000,000 or more)"] == 1
    repaired = reasons(result, "customer_interactions", "migrated")
    assert repaired["repaired: end_timestamp from duration_seconds"] >= 1  # 150 years late, duration kept
    assert repaired["repaired: end_timestamp from the steps"] >= 3  # 150 years late, infinity
    customers = reasons(result, "customers", "migrated")
    assert customers["repaired: registration_date from created_at"] >= 1  # 'unknown'
    assert customers["repaired: registration_date from the first plan"] >= 1  # BC
    with connect(url) as conn:
        assert conn.execute(
            "SELECT data_allowance_gb::float, voice_minutes, sms_allowance FROM service_plans WHERE plan_code = 'LEGACY_UNL_70'"
        ).fetchone() == (999999.99, 2147483647, 2147483647)  # -1: unlimited
        names = conn.execute(
            "SELECT string_agg(plan_name, '|' ORDER BY service_plan_id) FROM service_plans "
            "WHERE plan_name LIKE 'Postpaid 25%'"
        ).fetchone()[0]
        assert re.fullmatch(r"Postpaid 25\|Postpaid 25 \(legacy \d+\)", names), names
        codes = {
            r[0]
            for r in conn.execute("SELECT plan_code FROM service_plans WHERE plan_code LIKE 'LEGACY_PRE_10%'")
        }
        assert len(codes) == 2 and "LEGACY_PRE_10" in codes
        types = {
            r[0]
            for r in conn.execute(
                "SELECT interaction_name FROM interaction_types WHERE interaction_name LIKE 'Top%'"
            )
        }
        assert len(types) == 3, types
        channels = conn.execute(
            "SELECT count(*) FROM channels WHERE channel_code LIKE 'LEGACY_VIDEO_SUPPORT%'"
        ).fetchone()
        assert channels[0] == 2
        days = [r[0] for r in conn.execute("SELECT day FROM migration.migrated_days ORDER BY 1")]
        assert days[0] >= DEFAULT_START and days[-1] < DEFAULT_START + dt.timedelta(days=DEFAULT_DAYS)
        partitions = conn.execute(
            "SELECT count(*) FROM pg_class WHERE relnamespace = 'interaction_days'::regnamespace "
            "AND relname ~ '^d(0044|2099|9999)'"
        ).fetchone()[0]
        assert partitions == 0
        # A 9999 expiry or last activity never makes a plan end centuries ahead.
        assert (
            conn.execute(
                "SELECT count(*) FROM customer_service_plans WHERE end_date > '2200-01-01'"
            ).fetchone()[0]
            == 0
        )


def test_customers_without_msisdn_or_status_migrate_with_their_interactions(make_database):
    """A missing msisdn gives an empty phone (our column is NOT NULL) and merges with nobody;
    a missing account_status falls back on Active/Inactive by the plan rows: counted, kept."""
    source = make_database()
    with connect(source) as conn:
        build_legacy(conn, 1_000, seed=3)
        picked = [
            r[0] for r in conn.execute("SELECT customer_id FROM customers ORDER BY customer_id LIMIT 3")
        ]
        conn.execute("UPDATE customers SET msisdn = NULL WHERE customer_id = ANY(%s)", (picked[:2],))
        conn.execute(
            "UPDATE customers SET msisdn = ' ', account_status = NULL WHERE customer_id = %s", (picked[2],)
        )
        unknown_status = conn.execute(
            "SELECT count(*) FROM customers WHERE account_status IS NULL "
            "OR lower(account_status) NOT IN ('active', 'suspended', 'terminated', 'churned')"
        ).fetchone()[0]
    url = make_database()
    result = run_migration(url, source)
    assert_every_row_counted(result, source)
    assert "missing msisdn" not in reasons(result, "customers")
    assert "unknown account_status" not in reasons(result, "customers")
    assert "customer not migrated" not in reasons(result, "customer_interactions")
    migrated = reasons(result, "customers", "migrated")
    assert sum(n for r, n in migrated.items() if "missing msisdn -> empty phone" in r) == 3, migrated
    assert sum(n for r, n in migrated.items() if "unknown account_status" in r) == unknown_status > 1, (
        migrated
    )
    with connect(url) as conn:
        assert conn.execute("SELECT count(*) FROM customers WHERE phone = ''").fetchone()[0] == 3


def test_a_dirty_source_migrates_again_to_the_same_tables(dirty_migrated):
    url, _, source = dirty_migrated
    before = all_checksums(url)
    run_migration(url, source)
    assert all_checksums(url) == before


#: Dirty values the migration used to accept as they were: what it now counts instead.
ALONE_EXPECTED = {
    "-infinity created_at and activation_date": (
        "customer_service_plans",
        "rejected",
        "activation_date outside the date window",
        1,
    ),
    "dates outside the window (years 44, 2099, 9999)": (
        "customer_interactions",
        "rejected",
        "start_timestamp outside the date window",
        3,
    ),
}


@pytest.mark.parametrize("dirty", list(DIRTY_VALUES))
def test_each_dirty_value_alone_completes_with_every_row_counted(make_database, dirty):
    source = make_database()
    with connect(source) as conn:
        build_legacy(conn, 500, seed=3)
        plant_dirty_values(conn, [dirty])
    result = run_migration(make_database(), source)
    assert_every_row_counted(result, source)
    assert result.rows("customer_interactions", "migrated") > 400
    assert all(dt.date(1970, 1, 1) <= day <= dt.date.today() for day in result.days)
    if dirty in ALONE_EXPECTED:
        table, outcome, reason, rows = ALONE_EXPECTED[dirty]
        assert reasons(result, table, outcome).get(reason) == rows


def test_an_sql_ascii_source_is_read_with_its_latin1_text(make_database):
    source = make_database()
    make_sql_ascii(source)
    with connect(source) as conn:
        build_legacy(conn, 500, seed=3)
        plant_latin1_name(conn)
    url = make_database()
    result = run_migration(url, source)
    assert_every_row_counted(result, source)
    with connect(url) as conn:
        assert conn.execute("SELECT count(*) FROM customers WHERE customer_name = 'José'").fetchone()[0] == 1


def test_a_tool_failure_names_its_phase_and_a_rerun_completes(make_database, migrated, legacy_url):
    clean_url, _, _ = migrated
    url = make_database()
    with connect(url, autocommit=True) as other:

        def break_staging(phase: str) -> None:
            if phase == "staged":
                other.execute("DROP TABLE migration.src_customers")

        with pytest.raises(MigrationFailed) as failed:
            run_migration(url, legacy_url, after_phase=break_staging)
    message = str(failed.value)
    assert "in phase 'customers'" in message and "src_customers" in message and "\n" not in message
    run_migration(url, legacy_url)
    assert all_checksums(url) == all_checksums(clean_url)


def test_the_migration_has_the_pipelines_statement_timeout_and_says_so_in_one_line(
    make_database, legacy_url, use_database, monkeypatch, capsys
):
    from devtools import cli

    use_database(make_database())
    monkeypatch.setenv("CCA_STATEMENT_TIMEOUT", "1ms")
    assert cli.main(["migrate", "--source", legacy_url]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: migration failed in phase ") and "statement timeout" in err, err
    assert err.count("\n") == 1 and "Traceback" not in err


def test_staging_copies_are_dropped_when_a_run_completes(migrated):
    url, _, _ = migrated
    with connect(url) as conn:
        left = conn.execute(
            "SELECT string_agg(relname, ', ') FROM pg_class WHERE relnamespace = 'migration'::regnamespace "
            "AND relkind = 'r' AND (relname LIKE 'src%%' OR relname = 'work_interactions')"
        ).fetchone()[0]
    assert left is None


def test_migration_dag_has_the_pipelines_timeouts_and_failure_alert():
    from airflow.dag_processing.dagbag import DagBag

    from include.config import PROJECT_ROOT
    from include.notifications import FailureNotifier

    dag = DagBag(str(PROJECT_ROOT / "dags")).dags["customer_care_legacy_migration"]
    for task in dag.tasks:
        assert task.execution_timeout == dt.timedelta(hours=2), task.task_id
        assert any(isinstance(cb, FailureNotifier) for cb in task.on_failure_callback or []), task.task_id
    source = (PROJECT_ROOT / "dags" / "customer_care_legacy_migration.py").read_text()
    assert "limit_session(" in source


@pytest.fixture
def migrated_copy(make_database, legacy_url):
    """A database holding one clean migration, for tests that change it."""
    url = make_database()
    result = run_migration(url, legacy_url)
    return url, result


def test_a_size_file_never_silently_replaces_migrated_days(migrated_copy, tmp_path):
    import os
    import subprocess

    from devtools.database import psql_path
    from include.generator.settings import BatchSettings
    from include.storage.reference import load_reference
    from include.storage.sqlfile import REPLACE_SETTING, write_sql_file

    url, result = migrated_copy
    day = result.days[3]
    path = tmp_path / "synthetic_data_small.sql"
    with connect(url) as conn:
        write_sql_file(path, [day], [200], BatchSettings(seed=7), load_reference(conn))

    def load(**env: str) -> subprocess.CompletedProcess:
        command = [psql_path(), url, "-q", "-v", "ON_ERROR_STOP=1", "-f", str(path)]
        return subprocess.run(command, capture_output=True, text=True, timeout=300, env={**os.environ, **env})

    before = all_checksums(url)
    done = load()
    assert done.returncode != 0 and f"would replace migrated days ({day})" in done.stderr, done.stderr
    assert all_checksums(url) == before, "nothing replaced, nothing lost"
    done = load(PGOPTIONS=f"-c {REPLACE_SETTING}=on")
    assert done.returncode == 0, done.stderr
    with connect(url) as conn:
        # Replaced when asked, and the ledger says so: the day is no longer recorded as migrated.
        assert (
            conn.execute("SELECT count(*) FROM migration.migrated_days WHERE day = %s", (day,)).fetchone()[0]
            == 0
        )
        assert conn.execute("SELECT count(*) FROM interaction_days.of_day(%s)", (day,)).fetchone()[0] == 200
        assert (
            conn.execute("SELECT count(*) FROM migration.migrated_days").fetchone()[0] == len(result.days) - 1
        )


def test_backfill_over_a_migrated_day_is_refused_in_one_line_without_retries(migrated, use_database):

    url, result, _ = migrated
    use_database(url)
    before = all_checksums(url)
    day = result.days[0].isoformat()
    done = run_cca("backfill", day, day)
    assert done.returncode == 2, done.stdout + done.stderr
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert (
        len(lines) == 1 and lines[0].startswith("error: ") and "migrated from the earlier schema" in lines[0]
    )
    assert "CCA_REPLACE_MIGRATED_DAYS=1" in lines[0] and "Traceback" not in done.stderr
    assert all_checksums(url) == before


def test_make_reliability_migrates_each_dirty_value_with_the_real_command(make_database):
    from devtools.reliability import dirty_migration

    lines: list[str] = []
    names = ["end time 150 years late", "Infinity and NaN fees", dirty_migration.SQL_ASCII]
    outcomes = dirty_migration.run_all(make_database, lines.append, names)
    assert [o.name for o in outcomes] == names
    for outcome in outcomes:
        assert outcome.ok, outcome
        assert outcome.read > 13_000 and outcome.rejected > 0
    assert lines[-1] == "dirty migrations tried 3, completed with every row counted 3/3, tracebacks 0"
    # make reliability tries every dirty value of the fixture, and the SQL_ASCII source.
    assert dirty_migration.INPUTS == [*DIRTY_VALUES, dirty_migration.SQL_ASCII]


def test_the_pipeline_dag_fails_a_migrated_day_at_once_without_retries(
    pipeline_dag, migrated_copy, use_database
):
    from tests.support import run_dag_instances, state_of

    url, result = migrated_copy
    use_database(url)
    before = all_checksums(url)
    state, tasks = run_dag_instances(pipeline_dag, result.days[0], {"interactions_per_day": 600})
    assert state == "failed"
    assert state_of(tasks["extend_customer_base"]) == "failed"
    assert tasks["extend_customer_base"].try_number == 1  # failed at once, no up_for_retry
    assert all_checksums(url) == before  # refused before the first write
