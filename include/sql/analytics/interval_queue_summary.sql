-- analytics.interval_queue_summary for one UTC day, %(day)s: per 15 minutes and queue, the
-- live contacts that arrived (by contact_routing), what became of them, the agents on shift
-- (every shift overlapping the interval, whichever day wrote it; meal and short breaks
-- excluded), the time they were busy with live contacts inside the interval (the day's
-- contacts sliced across the intervals they ran in, counted while their agent was on shift
-- and not on a break: occupancy never exceeds 1) and the forecast. Counts and sums only: analytics.interval_kpis computes ASA, service
-- level, abandonment, AHT and occupancy on read. Replaces that day only.
DELETE FROM analytics.interval_queue_summary
WHERE interval_start >= %(day)s::date::timestamp AT TIME ZONE 'UTC'
  AND interval_start < (%(day)s::date + 1)::timestamp AT TIME ZONE 'UTC';

INSERT INTO analytics.interval_queue_summary (
    interval_start, queue_id, offered, handled, abandoned, answered_within_target,
    answer_wait_seconds, handle_seconds, agent_seconds, busy_seconds, forecast_offered, agents_needed
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

shifts AS (
    SELECT s.*
    FROM agent_shifts AS s, day_start AS d
    WHERE s.shift_start < d.at + interval '1 day' AND s.shift_end > d.at
      AND s.shift_start > d.at - interval '1 day'  -- (no shift is longer than a day)
),

-- Every break of those shifts: the meal (agent_shifts) and the short ones (agent_shift_breaks).
breaks AS (
    SELECT s.shift_date, s.agent_id, s.break_start, s.break_end
    FROM shifts AS s
    WHERE s.break_start IS NOT NULL
    UNION ALL
    SELECT b.shift_date, b.agent_id, b.break_start, b.break_end
    FROM agent_shift_breaks AS b
    JOIN shifts USING (shift_date, agent_id)
),

-- Live contacts of this day with an agent and a handle time: from the answer to the end, on the
-- shift that answered them, within this UTC day (a day is refreshed from its own rows only, so
-- any order of days gives the same table; what runs past midnight is at most the two-minute
-- handover of a shift crossing it, config.MIDNIGHT_HANDOVER_SECONDS).
work AS (
    SELECT
        s.shift_date,
        s.agent_id,
        s.queue_id,
        greatest(i.start_timestamp + make_interval(secs => i.queue_time_seconds), s.shift_start) AS busy_from,
        least(i.end_timestamp, s.shift_end, d.at + interval '1 day') AS busy_to
    FROM interaction_days.of_day(%(day)s::date) AS i
    JOIN contact_routing AS r
        ON r.interaction_type_id = i.interaction_type_id AND r.channel_id = i.channel_id
    JOIN shifts AS s
        ON s.agent_id = i.agent_id
        AND i.start_timestamp + make_interval(secs => i.queue_time_seconds) >= s.shift_start
        AND i.start_timestamp + make_interval(secs => i.queue_time_seconds) < s.shift_end
    CROSS JOIN day_start AS d
    WHERE r.is_live AND i.duration_seconds IS NOT NULL
),

-- The time each shift was staffed and each contact kept its agent busy, as spans of an agent's
-- shift; then each span's time inside each interval, less the part of it on one of the shift's
-- breaks (joined on the shift's key and the overlap: a hash join, never a scan of every break
-- per row), summed per interval and queue.
spans AS (
    SELECT 'staffed' AS kind, s.shift_date, s.agent_id, s.queue_id, s.shift_start AS span_from, s.shift_end AS span_to
    FROM shifts AS s
    UNION ALL
    SELECT 'busy' AS kind, w.shift_date, w.agent_id, w.queue_id, w.busy_from, w.busy_to
    FROM work AS w
),

span_in AS (
    SELECT
        sp.kind,
        iv.interval_start,
        greatest(sp.span_from, iv.interval_start) AS from_at,
        least(sp.span_to, iv.interval_end) AS to_at,
        sp.shift_date,
        sp.agent_id,
        sp.queue_id
    FROM spans AS sp
    JOIN intervals AS iv ON iv.interval_start < sp.span_to AND iv.interval_end > sp.span_from
),

gross AS (
    SELECT si.kind, si.interval_start, si.queue_id, sum(extract(EPOCH FROM si.to_at - si.from_at)) AS seconds
    FROM span_in AS si
    GROUP BY si.kind, si.interval_start, si.queue_id
),

on_break AS (
    SELECT
        si.kind,
        si.interval_start,
        si.queue_id,
        sum(extract(EPOCH FROM least(b.break_end, si.to_at) - greatest(b.break_start, si.from_at))) AS seconds
    FROM span_in AS si
    JOIN breaks AS b
        ON b.shift_date = si.shift_date AND b.agent_id = si.agent_id
        AND b.break_start < si.to_at AND b.break_end > si.from_at
    GROUP BY si.kind, si.interval_start, si.queue_id
),

net AS (
    SELECT g.kind, g.interval_start, g.queue_id, (g.seconds - coalesce(ob.seconds, 0))::bigint AS seconds
    FROM gross AS g
    LEFT JOIN on_break AS ob USING (kind, interval_start, queue_id)
),

staffed AS (
    SELECT n.interval_start, n.queue_id, n.seconds AS agent_seconds FROM net AS n WHERE n.kind = 'staffed'
),

busy AS (
    SELECT n.interval_start, n.queue_id, n.seconds AS busy_seconds FROM net AS n WHERE n.kind = 'busy'
),

forecast AS (
    SELECT f.interval_start, f.queue_id, f.forecast_offered, f.agents_needed
    FROM workforce_forecast AS f, day_start AS d
    WHERE f.interval_start >= d.at AND f.interval_start < d.at + interval '1 day'
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
    coalesce(st.agent_seconds, 0),
    coalesce(b.busy_seconds, 0),
    f.forecast_offered,
    f.agents_needed
FROM contacts AS c
FULL JOIN staffed AS st USING (interval_start, queue_id)
FULL JOIN busy AS b USING (interval_start, queue_id)
FULL JOIN forecast AS f USING (interval_start, queue_id);
