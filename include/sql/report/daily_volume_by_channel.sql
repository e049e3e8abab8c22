-- Interactions per day and channel for the stacked volume chart: each day is the read
-- layer's range day..day. Params: %(start)s, %(end)s (inclusive dates).
WITH window_days AS (
    SELECT d::date AS day
    FROM generate_series(%(start)s::date, %(end)s::date, interval '1 day') AS d
)

SELECT
    w.day AS summary_date,
    k.channel_name,
    k.interaction_count AS interactions
FROM window_days AS w
CROSS JOIN LATERAL analytics.channel_kpis(w.day, w.day) AS k
ORDER BY w.day, k.channel_name;
