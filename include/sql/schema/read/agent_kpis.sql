-- Per agent (by id; name and team shown) over first_day..last_day.
CREATE OR REPLACE FUNCTION analytics.agent_kpis(first_day date, last_day date)
RETURNS TABLE (
    agent_id                      integer,
    agent_name                    text,
    team                          text,
    interactions_handled          bigint,
    survey_responses              bigint,
    satisfaction_sum              bigint,
    csat_positive_count           bigint,
    duration_count                bigint,
    duration_sum                  bigint,
    resolved_count                bigint,
    first_contact_resolutions     bigint,
    escalations                   bigint,
    avg_satisfaction              numeric,
    csat_pct                      numeric,
    first_contact_resolution_rate numeric,
    escalation_rate               numeric,
    avg_duration_seconds          numeric
)
LANGUAGE sql STABLE AS $$
    SELECT
        a.agent_id,
        a.agent_name,
        a.team,
        sum(p.interactions_handled)::bigint,
        sum(p.survey_responses)::bigint,
        sum(p.satisfaction_sum)::bigint,
        sum(p.csat_positive_count)::bigint,
        sum(p.duration_count)::bigint,
        sum(p.duration_sum)::bigint,
        sum(p.resolved_count)::bigint,
        sum(p.first_contact_resolutions)::bigint,
        sum(p.escalations)::bigint,
        analytics.ratio(sum(p.satisfaction_sum), sum(p.survey_responses)),
        100 * analytics.ratio(sum(p.csat_positive_count), sum(p.survey_responses)),
        analytics.ratio(sum(p.first_contact_resolutions), sum(p.interactions_handled)),
        analytics.ratio(sum(p.escalations), sum(p.interactions_handled)),
        analytics.ratio(sum(p.duration_sum), sum(p.duration_count))
    FROM analytics.daily_agent_performance AS p
    JOIN agents AS a ON a.agent_id = p.agent_id
    WHERE p.summary_date BETWEEN first_day AND last_day
    GROUP BY a.agent_id
$$;
