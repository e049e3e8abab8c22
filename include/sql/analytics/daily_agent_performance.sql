-- analytics.daily_agent_performance for one UTC day, %(day)s. Self-service contacts
-- (agent_id NULL) have no agent row. Replaces that day only.
DELETE FROM analytics.daily_agent_performance WHERE summary_date = %(day)s::date;

INSERT INTO analytics.daily_agent_performance
WITH day_interactions AS (
    SELECT *
    FROM interaction_days.of_day(%(day)s::date)
    WHERE agent_id IS NOT NULL
),

per_agent AS (
    SELECT
        agent_id,
        count(*) AS interactions_handled,
        avg(satisfaction_score) AS avg_satisfaction,
        avg(duration_seconds) AS avg_duration_seconds,
        count(satisfaction_score) AS survey_responses,
        coalesce(sum(satisfaction_score), 0) AS satisfaction_sum,
        count(duration_seconds) AS duration_count,
        coalesce(sum(duration_seconds), 0) AS duration_sum,
        100.0 * count(*) FILTER (WHERE satisfaction_score >= 4) / nullif(count(satisfaction_score), 0) AS csat_pct,
        avg(first_contact_resolution::int) AS first_contact_resolution_rate,
        avg(is_escalated::int) AS escalation_rate,
        count(*) FILTER (WHERE resolution_status = 'Resolved') AS resolved_count
    FROM day_interactions
    GROUP BY agent_id
)

SELECT %(day)s::date AS summary_date, per_agent.*
FROM per_agent;
