SELECT * FROM analytics.daily_interaction_type_summary WHERE summary_date = %(day)s::date ORDER BY interaction_type_id
