"""The read layer's documented interface (README, docs/data-model.md, the reports): each
function keeps its arguments and result columns, a range without data reads as documented,
and the shared contact KPIs (analytics.contact_kpis) cost what each query written out would.
The values themselves are checked against the raw rows in tests/pipeline/test_analytics.py."""

from __future__ import annotations

from devtools.database import connect

#: Each read function's result, as pg_get_function_result prints it (all take first_day, last_day).
CONTACT_COUNTS = (
    "survey_responses bigint, satisfaction_sum bigint, csat_positive_count bigint, duration_count bigint, "
    "duration_sum bigint"
)
RESULTS = {
    "overall_kpis": f"interaction_count bigint, {CONTACT_COUNTS}, queue_time_sum bigint, "
    "first_contact_resolutions bigint, escalations bigint, repeat_contacts bigint, avg_satisfaction numeric, "
    "csat_pct numeric, survey_response_rate numeric, first_contact_resolution_rate numeric, "
    "escalation_rate numeric, repeat_contact_rate numeric, avg_duration_seconds numeric, "
    "avg_queue_time_seconds numeric",
    "channel_kpis": f"channel_id smallint, channel_name text, interaction_count bigint, {CONTACT_COUNTS}, "
    "queue_time_sum bigint, first_contact_resolutions bigint, escalations bigint, repeat_contacts bigint, "
    "resolved_count bigint, pending_count bigint, escalated_count bigint, cancelled_count bigint, "
    "avg_satisfaction numeric, csat_pct numeric, survey_response_rate numeric, "
    "first_contact_resolution_rate numeric, escalation_rate numeric, repeat_contact_rate numeric, "
    "avg_duration_seconds numeric, avg_queue_time_seconds numeric",
    "interaction_type_kpis": "interaction_type_id smallint, interaction_name text, interaction_count bigint, "
    f"{CONTACT_COUNTS}, first_contact_resolutions bigint, escalations bigint, repeat_contacts bigint, "
    "avg_satisfaction numeric, csat_pct numeric, first_contact_resolution_rate numeric, escalation_rate numeric, "
    "repeat_contact_rate numeric, avg_duration_seconds numeric",
    "agent_kpis": f"agent_id integer, agent_name text, team text, interactions_handled bigint, {CONTACT_COUNTS}, "
    "resolved_count bigint, first_contact_resolutions bigint, escalations bigint, avg_satisfaction numeric, "
    "csat_pct numeric, first_contact_resolution_rate numeric, escalation_rate numeric, "
    "avg_duration_seconds numeric",
    "service_plan_kpis": "service_plan_id smallint, plan_name text, customer_days bigint, interaction_count bigint, "
    "survey_responses bigint, satisfaction_sum bigint, avg_satisfaction numeric, contacts_per_100_customers numeric",
    "interval_kpis": "interval_start timestamp with time zone, queue_id smallint, department text, "
    "service_group text, offered integer, handled integer, abandoned integer, asa_seconds numeric, "
    "service_level numeric, abandonment_rate numeric, aht_seconds numeric, scheduled_agents numeric, "
    "occupancy numeric",
    "service_group_day_kpis": "summary_date date, service_group text, offered bigint, handled bigint, "
    "abandoned bigint, service_level numeric, abandonment_rate numeric, asa_seconds numeric, "
    "agent_hours numeric, occupancy numeric",
}
CUSTOMER_KPIS = [
    ("customer_id", "bigint"),
    ("customer_name", "text"),
    ("total_interactions", "integer"),
    ("survey_responses", "integer"),
    ("satisfaction_sum", "bigint"),
    ("avg_satisfaction", "numeric"),
    ("active_days", "integer"),
    ("first_interaction_at", "timestamp with time zone"),
    ("last_interaction_at", "timestamp with time zone"),
]
#: The contact KPI functions and the daily table each reads.
CONTACT_TABLES = {
    "overall_kpis": "daily_channel_summary",
    "channel_kpis": "daily_channel_summary",
    "interaction_type_kpis": "daily_interaction_type_summary",
    "agent_kpis": "daily_agent_performance",
}


def test_each_read_function_keeps_its_documented_arguments_and_columns(schema_url):
    with connect(schema_url) as conn:
        found = {
            name: (arguments, result)
            for name, arguments, result in conn.execute(
                "SELECT p.proname, pg_get_function_arguments(p.oid), pg_get_function_result(p.oid) "
                "FROM pg_proc AS p JOIN pg_namespace AS n ON n.oid = p.pronamespace "
                "WHERE n.nspname = 'analytics' AND p.proname = ANY(%s)",
                (list(RESULTS),),
            )
        }
        view = conn.execute(
            "SELECT attname, format_type(atttypid, atttypmod) FROM pg_attribute "
            "WHERE attrelid = 'analytics.customer_kpis'::regclass AND attnum > 0 ORDER BY attnum"
        ).fetchall()
    assert found == {
        name: ("first_day date, last_day date", f"TABLE({result})") for name, result in RESULTS.items()
    }
    assert view == CUSTOMER_KPIS


def test_a_range_without_data_is_one_row_of_zeros_overall_and_no_row_per_dimension(schema_url):
    with connect(schema_url) as conn:
        overall = conn.execute("SELECT * FROM analytics.overall_kpis('2026-01-01', '2026-01-31')").fetchall()
        per_dimension = {
            name: conn.execute(
                f"SELECT count(*) FROM analytics.{name}('2026-01-01', '2026-01-31')"
            ).fetchone()[0]
            for name in CONTACT_TABLES
            if name != "overall_kpis"
        }
    assert overall == [(0,) * 10 + (None,) * 8]
    assert per_dimension == dict.fromkeys(per_dimension, 0)


def test_each_contact_kpi_function_is_inlined_and_reads_only_its_own_daily_table(schema_url):
    """analytics.contact_kpis serves every dimension without reading the others' tables."""
    daily_tables = set(CONTACT_TABLES.values())
    with connect(schema_url) as conn:
        for name, table in CONTACT_TABLES.items():
            plan = "\n".join(
                row[0]
                for row in conn.execute(
                    f"EXPLAIN (COSTS OFF) SELECT * FROM analytics.{name}('2026-01-01', '2026-01-07')"
                )
            )
            assert "Function Scan" not in plan, (name, plan)
            assert table in plan, (name, plan)
            assert not any(other in plan for other in daily_tables - {table}), (name, plan)
