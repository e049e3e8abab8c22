-- analytics.daily_channel_summary for one UTC day, %(day)s. Replaces that day only.
DELETE FROM analytics.daily_channel_summary WHERE summary_date = %(day)s::date;

INSERT INTO analytics.daily_channel_summary
WITH day_interactions AS (
    SELECT *
    FROM interaction_days.of_day(%(day)s::date)
),

per_channel AS (
    SELECT
        channel_id,
        count(*) AS interaction_count,
        avg(satisfaction_score) AS avg_satisfaction,
        avg(duration_seconds) AS avg_duration_seconds,
        percentile_cont(0.5) WITHIN GROUP (ORDER BY duration_seconds) AS median_duration_seconds,
        percentile_cont(0.9) WITHIN GROUP (ORDER BY duration_seconds) AS p90_duration_seconds,
        avg(queue_time_seconds) AS avg_queue_time_seconds,
        count(satisfaction_score) AS survey_responses,
        coalesce(sum(satisfaction_score), 0) AS satisfaction_sum,
        count(duration_seconds) AS duration_count,
        coalesce(sum(duration_seconds), 0) AS duration_sum,
        100.0 * count(*) FILTER (WHERE satisfaction_score >= 4) / nullif(count(satisfaction_score), 0) AS csat_pct,
        count(satisfaction_score)::numeric / count(*) AS survey_response_rate,
        avg(first_contact_resolution::int) AS first_contact_resolution_rate,
        avg(is_escalated::int) AS escalation_rate,
        avg(is_repeat_contact::int) AS repeat_contact_rate,
        count(*) FILTER (WHERE resolution_status = 'Resolved') AS resolved_count,
        count(*) FILTER (WHERE resolution_status = 'Pending') AS pending_count,
        count(*) FILTER (WHERE resolution_status = 'Escalated') AS escalated_count,
        count(*) FILTER (WHERE resolution_status = 'Cancelled') AS cancelled_count
    FROM day_interactions
    GROUP BY channel_id
)

SELECT %(day)s::date AS summary_date, per_channel.*
FROM per_channel;
