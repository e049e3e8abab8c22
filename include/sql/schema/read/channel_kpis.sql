-- Per channel over first_day..last_day.
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
        c.channel_id,
        c.channel_name,
        sum(s.interaction_count)::bigint,
        sum(s.survey_responses)::bigint,
        sum(s.satisfaction_sum)::bigint,
        sum(s.csat_positive_count)::bigint,
        sum(s.duration_count)::bigint,
        sum(s.duration_sum)::bigint,
        sum(s.queue_time_sum)::bigint,
        sum(s.first_contact_resolutions)::bigint,
        sum(s.escalations)::bigint,
        sum(s.repeat_contacts)::bigint,
        sum(s.resolved_count)::bigint,
        sum(s.pending_count)::bigint,
        sum(s.escalated_count)::bigint,
        sum(s.cancelled_count)::bigint,
        analytics.ratio(sum(s.satisfaction_sum), sum(s.survey_responses)),
        100 * analytics.ratio(sum(s.csat_positive_count), sum(s.survey_responses)),
        analytics.ratio(sum(s.survey_responses), sum(s.interaction_count)),
        analytics.ratio(sum(s.first_contact_resolutions), sum(s.interaction_count)),
        analytics.ratio(sum(s.escalations), sum(s.interaction_count)),
        analytics.ratio(sum(s.repeat_contacts), sum(s.interaction_count)),
        analytics.ratio(sum(s.duration_sum), sum(s.duration_count)),
        analytics.ratio(sum(s.queue_time_sum), sum(s.interaction_count))
    FROM analytics.daily_channel_summary AS s
    JOIN channels AS c ON c.channel_id = s.channel_id
    WHERE s.summary_date BETWEEN first_day AND last_day
    GROUP BY c.channel_id
$$;
