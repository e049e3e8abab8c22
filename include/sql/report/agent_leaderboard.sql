-- Top 10 agents by interactions handled over the window, with CSAT percentage, average
-- satisfaction and average handle time rolled up from sums and counts.
-- Params: %(start)s, %(end)s (inclusive dates).
SELECT
    a.agent_name,
    a.team,
    sum(p.interactions_handled)                                           AS interactions,
    100 * sum(p.csat_pct / 100 * p.survey_responses) FILTER (WHERE p.csat_pct IS NOT NULL)
        / nullif(sum(p.survey_responses) FILTER (WHERE p.csat_pct IS NOT NULL), 0) AS csat_pct,
    sum(p.satisfaction_sum)::numeric / nullif(sum(p.survey_responses), 0) AS avg_satisfaction,
    sum(p.duration_sum)::numeric / nullif(sum(p.duration_count), 0)       AS avg_handle_seconds
FROM analytics.daily_agent_performance AS p
JOIN agents AS a USING (agent_id)
WHERE p.summary_date BETWEEN %(start)s AND %(end)s
GROUP BY a.agent_id, a.agent_name, a.team
ORDER BY interactions DESC, a.agent_name
LIMIT 10;
