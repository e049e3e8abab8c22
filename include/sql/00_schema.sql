-- Customer Care Analytics: schema for the 7-table model plus the analytics layer.
--
-- Idempotent: every object is created only if missing and no row is ever dropped, so
-- re-running it on a database with data is a no-op. Databases of earlier releases are
-- upgraded in place: an unpartitioned fact table becomes the default partition, day
-- partitions by interaction_id move under the parent by start_timestamp (rows and all),
-- and analytics tables that stored ratios get counts instead (see "analytics upgrade";
-- the ratios are computed on read). Runs with plain psql:
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
-- Was each of a day's contacts' customers active that day? (the audit of every loaded day,
-- checks/pending_day.sql): answered from the index alone, without a heap page per contact
-- (20,000 contacts among 2 million customers: 0.14-0.28 s a day instead of 0.8 s).
CREATE INDEX IF NOT EXISTS customers_active_span
    ON customers (customer_id) INCLUDE (registration_date, churn_date);
-- Index-only lookups need the visibility map current: vacuum after 1 % of the rows changed
-- (a day's sign-ups and churns), not the default 20 % (months at 20,000 contacts a day).
ALTER TABLE customers SET (autovacuum_vacuum_scale_factor = 0.01, autovacuum_vacuum_insert_scale_factor = 0.01);

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
-- A customer's plans (analytics: the plan in force of each of a day's contacts): the base
-- holds millions of customers at 20,000 contacts a day.
CREATE INDEX IF NOT EXISTS customer_service_plans_customer
    ON customer_service_plans (customer_id, start_date) INCLUDE (service_plan_id, end_date);
-- (index-only too: vacuumed as customers are, above)
ALTER TABLE customer_service_plans SET (
    autovacuum_vacuum_scale_factor = 0.01, autovacuum_vacuum_insert_scale_factor = 0.01
);

-- ---------------------------------------------------------------- the fact table
-- Partitioned by the UTC day of start_timestamp: each loaded day is one partition,
-- interaction_days.dYYYYMMDD. A time window therefore reads only its days, whether its
-- bounds are literals (pruned while planning) or date arithmetic, now(), current_date or
-- a subquery (pruned when the query starts: EXPLAIN shows "Subplans Removed: N").
-- Interaction ids carry their day too (yyyymmdd * 10^9 + position): each day partition
-- CHECKs its id range, so a lookup by interaction_id plans that one day. A load fills a
-- fresh table with no index, builds the day's indexes once (a sort is far cheaper than
-- index upkeep per row), then swaps it in: see interaction_days.publish below. A closed
-- month becomes one partition, interaction_days.mYYYYMM (merge_month below), so years of
-- history stay a few dozen partitions.
CREATE SCHEMA IF NOT EXISTS interaction_days;

-- Upgrade from the unpartitioned table of the first releases: it becomes the default
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

-- Upgrade from the day partitions of the previous release, partitioned by interaction_id:
-- that parent steps aside here, and its partitions (rows, primary keys and foreign keys
-- untouched) move under the new parent below; only the new indexes are built.
DO $$
BEGIN
    IF EXISTS (SELECT FROM pg_partitioned_table AS p
               JOIN pg_attribute AS a ON a.attrelid = p.partrelid AND a.attnum = p.partattrs[0]
               WHERE p.partrelid = to_regclass('public.customer_interactions') AND a.attname = 'interaction_id') THEN
        -- Returns that table's row type: recreated below for the new parent.
        DROP FUNCTION IF EXISTS interaction_days.of_day(date);
        ALTER TABLE public.customer_interactions
            RENAME CONSTRAINT customer_interactions_pkey TO days_by_id_pkey;
        ALTER TABLE public.customer_interactions RENAME TO days_by_id;
        ALTER TABLE public.days_by_id SET SCHEMA interaction_days;
    END IF;
END $$;

CREATE TABLE IF NOT EXISTS customer_interactions (
    -- yyyymmdd * 10^9 + position: stable, unique and readable without a sequence. Unique
    -- through each partition's primary key (a key on the parent would have to include
    -- start_timestamp) and the CHECK that ties a day partition's ids to its day.
    interaction_id           bigint      NOT NULL,
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
) PARTITION BY RANGE (start_timestamp);

-- The seed's six indexes, per partition (each built once by the load, by sorting):
--   interaction_id      -> each partition's primary key; its id-range CHECK also lets a
--                          lookup by id plan one partition
--   customer_id         -> (customer_id, start_timestamp): a customer's history, newest first
--   session_id          -> (session_id)
--   start_timestamp     -> the partition key (a window reads only its days) and, within a
--                          partition, (start_timestamp): an hour, max()/min(), newest first
--   agent_id            -> no index of its own: an agent's contacts are asked for a day or a
--                          week, which the partitions and the start_timestamp index narrow to
--                          one day's rows; per-agent totals over any range are in
--                          analytics.daily_agent_performance. Measured on a 1M-row day, a
--                          btree on it cost 15% of the load for ~1 ms on such a query.
--   channel_id,         -> none: 8 and 12 values, so a btree would still read an eighth of
--   interaction_type_id    a day; windows by channel or type read their days' partitions
--                          (and the analytics tables hold per-day counts).
CREATE INDEX IF NOT EXISTS customer_interactions_customer ON customer_interactions (customer_id, start_timestamp);
CREATE INDEX IF NOT EXISTS customer_interactions_session ON customer_interactions (session_id);
CREATE INDEX IF NOT EXISTS customer_interactions_start ON customer_interactions (start_timestamp);

-- Rows outside any loaded day: hand-written INSERTs, the psql size files, upgraded data.
-- Keep it small: attaching a day scans it for rows of that day.
DO $$
BEGIN
    IF to_regclass('interaction_days.days_by_id') IS NOT NULL
       AND EXISTS (SELECT FROM pg_inherits WHERE inhrelid = to_regclass('interaction_days.default_partition')
                   AND inhparent = to_regclass('interaction_days.days_by_id')) THEN
        ALTER TABLE interaction_days.days_by_id DETACH PARTITION interaction_days.default_partition;
    END IF;
END $$;
CREATE TABLE IF NOT EXISTS interaction_days.default_partition
    PARTITION OF customer_interactions DEFAULT;
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_inherits WHERE inhrelid = 'interaction_days.default_partition'::regclass) THEN
        ALTER TABLE customer_interactions ATTACH PARTITION interaction_days.default_partition DEFAULT;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_constraint
                   WHERE conrelid = 'interaction_days.default_partition'::regclass AND contype = 'p') THEN
        ALTER TABLE interaction_days.default_partition
            ADD CONSTRAINT default_partition_pkey PRIMARY KEY (interaction_id);
    END IF;
END $$;

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
-- to prove them, and lookups by id plan one day). Returns its qualified name.
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

-- A day partition's indexes: its primary key, then one per index of customer_interactions
-- (same method and columns, named dYYYYMMDD_<the parent's name without customer_interactions_>).
CREATE OR REPLACE FUNCTION interaction_days.day_indexes(table_name text)
RETURNS TABLE (index_name text, definition text)
LANGUAGE sql STABLE AS $$
    SELECT table_name || '_pkey', 'PRIMARY KEY (interaction_id)'
    UNION ALL
    SELECT table_name || '_' || regexp_replace(c.relname, '^customer_interactions_', ''),
           substring(pg_get_indexdef(i.indexrelid) FROM ' USING (.*)$')
    FROM pg_index AS i JOIN pg_class AS c ON c.oid = i.indexrelid
    WHERE i.indrelid = 'public.customer_interactions'::regclass
$$;

-- Build a pending table's indexes (see day_indexes), and give them their final names.
CREATE OR REPLACE FUNCTION interaction_days.build_indexes(table_name text) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    ix record;
BEGIN
    -- Enough memory to sort a big day in one pass (settings last until the caller commits).
    PERFORM set_config('maintenance_work_mem', '256MB', true);
    FOR ix IN SELECT * FROM interaction_days.day_indexes(table_name) LOOP
        IF ix.definition LIKE 'PRIMARY KEY%' THEN
            EXECUTE format('ALTER TABLE interaction_days.%I ADD CONSTRAINT %I %s',
                           table_name, ix.index_name, ix.definition);
        ELSE
            EXECUTE format('CREATE INDEX %I ON interaction_days.%I USING %s', ix.index_name, table_name, ix.definition);
        END IF;
    END LOOP;
    -- Statistics for the checks and summaries that read the day next. A small sample is
    -- plenty for one day's distributions and costs a tenth of the default one.
    PERFORM set_config('default_statistics_target', '10', true);
    EXECUTE format('ANALYZE interaction_days.%I', table_name);
END $$;

CREATE OR REPLACE FUNCTION interaction_days.rename_table(old_name text, new_name text) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    ix record;
BEGIN
    EXECUTE format('ALTER TABLE interaction_days.%I RENAME TO %I', old_name, new_name);
    FOR ix IN SELECT * FROM interaction_days.day_indexes(old_name) LOOP
        EXECUTE format('ALTER INDEX interaction_days.%I RENAME TO %I', ix.index_name,
                       new_name || substr(ix.index_name, length(old_name) + 1));
    END LOOP;
END $$;

-- Closed history in months. Every partition costs each query that is not pruned while
-- planning (a lookup by customer, session or agent, a window relative to now()) some
-- planning and an index probe, so a month whose days are all loaded and which ended
-- before today (UTC) becomes one partition, interaction_days.mYYYYMM, with the same
-- indexes: a year of history is 12 partitions plus the current month's days. Its rows
-- are copied once, when its last day is loaded (in that load's transaction); a later
-- re-run of one of its days replaces that day's rows inside the month (publish).
-- Returns whether it merged.
CREATE OR REPLACE FUNCTION interaction_days.merge_month(day date) RETURNS boolean
LANGUAGE plpgsql AS $$
DECLARE
    first date := date_trunc('month', day)::date;
    stop date := (date_trunc('month', day) + interval '1 month')::date;
    month_name text := 'm' || to_char(day, 'YYYYMM');
    pending text := 'm' || to_char(day, 'YYYYMM') || '_pending';
    lower timestamptz := first::timestamp AT TIME ZONE 'UTC';
    upper timestamptz := stop::timestamp AT TIME ZONE 'UTC';
    days text[];
BEGIN
    SELECT array_agg('d' || to_char(g.d, 'YYYYMMDD')) INTO days
    FROM generate_series(first, stop - 1, interval '1 day') AS g (d)
    WHERE to_regclass(format('interaction_days.%I', 'd' || to_char(g.d, 'YYYYMMDD'))) IS NOT NULL;
    IF stop > (now() AT TIME ZONE 'UTC')::date
       OR coalesce(cardinality(days), 0) < stop - first
       OR to_regclass(format('interaction_days.%I', month_name)) IS NOT NULL
       OR EXISTS (SELECT FROM interaction_days.default_partition
                  WHERE start_timestamp >= lower AND start_timestamp < upper) THEN
        RETURN false;
    END IF;
    EXECUTE format(
        'CREATE TABLE interaction_days.%I (LIKE interaction_days.template INCLUDING DEFAULTS '
        'INCLUDING CONSTRAINTS, CONSTRAINT %I CHECK (interaction_id >= %s AND interaction_id < %s), '
        'CONSTRAINT %I CHECK (start_timestamp >= %L AND start_timestamp < %L))',
        pending, month_name || '_ids', interaction_days.first_id(first),
        interaction_days.first_id(stop - 1) + 1000000000, month_name || '_starts', lower, upper);
    -- Day after day (partitions are read in the order of their bounds): rows stay in time order.
    EXECUTE format('INSERT INTO interaction_days.%I SELECT * FROM public.customer_interactions '
                   'WHERE start_timestamp >= %L AND start_timestamp < %L', pending, lower, upper);
    PERFORM interaction_days.build_indexes(pending);
    LOCK TABLE ONLY public.customer_interactions IN ACCESS EXCLUSIVE MODE;
    EXECUTE (SELECT string_agg(format('DROP TABLE interaction_days.%I;', d), ' ') FROM unnest(days) AS d);
    PERFORM interaction_days.rename_table(pending, month_name);
    EXECUTE format('ALTER TABLE public.customer_interactions ATTACH PARTITION interaction_days.%I '
                   'FOR VALUES FROM (%L) TO (%L)', month_name, lower, upper);
    RETURN true;
END $$;

-- Every closed, complete month that is still in days (the upgrade calls it once).
CREATE OR REPLACE FUNCTION interaction_days.merge_closed_months() RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    month date;
    merged integer := 0;
BEGIN
    FOR month IN
        SELECT DISTINCT date_trunc('month', to_date(substr(c.relname, 2, 8), 'YYYYMMDD'))::date
        FROM pg_inherits AS i JOIN pg_class AS c ON c.oid = i.inhrelid
        WHERE i.inhparent = 'public.customer_interactions'::regclass AND c.relname ~ '^d\d{8}$'
        ORDER BY 1
    LOOP
        merged := merged + interaction_days.merge_month(month)::integer;
    END LOOP;
    RETURN merged;
END $$;

-- Once the rows are in: index the pending table, then swap it in, in the caller's
-- transaction. Each index is built once, by sorting (far cheaper than index upkeep per
-- row), and ATTACH adopts them as the partitions of the parent's indexes, building
-- nothing; it checks the foreign keys, one pass per key over the new rows. Readers of
-- customer_interactions wait only for the swap, from the lock to the commit. A day of a
-- merged month instead replaces its rows inside the month partition (row by row: a
-- re-run of old history, not the daily path).
CREATE OR REPLACE FUNCTION interaction_days.publish(day date) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    d record := interaction_days.day_names(day);
    month_name text := 'm' || to_char(day, 'YYYYMM');
    lower timestamptz := day::timestamp AT TIME ZONE 'UTC';
    upper timestamptz := (day + 1)::timestamp AT TIME ZONE 'UTC';
BEGIN
    IF to_regclass(format('interaction_days.%I', month_name)) IS NULL THEN
        PERFORM interaction_days.build_indexes(d.pending_name);
    END IF;

    -- The strongest lock first: two swaps then queue here instead of deadlocking.
    LOCK TABLE ONLY public.customer_interactions IN ACCESS EXCLUSIVE MODE;
    DELETE FROM interaction_days.default_partition
    WHERE (start_timestamp >= lower AND start_timestamp < upper)
       OR (interaction_id >= d.first_id AND interaction_id < d.stop_id);
    IF to_regclass(format('interaction_days.%I', month_name)) IS NOT NULL THEN
        EXECUTE format('DELETE FROM interaction_days.%I WHERE (start_timestamp >= %L AND start_timestamp < %L) '
                       'OR (interaction_id >= %s AND interaction_id < %s)',
                       month_name, lower, upper, d.first_id, d.stop_id);
        EXECUTE format('INSERT INTO interaction_days.%I SELECT * FROM interaction_days.%I',
                       month_name, d.pending_name);
        EXECUTE format('DROP TABLE interaction_days.%I', d.pending_name);
        RETURN;
    END IF;
    EXECUTE format('DROP TABLE IF EXISTS interaction_days.%I', d.partition_name);
    PERFORM interaction_days.rename_table(d.pending_name, d.partition_name);
    EXECUTE format('ALTER TABLE public.customer_interactions ATTACH PARTITION interaction_days.%I '
                   'FOR VALUES FROM (%L) TO (%L)', d.partition_name, lower, upper);
    PERFORM interaction_days.merge_month(day);
END $$;

-- The interactions of one UTC day: those starting on that day (so the planner reads that
-- day's partition alone, however many days there are) and carrying the day's ids.
-- A plain SQL function, inlined by the planner: use it like a table.
CREATE OR REPLACE FUNCTION interaction_days.of_day(day date) RETURNS SETOF customer_interactions
LANGUAGE sql STABLE AS $$
    SELECT *
    FROM public.customer_interactions
    WHERE start_timestamp >= day::timestamp AT TIME ZONE 'UTC'
      AND start_timestamp < (day + 1)::timestamp AT TIME ZONE 'UTC'
      AND interaction_id >= interaction_days.first_id(day)
      AND interaction_id < interaction_days.first_id(day) + 1000000000
$$;

-- Upgrade, second step: the previous release's day partitions join the new parent, each
-- for its day. Their start_timestamp CHECK proves the bound, so no row is read; each gets
-- the indexes above, built once. Then the empty old parent goes, and closed months merge.
DO $$
DECLARE
    part record;
BEGIN
    IF to_regclass('interaction_days.days_by_id') IS NULL THEN
        RETURN;
    END IF;
    FOR part IN
        SELECT c.oid::regclass AS name, to_date(substr(c.relname, 2, 8), 'YYYYMMDD') AS day
        FROM pg_inherits AS i JOIN pg_class AS c ON c.oid = i.inhrelid
        WHERE i.inhparent = 'interaction_days.days_by_id'::regclass
        ORDER BY c.relname
    LOOP
        IF part.name::text !~ '^interaction_days\.d\d{8}$' THEN
            RAISE EXCEPTION 'cannot upgrade: unexpected partition % of customer_interactions', part.name;
        END IF;
        EXECUTE format('ALTER TABLE interaction_days.days_by_id DETACH PARTITION %s', part.name);
        EXECUTE format('ALTER TABLE public.customer_interactions ATTACH PARTITION %s FOR VALUES FROM (%L) TO (%L)',
                       part.name, part.day::timestamp AT TIME ZONE 'UTC', (part.day + 1)::timestamp AT TIME ZONE 'UTC');
    END LOOP;
    DROP TABLE interaction_days.days_by_id;
    -- Closed months become one partition each, as loads would have left them.
    PERFORM interaction_days.merge_closed_months();
END $$;

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

-- ---------------------------------------------------------------- workforce
-- The contact center's queues, routing, roster and shifts (include/generator/workforce.py).
-- The pipeline writes them from the generator's parameters (include/generator/config.py:
-- SERVICE_GROUPS): that file is their one source, these tables let SQL join them.
-- A queue is a department (which owns contact types) times a service group (Voice, Messaging,
-- Store); agents of a queue hold `concurrency` live contacts at once, and the workforce plan
-- staffs each queue for its service-level target (Erlang C).
CREATE TABLE IF NOT EXISTS service_queues (
    queue_id       smallint PRIMARY KEY,
    department     text     NOT NULL,
    service_group  text     NOT NULL,
    concurrency    smallint NOT NULL CHECK (concurrency >= 1),
    target_share   numeric  NOT NULL,  -- service level: this share answered ...
    target_seconds integer  NOT NULL,  -- ... within this many seconds
    UNIQUE (department, service_group)
);

-- Which queue serves a contact of a type on a channel. is_live: the contact holds an agent's
-- seat (voice, chat, store); otherwise it is an asynchronous message (email, social, SMS)
-- that an agent of the queue on shift answers. On a live channel, a contact with no agent is
-- a bot session (not Cancelled) or a contact abandoned in the queue (Cancelled, no handle time).
CREATE TABLE IF NOT EXISTS contact_routing (
    interaction_type_id smallint NOT NULL REFERENCES interaction_types (interaction_type_id),
    channel_id          smallint NOT NULL REFERENCES channels (channel_id),
    queue_id            smallint NOT NULL REFERENCES service_queues (queue_id),
    is_live             boolean  NOT NULL,
    PRIMARY KEY (interaction_type_id, channel_id)
);

-- Each day's shifts (a shift belongs to one UTC day, the batch unit): replaced with the day.
-- An agent answers live contacts only between shift_start and shift_end, outside the break.
CREATE TABLE IF NOT EXISTS agent_shifts (
    shift_date  date        NOT NULL,
    agent_id    integer     NOT NULL REFERENCES agents (agent_id),
    queue_id    smallint    NOT NULL REFERENCES service_queues (queue_id),
    shift_start timestamptz NOT NULL,
    shift_end   timestamptz NOT NULL,
    break_start timestamptz,  -- NULL: no break (part-time shift)
    break_end   timestamptz,
    PRIMARY KEY (shift_date, agent_id),
    CONSTRAINT agent_shift_ordered CHECK (shift_end > shift_start)
);
CREATE INDEX IF NOT EXISTS agent_shifts_agent ON agent_shifts (agent_id, shift_date);

-- How far the roster of each (seed, volume) has been materialized into agents.
CREATE TABLE IF NOT EXISTS workforce_state (
    base_seed            bigint  NOT NULL,
    interactions_per_day integer NOT NULL,
    materialized_through date    NOT NULL,
    PRIMARY KEY (base_seed, interactions_per_day)
);

-- ---------------------------------------------------------------- analytics layer
-- The tables store per-day sums and counts, never a ratio: every average, percentage and
-- rate is computed on read by the analytics.*_kpis functions further down, from counts
-- summed over the asked date range, so a week's CSAT % is exactly the CSAT % of that
-- week's interactions. Medians and p90s are kept per day only: they do not add up.
-- Counts that an upgrade adds come last, in the order it appends them, so an upgraded
-- table and a fresh one are alike column for column.
CREATE SCHEMA IF NOT EXISTS analytics;

-- Customers on each plan on any day, without scanning every plan (millions at 20,000
-- contacts a day): +1 on a plan's start date, -1 on the day after its end date, kept by
-- statement triggers on customer_service_plans whoever writes it (the pipeline, the size
-- files, a hand edit). Customers on plan P on day D = sum(delta) over change_date <= D.
CREATE TABLE IF NOT EXISTS analytics.plan_population_changes (
    service_plan_id smallint NOT NULL,
    change_date     date     NOT NULL,
    delta           bigint   NOT NULL,
    PRIMARY KEY (service_plan_id, change_date)
);

-- Count every plan again: an existing database once, and after a bulk load that writes
-- the plans with the triggers off (include/storage/customers.py: one pass instead of an
-- upsert per chunk, which left the table 40 times its size in dead rows).
CREATE OR REPLACE FUNCTION analytics.recount_plan_population() RETURNS void
LANGUAGE sql AS $$
    TRUNCATE analytics.plan_population_changes;
    INSERT INTO analytics.plan_population_changes
    SELECT service_plan_id, change_date, sum(delta)
    FROM (
        SELECT service_plan_id, start_date AS change_date, 1 AS delta FROM customer_service_plans
        UNION ALL
        SELECT service_plan_id, end_date + 1, -1 FROM customer_service_plans WHERE end_date IS NOT NULL
    ) AS changes
    GROUP BY 1, 2;
$$;

DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_trigger WHERE tgname = 'plan_population_insert') THEN
        PERFORM analytics.recount_plan_population();
    END IF;
END
$$;

-- The rows a statement added (sign +1) or removed (sign -1), as transition table changed_plans.
CREATE OR REPLACE FUNCTION analytics.plan_population_moved() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO analytics.plan_population_changes AS p (service_plan_id, change_date, delta)
    SELECT service_plan_id, change_date, TG_ARGV[0]::int * sum(delta)
    FROM (
        SELECT service_plan_id, start_date AS change_date, 1 AS delta FROM changed_plans
        UNION ALL
        SELECT service_plan_id, end_date + 1, -1 FROM changed_plans WHERE end_date IS NOT NULL
    ) AS changes
    GROUP BY 1, 2
    ON CONFLICT (service_plan_id, change_date) DO UPDATE SET delta = p.delta + EXCLUDED.delta;
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION analytics.plan_population_emptied() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    TRUNCATE analytics.plan_population_changes;
    RETURN NULL;
END
$$;

CREATE OR REPLACE TRIGGER plan_population_insert AFTER INSERT ON customer_service_plans
    REFERENCING NEW TABLE AS changed_plans FOR EACH STATEMENT EXECUTE FUNCTION analytics.plan_population_moved('1');
-- An update counts as the old rows removed, then the new rows added (two triggers, in name order).
CREATE OR REPLACE TRIGGER plan_population_update_1_old AFTER UPDATE ON customer_service_plans
    REFERENCING OLD TABLE AS changed_plans FOR EACH STATEMENT EXECUTE FUNCTION analytics.plan_population_moved('-1');
CREATE OR REPLACE TRIGGER plan_population_update_2_new AFTER UPDATE ON customer_service_plans
    REFERENCING NEW TABLE AS changed_plans FOR EACH STATEMENT EXECUTE FUNCTION analytics.plan_population_moved('1');
CREATE OR REPLACE TRIGGER plan_population_delete AFTER DELETE ON customer_service_plans
    REFERENCING OLD TABLE AS changed_plans FOR EACH STATEMENT EXECUTE FUNCTION analytics.plan_population_moved('-1');
CREATE OR REPLACE TRIGGER plan_population_truncate AFTER TRUNCATE ON customer_service_plans
    FOR EACH STATEMENT EXECUTE FUNCTION analytics.plan_population_emptied();

CREATE TABLE IF NOT EXISTS analytics.daily_channel_summary (
    summary_date              date      NOT NULL,
    channel_id                smallint  NOT NULL REFERENCES channels (channel_id),
    interaction_count         integer   NOT NULL,
    median_duration_seconds   numeric,            -- per day only
    p90_duration_seconds      numeric,            -- per day only
    survey_responses          integer   NOT NULL, -- interactions with a CSAT answer
    satisfaction_sum          bigint    NOT NULL, -- sum of those answers (1-5)
    duration_count            integer   NOT NULL, -- interactions with a handle time
    duration_sum              bigint    NOT NULL, -- sum of those handle times, seconds
    resolved_count            integer   NOT NULL, -- resolution_status = 'Resolved'
    pending_count             integer   NOT NULL,
    escalated_count           integer   NOT NULL, -- resolution_status = 'Escalated'
    cancelled_count           integer   NOT NULL,
    queue_time_sum            bigint    NOT NULL, -- sum of queue_time_seconds
    csat_positive_count       integer   NOT NULL, -- CSAT answers of 4 or 5
    first_contact_resolutions integer   NOT NULL,
    escalations               integer   NOT NULL, -- is_escalated
    repeat_contacts           integer   NOT NULL,
    PRIMARY KEY (summary_date, channel_id)
);

CREATE TABLE IF NOT EXISTS analytics.daily_interaction_type_summary (
    summary_date              date      NOT NULL,
    interaction_type_id       smallint  NOT NULL REFERENCES interaction_types (interaction_type_id),
    interaction_count         integer   NOT NULL,
    median_duration_seconds   numeric,            -- per day only
    p90_duration_seconds      numeric,            -- per day only
    survey_responses          integer   NOT NULL,
    satisfaction_sum          bigint    NOT NULL,
    duration_count            integer   NOT NULL,
    duration_sum              bigint    NOT NULL,
    csat_positive_count       integer   NOT NULL,
    first_contact_resolutions integer   NOT NULL,
    escalations               integer   NOT NULL,
    repeat_contacts           integer   NOT NULL,
    PRIMARY KEY (summary_date, interaction_type_id)
);

CREATE TABLE IF NOT EXISTS analytics.daily_agent_performance (
    summary_date              date      NOT NULL,
    agent_id                  integer   NOT NULL REFERENCES agents (agent_id),
    interactions_handled      integer   NOT NULL,
    survey_responses          integer   NOT NULL,
    satisfaction_sum          bigint    NOT NULL,
    duration_count            integer   NOT NULL,
    duration_sum              bigint    NOT NULL,
    resolved_count            integer   NOT NULL,
    csat_positive_count       integer   NOT NULL,
    first_contact_resolutions integer   NOT NULL,
    escalations               integer   NOT NULL,
    PRIMARY KEY (summary_date, agent_id)
);

-- Customers on each plan that day (a customer-day count once summed over days) and the
-- contacts they made.
CREATE TABLE IF NOT EXISTS analytics.daily_service_plan_summary (
    summary_date              date      NOT NULL,
    service_plan_id           smallint  NOT NULL REFERENCES service_plans (service_plan_id),
    active_customers          integer   NOT NULL,
    interaction_count         integer   NOT NULL,
    survey_responses          integer   NOT NULL,
    satisfaction_sum          bigint    NOT NULL,
    PRIMARY KEY (summary_date, service_plan_id)
);

-- Per customer and day: the increments that keep customer_summary incremental.
-- The two per-customer summaries carry no foreign key to customers: their rows come from
-- customer_interactions, whose key already holds, and check_published_day compares them
-- with it. At 20,000 contacts a day (two million customers) the per-row key checks cost a
-- third of a second a day.
CREATE TABLE IF NOT EXISTS analytics.daily_customer_activity (
    summary_date        date        NOT NULL,
    customer_id         bigint      NOT NULL,
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
    customer_id          bigint      PRIMARY KEY,
    total_interactions   integer     NOT NULL,
    survey_responses     integer     NOT NULL,
    satisfaction_sum     bigint      NOT NULL,
    active_days          integer     NOT NULL,
    first_interaction_at timestamptz NOT NULL,
    last_interaction_at  timestamptz NOT NULL
);

-- ---------------------------------------------------------------- analytics upgrade
-- Release 0.3 stored ratios (avg_*, csat_pct, *_rate, contacts_per_100_customers) beside
-- some of the counts. Upgrade in place: add the missing counts, fill them from the stored
-- ratios (exact: each ratio was count / denominator, computed in numeric to at least 16
-- significant digits, so round(ratio * denominator) gives the count back), then drop
-- the ratios, which the functions below compute. Rows the upgrade cannot vouch for can
-- always be recomputed from the facts: `cca summaries rebuild`. Each block runs only
-- while the old layout is there, so re-running this file changes nothing.
DO $$
BEGIN
    IF EXISTS (SELECT FROM information_schema.columns WHERE table_schema = 'analytics'
               AND table_name = 'daily_channel_summary' AND column_name = 'escalation_rate') THEN
        ALTER TABLE analytics.daily_channel_summary
            ADD COLUMN IF NOT EXISTS queue_time_sum            bigint  NOT NULL DEFAULT 0,
            ADD COLUMN IF NOT EXISTS csat_positive_count       integer NOT NULL DEFAULT 0,
            ADD COLUMN IF NOT EXISTS first_contact_resolutions integer NOT NULL DEFAULT 0,
            ADD COLUMN IF NOT EXISTS escalations               integer NOT NULL DEFAULT 0,
            ADD COLUMN IF NOT EXISTS repeat_contacts           integer NOT NULL DEFAULT 0;
        UPDATE analytics.daily_channel_summary SET
            queue_time_sum            = coalesce(round(avg_queue_time_seconds * interaction_count), 0),
            csat_positive_count       = coalesce(round(csat_pct * survey_responses / 100), 0),
            first_contact_resolutions = round(first_contact_resolution_rate * interaction_count),
            escalations               = round(escalation_rate * interaction_count),
            repeat_contacts           = round(repeat_contact_rate * interaction_count);
        ALTER TABLE analytics.daily_channel_summary
            DROP COLUMN avg_satisfaction,
            DROP COLUMN avg_duration_seconds,
            DROP COLUMN avg_queue_time_seconds,
            DROP COLUMN csat_pct,
            DROP COLUMN survey_response_rate,
            DROP COLUMN first_contact_resolution_rate,
            DROP COLUMN escalation_rate,
            DROP COLUMN repeat_contact_rate,
            ALTER COLUMN queue_time_sum DROP DEFAULT,
            ALTER COLUMN csat_positive_count DROP DEFAULT,
            ALTER COLUMN first_contact_resolutions DROP DEFAULT,
            ALTER COLUMN escalations DROP DEFAULT,
            ALTER COLUMN repeat_contacts DROP DEFAULT;
    END IF;

    IF EXISTS (SELECT FROM information_schema.columns WHERE table_schema = 'analytics'
               AND table_name = 'daily_interaction_type_summary' AND column_name = 'escalation_rate') THEN
        ALTER TABLE analytics.daily_interaction_type_summary
            ADD COLUMN IF NOT EXISTS csat_positive_count       integer NOT NULL DEFAULT 0,
            ADD COLUMN IF NOT EXISTS first_contact_resolutions integer NOT NULL DEFAULT 0,
            ADD COLUMN IF NOT EXISTS escalations               integer NOT NULL DEFAULT 0,
            ADD COLUMN IF NOT EXISTS repeat_contacts           integer NOT NULL DEFAULT 0;
        UPDATE analytics.daily_interaction_type_summary SET
            csat_positive_count       = coalesce(round(csat_pct * survey_responses / 100), 0),
            first_contact_resolutions = round(first_contact_resolution_rate * interaction_count),
            escalations               = round(escalation_rate * interaction_count),
            repeat_contacts           = round(repeat_contact_rate * interaction_count);
        ALTER TABLE analytics.daily_interaction_type_summary
            DROP COLUMN avg_duration_seconds,
            DROP COLUMN avg_satisfaction,
            DROP COLUMN csat_pct,
            DROP COLUMN first_contact_resolution_rate,
            DROP COLUMN escalation_rate,
            DROP COLUMN repeat_contact_rate,
            ALTER COLUMN csat_positive_count DROP DEFAULT,
            ALTER COLUMN first_contact_resolutions DROP DEFAULT,
            ALTER COLUMN escalations DROP DEFAULT,
            ALTER COLUMN repeat_contacts DROP DEFAULT;
    END IF;

    IF EXISTS (SELECT FROM information_schema.columns WHERE table_schema = 'analytics'
               AND table_name = 'daily_agent_performance' AND column_name = 'escalation_rate') THEN
        ALTER TABLE analytics.daily_agent_performance
            ADD COLUMN IF NOT EXISTS csat_positive_count       integer NOT NULL DEFAULT 0,
            ADD COLUMN IF NOT EXISTS first_contact_resolutions integer NOT NULL DEFAULT 0,
            ADD COLUMN IF NOT EXISTS escalations               integer NOT NULL DEFAULT 0;
        UPDATE analytics.daily_agent_performance SET
            csat_positive_count       = coalesce(round(csat_pct * survey_responses / 100), 0),
            first_contact_resolutions = round(first_contact_resolution_rate * interactions_handled),
            escalations               = round(escalation_rate * interactions_handled);
        ALTER TABLE analytics.daily_agent_performance
            DROP COLUMN avg_satisfaction,
            DROP COLUMN avg_duration_seconds,
            DROP COLUMN csat_pct,
            DROP COLUMN first_contact_resolution_rate,
            DROP COLUMN escalation_rate,
            ALTER COLUMN csat_positive_count DROP DEFAULT,
            ALTER COLUMN first_contact_resolutions DROP DEFAULT,
            ALTER COLUMN escalations DROP DEFAULT;
    END IF;
END $$;
-- Nothing to add here: the ratios were computed from counts the tables keep.
ALTER TABLE analytics.daily_service_plan_summary
    DROP COLUMN IF EXISTS avg_satisfaction,
    DROP COLUMN IF EXISTS contacts_per_100_customers;
ALTER TABLE analytics.customer_summary DROP COLUMN IF EXISTS avg_satisfaction;
-- Earlier releases checked the per-customer summaries against customers row by row (see
-- daily_customer_activity above); dropping a key keeps every row.
ALTER TABLE analytics.daily_customer_activity
    DROP CONSTRAINT IF EXISTS daily_customer_activity_customer_id_fkey;
ALTER TABLE analytics.customer_summary DROP CONSTRAINT IF EXISTS customer_summary_customer_id_fkey;

-- ---------------------------------------------------------------- analytics read layer
-- Every report, dashboard and the `make run` summary reads through these: one function
-- per dimension, taking an inclusive date range (a day is the range day..day). Each sums
-- the stored counts over the range, then divides, so any range rolls up exactly.
-- Percentages (csat_pct) are 0-100; rates (*_rate) are 0-1; NULL where there is nothing
-- to divide by. Plain SQL functions: the planner inlines them, so they cost what the
-- query written out would.

-- numerator / denominator, NULL when the denominator is 0 or NULL.
CREATE OR REPLACE FUNCTION analytics.ratio(numerator numeric, denominator numeric) RETURNS numeric
LANGUAGE sql IMMUTABLE AS $$
    SELECT numerator / nullif(denominator, 0)
$$;

-- Per channel over first_day..last_day.
CREATE OR REPLACE FUNCTION analytics.channel_kpis(first_day date, last_day date)
RETURNS TABLE (
    channel_id                    smallint,
    channel_name                  text,
    interaction_count             bigint,
    survey_responses              bigint,
    satisfaction_sum              bigint,
    csat_positive_count           bigint,
    duration_count                bigint,
    duration_sum                  bigint,
    queue_time_sum                bigint,
    first_contact_resolutions     bigint,
    escalations                   bigint,
    repeat_contacts               bigint,
    resolved_count                bigint,
    pending_count                 bigint,
    escalated_count               bigint,
    cancelled_count               bigint,
    avg_satisfaction              numeric,
    csat_pct                      numeric,
    survey_response_rate          numeric,
    first_contact_resolution_rate numeric,
    escalation_rate               numeric,
    repeat_contact_rate           numeric,
    avg_duration_seconds          numeric,
    avg_queue_time_seconds        numeric
)
LANGUAGE sql STABLE AS $$
    WITH totals AS (
        SELECT
            s.channel_id,
            sum(s.interaction_count)::bigint         AS interaction_count,
            sum(s.survey_responses)::bigint          AS survey_responses,
            sum(s.satisfaction_sum)::bigint          AS satisfaction_sum,
            sum(s.csat_positive_count)::bigint       AS csat_positive_count,
            sum(s.duration_count)::bigint            AS duration_count,
            sum(s.duration_sum)::bigint              AS duration_sum,
            sum(s.queue_time_sum)::bigint            AS queue_time_sum,
            sum(s.first_contact_resolutions)::bigint AS first_contact_resolutions,
            sum(s.escalations)::bigint               AS escalations,
            sum(s.repeat_contacts)::bigint           AS repeat_contacts,
            sum(s.resolved_count)::bigint            AS resolved_count,
            sum(s.pending_count)::bigint             AS pending_count,
            sum(s.escalated_count)::bigint           AS escalated_count,
            sum(s.cancelled_count)::bigint           AS cancelled_count
        FROM analytics.daily_channel_summary AS s
        WHERE s.summary_date BETWEEN first_day AND last_day
        GROUP BY s.channel_id
    )
    SELECT
        t.channel_id,
        c.channel_name,
        t.interaction_count,
        t.survey_responses,
        t.satisfaction_sum,
        t.csat_positive_count,
        t.duration_count,
        t.duration_sum,
        t.queue_time_sum,
        t.first_contact_resolutions,
        t.escalations,
        t.repeat_contacts,
        t.resolved_count,
        t.pending_count,
        t.escalated_count,
        t.cancelled_count,
        analytics.ratio(t.satisfaction_sum, t.survey_responses),
        100 * analytics.ratio(t.csat_positive_count, t.survey_responses),
        analytics.ratio(t.survey_responses, t.interaction_count),
        analytics.ratio(t.first_contact_resolutions, t.interaction_count),
        analytics.ratio(t.escalations, t.interaction_count),
        analytics.ratio(t.repeat_contacts, t.interaction_count),
        analytics.ratio(t.duration_sum, t.duration_count),
        analytics.ratio(t.queue_time_sum, t.interaction_count)
    FROM totals AS t
    JOIN channels AS c ON c.channel_id = t.channel_id
$$;

-- All channels together over first_day..last_day: always exactly one row (zeros and
-- NULL ratios for a range without data).
CREATE OR REPLACE FUNCTION analytics.overall_kpis(first_day date, last_day date)
RETURNS TABLE (
    interaction_count             bigint,
    survey_responses              bigint,
    satisfaction_sum              bigint,
    csat_positive_count           bigint,
    duration_count                bigint,
    duration_sum                  bigint,
    queue_time_sum                bigint,
    first_contact_resolutions     bigint,
    escalations                   bigint,
    repeat_contacts               bigint,
    avg_satisfaction              numeric,
    csat_pct                      numeric,
    survey_response_rate          numeric,
    first_contact_resolution_rate numeric,
    escalation_rate               numeric,
    repeat_contact_rate           numeric,
    avg_duration_seconds          numeric,
    avg_queue_time_seconds        numeric
)
LANGUAGE sql STABLE AS $$
    WITH totals AS (
        SELECT
            coalesce(sum(s.interaction_count), 0)::bigint         AS interaction_count,
            coalesce(sum(s.survey_responses), 0)::bigint          AS survey_responses,
            coalesce(sum(s.satisfaction_sum), 0)::bigint          AS satisfaction_sum,
            coalesce(sum(s.csat_positive_count), 0)::bigint       AS csat_positive_count,
            coalesce(sum(s.duration_count), 0)::bigint            AS duration_count,
            coalesce(sum(s.duration_sum), 0)::bigint              AS duration_sum,
            coalesce(sum(s.queue_time_sum), 0)::bigint            AS queue_time_sum,
            coalesce(sum(s.first_contact_resolutions), 0)::bigint AS first_contact_resolutions,
            coalesce(sum(s.escalations), 0)::bigint               AS escalations,
            coalesce(sum(s.repeat_contacts), 0)::bigint           AS repeat_contacts
        FROM analytics.daily_channel_summary AS s
        WHERE s.summary_date BETWEEN first_day AND last_day
    )
    SELECT
        t.interaction_count,
        t.survey_responses,
        t.satisfaction_sum,
        t.csat_positive_count,
        t.duration_count,
        t.duration_sum,
        t.queue_time_sum,
        t.first_contact_resolutions,
        t.escalations,
        t.repeat_contacts,
        analytics.ratio(t.satisfaction_sum, t.survey_responses),
        100 * analytics.ratio(t.csat_positive_count, t.survey_responses),
        analytics.ratio(t.survey_responses, t.interaction_count),
        analytics.ratio(t.first_contact_resolutions, t.interaction_count),
        analytics.ratio(t.escalations, t.interaction_count),
        analytics.ratio(t.repeat_contacts, t.interaction_count),
        analytics.ratio(t.duration_sum, t.duration_count),
        analytics.ratio(t.queue_time_sum, t.interaction_count)
    FROM totals AS t
$$;

-- Per interaction type over first_day..last_day.
CREATE OR REPLACE FUNCTION analytics.interaction_type_kpis(first_day date, last_day date)
RETURNS TABLE (
    interaction_type_id           smallint,
    interaction_name              text,
    interaction_count             bigint,
    survey_responses              bigint,
    satisfaction_sum              bigint,
    csat_positive_count           bigint,
    duration_count                bigint,
    duration_sum                  bigint,
    first_contact_resolutions     bigint,
    escalations                   bigint,
    repeat_contacts               bigint,
    avg_satisfaction              numeric,
    csat_pct                      numeric,
    first_contact_resolution_rate numeric,
    escalation_rate               numeric,
    repeat_contact_rate           numeric,
    avg_duration_seconds          numeric
)
LANGUAGE sql STABLE AS $$
    WITH totals AS (
        SELECT
            s.interaction_type_id,
            sum(s.interaction_count)::bigint         AS interaction_count,
            sum(s.survey_responses)::bigint          AS survey_responses,
            sum(s.satisfaction_sum)::bigint          AS satisfaction_sum,
            sum(s.csat_positive_count)::bigint       AS csat_positive_count,
            sum(s.duration_count)::bigint            AS duration_count,
            sum(s.duration_sum)::bigint              AS duration_sum,
            sum(s.first_contact_resolutions)::bigint AS first_contact_resolutions,
            sum(s.escalations)::bigint               AS escalations,
            sum(s.repeat_contacts)::bigint           AS repeat_contacts
        FROM analytics.daily_interaction_type_summary AS s
        WHERE s.summary_date BETWEEN first_day AND last_day
        GROUP BY s.interaction_type_id
    )
    SELECT
        t.interaction_type_id,
        it.interaction_name,
        t.interaction_count,
        t.survey_responses,
        t.satisfaction_sum,
        t.csat_positive_count,
        t.duration_count,
        t.duration_sum,
        t.first_contact_resolutions,
        t.escalations,
        t.repeat_contacts,
        analytics.ratio(t.satisfaction_sum, t.survey_responses),
        100 * analytics.ratio(t.csat_positive_count, t.survey_responses),
        analytics.ratio(t.first_contact_resolutions, t.interaction_count),
        analytics.ratio(t.escalations, t.interaction_count),
        analytics.ratio(t.repeat_contacts, t.interaction_count),
        analytics.ratio(t.duration_sum, t.duration_count)
    FROM totals AS t
    JOIN interaction_types AS it ON it.interaction_type_id = t.interaction_type_id
$$;

-- Workforce ground truth per 15 minutes and queue: counts and sums only (ratios on read,
-- analytics.interval_kpis). Live contacts by their arrival interval: offered = handled +
-- abandoned (bot sessions are not offered; the human contact a bot hands off is).
-- agent_seconds: seconds agents of the queue were on shift and not on a break.
CREATE TABLE IF NOT EXISTS analytics.interval_queue_summary (
    interval_start         timestamptz NOT NULL,
    queue_id               smallint    NOT NULL REFERENCES service_queues (queue_id),
    offered                integer     NOT NULL,
    handled                integer     NOT NULL,
    abandoned              integer     NOT NULL,
    answered_within_target integer     NOT NULL,
    answer_wait_seconds    bigint      NOT NULL,  -- summed over handled contacts
    handle_seconds         bigint      NOT NULL,  -- summed over handled contacts
    agent_seconds          bigint      NOT NULL,
    PRIMARY KEY (interval_start, queue_id)
);

-- Per queue and interval over first_day..last_day (UTC days): average speed of answer,
-- service level (share of offered answered within the queue's target; abandoned count as
-- missed), abandonment, AHT, agents scheduled and their occupancy (handle time over the
-- seats' time on shift).
CREATE OR REPLACE FUNCTION analytics.interval_kpis(first_day date, last_day date)
RETURNS TABLE (
    interval_start     timestamptz,
    queue_id           smallint,
    department         text,
    service_group      text,
    offered            integer,
    handled            integer,
    abandoned          integer,
    asa_seconds        numeric,
    service_level      numeric,
    abandonment_rate   numeric,
    aht_seconds        numeric,
    scheduled_agents   numeric,
    occupancy          numeric
)
LANGUAGE sql STABLE AS $$
    SELECT
        s.interval_start,
        s.queue_id,
        q.department,
        q.service_group,
        s.offered,
        s.handled,
        s.abandoned,
        analytics.ratio(s.answer_wait_seconds, s.handled),
        analytics.ratio(s.answered_within_target, s.offered),
        analytics.ratio(s.abandoned, s.offered),
        analytics.ratio(s.handle_seconds, s.handled),
        s.agent_seconds / (60.0 * 15),
        analytics.ratio(s.handle_seconds, s.agent_seconds * q.concurrency)
    FROM analytics.interval_queue_summary AS s
    JOIN service_queues AS q ON q.queue_id = s.queue_id
    WHERE s.interval_start >= first_day::timestamp AT TIME ZONE 'UTC'
      AND s.interval_start < (last_day + 1)::timestamp AT TIME ZONE 'UTC'
$$;

-- Per UTC day and service group over first_day..last_day: the interval table summed, ratios
-- on read (the report's service-level and staffing chart).
CREATE OR REPLACE FUNCTION analytics.service_group_day_kpis(first_day date, last_day date)
RETURNS TABLE (
    summary_date     date,
    service_group    text,
    offered          bigint,
    handled          bigint,
    abandoned        bigint,
    service_level    numeric,
    abandonment_rate numeric,
    asa_seconds      numeric,
    agent_hours      numeric,
    occupancy        numeric
)
LANGUAGE sql STABLE AS $$
    SELECT
        (s.interval_start AT TIME ZONE 'UTC')::date,
        q.service_group,
        sum(s.offered)::bigint,
        sum(s.handled)::bigint,
        sum(s.abandoned)::bigint,
        analytics.ratio(sum(s.answered_within_target), sum(s.offered)),
        analytics.ratio(sum(s.abandoned), sum(s.offered)),
        analytics.ratio(sum(s.answer_wait_seconds), sum(s.handled)),
        sum(s.agent_seconds) / 3600.0,
        analytics.ratio(sum(s.handle_seconds), sum(s.agent_seconds * q.concurrency))
    FROM analytics.interval_queue_summary AS s
    JOIN service_queues AS q ON q.queue_id = s.queue_id
    WHERE s.interval_start >= first_day::timestamp AT TIME ZONE 'UTC'
      AND s.interval_start < (last_day + 1)::timestamp AT TIME ZONE 'UTC'
    GROUP BY 1, 2
$$;

-- Per agent (by id; name and team shown) over first_day..last_day.
CREATE OR REPLACE FUNCTION analytics.agent_kpis(first_day date, last_day date)
RETURNS TABLE (
    agent_id                      integer,
    agent_name                    text,
    team                          text,
    interactions_handled          bigint,
    survey_responses              bigint,
    satisfaction_sum              bigint,
    csat_positive_count           bigint,
    duration_count                bigint,
    duration_sum                  bigint,
    resolved_count                bigint,
    first_contact_resolutions     bigint,
    escalations                   bigint,
    avg_satisfaction              numeric,
    csat_pct                      numeric,
    first_contact_resolution_rate numeric,
    escalation_rate               numeric,
    avg_duration_seconds          numeric
)
LANGUAGE sql STABLE AS $$
    WITH totals AS (
        SELECT
            p.agent_id,
            sum(p.interactions_handled)::bigint      AS interactions_handled,
            sum(p.survey_responses)::bigint          AS survey_responses,
            sum(p.satisfaction_sum)::bigint          AS satisfaction_sum,
            sum(p.csat_positive_count)::bigint       AS csat_positive_count,
            sum(p.duration_count)::bigint            AS duration_count,
            sum(p.duration_sum)::bigint              AS duration_sum,
            sum(p.resolved_count)::bigint            AS resolved_count,
            sum(p.first_contact_resolutions)::bigint AS first_contact_resolutions,
            sum(p.escalations)::bigint               AS escalations
        FROM analytics.daily_agent_performance AS p
        WHERE p.summary_date BETWEEN first_day AND last_day
        GROUP BY p.agent_id
    )
    SELECT
        t.agent_id,
        a.agent_name,
        a.team,
        t.interactions_handled,
        t.survey_responses,
        t.satisfaction_sum,
        t.csat_positive_count,
        t.duration_count,
        t.duration_sum,
        t.resolved_count,
        t.first_contact_resolutions,
        t.escalations,
        analytics.ratio(t.satisfaction_sum, t.survey_responses),
        100 * analytics.ratio(t.csat_positive_count, t.survey_responses),
        analytics.ratio(t.first_contact_resolutions, t.interactions_handled),
        analytics.ratio(t.escalations, t.interactions_handled),
        analytics.ratio(t.duration_sum, t.duration_count)
    FROM totals AS t
    JOIN agents AS a ON a.agent_id = t.agent_id
$$;

-- Per service plan over first_day..last_day. customer_days sums each day's customers on
-- the plan, so contacts_per_100_customers is per 100 customer-days: for one day, per 100
-- customers on the plan that day; over a range, the same figure for the average day.
CREATE OR REPLACE FUNCTION analytics.service_plan_kpis(first_day date, last_day date)
RETURNS TABLE (
    service_plan_id            smallint,
    plan_name                  text,
    customer_days              bigint,
    interaction_count          bigint,
    survey_responses           bigint,
    satisfaction_sum           bigint,
    avg_satisfaction           numeric,
    contacts_per_100_customers numeric
)
LANGUAGE sql STABLE AS $$
    WITH totals AS (
        SELECT
            s.service_plan_id,
            sum(s.active_customers)::bigint  AS customer_days,
            sum(s.interaction_count)::bigint AS interaction_count,
            sum(s.survey_responses)::bigint  AS survey_responses,
            sum(s.satisfaction_sum)::bigint  AS satisfaction_sum
        FROM analytics.daily_service_plan_summary AS s
        WHERE s.summary_date BETWEEN first_day AND last_day
        GROUP BY s.service_plan_id
    )
    SELECT
        t.service_plan_id,
        sp.plan_name,
        t.customer_days,
        t.interaction_count,
        t.survey_responses,
        t.satisfaction_sum,
        analytics.ratio(t.satisfaction_sum, t.survey_responses),
        100 * analytics.ratio(t.interaction_count, t.customer_days)
    FROM totals AS t
    JOIN service_plans AS sp ON sp.service_plan_id = t.service_plan_id
$$;

-- Lifetime, per customer: customer_summary with its average.
CREATE OR REPLACE VIEW analytics.customer_kpis AS
SELECT
    s.customer_id,
    c.customer_name,
    s.total_interactions,
    s.survey_responses,
    s.satisfaction_sum,
    analytics.ratio(s.satisfaction_sum, s.survey_responses) AS avg_satisfaction,
    s.active_days,
    s.first_interaction_at,
    s.last_interaction_at
FROM analytics.customer_summary AS s
JOIN customers AS c ON c.customer_id = s.customer_id;

-- Each repeat contact with the contact it repeats: the customer's latest earlier contact
-- about the same type that was not resolved, from the start of the UTC day 7 days before
-- (the generator's window). Found on read, so it holds whichever order days were loaded
-- in; NULL when that day is not loaded (or was loaded with other settings). Filter on
-- start_timestamp: each lookup is an index probe of the customer in 8 days' partitions.
CREATE OR REPLACE VIEW analytics.repeat_contact_links AS
SELECT
    r.interaction_id,
    r.customer_id,
    r.interaction_type_id,
    r.start_timestamp,
    e.interaction_id                                                  AS repeat_of_interaction_id,
    e.start_timestamp                                                 AS repeat_of_start_timestamp,
    e.resolution_status                                               AS repeat_of_resolution_status,
    (r.start_timestamp AT TIME ZONE 'UTC')::date - (e.start_timestamp AT TIME ZONE 'UTC')::date
                                                                      AS days_after
FROM customer_interactions AS r
LEFT JOIN LATERAL (
    SELECT e.interaction_id, e.start_timestamp, e.resolution_status
    FROM customer_interactions AS e
    WHERE e.customer_id = r.customer_id
      AND e.interaction_type_id = r.interaction_type_id
      AND e.start_timestamp < r.start_timestamp
      AND e.start_timestamp >= date_trunc('day', r.start_timestamp AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'
                               - interval '7 days'
      AND e.resolution_status <> 'Resolved'
    ORDER BY e.start_timestamp DESC, e.interaction_id DESC
    LIMIT 1
) AS e ON true
WHERE r.is_repeat_contact;

COMMIT;

-- ================================================================ BEGIN issue #24: schedules, sites, interval truth
-- (one block, appended; include/generator/schedules.py and docs/workforce-schedules.md)
-- Places agents work: contact-center sites (config.SITES) and stores (config.STORES, one per
-- time zone: a customer visits the store of their zone). Each plans its shifts in its own
-- local time; a store opens at opening_hours, and holiday_hours (closed days, eve hours).
CREATE TABLE IF NOT EXISTS contact_sites (
    site_name     text PRIMARY KEY,
    kind          text NOT NULL CHECK (kind IN ('Contact center', 'Store')),
    city          text NOT NULL,
    state         text NOT NULL,
    time_zone     text NOT NULL,
    opening_hours text NOT NULL,
    holiday_hours text
);
CREATE OR REPLACE VIEW stores AS
SELECT site_name AS store_name, city, state, time_zone, opening_hours, holiday_hours
FROM contact_sites WHERE kind = 'Store';
-- A shift belongs to the site-local day it starts (shift_date) and may cross midnight, local or
-- UTC; it is written by the batch (UTC) day its shift_start falls in. break_start/break_end is
-- its meal break; the short paid breaks are agent_shift_breaks.
ALTER TABLE agent_shifts ADD COLUMN IF NOT EXISTS site_name text REFERENCES contact_sites (site_name);
CREATE INDEX IF NOT EXISTS agent_shifts_start ON agent_shifts (shift_start);
CREATE TABLE IF NOT EXISTS agent_shift_breaks (
    shift_date  date        NOT NULL,
    agent_id    integer     NOT NULL,
    break_start timestamptz NOT NULL,
    break_end   timestamptz NOT NULL,
    PRIMARY KEY (shift_date, agent_id, break_start),
    FOREIGN KEY (shift_date, agent_id) REFERENCES agent_shifts (shift_date, agent_id) ON DELETE CASCADE,
    CONSTRAINT agent_shift_break_ordered CHECK (break_end > break_start)
);
-- What workforce management expected per 15 minutes and queue (all sites): contacts offered and
-- the agents Erlang C asked for. Written with the UTC day its intervals belong to.
CREATE TABLE IF NOT EXISTS workforce_forecast (
    interval_start   timestamptz      NOT NULL,
    queue_id         smallint         NOT NULL REFERENCES service_queues (queue_id),
    forecast_offered double precision NOT NULL,
    agents_needed    integer          NOT NULL,
    PRIMARY KEY (interval_start, queue_id)
);
-- busy_seconds: agents' time handling live contacts inside the interval (a contact's handle time
-- sliced across the intervals it ran in, counted only while its agent was on shift and not on a
-- break), so occupancy = busy_seconds / (agent_seconds x concurrency) never exceeds 1.
-- handle_seconds stays by arrival interval (AHT). Forecast columns beside the actuals.
ALTER TABLE analytics.interval_queue_summary ADD COLUMN IF NOT EXISTS busy_seconds bigint NOT NULL DEFAULT 0;
ALTER TABLE analytics.interval_queue_summary ADD COLUMN IF NOT EXISTS forecast_offered double precision;
ALTER TABLE analytics.interval_queue_summary ADD COLUMN IF NOT EXISTS agents_needed integer;

CREATE OR REPLACE FUNCTION analytics.interval_kpis(first_day date, last_day date)
RETURNS TABLE (
    interval_start     timestamptz,
    queue_id           smallint,
    department         text,
    service_group      text,
    offered            integer,
    handled            integer,
    abandoned          integer,
    asa_seconds        numeric,
    service_level      numeric,
    abandonment_rate   numeric,
    aht_seconds        numeric,
    scheduled_agents   numeric,
    occupancy          numeric
)
LANGUAGE sql STABLE AS $$
    SELECT
        s.interval_start,
        s.queue_id,
        q.department,
        q.service_group,
        s.offered,
        s.handled,
        s.abandoned,
        analytics.ratio(s.answer_wait_seconds, s.handled),
        analytics.ratio(s.answered_within_target, s.offered),
        analytics.ratio(s.abandoned, s.offered),
        analytics.ratio(s.handle_seconds, s.handled),
        s.agent_seconds / (60.0 * 15),
        analytics.ratio(s.busy_seconds, s.agent_seconds * q.concurrency)
    FROM analytics.interval_queue_summary AS s
    JOIN service_queues AS q ON q.queue_id = s.queue_id
    WHERE s.interval_start >= first_day::timestamp AT TIME ZONE 'UTC'
      AND s.interval_start < (last_day + 1)::timestamp AT TIME ZONE 'UTC'
$$;

CREATE OR REPLACE FUNCTION analytics.service_group_day_kpis(first_day date, last_day date)
RETURNS TABLE (
    summary_date     date,
    service_group    text,
    offered          bigint,
    handled          bigint,
    abandoned        bigint,
    service_level    numeric,
    abandonment_rate numeric,
    asa_seconds      numeric,
    agent_hours      numeric,
    occupancy        numeric
)
LANGUAGE sql STABLE AS $$
    SELECT
        (s.interval_start AT TIME ZONE 'UTC')::date,
        q.service_group,
        sum(s.offered)::bigint,
        sum(s.handled)::bigint,
        sum(s.abandoned)::bigint,
        analytics.ratio(sum(s.answered_within_target), sum(s.offered)),
        analytics.ratio(sum(s.abandoned), sum(s.offered)),
        analytics.ratio(sum(s.answer_wait_seconds), sum(s.handled)),
        sum(s.agent_seconds) / 3600.0,
        analytics.ratio(sum(s.busy_seconds), sum(s.agent_seconds * q.concurrency))
    FROM analytics.interval_queue_summary AS s
    JOIN service_queues AS q ON q.queue_id = s.queue_id
    WHERE s.interval_start >= first_day::timestamp AT TIME ZONE 'UTC'
      AND s.interval_start < (last_day + 1)::timestamp AT TIME ZONE 'UTC'
    GROUP BY 1, 2
$$;
-- A timed event (a network outage) has a start and a restoration (UTC), with an onset ramp and a
-- recovery decay around them (include/generator/calendar.py: PlantedEvent.strength); its dates
-- are the UTC days it touches. NULL for events of whole days (campaigns).
ALTER TABLE planted_events ADD COLUMN IF NOT EXISTS started_at timestamptz;
ALTER TABLE planted_events ADD COLUMN IF NOT EXISTS restored_at timestamptz;
ALTER TABLE planted_events ADD COLUMN IF NOT EXISTS onset_minutes integer;
ALTER TABLE planted_events ADD COLUMN IF NOT EXISTS recovery_minutes integer;
-- ================================================================ END issue #24
