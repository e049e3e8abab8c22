-- Customer Care Analytics: schema for the 7-table model plus the analytics layer.
--
-- The one entry point. It includes its parts (\ir: relative to this file) in the order
-- they run, in one transaction, serialized by an advisory lock so two runs that start at
-- once do not race on CREATE ... IF NOT EXISTS. Runs with plain psql:
--     psql "$DSN" -v ON_ERROR_STOP=1 -f include/sql/00_schema.sql
-- and from Python and Airflow (include/storage/sql.py: apply_schema, the create_schema
-- task), which expand the same \ir lines themselves.
--
-- schema/    today's layout: every object created when missing, functions and views
--            replaced. No row is ever dropped: re-running the file changes nothing.
-- upgrades/  what changes a database of an earlier release, each file once, recorded in
--            cca_meta.schema_upgrades and never edited after a release (docs/storage.md,
--            "Schema files and upgrades"). A new database records them without running.

BEGIN;
SET LOCAL client_min_messages = warning;
DO $$ BEGIN PERFORM pg_advisory_xact_lock(hashtext('customer_care_pipeline:schema')); END $$;

\ir schema/ledger.sql

-- Tables
\ir schema/reference.sql
\ir schema/customers.sql
\ir upgrades/0001_fact_table_steps_aside.sql
\ir schema/fact_table.sql
\ir schema/partition_functions.sql
\ir schema/bookkeeping.sql
\ir schema/workforce.sql
\ir schema/analytics_tables.sql

-- Upgrades of tables of earlier releases (a new one goes last here, unless it must run
-- before a file above creates a table in its way, as 0001 does)
\ir upgrades/0002_days_join_the_start_timestamp_parent.sql
\ir upgrades/0003_customers_time_zone_and_language.sql
\ir upgrades/0004_analytics_counts_not_ratios.sql
\ir upgrades/0005_customer_summaries_without_foreign_keys.sql
\ir upgrades/0006_plan_population_counted.sql
\ir upgrades/0007_sites_interval_truth_timed_events.sql

-- Triggers and the read layer: every report, dashboard and the `make run` summary reads
-- through these functions, one per dimension, taking an inclusive date range (a day is
-- the range day..day). Each sums the stored counts over the range, then divides, so any
-- range rolls up exactly. The contact KPIs are defined once (contact_kpis, over the three
-- daily tables in one shape: daily_contact_counts); the per-dimension functions pick its
-- columns. Percentages (csat_pct) are 0-100; rates (*_rate) are 0-1; NULL where there is
-- nothing to divide by. Plain SQL functions: the planner inlines them, so they cost what
-- the query written out would.
\ir schema/plan_population_triggers.sql
\ir schema/read/ratio.sql
\ir schema/read/daily_contact_counts.sql
\ir schema/read/contact_kpis.sql
\ir schema/read/channel_kpis.sql
\ir schema/read/overall_kpis.sql
\ir schema/read/interaction_type_kpis.sql
\ir schema/read/agent_kpis.sql
\ir schema/read/service_plan_kpis.sql
\ir schema/read/interval_kpis.sql
\ir schema/read/service_group_day_kpis.sql
\ir schema/read/customer_kpis.sql
\ir schema/read/repeat_contact_links.sql

COMMIT;
