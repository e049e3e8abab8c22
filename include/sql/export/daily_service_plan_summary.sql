SELECT * FROM analytics.daily_service_plan_summary WHERE summary_date = %(day)s::date ORDER BY service_plan_id
