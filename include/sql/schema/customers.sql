-- Customers and their service plans.
--
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
-- (Databases of earlier releases gain the last two columns: upgrades/0003.)
-- Was each of a day's contacts' customers active that day? (the audit of every loaded day,
-- checks/pending_day.sql): answered from the index alone, without a heap page per contact
-- (20,000 contacts among 2 million customers: 0.14-0.28 s a day instead of 0.8 s).
CREATE INDEX IF NOT EXISTS customers_active_span
    ON customers (customer_id) INCLUDE (registration_date, churn_date);
-- The lake's change files (include/sql/export/*_changes.sql): the sign-ups and churns of a
-- window of days, found without reading the whole base (a month's changes among 4.5 million
-- customers: 0.1 s instead of 1.1 s, on every exported day).
CREATE INDEX IF NOT EXISTS customers_registration_date ON customers (registration_date);
CREATE INDEX IF NOT EXISTS customers_churn_date ON customers (churn_date) WHERE churn_date IS NOT NULL;
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
-- Plans closed in a window of days (the lake's change files, as above).
CREATE INDEX IF NOT EXISTS customer_service_plans_end_date
    ON customer_service_plans (end_date) WHERE end_date IS NOT NULL;
-- (index-only too: vacuumed as customers are, above)
ALTER TABLE customer_service_plans SET (
    autovacuum_vacuum_scale_factor = 0.01, autovacuum_vacuum_insert_scale_factor = 0.01
);
