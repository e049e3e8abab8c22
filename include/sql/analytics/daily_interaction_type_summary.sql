-- analytics.daily_interaction_type_summary for one UTC day, %(day)s. Replaces that day only.
DELETE FROM analytics.daily_interaction_type_summary WHERE summary_date = %(day)s::date;

INSERT INTO analytics.daily_interaction_type_summary
WITH day_interactions AS (
    SELECT *
    FROM interaction_days.of_day(%(day)s::date)
),

per_type AS (
    SELECT
        interaction_type_id,
        count(*) AS interaction_count,
        avg(duration_seconds) AS avg_duration_seconds,
        percentile_cont(0.5) WITHIN GROUP (ORDER BY duration_seconds) AS median_duration_seconds,
        percentile_cont(0.9) WITHIN GROUP (ORDER BY duration_seconds) AS p90_duration_seconds,
        avg(satisfaction_score) AS avg_satisfaction,
        count(satisfaction_score) AS survey_responses,
        coalesce(sum(satisfaction_score), 0) AS satisfaction_sum,
        count(duration_seconds) AS duration_count,
        coalesce(sum(duration_seconds), 0) AS duration_sum,
        100.0 * count(*) FILTER (WHERE satisfaction_score >= 4) / nullif(count(satisfaction_score), 0) AS csat_pct,
        avg(first_contact_resolution::int) AS first_contact_resolution_rate,
        avg(is_escalated::int) AS escalation_rate,
        avg(is_repeat_contact::int) AS repeat_contact_rate
    FROM day_interactions
    GROUP BY interaction_type_id
)

SELECT %(day)s::date AS summary_date, per_type.*
FROM per_type;
