-- Phone (the Voice queues) per day: service level and abandonment against the agent hours on
-- shift, from the read layer. Days without phone contacts are left out.
-- Params: %(start)s, %(end)s (inclusive dates).
SELECT
    summary_date,
    offered,
    100 * service_level AS service_level_pct,
    100 * abandonment_rate AS abandoned_pct,
    agent_hours
FROM analytics.service_group_day_kpis(%(start)s::date, %(end)s::date)
WHERE service_group = 'Voice' AND offered > 0
ORDER BY summary_date;
