-- Average handle time per interaction type over the window (types without any timed
-- interaction are left out: asynchronous channels carry no duration).
-- Params: %(start)s, %(end)s (inclusive dates).
SELECT
    t.interaction_name,
    sum(s.interaction_count)                                        AS interactions,
    sum(s.duration_sum)::numeric / nullif(sum(s.duration_count), 0) AS avg_handle_seconds
FROM analytics.daily_interaction_type_summary AS s
JOIN interaction_types AS t USING (interaction_type_id)
WHERE s.summary_date BETWEEN %(start)s AND %(end)s
GROUP BY t.interaction_name
HAVING sum(s.duration_count) > 0
ORDER BY avg_handle_seconds DESC, t.interaction_name;
