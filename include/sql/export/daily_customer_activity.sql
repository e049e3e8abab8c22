SELECT * FROM analytics.daily_customer_activity WHERE summary_date = %(day)s::date ORDER BY customer_id
