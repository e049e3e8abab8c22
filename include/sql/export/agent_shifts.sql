SELECT * FROM agent_shifts WHERE shift_date = %(day)s::date ORDER BY agent_id
