-- The three daily contact tables in one shape, keyed by dimension ('channel',
-- 'interaction_type', 'agent') and member (that dimension's id): the counts every contact
-- KPI is made of, named as the channel table names them. A count a table does not keep is
-- NULL: queue time and the four statuses are per channel only (resolved also per agent),
-- repeat contacts are not kept per agent. analytics.contact_kpis sums and divides it.
CREATE OR REPLACE VIEW analytics.daily_contact_counts AS
SELECT
    'channel' AS dimension, summary_date, channel_id::integer AS member_id,
    interaction_count, survey_responses, satisfaction_sum, csat_positive_count, duration_count, duration_sum,
    queue_time_sum, first_contact_resolutions, escalations, repeat_contacts,
    resolved_count, pending_count, escalated_count, cancelled_count
FROM analytics.daily_channel_summary
UNION ALL
SELECT
    'interaction_type', summary_date, interaction_type_id,
    interaction_count, survey_responses, satisfaction_sum, csat_positive_count, duration_count, duration_sum,
    NULL, first_contact_resolutions, escalations, repeat_contacts,
    NULL, NULL, NULL, NULL
FROM analytics.daily_interaction_type_summary
UNION ALL
SELECT
    'agent', summary_date, agent_id,
    interactions_handled, survey_responses, satisfaction_sum, csat_positive_count, duration_count, duration_sum,
    NULL, first_contact_resolutions, escalations, NULL,
    resolved_count, NULL, NULL, NULL
FROM analytics.daily_agent_performance;
