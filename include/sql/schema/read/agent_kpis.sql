-- Per agent (by id; name and team shown) over first_day..last_day (analytics.contact_kpis).
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
        a.agent_id, a.agent_name, a.team,
        k.interaction_count, k.survey_responses, k.satisfaction_sum, k.csat_positive_count, k.duration_count,
        k.duration_sum, k.resolved_count, k.first_contact_resolutions, k.escalations,
        k.avg_satisfaction, k.csat_pct, k.first_contact_resolution_rate, k.escalation_rate, k.avg_duration_seconds
    FROM analytics.contact_kpis('agent', first_day, last_day) AS k
    JOIN agents AS a ON a.agent_id = k.member_id
$$;
