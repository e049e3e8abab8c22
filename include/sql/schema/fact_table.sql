-- The fact table, customer_interactions, and where its rows live.
--
-- Partitioned by the UTC day of start_timestamp: each loaded day is one partition,
-- interaction_days.dYYYYMMDD. A time window therefore reads only its days, whether its
-- bounds are literals (pruned while planning) or date arithmetic, now(), current_date or
-- a subquery (pruned when the query starts: EXPLAIN shows "Subplans Removed: N").
-- Interaction ids carry their day too (yyyymmdd * 10^9 + position): each day partition
-- CHECKs its id range, so a lookup by interaction_id plans that one day. A load fills a
-- fresh table with no index, builds the day's indexes once (a sort is far cheaper than
-- index upkeep per row), then swaps it in: interaction_days.publish (partition_functions.sql).
-- A closed month becomes one partition, interaction_days.mYYYYMM (merge_month), so years
-- of history stay a few dozen partitions. The fact tables of earlier releases step aside
-- before this file runs (upgrades/0001) and join this one after (upgrades/0002).
CREATE SCHEMA IF NOT EXISTS interaction_days;

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
CREATE TABLE IF NOT EXISTS interaction_days.default_partition
    PARTITION OF customer_interactions DEFAULT;
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_constraint
                   WHERE conrelid = 'interaction_days.default_partition'::regclass AND contype = 'p') THEN
        ALTER TABLE interaction_days.default_partition
            ADD CONSTRAINT default_partition_pkey PRIMARY KEY (interaction_id);
    END IF;
END $$;

-- What a day's new table is made LIKE: the fact table's columns, defaults and CHECKs,
-- no index, no foreign key. Not the fact table itself: LIKE would hold a lock on it
-- for the whole load, and two loads swapping at once would deadlock.
CREATE TABLE IF NOT EXISTS interaction_days.template
    (LIKE customer_interactions INCLUDING DEFAULTS INCLUDING CONSTRAINTS);

-- Sharded days: each shard writes its blocks here, then one transaction swaps the whole
-- day into customer_interactions. Unlogged: after a crash the shards are simply re-run.
CREATE UNLOGGED TABLE IF NOT EXISTS customer_interactions_staging
    (LIKE customer_interactions INCLUDING DEFAULTS);
CREATE UNIQUE INDEX IF NOT EXISTS customer_interactions_staging_id
    ON customer_interactions_staging (interaction_id);
