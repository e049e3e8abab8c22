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
    WITH totals AS (
        SELECT
            p.agent_id,
            sum(p.interactions_handled)::bigint      AS interactions_handled,
            sum(p.survey_responses)::bigint          AS survey_responses,
            sum(p.satisfaction_sum)::bigint          AS satisfaction_sum,
            sum(p.csat_positive_count)::bigint       AS csat_positive_count,
            sum(p.duration_count)::bigint            AS duration_count,
            sum(p.duration_sum)::bigint              AS duration_sum,
            sum(p.resolved_count)::bigint            AS resolved_count,
            sum(p.first_contact_resolutions)::bigint AS first_contact_resolutions,
            sum(p.escalations)::bigint               AS escalations
        FROM analytics.daily_agent_performance AS p
        WHERE p.summary_date BETWEEN first_day AND last_day
        GROUP BY p.agent_id
    )
    SELECT
        t.agent_id,
        a.agent_name,
        a.team,
        t.interactions_handled,
        t.survey_responses,
        t.satisfaction_sum,
        t.csat_positive_count,
        t.duration_count,
        t.duration_sum,
        t.resolved_count,
        t.first_contact_resolutions,
        t.escalations,
        analytics.ratio(t.satisfaction_sum, t.survey_responses),
        100 * analytics.ratio(t.csat_positive_count, t.survey_responses),
        analytics.ratio(t.first_contact_resolutions, t.interactions_handled),
        analytics.ratio(t.escalations, t.interactions_handled),
        analytics.ratio(t.duration_sum, t.duration_count)
    FROM totals AS t
    JOIN agents AS a ON a.agent_id = t.agent_id
$$;
