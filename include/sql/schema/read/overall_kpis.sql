-- All channels together over first_day..last_day: always exactly one row (zeros and
-- NULL ratios for a range without data).
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
    WITH totals AS (
        SELECT
            coalesce(sum(s.interaction_count), 0)::bigint         AS interaction_count,
            coalesce(sum(s.survey_responses), 0)::bigint          AS survey_responses,
            coalesce(sum(s.satisfaction_sum), 0)::bigint          AS satisfaction_sum,
            coalesce(sum(s.csat_positive_count), 0)::bigint       AS csat_positive_count,
            coalesce(sum(s.duration_count), 0)::bigint            AS duration_count,
            coalesce(sum(s.duration_sum), 0)::bigint              AS duration_sum,
            coalesce(sum(s.queue_time_sum), 0)::bigint            AS queue_time_sum,
            coalesce(sum(s.first_contact_resolutions), 0)::bigint AS first_contact_resolutions,
            coalesce(sum(s.escalations), 0)::bigint               AS escalations,
            coalesce(sum(s.repeat_contacts), 0)::bigint           AS repeat_contacts
        FROM analytics.daily_channel_summary AS s
        WHERE s.summary_date BETWEEN first_day AND last_day
    )
    SELECT
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
        analytics.ratio(t.satisfaction_sum, t.survey_responses),
        100 * analytics.ratio(t.csat_positive_count, t.survey_responses),
        analytics.ratio(t.survey_responses, t.interaction_count),
        analytics.ratio(t.first_contact_resolutions, t.interaction_count),
        analytics.ratio(t.escalations, t.interaction_count),
        analytics.ratio(t.repeat_contacts, t.interaction_count),
        analytics.ratio(t.duration_sum, t.duration_count),
        analytics.ratio(t.queue_time_sum, t.interaction_count)
    FROM totals AS t
$$;
