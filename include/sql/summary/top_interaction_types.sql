-- Top interaction types over %(start)s..%(end)s, with average handle time in minutes.
SELECT
    t.interaction_name,
    sum(s.interaction_count) AS interactions,
    round(sum(s.duration_sum)::numeric / nullif(sum(s.duration_count), 0) / 60, 1) AS aht_minutes
FROM analytics.daily_interaction_type_summary AS s
JOIN interaction_types AS t ON t.interaction_type_id = s.interaction_type_id
WHERE s.summary_date BETWEEN %(start)s AND %(end)s
GROUP BY t.interaction_name
ORDER BY interactions DESC
LIMIT 5;
