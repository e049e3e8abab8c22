-- `cca compare` (docs/twins.md): per UTC day and service group (and all groups, group NULL), the
-- sums of analytics.interval_queue_summary that ASA, abandonment, service level, AHT and
-- occupancy are ratios of (as analytics.interval_kpis divides them).
SELECT
    (s.interval_start AT TIME ZONE 'UTC')::date AS day,
    q.service_group AS member,
    sum(s.offered)::bigint AS offered,
    sum(s.handled)::bigint AS handled,
    sum(s.abandoned)::bigint AS abandoned,
    sum(s.answered_within_target)::bigint AS within_target,
    sum(s.answer_wait_seconds)::bigint AS wait_seconds,
    sum(s.handle_seconds)::bigint AS handle_seconds,
    sum(s.busy_seconds)::bigint AS busy_seconds,
    sum(s.agent_seconds * q.concurrency)::bigint AS seat_seconds
FROM analytics.interval_queue_summary AS s
JOIN service_queues AS q ON q.queue_id = s.queue_id
WHERE s.interval_start >= %(first_day)s::date::timestamp AT TIME ZONE 'UTC'
  AND s.interval_start < (%(last_day)s::date + 1)::timestamp AT TIME ZONE 'UTC'
GROUP BY 1, rollup(q.service_group)
