-- Per queue and interval over first_day..last_day (UTC days): average speed of answer,
-- service level (share of offered answered within the queue's target; abandoned count as
-- missed), abandonment, AHT, agents scheduled and their occupancy (busy time inside the
-- interval over the seats' time on shift, never above 1).
CREATE OR REPLACE FUNCTION analytics.interval_kpis(first_day date, last_day date)
RETURNS TABLE (
    interval_start     timestamptz,
    queue_id           smallint,
    department         text,
    service_group      text,
    offered            integer,
    handled            integer,
    abandoned          integer,
    asa_seconds        numeric,
    service_level      numeric,
    abandonment_rate   numeric,
    aht_seconds        numeric,
    scheduled_agents   numeric,
    occupancy          numeric
)
LANGUAGE sql STABLE AS $$
    SELECT
        s.interval_start,
        s.queue_id,
        q.department,
        q.service_group,
        s.offered,
        s.handled,
        s.abandoned,
        analytics.ratio(s.answer_wait_seconds, s.handled),
        analytics.ratio(s.answered_within_target, s.offered),
        analytics.ratio(s.abandoned, s.offered),
        analytics.ratio(s.handle_seconds, s.handled),
        s.agent_seconds / (60.0 * 15),
        analytics.ratio(s.busy_seconds, s.agent_seconds * q.concurrency)
    FROM analytics.interval_queue_summary AS s
    JOIN service_queues AS q ON q.queue_id = s.queue_id
    WHERE s.interval_start >= first_day::timestamp AT TIME ZONE 'UTC'
      AND s.interval_start < (last_day + 1)::timestamp AT TIME ZONE 'UTC'
$$;
