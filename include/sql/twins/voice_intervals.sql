-- `cca compare` (docs/twins.md): each voice queue's intervals, for the Erlang C check (does an
-- interval's service level move the way Erlang C says for the twin's agents and handle time?).
SELECT
    s.interval_start,
    s.queue_id,
    s.offered,
    s.answered_within_target,
    s.handled,
    s.handle_seconds,
    s.agent_seconds,
    q.target_seconds
FROM analytics.interval_queue_summary AS s
JOIN service_queues AS q ON q.queue_id = s.queue_id
WHERE q.service_group = 'Voice'
  AND s.interval_start >= %(first_day)s::date::timestamp AT TIME ZONE 'UTC'
  AND s.interval_start < (%(last_day)s::date + 1)::timestamp AT TIME ZONE 'UTC'
