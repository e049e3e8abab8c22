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
