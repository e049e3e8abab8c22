-- Top 10 agents (by id; the name is shown) by interactions handled over the window, with
-- CSAT percentage, average satisfaction and average handle time from the read layer.
-- Params: %(start)s, %(end)s (inclusive dates).
SELECT
    k.agent_name,
    k.team,
    k.interactions_handled AS interactions,
    k.csat_pct,
    k.avg_satisfaction,
    k.avg_duration_seconds AS avg_handle_seconds
FROM analytics.agent_kpis(%(start)s, %(end)s) AS k
ORDER BY k.interactions_handled DESC, k.agent_name, k.agent_id
LIMIT 10;
