-- Report KPI header: one row for the whole window, all channels, from the read layer
-- (counts summed over the window, then divided). Params: %(start)s, %(end)s (inclusive).
SELECT
    k.interaction_count AS total_interactions,
    k.avg_satisfaction,
    k.csat_pct,
    k.survey_response_rate,
    k.first_contact_resolution_rate,
    k.escalation_rate,
    k.avg_duration_seconds AS avg_handle_seconds
FROM analytics.overall_kpis(%(start)s, %(end)s) AS k;
