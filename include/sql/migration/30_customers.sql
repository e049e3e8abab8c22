-- Customers and their plan history. Customer ids start at 900,000,000,000 and plan-history
-- ids at 9,000,000,000,000: ranges the generator never reaches, so migrated and generated
-- customers coexist. Runs after 20_reference.sql, in the same transaction.

-- ---------------------------------------------------------------- customers
-- Dates outside the window (migration.usable_day) count as missing: a registration date
-- falls back on created_at's, created_at on the registration date.
CREATE TEMP TABLE mig_customers ON COMMIT DROP AS
SELECT s.customer_id AS source_uuid, s.msisdn,
       coalesce(nullif(trim(s.customer_name), ''), s.msisdn, 'Legacy customer ' || s.customer_id) AS customer_name,
       s.region,
       coalesce(s.registration_date, s.created_at::date, s.first_plan, s.first_contact) AS registration_date,
       coalesce('repaired: ' || nullif(concat_ws(', ',
           CASE WHEN s.registration_date IS NOT NULL THEN NULL
                WHEN s.created_at IS NOT NULL THEN 'registration_date from created_at'
                WHEN s.first_plan IS NOT NULL THEN 'registration_date from the first plan'
                WHEN s.first_contact IS NOT NULL THEN 'registration_date from the first contact' END,
           CASE WHEN s.msisdn IS NULL THEN 'missing msisdn -> empty phone' END,
           CASE WHEN s.known_status THEN NULL
                WHEN s.active_plan THEN 'unknown account_status -> Active (an active plan row)'
                ELSE 'unknown account_status -> Inactive (no active plan row)' END), ''), '') AS repair,
       CASE lower(s.customer_segment) WHEN 'vip' THEN 'Premium' WHEN 'premium' THEN 'Premium'
            WHEN 'basic' THEN 'Basic' ELSE 'Standard' END AS customer_segment,
       CASE lower(s.account_status) WHEN 'active' THEN 'Active' WHEN 'suspended' THEN 'Suspended'
            WHEN 'terminated' THEN 'Inactive' WHEN 'churned' THEN 'Inactive'
            ELSE CASE WHEN s.active_plan THEN 'Active' ELSE 'Inactive' END END AS status,
       s.last_activity_date,
       coalesce(s.created_at, coalesce(s.registration_date, s.first_plan, s.first_contact)::timestamp) AS created_at,
       CASE WHEN coalesce(s.registration_date, s.created_at::date, s.first_plan, s.first_contact) IS NULL
                 THEN 'missing registration_date (or outside the date window)'
       END AS reason
FROM (SELECT c.customer_id, nullif(trim(c.msisdn), '') AS msisdn, c.customer_name, c.region, c.account_status,
             c.customer_segment,
             coalesce(lower(c.account_status) IN ('active', 'suspended', 'terminated', 'churned'), false) AS known_status,
             coalesce(ap.active_plan, false) AS active_plan,
             CASE WHEN migration.usable_day(c.registration_date) THEN c.registration_date END AS registration_date,
             CASE WHEN migration.usable_day(c.last_activity_date) THEN c.last_activity_date END AS last_activity_date,
             CASE WHEN migration.usable_time(c.created_at) THEN c.created_at END AS created_at,
             fp.first_plan, fc.first_contact
      FROM migration.src_customers c
      LEFT JOIN (SELECT customer_id, min(activation_date) AS first_plan FROM migration.src_customer_service_plans
                 WHERE migration.usable_day(activation_date) GROUP BY 1) fp ON fp.customer_id = c.customer_id
      LEFT JOIN (SELECT customer_id, min(start_timestamp)::date AS first_contact
                 FROM migration.src_customer_interactions
                 WHERE migration.usable_time(start_timestamp) GROUP BY 1) fc ON fc.customer_id = c.customer_id
      LEFT JOIN (SELECT customer_id, bool_or(is_active) AS active_plan FROM migration.src_customer_service_plans
                 GROUP BY 1) ap ON ap.customer_id = c.customer_id) s;

ANALYZE mig_customers;

-- Duplicate msisdns: the earliest registered row survives; the others merge into it (their
-- interactions and plans follow the survivor's id).
ALTER TABLE mig_customers ADD COLUMN survivor uuid;
UPDATE mig_customers m SET survivor = d.survivor
FROM (SELECT source_uuid, first_value(source_uuid) OVER (
          -- A customer without an msisdn merges with nobody.
          PARTITION BY coalesce(msisdn, source_uuid::text) ORDER BY registration_date, created_at, source_uuid) AS survivor
      FROM mig_customers WHERE reason IS NULL) d
WHERE d.source_uuid = m.source_uuid;

-- Plan history candidates (needed first: an active customer with no usable plan is rejected).
CREATE TEMP TABLE mig_plan_rows ON COMMIT DROP AS
SELECT s.customer_id AS source_customer, s.plan_id AS source_plan, s.activation_date,
       -- An expiration after the window (9999-12-31, infinity) means none.
       CASE WHEN s.expiration_date > '1970-01-01'::date AND NOT migration.usable_day(s.expiration_date) THEN NULL
            ELSE s.expiration_date END AS expiration_date,
       coalesce(s.is_active, false) AS legacy_active,
       md5(s.customer_id::text || '/' || s.plan_id::text || '/' || coalesce(s.activation_date::text, ''))::uuid AS source_uuid,
       s.customer_id::text || '/' || s.plan_id::text || '/' || coalesce(s.activation_date::text, '') AS source_key,
       c.survivor, pm.target_id AS service_plan_id,
       CASE WHEN c.source_uuid IS NULL AND NOT EXISTS (SELECT FROM migration.src_customers x WHERE x.customer_id = s.customer_id)
                THEN 'orphan: customer not in source'
            WHEN c.survivor IS NULL THEN 'customer not migrated'
            WHEN NOT EXISTS (SELECT FROM migration.src_service_plans x WHERE x.plan_id = s.plan_id)
                THEN 'orphan: plan not in source'
            WHEN pm.target_id IS NULL THEN 'plan not migrated'
            WHEN s.activation_date IS NULL THEN 'missing activation_date'
            WHEN NOT migration.usable_day(s.activation_date) THEN 'activation_date outside the date window'
            WHEN s.expiration_date < s.activation_date THEN 'expiration_date before activation_date'
       END AS reason
FROM migration.src_customer_service_plans s
LEFT JOIN mig_customers c ON c.source_uuid = s.customer_id
LEFT JOIN migration.uuid_map pm ON pm.source_table = 'service_plans' AND pm.source_uuid = s.plan_id;

ANALYZE mig_plan_rows;

-- One plan per customer and start day: an active row wins, then the later expiration.
UPDATE mig_plan_rows p SET reason = 'another plan of the customer starts the same day'
FROM (SELECT source_uuid, row_number() OVER (PARTITION BY survivor, activation_date
          ORDER BY legacy_active DESC, expiration_date DESC NULLS FIRST, source_uuid) AS rn
      FROM mig_plan_rows WHERE reason IS NULL) d
WHERE d.source_uuid = p.source_uuid AND d.rn > 1;

-- An Active or Suspended customer none of whose plan rows is usable migrates without a
-- plan (the model allows it; counted as "active without a usable plan: migrated without one").

-- Ids: survivors get new ids (stable once recorded); merged rows map to their survivor's.
INSERT INTO migration.uuid_map (source_table, source_uuid, target_id)
SELECT 'customers', m.source_uuid,
       greatest(900000000000, (SELECT max(target_id) FROM migration.uuid_map WHERE source_table = 'customers'))
       + row_number() OVER (ORDER BY m.registration_date, m.source_uuid)
FROM mig_customers m
WHERE m.reason IS NULL AND m.source_uuid = m.survivor
  AND NOT EXISTS (SELECT FROM migration.uuid_map u WHERE u.source_table = 'customers' AND u.source_uuid = m.source_uuid);
INSERT INTO migration.uuid_map (source_table, source_uuid, target_id)
SELECT 'customers', m.source_uuid, s.target_id
FROM mig_customers m JOIN migration.uuid_map s ON s.source_table = 'customers' AND s.source_uuid = m.survivor
WHERE m.reason IS NULL AND m.source_uuid <> m.survivor
ON CONFLICT (source_table, source_uuid) DO UPDATE SET target_id = EXCLUDED.target_id;

INSERT INTO customers (customer_id, customer_name, email, phone, address, city, state, registration_date,
                       customer_segment, status, churn_date, created_at)
SELECT u.target_id, m.customer_name, 'legacy-' || m.source_uuid || '@migrated.invalid', coalesce(m.msisdn, ''), NULL, NULL,
       m.region, m.registration_date, m.customer_segment, m.status,
       CASE WHEN m.status = 'Inactive' THEN greatest(m.registration_date, coalesce(m.last_activity_date, m.registration_date)) END,
       m.created_at AT TIME ZONE 'UTC'
FROM mig_customers m JOIN migration.uuid_map u ON u.source_table = 'customers' AND u.source_uuid = m.source_uuid
WHERE m.reason IS NULL AND m.source_uuid = m.survivor
ON CONFLICT (customer_id) DO UPDATE SET customer_name = EXCLUDED.customer_name, email = EXCLUDED.email,
    phone = EXCLUDED.phone, state = EXCLUDED.state, registration_date = EXCLUDED.registration_date,
    customer_segment = EXCLUDED.customer_segment, status = EXCLUDED.status, churn_date = EXCLUDED.churn_date,
    created_at = EXCLUDED.created_at;

INSERT INTO migration.rejections SELECT 'customers', source_uuid::text, reason FROM mig_customers WHERE reason IS NOT NULL;

-- ---------------------------------------------------------------- plan history
-- Per customer, plans chain by start date: each ends the day before the next starts (or at
-- its own earlier expiration). The last one is the current plan of an Active or Suspended
-- customer (open-ended, active); for an Inactive one it ends at its expiration or churn.
INSERT INTO migration.uuid_map (source_table, source_uuid, target_id)
SELECT 'customer_service_plans', p.source_uuid,
       greatest(9000000000000, (SELECT max(target_id) FROM migration.uuid_map WHERE source_table = 'customer_service_plans'))
       + row_number() OVER (ORDER BY c.target_id, p.activation_date, p.source_uuid)
FROM mig_plan_rows p JOIN migration.uuid_map c ON c.source_table = 'customers' AND c.source_uuid = p.survivor
WHERE p.reason IS NULL
  AND NOT EXISTS (SELECT FROM migration.uuid_map u WHERE u.source_table = 'customer_service_plans' AND u.source_uuid = p.source_uuid);

DELETE FROM customer_service_plans WHERE customer_service_plan_id >= 9000000000000;
INSERT INTO customer_service_plans (customer_service_plan_id, customer_id, service_plan_id, start_date, end_date,
                                    change_type, is_active, created_at)
SELECT id, customer_id, service_plan_id, start_date,
       CASE WHEN next_start IS NOT NULL THEN least(coalesce(expiration_date, next_start - 1), next_start - 1)
            WHEN customer_status IN ('Active', 'Suspended') THEN NULL
            ELSE greatest(start_date, coalesce(expiration_date, churn_date, start_date)) END,
       CASE WHEN previous_plan IS NULL THEN 'New'
            WHEN (tier, fee) >= (previous_tier, previous_fee) THEN 'Upgrade' ELSE 'Downgrade' END,
       next_start IS NULL AND customer_status IN ('Active', 'Suspended'),
       start_date::timestamp AT TIME ZONE 'UTC'
FROM (
    SELECT u.target_id AS id, c.target_id AS customer_id, p.service_plan_id, p.activation_date AS start_date,
           p.expiration_date, cust.status AS customer_status, cust.churn_date,
           sp.plan_tier AS tier, sp.monthly_fee AS fee,
           lead(p.activation_date) OVER w AS next_start,
           lag(p.service_plan_id) OVER w AS previous_plan,
           lag(sp.plan_tier) OVER w AS previous_tier,
           lag(sp.monthly_fee) OVER w AS previous_fee
    FROM mig_plan_rows p
    JOIN migration.uuid_map c ON c.source_table = 'customers' AND c.source_uuid = p.survivor
    JOIN migration.uuid_map u ON u.source_table = 'customer_service_plans' AND u.source_uuid = p.source_uuid
    JOIN customers cust ON cust.customer_id = c.target_id
    JOIN service_plans sp ON sp.service_plan_id = p.service_plan_id
    WHERE p.reason IS NULL
    WINDOW w AS (PARTITION BY c.target_id ORDER BY p.activation_date, p.source_uuid)
) chain;

INSERT INTO migration.rejections
SELECT 'customer_service_plans', source_key, reason FROM mig_plan_rows WHERE reason IS NOT NULL;

INSERT INTO migration.report (source_table, outcome, reason, rows)
SELECT 'customers', 'migrated',
       CASE WHEN source_uuid <> survivor THEN 'merged into the customer with the same msisdn'
            ELSE concat_ws('; ', nullif(repair, ''),
                           CASE WHEN status IN ('Active', 'Suspended') AND NOT EXISTS (
                                    SELECT FROM mig_plan_rows p WHERE p.survivor = m.survivor AND p.reason IS NULL)
                                THEN 'active without a usable plan: migrated without one' END) END, count(*)
FROM mig_customers m WHERE reason IS NULL GROUP BY 3
UNION ALL
SELECT 'customer_service_plans', 'migrated', '', count(*) FROM mig_plan_rows WHERE reason IS NULL;
