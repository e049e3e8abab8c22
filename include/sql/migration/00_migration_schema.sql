-- Migration from the earlier 20-table model: bookkeeping in schema `migration`.
-- Idempotent (CREATE ... IF NOT EXISTS only): run before every migration, never drops data.
-- The staging and work tables of a run are (re)created by 10_staging.sql.

SELECT pg_advisory_xact_lock(hashtext('customer_care_pipeline:schema'));
CREATE SCHEMA IF NOT EXISTS migration;

-- Every migrated source row -> its integer key in this model. Stable: a re-run reuses these
-- ids, and a row of ours traces back to its source row through (source_table, target_id).
-- Rows merged into another (duplicate msisdn) map to the survivor's id.
CREATE TABLE IF NOT EXISTS migration.uuid_map (
    source_table text   NOT NULL,
    source_uuid  uuid   NOT NULL,
    target_id    bigint NOT NULL,
    PRIMARY KEY (source_table, source_uuid)
);
CREATE INDEX IF NOT EXISTS uuid_map_target ON migration.uuid_map (source_table, target_id);

-- The last run's rejected source rows, one per row, with the reason (never silently dropped).
CREATE TABLE IF NOT EXISTS migration.rejections (
    source_table text NOT NULL,
    source_key   text NOT NULL,
    reason       text NOT NULL
);

-- The last run's report: per source table, rows read = sum of rows over its outcomes.
CREATE TABLE IF NOT EXISTS migration.report (
    source_table text    NOT NULL,
    outcome      text    NOT NULL CHECK (outcome IN ('read', 'migrated', 'rejected', 'not migrated')),
    reason       text    NOT NULL DEFAULT '',
    rows         bigint  NOT NULL,
    PRIMARY KEY (source_table, outcome, reason)
);

-- Days whose interactions came from a migration. The generator refuses to replace them
-- (include/generator/loader.py) unless CCA_REPLACE_MIGRATED_DAYS=1.
CREATE TABLE IF NOT EXISTS migration.migrated_days (
    day                   date        PRIMARY KEY,
    interactions          integer     NOT NULL,
    replaced_generated    integer     NOT NULL DEFAULT 0,
    source                text        NOT NULL,
    migrated_at           timestamptz NOT NULL DEFAULT now()
);

-- One row per run: which phases finished (an interrupted run shows where it stopped).
CREATE TABLE IF NOT EXISTS migration.runs (
    run_id      bigserial   PRIMARY KEY,
    source      text        NOT NULL,
    started_at  timestamptz NOT NULL DEFAULT now(),
    phase       text        NOT NULL DEFAULT 'started',
    finished_at timestamptz
);

-- The window of dates a migration accepts (docs/migration.md, "Dates"): from 1970-01-01 to
-- tomorrow (UTC). Outside it (BC dates, year 44, 2099, 9999, +/-infinity) a date is unusable:
-- an interaction starting there is rejected, other dates count as missing.
CREATE OR REPLACE FUNCTION migration.usable_day(d date) RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT d BETWEEN DATE '1970-01-01' AND (now() AT TIME ZONE 'UTC')::date + 1
$$;
CREATE OR REPLACE FUNCTION migration.usable_time(t timestamp) RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT t >= TIMESTAMP '1970-01-01' AND t < (now() AT TIME ZONE 'UTC')::date + 2
$$;
