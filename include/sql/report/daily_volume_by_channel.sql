-- Interactions per day and channel for the stacked volume chart.
-- Params: %(start)s, %(end)s (inclusive dates).
SELECT
    s.summary_date,
    c.channel_name,
    sum(s.interaction_count) AS interactions
FROM analytics.daily_channel_summary AS s
JOIN channels AS c USING (channel_id)
WHERE s.summary_date BETWEEN %(start)s AND %(end)s
GROUP BY s.summary_date, c.channel_name
ORDER BY s.summary_date, c.channel_name;
