-- The planted events in force on the day (the ledger an analyst reads to tell an outage from noise).
SELECT * FROM planted_events WHERE start_date <= %(day)s::date AND end_date >= %(day)s::date ORDER BY event_id
