-- analytics.interval_queue_summary for one UTC day, %(day)s: per 15 minutes and queue, the
-- live contacts that arrived (by contact_routing), what became of them, and the agents on
-- shift (agent_shifts, breaks excluded). Counts and sums only: analytics.interval_kpis
-- computes ASA, service level, abandonment, AHT and occupancy on read. Replaces that day only.
DELETE FROM analytics.interval_queue_summary
WHERE interval_start >= %(day)s::date::timestamp AT TIME ZONE 'UTC'
  AND interval_start < (%(day)s::date + 1)::timestamp AT TIME ZONE 'UTC';

INSERT INTO analytics.interval_queue_summary (
    interval_start, queue_id, offered, handled, abandoned, answered_within_target,
    answer_wait_seconds, handle_seconds, agent_seconds
)
WITH day_start AS (
    SELECT %(day)s::date::timestamp AT TIME ZONE 'UTC' AS at
),

-- Live contacts for an agent: answered (an agent) or abandoned in the queue (Cancelled, no
-- agent). Bot sessions on the same channels have no agent and are not Cancelled.
live AS (
    SELECT
        date_bin('15 minutes', i.start_timestamp, d.at) AS interval_start,
        r.queue_id,
        i.agent_id IS NOT NULL AS handled,
        i.queue_time_seconds,
        i.duration_seconds
    FROM interaction_days.of_day(%(day)s::date) AS i
    CROSS JOIN day_start AS d
    JOIN contact_routing AS r
        ON r.interaction_type_id = i.interaction_type_id AND r.channel_id = i.channel_id
    WHERE r.is_live AND (i.agent_id IS NOT NULL OR i.resolution_status = 'Cancelled')
),

contacts AS (
    SELECT
        l.interval_start,
        l.queue_id,
        count(*) AS offered,
        count(*) FILTER (WHERE l.handled) AS handled,
        count(*) FILTER (WHERE NOT l.handled) AS abandoned,
        count(*) FILTER (WHERE l.handled AND l.queue_time_seconds <= q.target_seconds) AS answered_within_target,
        coalesce(sum(l.queue_time_seconds) FILTER (WHERE l.handled), 0) AS answer_wait_seconds,
        coalesce(sum(l.duration_seconds) FILTER (WHERE l.handled), 0) AS handle_seconds
    FROM live AS l
    JOIN service_queues AS q ON q.queue_id = l.queue_id
    GROUP BY l.interval_start, l.queue_id
),

intervals AS (
    SELECT
        iv AS interval_start,
        iv + interval '15 minutes' AS interval_end
    FROM day_start AS d,
        generate_series(d.at, d.at + interval '1 day' - interval '15 minutes', interval '15 minutes') AS iv
),

staffed AS (
    SELECT
        iv.interval_start,
        s.queue_id,
        sum(
            extract(EPOCH FROM least(s.shift_end, iv.interval_end) - greatest(s.shift_start, iv.interval_start))
            -- (least/greatest skip NULLs: a shift without a break needs its own branch)
            - CASE WHEN s.break_start IS NULL THEN 0 ELSE greatest(extract(EPOCH FROM
                least(s.break_end, iv.interval_end) - greatest(s.break_start, iv.interval_start)), 0) END
        )::bigint AS agent_seconds
    FROM agent_shifts AS s
    JOIN intervals AS iv ON iv.interval_start < s.shift_end AND iv.interval_end > s.shift_start
    WHERE s.shift_date = %(day)s::date
    GROUP BY iv.interval_start, s.queue_id
)

SELECT
    interval_start,
    queue_id,
    coalesce(c.offered, 0),
    coalesce(c.handled, 0),
    coalesce(c.abandoned, 0),
    coalesce(c.answered_within_target, 0),
    coalesce(c.answer_wait_seconds, 0),
    coalesce(c.handle_seconds, 0),
    coalesce(st.agent_seconds, 0)
FROM contacts AS c
FULL JOIN staffed AS st USING (interval_start, queue_id);
