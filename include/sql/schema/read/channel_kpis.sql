-- Per channel over first_day..last_day (analytics.contact_kpis).
CREATE OR REPLACE FUNCTION analytics.channel_kpis(first_day date, last_day date)
RETURNS TABLE (
    channel_id                    smallint,
    channel_name                  text,
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
    resolved_count                bigint,
    pending_count                 bigint,
    escalated_count               bigint,
    cancelled_count               bigint,
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
        c.channel_id, c.channel_name,
        k.interaction_count, k.survey_responses, k.satisfaction_sum, k.csat_positive_count, k.duration_count,
        k.duration_sum, k.queue_time_sum, k.first_contact_resolutions, k.escalations, k.repeat_contacts,
        k.resolved_count, k.pending_count, k.escalated_count, k.cancelled_count,
        k.avg_satisfaction, k.csat_pct, k.survey_response_rate, k.first_contact_resolution_rate,
        k.escalation_rate, k.repeat_contact_rate, k.avg_duration_seconds, k.avg_queue_time_seconds
    FROM analytics.contact_kpis('channel', first_day, last_day) AS k
    JOIN channels AS c ON c.channel_id = k.member_id
$$;
