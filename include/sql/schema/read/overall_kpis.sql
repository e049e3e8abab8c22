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
    SELECT
        coalesce(sum(s.interaction_count), 0)::bigint,
        coalesce(sum(s.survey_responses), 0)::bigint,
        coalesce(sum(s.satisfaction_sum), 0)::bigint,
        coalesce(sum(s.csat_positive_count), 0)::bigint,
        coalesce(sum(s.duration_count), 0)::bigint,
        coalesce(sum(s.duration_sum), 0)::bigint,
        coalesce(sum(s.queue_time_sum), 0)::bigint,
        coalesce(sum(s.first_contact_resolutions), 0)::bigint,
        coalesce(sum(s.escalations), 0)::bigint,
        coalesce(sum(s.repeat_contacts), 0)::bigint,
        analytics.ratio(sum(s.satisfaction_sum), sum(s.survey_responses)),
        100 * analytics.ratio(sum(s.csat_positive_count), sum(s.survey_responses)),
        analytics.ratio(sum(s.survey_responses), sum(s.interaction_count)),
        analytics.ratio(sum(s.first_contact_resolutions), sum(s.interaction_count)),
        analytics.ratio(sum(s.escalations), sum(s.interaction_count)),
        analytics.ratio(sum(s.repeat_contacts), sum(s.interaction_count)),
        analytics.ratio(sum(s.duration_sum), sum(s.duration_count)),
        analytics.ratio(sum(s.queue_time_sum), sum(s.interaction_count))
    FROM analytics.daily_channel_summary AS s
    WHERE s.summary_date BETWEEN first_day AND last_day
$$;
