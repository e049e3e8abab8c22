-- Per UTC day and service group over first_day..last_day: the interval table summed, ratios
-- on read (the report's service-level and staffing chart).
CREATE OR REPLACE FUNCTION analytics.service_group_day_kpis(first_day date, last_day date)
RETURNS TABLE (
    summary_date     date,
    service_group    text,
    offered          bigint,
    handled          bigint,
    abandoned        bigint,
    service_level    numeric,
    abandonment_rate numeric,
    asa_seconds      numeric,
    agent_hours      numeric,
    occupancy        numeric
)
LANGUAGE sql STABLE AS $$
    SELECT
        (s.interval_start AT TIME ZONE 'UTC')::date,
        q.service_group,
        sum(s.offered)::bigint,
        sum(s.handled)::bigint,
        sum(s.abandoned)::bigint,
        analytics.ratio(sum(s.answered_within_target), sum(s.offered)),
        analytics.ratio(sum(s.abandoned), sum(s.offered)),
        analytics.ratio(sum(s.answer_wait_seconds), sum(s.handled)),
        sum(s.agent_seconds) / 3600.0,
        analytics.ratio(sum(s.busy_seconds), sum(s.agent_seconds * q.concurrency))
    FROM analytics.interval_queue_summary AS s
    JOIN service_queues AS q ON q.queue_id = s.queue_id
    WHERE s.interval_start >= first_day::timestamp AT TIME ZONE 'UTC'
      AND s.interval_start < (last_day + 1)::timestamp AT TIME ZONE 'UTC'
    GROUP BY 1, 2
$$;
