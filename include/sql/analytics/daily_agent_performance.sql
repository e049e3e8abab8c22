-- analytics.daily_agent_performance for one UTC day, %(day)s: sums and counts only (ratios
-- are computed on read, by analytics.agent_kpis). Self-service contacts (agent_id NULL)
-- have no agent row. Replaces that day only.
DELETE FROM analytics.daily_agent_performance WHERE summary_date = %(day)s::date;

INSERT INTO analytics.daily_agent_performance (
    summary_date, agent_id, interactions_handled, survey_responses, satisfaction_sum,
    duration_count, duration_sum, resolved_count,
    csat_positive_count, first_contact_resolutions, escalations
)
WITH day_interactions AS (
    SELECT *
    FROM interaction_days.of_day(%(day)s::date)
    WHERE agent_id IS NOT NULL
),

per_agent AS (
    SELECT
        agent_id,
        count(*) AS interactions_handled,
        count(satisfaction_score) AS survey_responses,
        coalesce(sum(satisfaction_score), 0) AS satisfaction_sum,
        count(duration_seconds) AS duration_count,
        coalesce(sum(duration_seconds), 0) AS duration_sum,
        count(*) FILTER (WHERE resolution_status = 'Resolved') AS resolved_count,
        count(*) FILTER (WHERE satisfaction_score >= 4) AS csat_positive_count,
        count(*) FILTER (WHERE first_contact_resolution) AS first_contact_resolutions,
        count(*) FILTER (WHERE is_escalated) AS escalations
    FROM day_interactions
    GROUP BY agent_id
)

SELECT
    %(day)s::date, agent_id, interactions_handled, survey_responses, satisfaction_sum,
    duration_count, duration_sum, resolved_count,
    csat_positive_count, first_contact_resolutions, escalations
FROM per_agent;
