-- Per interaction type over first_day..last_day (analytics.contact_kpis).
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
    SELECT
        it.interaction_type_id, it.interaction_name,
        k.interaction_count, k.survey_responses, k.satisfaction_sum, k.csat_positive_count, k.duration_count,
        k.duration_sum, k.first_contact_resolutions, k.escalations, k.repeat_contacts,
        k.avg_satisfaction, k.csat_pct, k.first_contact_resolution_rate, k.escalation_rate,
        k.repeat_contact_rate, k.avg_duration_seconds
    FROM analytics.contact_kpis('interaction_type', first_day, last_day) AS k
    JOIN interaction_types AS it ON it.interaction_type_id = k.member_id
$$;
