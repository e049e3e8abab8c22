-- Average handle time per interaction type over the window, from the read layer (types
-- without any timed interaction are left out: asynchronous channels carry no duration).
-- Params: %(start)s, %(end)s (inclusive dates).
SELECT
    k.interaction_name,
    k.interaction_count AS interactions,
    k.avg_duration_seconds AS avg_handle_seconds
FROM analytics.interaction_type_kpis(%(start)s, %(end)s) AS k
WHERE k.duration_count > 0
ORDER BY avg_handle_seconds DESC, k.interaction_name;
