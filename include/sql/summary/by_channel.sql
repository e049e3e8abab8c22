-- Volume and satisfaction by channel over %(start)s..%(end)s, from the summary table.
SELECT
    c.channel_name,
    sum(s.interaction_count) AS interactions,
    round(sum(s.satisfaction_sum)::numeric / nullif(sum(s.survey_responses), 0), 2) AS avg_satisfaction,
    round(sum(s.csat_pct * s.survey_responses) / nullif(sum(s.survey_responses), 0), 1) AS csat_pct
FROM analytics.daily_channel_summary AS s
JOIN channels AS c ON c.channel_id = s.channel_id
WHERE s.summary_date BETWEEN %(start)s AND %(end)s
GROUP BY c.channel_name
ORDER BY interactions DESC;
