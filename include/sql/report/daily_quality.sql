-- Daily CSAT percentage (share of answered surveys scoring 4-5) and average satisfaction,
-- rolled up across channels from counts. Params: %(start)s, %(end)s (inclusive dates).
SELECT
    s.summary_date,
    sum(s.interaction_count)                                                     AS interactions,
    sum(s.survey_responses)                                                      AS survey_responses,
    100 * sum(s.csat_pct / 100 * s.survey_responses) FILTER (WHERE s.csat_pct IS NOT NULL)
        / nullif(sum(s.survey_responses) FILTER (WHERE s.csat_pct IS NOT NULL), 0) AS csat_pct,
    sum(s.satisfaction_sum)::numeric / nullif(sum(s.survey_responses), 0)        AS avg_satisfaction
FROM analytics.daily_channel_summary AS s
WHERE s.summary_date BETWEEN %(start)s AND %(end)s
GROUP BY s.summary_date
ORDER BY s.summary_date;
