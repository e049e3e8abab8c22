-- Full rebuild of every summary table from customer_interactions (repair, or after a
-- definition changed). Run by `cca summaries rebuild` (include.analytics.rebuild_all), which then
-- refreshes each loaded day with the per-day files.
TRUNCATE analytics.daily_channel_summary, analytics.daily_interaction_type_summary,
         analytics.daily_agent_performance, analytics.daily_service_plan_summary,
         analytics.daily_customer_activity, analytics.customer_summary,
         analytics.interval_queue_summary;
