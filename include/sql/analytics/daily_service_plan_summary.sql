-- analytics.daily_service_plan_summary for one UTC day, %(day)s: customers on each plan
-- that day and the contacts they made (ratios are computed on read, by
-- analytics.service_plan_kpis). Replaces that day only.
DELETE FROM analytics.daily_service_plan_summary WHERE summary_date = %(day)s::date;

INSERT INTO analytics.daily_service_plan_summary (
    summary_date, service_plan_id, active_customers, interaction_count, survey_responses, satisfaction_sum
)
WITH plans_in_force AS (
    SELECT customer_id, service_plan_id
    FROM customer_service_plans
    WHERE start_date <= %(day)s::date
      AND (end_date IS NULL OR end_date >= %(day)s::date)
),

day_interactions AS (
    SELECT customer_id, satisfaction_score
    FROM interaction_days.of_day(%(day)s::date)
),

customers_per_plan AS (
    SELECT service_plan_id, count(*) AS active_customers
    FROM plans_in_force
    GROUP BY service_plan_id
),

contacts_per_plan AS (
    SELECT
        p.service_plan_id,
        count(*) AS interaction_count,
        count(i.satisfaction_score) AS survey_responses,
        coalesce(sum(i.satisfaction_score), 0) AS satisfaction_sum
    FROM day_interactions AS i
    JOIN plans_in_force AS p ON p.customer_id = i.customer_id
    GROUP BY p.service_plan_id
)

SELECT
    %(day)s::date AS summary_date,
    c.service_plan_id,
    c.active_customers,
    coalesce(k.interaction_count, 0) AS interaction_count,
    coalesce(k.survey_responses, 0) AS survey_responses,
    coalesce(k.satisfaction_sum, 0) AS satisfaction_sum
FROM customers_per_plan AS c
LEFT JOIN contacts_per_plan AS k ON k.service_plan_id = c.service_plan_id;
