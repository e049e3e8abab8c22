-- The analytics layer's tables: per-day counts and sums, and lifetime per customer.
--
-- The tables store per-day sums and counts, never a ratio: every average, percentage and
-- rate is computed on read by the analytics.*_kpis functions (read/), from counts
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
-- upsert per chunk, which left the table 40 times its size in dead rows). Kept current by
-- the triggers of plan_population_triggers.sql (an existing database was counted once: upgrades/0006).
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


-- Workforce ground truth per 15 minutes and queue: counts and sums only (ratios on read,
-- analytics.interval_kpis). Live contacts by their arrival interval: offered = handled +
-- abandoned (bot sessions are not offered; the human contact a bot hands off is).
-- agent_seconds: seconds agents of the queue were on shift and not on a break.
-- busy_seconds: agents' time handling live contacts inside the interval (a contact's handle time
-- sliced across the intervals it ran in, counted only while its agent was on shift and not on a
-- break), so occupancy = busy_seconds / (agent_seconds x concurrency) never exceeds 1;
-- handle_seconds stays by arrival interval (AHT). The forecast's columns beside the actuals.
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
    busy_seconds           bigint      NOT NULL DEFAULT 0,
    forecast_offered       double precision,
    agents_needed          integer,
    PRIMARY KEY (interval_start, queue_id)
);
