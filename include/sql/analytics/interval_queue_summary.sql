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

-- Each shift's time inside each interval, and the part of it on a break: joined on the shift's
-- key and the overlap (a hash join), never a scan of every break per row.
on_shift AS (
    SELECT
        iv.interval_start,
        greatest(s.shift_start, iv.interval_start) AS from_at,
        least(s.shift_end, iv.interval_end) AS to_at,
        s.shift_date,
        s.agent_id,
        s.queue_id
    FROM shifts AS s
    JOIN intervals AS iv ON iv.interval_start < s.shift_end AND iv.interval_end > s.shift_start
),

staffed AS (
    SELECT
        o.interval_start,
        o.queue_id,
        sum(extract(EPOCH FROM o.to_at - o.from_at)) AS gross_seconds
    FROM on_shift AS o
    GROUP BY o.interval_start, o.queue_id
),

staffed_on_break AS (
    SELECT
        o.interval_start,
        o.queue_id,
        sum(extract(EPOCH FROM least(b.break_end, o.to_at) - greatest(b.break_start, o.from_at))) AS break_seconds
    FROM on_shift AS o
    JOIN breaks AS b
        ON b.shift_date = o.shift_date AND b.agent_id = o.agent_id
        AND b.break_start < o.to_at AND b.break_end > o.from_at
    GROUP BY o.interval_start, o.queue_id
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

-- Each contact's busy time inside each interval, and the part of it on its agent's break.
busy_in AS (
    SELECT
        iv.interval_start,
        greatest(w.busy_from, iv.interval_start) AS from_at,
        least(w.busy_to, iv.interval_end) AS to_at,
        w.shift_date,
        w.agent_id,
        w.queue_id
    FROM work AS w
    JOIN intervals AS iv ON iv.interval_start < w.busy_to AND iv.interval_end > w.busy_from
),

busy AS (
    SELECT
        bi.interval_start,
        bi.queue_id,
        sum(extract(EPOCH FROM bi.to_at - bi.from_at)) AS gross_seconds
    FROM busy_in AS bi
    GROUP BY bi.interval_start, bi.queue_id
),

busy_on_break AS (
    SELECT
        bi.interval_start,
        bi.queue_id,
        sum(extract(EPOCH FROM least(b.break_end, bi.to_at) - greatest(b.break_start, bi.from_at))) AS break_seconds
    FROM busy_in AS bi
    JOIN breaks AS b
        ON b.shift_date = bi.shift_date AND b.agent_id = bi.agent_id
        AND b.break_start < bi.to_at AND b.break_end > bi.from_at
    GROUP BY bi.interval_start, bi.queue_id
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
    (coalesce(st.gross_seconds, 0) - coalesce(sb.break_seconds, 0))::bigint,
    (coalesce(b.gross_seconds, 0) - coalesce(bb.break_seconds, 0))::bigint,
    f.forecast_offered,
    f.agents_needed
FROM contacts AS c
FULL JOIN staffed AS st USING (interval_start, queue_id)
LEFT JOIN staffed_on_break AS sb USING (interval_start, queue_id)
FULL JOIN busy AS b USING (interval_start, queue_id)
LEFT JOIN busy_on_break AS bb USING (interval_start, queue_id)
FULL JOIN forecast AS f USING (interval_start, queue_id);
