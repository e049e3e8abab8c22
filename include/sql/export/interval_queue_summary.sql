-- The day's 15-minute intervals (by their UTC start).
SELECT * FROM analytics.interval_queue_summary
WHERE interval_start >= (%(day)s::date)::timestamp AT TIME ZONE 'UTC'
  AND interval_start < (%(day)s::date + 1)::timestamp AT TIME ZONE 'UTC'
ORDER BY interval_start, queue_id
