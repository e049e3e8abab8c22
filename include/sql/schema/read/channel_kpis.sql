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
    WITH totals AS (
        SELECT
            s.channel_id,
            sum(s.interaction_count)::bigint         AS interaction_count,
            sum(s.survey_responses)::bigint          AS survey_responses,
            sum(s.satisfaction_sum)::bigint          AS satisfaction_sum,
            sum(s.csat_positive_count)::bigint       AS csat_positive_count,
            sum(s.duration_count)::bigint            AS duration_count,
            sum(s.duration_sum)::bigint              AS duration_sum,
            sum(s.queue_time_sum)::bigint            AS queue_time_sum,
            sum(s.first_contact_resolutions)::bigint AS first_contact_resolutions,
            sum(s.escalations)::bigint               AS escalations,
            sum(s.repeat_contacts)::bigint           AS repeat_contacts,
            sum(s.resolved_count)::bigint            AS resolved_count,
            sum(s.pending_count)::bigint             AS pending_count,
            sum(s.escalated_count)::bigint           AS escalated_count,
            sum(s.cancelled_count)::bigint           AS cancelled_count
        FROM analytics.daily_channel_summary AS s
        WHERE s.summary_date BETWEEN first_day AND last_day
        GROUP BY s.channel_id
    )
    SELECT
        t.channel_id,
        c.channel_name,
        t.interaction_count,
        t.survey_responses,
        t.satisfaction_sum,
        t.csat_positive_count,
        t.duration_count,
        t.duration_sum,
        t.queue_time_sum,
        t.first_contact_resolutions,
        t.escalations,
        t.repeat_contacts,
        t.resolved_count,
        t.pending_count,
        t.escalated_count,
        t.cancelled_count,
        analytics.ratio(t.satisfaction_sum, t.survey_responses),
        100 * analytics.ratio(t.csat_positive_count, t.survey_responses),
        analytics.ratio(t.survey_responses, t.interaction_count),
        analytics.ratio(t.first_contact_resolutions, t.interaction_count),
        analytics.ratio(t.escalations, t.interaction_count),
        analytics.ratio(t.repeat_contacts, t.interaction_count),
        analytics.ratio(t.duration_sum, t.duration_count),
        analytics.ratio(t.queue_time_sum, t.interaction_count)
    FROM totals AS t
    JOIN channels AS c ON c.channel_id = t.channel_id
$$;
