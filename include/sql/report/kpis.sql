-- Report KPI header: one row of window-level rates, rolled up from sums and counts
-- (never by averaging daily averages). Params: %(start)s, %(end)s (inclusive dates).
SELECT
    coalesce(sum(s.interaction_count), 0)                                        AS total_interactions,
    sum(s.satisfaction_sum)::numeric / nullif(sum(s.survey_responses), 0)        AS avg_satisfaction,
    100 * sum(s.csat_pct / 100 * s.survey_responses) FILTER (WHERE s.csat_pct IS NOT NULL)
        / nullif(sum(s.survey_responses) FILTER (WHERE s.csat_pct IS NOT NULL), 0) AS csat_pct,
    sum(s.survey_responses)::numeric / nullif(sum(s.interaction_count), 0)       AS survey_response_rate,
    sum(s.first_contact_resolution_rate * s.interaction_count)
        / nullif(sum(s.interaction_count), 0)                                    AS first_contact_resolution_rate,
    sum(s.escalation_rate * s.interaction_count)
        / nullif(sum(s.interaction_count), 0)                                    AS escalation_rate,
    sum(s.duration_sum)::numeric / nullif(sum(s.duration_count), 0)              AS avg_handle_seconds
FROM analytics.daily_channel_summary AS s
WHERE s.summary_date BETWEEN %(start)s AND %(end)s;
