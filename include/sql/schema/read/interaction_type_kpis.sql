-- Per interaction type over first_day..last_day.
CREATE OR REPLACE FUNCTION analytics.interaction_type_kpis(first_day date, last_day date)
RETURNS TABLE (
    interaction_type_id           smallint,
    interaction_name              text,
    interaction_count             bigint,
    survey_responses              bigint,
    satisfaction_sum              bigint,
    csat_positive_count           bigint,
    duration_count                bigint,
    duration_sum                  bigint,
    first_contact_resolutions     bigint,
    escalations                   bigint,
    repeat_contacts               bigint,
    avg_satisfaction              numeric,
    csat_pct                      numeric,
    first_contact_resolution_rate numeric,
    escalation_rate               numeric,
    repeat_contact_rate           numeric,
    avg_duration_seconds          numeric
)
LANGUAGE sql STABLE AS $$
    WITH totals AS (
        SELECT
            s.interaction_type_id,
            sum(s.interaction_count)::bigint         AS interaction_count,
            sum(s.survey_responses)::bigint          AS survey_responses,
            sum(s.satisfaction_sum)::bigint          AS satisfaction_sum,
            sum(s.csat_positive_count)::bigint       AS csat_positive_count,
            sum(s.duration_count)::bigint            AS duration_count,
            sum(s.duration_sum)::bigint              AS duration_sum,
            sum(s.first_contact_resolutions)::bigint AS first_contact_resolutions,
            sum(s.escalations)::bigint               AS escalations,
            sum(s.repeat_contacts)::bigint           AS repeat_contacts
        FROM analytics.daily_interaction_type_summary AS s
        WHERE s.summary_date BETWEEN first_day AND last_day
        GROUP BY s.interaction_type_id
    )
    SELECT
        t.interaction_type_id,
        it.interaction_name,
        t.interaction_count,
        t.survey_responses,
        t.satisfaction_sum,
        t.csat_positive_count,
        t.duration_count,
        t.duration_sum,
        t.first_contact_resolutions,
        t.escalations,
        t.repeat_contacts,
        analytics.ratio(t.satisfaction_sum, t.survey_responses),
        100 * analytics.ratio(t.csat_positive_count, t.survey_responses),
        analytics.ratio(t.first_contact_resolutions, t.interaction_count),
        analytics.ratio(t.escalations, t.interaction_count),
        analytics.ratio(t.repeat_contacts, t.interaction_count),
        analytics.ratio(t.duration_sum, t.duration_count)
    FROM totals AS t
    JOIN interaction_types AS it ON it.interaction_type_id = t.interaction_type_id
$$;
