SELECT * FROM analytics.daily_agent_performance WHERE summary_date = %(day)s::date ORDER BY agent_id
