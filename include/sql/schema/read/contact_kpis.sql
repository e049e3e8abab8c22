-- Every contact KPI, defined once: each count of analytics.daily_contact_counts summed over
-- first_day..last_day, then each ratio of those sums. One row per member of the dimension
-- that has data in the range, and one (member_id NULL) for all of them together, there
-- even for a range without data (its sums NULL). channel_kpis, interaction_type_kpis,
-- agent_kpis and overall_kpis are this function with their dimension's names and columns.
CREATE OR REPLACE FUNCTION analytics.contact_kpis(dimension text, first_day date, last_day date)
RETURNS TABLE (
    member_id integer,
    interaction_count bigint, survey_responses bigint, satisfaction_sum bigint, csat_positive_count bigint,
    duration_count bigint, duration_sum bigint, queue_time_sum bigint,
    first_contact_resolutions bigint, escalations bigint, repeat_contacts bigint,
    resolved_count bigint, pending_count bigint, escalated_count bigint, cancelled_count bigint,
    avg_satisfaction numeric, csat_pct numeric, survey_response_rate numeric,
    first_contact_resolution_rate numeric, escalation_rate numeric, repeat_contact_rate numeric,
    avg_duration_seconds numeric, avg_queue_time_seconds numeric
)
LANGUAGE sql STABLE AS $$
    SELECT
        t.*,
        analytics.ratio(t.satisfaction_sum, t.survey_responses),
        100 * analytics.ratio(t.csat_positive_count, t.survey_responses),
        analytics.ratio(t.survey_responses, t.interaction_count),
        analytics.ratio(t.first_contact_resolutions, t.interaction_count),
        analytics.ratio(t.escalations, t.interaction_count),
        analytics.ratio(t.repeat_contacts, t.interaction_count),
        analytics.ratio(t.duration_sum, t.duration_count),
        analytics.ratio(t.queue_time_sum, t.interaction_count)
    FROM (
        SELECT
            c.member_id,
            sum(c.interaction_count)::bigint AS interaction_count,
            sum(c.survey_responses)::bigint AS survey_responses,
            sum(c.satisfaction_sum)::bigint AS satisfaction_sum,
            sum(c.csat_positive_count)::bigint AS csat_positive_count,
            sum(c.duration_count)::bigint AS duration_count,
            sum(c.duration_sum)::bigint AS duration_sum,
            sum(c.queue_time_sum)::bigint AS queue_time_sum,
            sum(c.first_contact_resolutions)::bigint AS first_contact_resolutions,
            sum(c.escalations)::bigint AS escalations,
            sum(c.repeat_contacts)::bigint AS repeat_contacts,
            sum(c.resolved_count)::bigint AS resolved_count,
            sum(c.pending_count)::bigint AS pending_count,
            sum(c.escalated_count)::bigint AS escalated_count,
            sum(c.cancelled_count)::bigint AS cancelled_count
        FROM analytics.daily_contact_counts AS c
        WHERE c.dimension = contact_kpis.dimension
          AND c.summary_date BETWEEN first_day AND last_day
        GROUP BY ROLLUP (c.member_id)
    ) AS t
$$;
