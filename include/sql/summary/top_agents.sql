-- Top agents by contacts handled over %(start)s..%(end)s.
SELECT
    a.agent_name,
    sum(s.interactions_handled) AS handled,
    round(sum(s.satisfaction_sum)::numeric / nullif(sum(s.survey_responses), 0), 2) AS avg_satisfaction,
    round(sum(s.duration_sum)::numeric / nullif(sum(s.duration_count), 0) / 60, 1) AS aht_minutes
FROM analytics.daily_agent_performance AS s
JOIN agents AS a ON a.agent_id = s.agent_id
WHERE s.summary_date BETWEEN %(start)s AND %(end)s
GROUP BY a.agent_name
ORDER BY handled DESC
LIMIT 5;
