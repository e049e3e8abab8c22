-- Customer Care Analytics: schema for the 7-table model plus the analytics layer.
--
-- Idempotent: every object is created only if missing, nothing is ever dropped, so
-- re-running it on a database with data is a no-op (an unpartitioned fact table from an
-- earlier release is kept, rows and all, as its default partition). Runs with plain psql:
--     psql "$DSN" -v ON_ERROR_STOP=1 -f include/sql/00_schema.sql
-- and from Airflow (create_schema task). One transaction, serialized by an advisory
-- lock so two runs that start at once do not race on CREATE ... IF NOT EXISTS.

BEGIN;
SET LOCAL client_min_messages = warning;
DO $$ BEGIN PERFORM pg_advisory_xact_lock(hashtext('customer_care_pipeline:schema')); END $$;

-- ---------------------------------------------------------------- reference data
CREATE TABLE IF NOT EXISTS channels (
    channel_id      smallint    PRIMARY KEY,
    channel_code    text        NOT NULL UNIQUE,
    channel_name    text        NOT NULL UNIQUE,
    channel_type    text        NOT NULL CHECK (channel_type IN ('Voice', 'Digital', 'In-Person')),
    -- Live conversations have a handle time; asynchronous ones (email, SMS, social) do not.
    is_synchronous  boolean     NOT NULL,
    is_active       boolean     NOT NULL DEFAULT true,
    created_at      timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS interaction_types (
    interaction_type_id smallint    PRIMARY KEY,
    interaction_code    text        NOT NULL UNIQUE,
    interaction_name    text        NOT NULL UNIQUE,
    category            text        NOT NULL
        CHECK (category IN ('Billing', 'Technical', 'Account', 'Support', 'Sales')),
    priority_level      text        NOT NULL
        CHECK (priority_level IN ('Low', 'Medium', 'High', 'Critical')),
    is_active           boolean     NOT NULL DEFAULT true,
    created_at          timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS service_plans (
    service_plan_id   smallint      PRIMARY KEY,
    plan_code         text          NOT NULL UNIQUE,
    plan_name         text          NOT NULL UNIQUE,
    plan_type         text          NOT NULL CHECK (plan_type IN ('Prepaid', 'Postpaid', 'Business')),
    -- 1 = entry level ... 4 = top tier; upgrades move up, downgrades down.
    plan_tier         smallint      NOT NULL CHECK (plan_tier BETWEEN 1 AND 4),
    monthly_fee       numeric(10,2) NOT NULL CHECK (monthly_fee >= 0),
    data_allowance_gb numeric(8,2)  NOT NULL CHECK (data_allowance_gb >= 0),
    voice_minutes     integer       NOT NULL CHECK (voice_minutes >= 0),
    sms_allowance     integer       NOT NULL CHECK (sms_allowance >= 0),
    is_active         boolean       NOT NULL DEFAULT true,
    created_at        timestamptz   NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS agents (
    agent_id    integer     PRIMARY KEY,
    agent_name  text        NOT NULL,
    employee_id text        NOT NULL UNIQUE,
    department  text        NOT NULL
        CHECK (department IN ('Customer Service', 'Technical Support', 'Billing', 'Sales')),
    team        text        NOT NULL,
    skill_level text        NOT NULL CHECK (skill_level IN ('Junior', 'Senior', 'Expert')),
    hire_date   date        NOT NULL,
    is_active   boolean     NOT NULL DEFAULT true,
    created_at  timestamptz NOT NULL DEFAULT now()
);

-- ---------------------------------------------------------------- customers and plans
-- Generated rows carry deterministic ids and created_at, so re-runs reproduce them exactly.
CREATE TABLE IF NOT EXISTS customers (
    customer_id       bigint      PRIMARY KEY,
    customer_name     text        NOT NULL,
    email             text        NOT NULL UNIQUE,
    phone             text        NOT NULL,
    address           text,
    city              text,
    state             text,
    registration_date date        NOT NULL,
    customer_segment  text        NOT NULL CHECK (customer_segment IN ('Premium', 'Standard', 'Basic')),
    status            text        NOT NULL CHECK (status IN ('Active', 'Inactive', 'Suspended')),
    churn_date        date        CHECK (churn_date IS NULL OR churn_date >= registration_date),
    created_at        timestamptz NOT NULL,
    -- IANA zone of the customer's home (consistent with the state): arrivals follow it.
    time_zone         text,
    preferred_language text
);
-- Databases from earlier releases gain the columns (NULL for the customers they hold).
ALTER TABLE customers ADD COLUMN IF NOT EXISTS time_zone text;
ALTER TABLE customers ADD COLUMN IF NOT EXISTS preferred_language text;

CREATE TABLE IF NOT EXISTS customer_service_plans (
    customer_service_plan_id bigint      PRIMARY KEY,
    customer_id              bigint      NOT NULL REFERENCES customers (customer_id),
    service_plan_id          smallint    NOT NULL REFERENCES service_plans (service_plan_id),
    start_date               date        NOT NULL,
    end_date                 date,
    change_type              text        NOT NULL CHECK (change_type IN ('New', 'Upgrade', 'Downgrade')),
    is_active                boolean     NOT NULL,
    created_at               timestamptz NOT NULL,
    CONSTRAINT plan_dates_ordered CHECK (end_date IS NULL OR end_date >= start_date),
    -- A plan is active exactly while it is open-ended.
    CONSTRAINT plan_active_iff_open CHECK (is_active = (end_date IS NULL))
);
-- At most one active plan per customer.
CREATE UNIQUE INDEX IF NOT EXISTS customer_service_plans_one_active
    ON customer_service_plans (customer_id) WHERE is_active;
CREATE INDEX IF NOT EXISTS customer_service_plans_plan_dates
    ON customer_service_plans (service_plan_id, start_date, end_date);

-- ---------------------------------------------------------------- the fact table
-- Partitioned by day. Interaction ids carry their day (yyyymmdd * 10^9 + position), so a
-- day is one range of ids and one partition, interaction_days.dYYYYMMDD. A load fills a
-- fresh table with no index, indexes it once (a sort is far cheaper than index upkeep per
-- row), then swaps it in: see interaction_days.publish below. Queries keep using
-- customer_interactions; each day partition also states its start_timestamp range, so a
-- query for some dates skips the other days' partitions.
CREATE SCHEMA IF NOT EXISTS interaction_days;

-- Upgrade from the unpartitioned table of earlier releases: it becomes the default
-- partition, rows kept. Its index names move out of the way of the new parent's.
DO $$
BEGIN
    IF (SELECT relkind FROM pg_class WHERE oid = to_regclass('public.customer_interactions')) = 'r' THEN
        ALTER INDEX IF EXISTS public.customer_interactions_start RENAME TO default_partition_start;
        ALTER TABLE public.customer_interactions
            RENAME CONSTRAINT customer_interactions_pkey TO default_partition_pkey;
        ALTER TABLE public.customer_interactions SET SCHEMA interaction_days;
        ALTER TABLE interaction_days.customer_interactions RENAME TO default_partition;
    END IF;
END $$;

CREATE TABLE IF NOT EXISTS customer_interactions (
    -- yyyymmdd * 10^9 + position: stable, unique and readable without a sequence.
    interaction_id           bigint      PRIMARY KEY,
    customer_id              bigint      NOT NULL REFERENCES customers (customer_id),
    channel_id               smallint    NOT NULL REFERENCES channels (channel_id),
    interaction_type_id      smallint    NOT NULL REFERENCES interaction_types (interaction_type_id),
    agent_id                 integer     REFERENCES agents (agent_id),  -- NULL: self-service
    session_id               text        NOT NULL,
    start_timestamp          timestamptz NOT NULL,
    end_timestamp            timestamptz NOT NULL,
    -- Handle time of a live conversation; NULL for asynchronous channels.
    duration_seconds         integer     CHECK (duration_seconds >= 0),
    queue_time_seconds       integer     NOT NULL CHECK (queue_time_seconds >= 0),
    resolution_status        text        NOT NULL
        CHECK (resolution_status IN ('Resolved', 'Pending', 'Escalated', 'Cancelled')),
    is_escalated             boolean     NOT NULL,
    first_contact_resolution boolean     NOT NULL,
    is_repeat_contact        boolean     NOT NULL,
    -- CSAT survey answer 1..5; NULL when the customer did not answer.
    satisfaction_score       smallint    CHECK (satisfaction_score BETWEEN 1 AND 5),
    interaction_summary      text,
    language                 text        NOT NULL,
    created_at               timestamptz NOT NULL,
    CONSTRAINT interaction_end_after_start CHECK (end_timestamp > start_timestamp)
) PARTITION BY RANGE (interaction_id);
-- No index on start_timestamp across days: per-date work (checks, summaries) reads
-- one day's partition whole, found by its start_timestamp CHECK. The seed's queries
-- aggregate whole tables, and per-customer / per-agent lookups are served by the
-- analytics tables: more indexes here would slow every daily load for little gain.

-- Rows outside any loaded day: hand-written INSERTs, the psql size files, upgraded data.
-- Keep it small: attaching a day scans it for rows of that day. Rows of many dates mix
-- here, so it alone gets an index on start_timestamp.
CREATE TABLE IF NOT EXISTS interaction_days.default_partition
    PARTITION OF customer_interactions DEFAULT;
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_inherits WHERE inhrelid = 'interaction_days.default_partition'::regclass) THEN
        ALTER TABLE customer_interactions ATTACH PARTITION interaction_days.default_partition DEFAULT;
    END IF;
END $$;
CREATE INDEX IF NOT EXISTS default_partition_start
    ON interaction_days.default_partition (start_timestamp);

-- The first interaction_id of a day: yyyymmdd * 10^9. Plain arithmetic on the date, so
-- with a constant day the planner computes it once and prunes partitions by it.
CREATE OR REPLACE FUNCTION interaction_days.first_id(day date) RETURNS bigint
LANGUAGE sql IMMUTABLE AS $$
    SELECT (extract(year FROM day) * 10000 + extract(month FROM day) * 100 + extract(day FROM day))::bigint
           * 1000000000
$$;

-- The id range [first_id, stop_id) and the table names of a day.
CREATE OR REPLACE FUNCTION interaction_days.day_names(
    day date, OUT first_id bigint, OUT stop_id bigint, OUT partition_name text, OUT pending_name text
) LANGUAGE sql IMMUTABLE AS $$
    SELECT interaction_days.first_id(day),
           interaction_days.first_id(day) + 1000000000,
           'd' || to_char(day, 'YYYYMMDD'),
           'd' || to_char(day, 'YYYYMMDD') || '_pending'
$$;

-- What a day's new table is made LIKE: the fact table's columns, defaults and CHECKs,
-- no index, no foreign key. Not the fact table itself: LIKE would hold a lock on it
-- for the whole load, and two loads swapping at once would deadlock.
CREATE TABLE IF NOT EXISTS interaction_days.template
    (LIKE customer_interactions INCLUDING DEFAULTS INCLUDING CONSTRAINTS);

-- An empty table for a day's rows, created in the load's transaction (so COPY may write
-- its rows frozen), with the id and time ranges of the day (so ATTACH need not scan it
-- to prove them). Returns its qualified name.
CREATE OR REPLACE FUNCTION interaction_days.create_pending(day date) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    d record := interaction_days.day_names(day);
BEGIN
    EXECUTE format(
        'CREATE TABLE interaction_days.%I (LIKE interaction_days.template INCLUDING DEFAULTS '
        'INCLUDING CONSTRAINTS, CONSTRAINT %I CHECK (interaction_id >= %s AND interaction_id < %s), '
        'CONSTRAINT %I CHECK (start_timestamp >= %L AND start_timestamp < %L))',
        d.pending_name, d.partition_name || '_ids', d.first_id, d.stop_id,
        d.partition_name || '_starts', day::timestamp AT TIME ZONE 'UTC',
        (day + 1)::timestamp AT TIME ZONE 'UTC');
    RETURN format('interaction_days.%I', d.pending_name);
END $$;

-- Once the rows are in: index the pending table, then swap it in, in the caller's
-- transaction. The primary key is built once, by sorting (far cheaper than index upkeep
-- per row); ATTACH checks the foreign keys, one pass per key over the new rows. Readers
-- of customer_interactions wait only for the swap, from the lock to the commit.
CREATE OR REPLACE FUNCTION interaction_days.publish(day date) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    d record := interaction_days.day_names(day);
BEGIN
    -- Enough memory to sort a big day in one pass (settings last until the caller commits).
    PERFORM set_config('maintenance_work_mem', '256MB', true);
    EXECUTE format('ALTER TABLE interaction_days.%I ADD CONSTRAINT %I PRIMARY KEY (interaction_id)',
                   d.pending_name, d.pending_name || '_pkey');
    -- Statistics for the checks and summaries that read the day next. A small sample is
    -- plenty for one day's distributions and costs a tenth of the default one.
    PERFORM set_config('default_statistics_target', '10', true);
    EXECUTE format('ANALYZE interaction_days.%I', d.pending_name);

    -- The strongest lock first: two swaps then queue here instead of deadlocking.
    LOCK TABLE ONLY public.customer_interactions IN ACCESS EXCLUSIVE MODE;
    DELETE FROM interaction_days.default_partition
    WHERE (start_timestamp >= day::timestamp AT TIME ZONE 'UTC'
           AND start_timestamp < (day + 1)::timestamp AT TIME ZONE 'UTC')
       OR (interaction_id >= d.first_id AND interaction_id < d.stop_id);
    EXECUTE format('DROP TABLE IF EXISTS interaction_days.%I', d.partition_name);
    EXECUTE format('ALTER TABLE interaction_days.%I RENAME TO %I', d.pending_name, d.partition_name);
    EXECUTE format('ALTER INDEX interaction_days.%I RENAME TO %I',
                   d.pending_name || '_pkey', d.partition_name || '_pkey');
    EXECUTE format('ALTER TABLE public.customer_interactions ATTACH PARTITION interaction_days.%I '
                   'FOR VALUES FROM (%s) TO (%s)', d.partition_name, d.first_id, d.stop_id);
END $$;

-- The interactions of one UTC day: those carrying the day's ids (so the planner reads
-- that day's partition alone, however many days there are) and starting on that day.
-- A plain SQL function, inlined by the planner: use it like a table.
CREATE OR REPLACE FUNCTION interaction_days.of_day(day date) RETURNS SETOF customer_interactions
LANGUAGE sql STABLE AS $$
    SELECT *
    FROM public.customer_interactions
    WHERE interaction_id >= interaction_days.first_id(day)
      AND interaction_id < interaction_days.first_id(day) + 1000000000
      AND start_timestamp >= day::timestamp AT TIME ZONE 'UTC'
      AND start_timestamp < (day + 1)::timestamp AT TIME ZONE 'UTC'
$$;

-- Sharded days: each shard writes its blocks here, then one transaction swaps the whole
-- day into customer_interactions. Unlogged: after a crash the shards are simply re-run.
CREATE UNLOGGED TABLE IF NOT EXISTS customer_interactions_staging
    (LIKE customer_interactions INCLUDING DEFAULTS);
CREATE UNIQUE INDEX IF NOT EXISTS customer_interactions_staging_id
    ON customer_interactions_staging (interaction_id);

-- ---------------------------------------------------------------- pipeline bookkeeping
-- One row per loaded day: what was asked, so checks and audits can compare.
CREATE TABLE IF NOT EXISTS interaction_batches (
    batch_date             date        PRIMARY KEY,
    interactions_requested integer     NOT NULL CHECK (interactions_requested > 0),
    base_seed              bigint      NOT NULL,
    loaded_at              timestamptz NOT NULL DEFAULT now()
);

-- The ledger of planted events (include/generator/config.py: PLANTED_EVENTS): what the
-- generator put into the data on purpose, with its dates, scope and intended effect, so an
-- analyst can tell a planted outage from noise. Written by each day's load for the events
-- in force that day; an event is a pure function of (base_seed, start date).
CREATE TABLE IF NOT EXISTS planted_events (
    event_id          bigint      PRIMARY KEY,  -- start date's ordinal * 10 + kind
    base_seed         bigint      NOT NULL,
    event_type        text        NOT NULL
        CHECK (event_type IN ('Network outage', 'Promotion', 'Price change')),
    start_date        date        NOT NULL,
    end_date          date        NOT NULL,
    scope             text        NOT NULL,  -- 'National' or 'Census division: <name>'
    affected_states   text[]      NOT NULL,  -- empty when national
    affected_interaction_types text[] NOT NULL,
    volume_lift       jsonb       NOT NULL,  -- interaction code -> multiplier
    wait_multiplier   numeric     NOT NULL,
    csat_effect       numeric     NOT NULL,
    intended_effect   text        NOT NULL,
    CONSTRAINT planted_event_dates_ordered CHECK (end_date >= start_date)
);

-- How far the customer base and plan history have been materialized, and with what.
CREATE TABLE IF NOT EXISTS customer_base_state (
    singleton             boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    base_seed             bigint  NOT NULL,
    new_customers_per_day integer NOT NULL,
    materialized_through  date    NOT NULL
);

-- ---------------------------------------------------------------- analytics layer
CREATE SCHEMA IF NOT EXISTS analytics;

-- Sums and counts sit beside every average so that any date range rolls up exactly.
CREATE TABLE IF NOT EXISTS analytics.daily_channel_summary (
    summary_date             date      NOT NULL,
    channel_id               smallint  NOT NULL REFERENCES channels (channel_id),
    interaction_count        integer   NOT NULL,
    avg_satisfaction         numeric,
    avg_duration_seconds     numeric,
    median_duration_seconds  numeric,
    p90_duration_seconds     numeric,
    avg_queue_time_seconds   numeric,
    survey_responses         integer   NOT NULL,
    satisfaction_sum         bigint    NOT NULL,
    duration_count           integer   NOT NULL,
    duration_sum             bigint    NOT NULL,
    csat_pct                 numeric,
    survey_response_rate     numeric   NOT NULL,
    first_contact_resolution_rate numeric NOT NULL,
    escalation_rate          numeric   NOT NULL,
    repeat_contact_rate      numeric   NOT NULL,
    resolved_count           integer   NOT NULL,
    pending_count            integer   NOT NULL,
    escalated_count          integer   NOT NULL,
    cancelled_count          integer   NOT NULL,
    PRIMARY KEY (summary_date, channel_id)
);

CREATE TABLE IF NOT EXISTS analytics.daily_interaction_type_summary (
    summary_date             date      NOT NULL,
    interaction_type_id      smallint  NOT NULL REFERENCES interaction_types (interaction_type_id),
    interaction_count        integer   NOT NULL,
    avg_duration_seconds     numeric,
    median_duration_seconds  numeric,
    p90_duration_seconds     numeric,
    avg_satisfaction         numeric,
    survey_responses         integer   NOT NULL,
    satisfaction_sum         bigint    NOT NULL,
    duration_count           integer   NOT NULL,
    duration_sum             bigint    NOT NULL,
    csat_pct                 numeric,
    first_contact_resolution_rate numeric NOT NULL,
    escalation_rate          numeric   NOT NULL,
    repeat_contact_rate      numeric   NOT NULL,
    PRIMARY KEY (summary_date, interaction_type_id)
);

CREATE TABLE IF NOT EXISTS analytics.daily_agent_performance (
    summary_date             date      NOT NULL,
    agent_id                 integer   NOT NULL REFERENCES agents (agent_id),
    interactions_handled     integer   NOT NULL,
    avg_satisfaction         numeric,
    avg_duration_seconds     numeric,
    survey_responses         integer   NOT NULL,
    satisfaction_sum         bigint    NOT NULL,
    duration_count           integer   NOT NULL,
    duration_sum             bigint    NOT NULL,
    csat_pct                 numeric,
    first_contact_resolution_rate numeric NOT NULL,
    escalation_rate          numeric   NOT NULL,
    resolved_count           integer   NOT NULL,
    PRIMARY KEY (summary_date, agent_id)
);

CREATE TABLE IF NOT EXISTS analytics.daily_service_plan_summary (
    summary_date             date      NOT NULL,
    service_plan_id          smallint  NOT NULL REFERENCES service_plans (service_plan_id),
    active_customers         integer   NOT NULL,
    interaction_count        integer   NOT NULL,
    avg_satisfaction         numeric,
    survey_responses         integer   NOT NULL,
    satisfaction_sum         bigint    NOT NULL,
    contacts_per_100_customers numeric,
    PRIMARY KEY (summary_date, service_plan_id)
);

-- Per customer and day: the increments that keep customer_summary incremental.
CREATE TABLE IF NOT EXISTS analytics.daily_customer_activity (
    summary_date        date        NOT NULL,
    customer_id         bigint      NOT NULL REFERENCES customers (customer_id),
    interaction_count   integer     NOT NULL,
    survey_responses    integer     NOT NULL,
    satisfaction_sum    bigint      NOT NULL,
    first_interaction_at timestamptz NOT NULL,
    last_interaction_at timestamptz NOT NULL,
    PRIMARY KEY (summary_date, customer_id)
);
CREATE INDEX IF NOT EXISTS daily_customer_activity_customer
    ON analytics.daily_customer_activity (customer_id, summary_date);

-- Lifetime, per customer.
CREATE TABLE IF NOT EXISTS analytics.customer_summary (
    customer_id          bigint      PRIMARY KEY REFERENCES customers (customer_id),
    total_interactions   integer     NOT NULL,
    avg_satisfaction     numeric,
    survey_responses     integer     NOT NULL,
    satisfaction_sum     bigint      NOT NULL,
    active_days          integer     NOT NULL,
    first_interaction_at timestamptz NOT NULL,
    last_interaction_at  timestamptz NOT NULL
);

COMMIT;
