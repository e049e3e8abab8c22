-- All channels together over first_day..last_day (analytics.contact_kpis' row for all of
-- them): always exactly one row (zeros and NULL ratios for a range without data).
CREATE OR REPLACE FUNCTION analytics.overall_kpis(first_day date, last_day date)
RETURNS TABLE (
    interaction_count             bigint,
    survey_responses              bigint,
    satisfaction_sum              bigint,
    csat_positive_count           bigint,
    duration_count                bigint,
    duration_sum                  bigint,
    queue_time_sum                bigint,
    first_contact_resolutions     bigint,
    escalations                   bigint,
    repeat_contacts               bigint,
    avg_satisfaction              numeric,
    csat_pct                      numeric,
    survey_response_rate          numeric,
    first_contact_resolution_rate numeric,
    escalation_rate               numeric,
    repeat_contact_rate           numeric,
    avg_duration_seconds          numeric,
    avg_queue_time_seconds        numeric
)
LANGUAGE sql STABLE AS $$
    SELECT
        coalesce(k.interaction_count, 0), coalesce(k.survey_responses, 0), coalesce(k.satisfaction_sum, 0),
        coalesce(k.csat_positive_count, 0), coalesce(k.duration_count, 0), coalesce(k.duration_sum, 0),
        coalesce(k.queue_time_sum, 0), coalesce(k.first_contact_resolutions, 0), coalesce(k.escalations, 0),
        coalesce(k.repeat_contacts, 0),
        k.avg_satisfaction, k.csat_pct, k.survey_response_rate, k.first_contact_resolution_rate,
        k.escalation_rate, k.repeat_contact_rate, k.avg_duration_seconds, k.avg_queue_time_seconds
    FROM analytics.contact_kpis('channel', first_day, last_day) AS k
    WHERE k.member_id IS NULL
$$;
