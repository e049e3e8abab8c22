SELECT * FROM analytics.daily_channel_summary WHERE summary_date = %(day)s::date ORDER BY channel_id
