-- analytics.daily_interaction_type_summary for one UTC day, %(day)s: sums and counts only
-- (ratios are computed on read, by analytics.interaction_type_kpis). Replaces that day only.
DELETE FROM analytics.daily_interaction_type_summary WHERE summary_date = %(day)s::date;

INSERT INTO analytics.daily_interaction_type_summary (
    summary_date, interaction_type_id, interaction_count, median_duration_seconds, p90_duration_seconds,
    survey_responses, satisfaction_sum, duration_count, duration_sum,
    csat_positive_count, first_contact_resolutions, escalations, repeat_contacts
)
WITH day_interactions AS (
    SELECT *
    FROM interaction_days.of_day(%(day)s::date)
),

per_type AS (
    SELECT
        interaction_type_id,
        count(*) AS interaction_count,
        percentile_cont(0.5) WITHIN GROUP (ORDER BY duration_seconds) AS median_duration_seconds,
        percentile_cont(0.9) WITHIN GROUP (ORDER BY duration_seconds) AS p90_duration_seconds,
        count(satisfaction_score) AS survey_responses,
        coalesce(sum(satisfaction_score), 0) AS satisfaction_sum,
        count(duration_seconds) AS duration_count,
        coalesce(sum(duration_seconds), 0) AS duration_sum,
        count(*) FILTER (WHERE satisfaction_score >= 4) AS csat_positive_count,
        count(*) FILTER (WHERE first_contact_resolution) AS first_contact_resolutions,
        count(*) FILTER (WHERE is_escalated) AS escalations,
        count(*) FILTER (WHERE is_repeat_contact) AS repeat_contacts
    FROM day_interactions
    GROUP BY interaction_type_id
)

SELECT
    %(day)s::date, interaction_type_id, interaction_count, median_duration_seconds, p90_duration_seconds,
    survey_responses, satisfaction_sum, duration_count, duration_sum,
    csat_positive_count, first_contact_resolutions, escalations, repeat_contacts
FROM per_type;
