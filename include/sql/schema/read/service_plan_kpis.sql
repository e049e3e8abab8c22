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
    SELECT
        sp.service_plan_id,
        sp.plan_name,
        sum(s.active_customers)::bigint,
        sum(s.interaction_count)::bigint,
        sum(s.survey_responses)::bigint,
        sum(s.satisfaction_sum)::bigint,
        analytics.ratio(sum(s.satisfaction_sum), sum(s.survey_responses)),
        100 * analytics.ratio(sum(s.interaction_count), sum(s.active_customers))
    FROM analytics.daily_service_plan_summary AS s
    JOIN service_plans AS sp ON sp.service_plan_id = s.service_plan_id
    WHERE s.summary_date BETWEEN first_day AND last_day
    GROUP BY sp.service_plan_id
$$;
