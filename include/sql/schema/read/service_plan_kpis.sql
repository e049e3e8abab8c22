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
