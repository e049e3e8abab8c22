-- Daily CSAT percentage (share of answered surveys scoring 4-5) and average satisfaction
-- across all channels: each day is the read layer's range day..day. Days without
-- interactions are left out. Params: %(start)s, %(end)s (inclusive dates).
WITH window_days AS (
    SELECT d::date AS day
    FROM generate_series(%(start)s::date, %(end)s::date, interval '1 day') AS d
)

SELECT
    w.day AS summary_date,
    k.interaction_count AS interactions,
    k.survey_responses,
    k.csat_pct,
    k.avg_satisfaction
FROM window_days AS w
CROSS JOIN LATERAL analytics.overall_kpis(w.day, w.day) AS k
WHERE k.interaction_count > 0
ORDER BY w.day;
