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
    SELECT
        it.interaction_type_id,
        it.interaction_name,
        sum(s.interaction_count)::bigint,
        sum(s.survey_responses)::bigint,
        sum(s.satisfaction_sum)::bigint,
        sum(s.csat_positive_count)::bigint,
        sum(s.duration_count)::bigint,
        sum(s.duration_sum)::bigint,
        sum(s.first_contact_resolutions)::bigint,
        sum(s.escalations)::bigint,
        sum(s.repeat_contacts)::bigint,
        analytics.ratio(sum(s.satisfaction_sum), sum(s.survey_responses)),
        100 * analytics.ratio(sum(s.csat_positive_count), sum(s.survey_responses)),
        analytics.ratio(sum(s.first_contact_resolutions), sum(s.interaction_count)),
        analytics.ratio(sum(s.escalations), sum(s.interaction_count)),
        analytics.ratio(sum(s.repeat_contacts), sum(s.interaction_count)),
        analytics.ratio(sum(s.duration_sum), sum(s.duration_count))
    FROM analytics.daily_interaction_type_summary AS s
    JOIN interaction_types AS it ON it.interaction_type_id = s.interaction_type_id
    WHERE s.summary_date BETWEEN first_day AND last_day
    GROUP BY it.interaction_type_id
$$;
