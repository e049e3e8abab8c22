-- Data-quality checks of one day's batch, %(day)s. One row per check: how many rows
-- break it and a few of their interaction_ids. The run fails if any count is non-zero.
WITH day_interactions AS (
    SELECT ci.*, ch.is_synchronous
    FROM interaction_days.of_day(%(day)s::date) AS ci
    LEFT JOIN channels AS ch ON ch.channel_id = ci.channel_id
),

-- Rows whose id and start_timestamp disagree on the day. A day's partition cannot hold
-- any (its CHECKs); only rows outside loaded days, in the default partition, can.
mismatched_days AS (
    SELECT d.interaction_id
    FROM interaction_days.default_partition AS d
    CROSS JOIN interaction_days.day_names(%(day)s::date) AS day_ids
    WHERE (d.start_timestamp >= (%(day)s::date)::timestamp AT TIME ZONE 'UTC'
           AND d.start_timestamp < (%(day)s::date + 1)::timestamp AT TIME ZONE 'UTC')
          <> (d.interaction_id >= day_ids.first_id AND d.interaction_id < day_ids.stop_id)
),

batch AS (
    SELECT interactions_requested FROM interaction_batches WHERE batch_date = %(day)s::date
),

violations AS (
    SELECT 'orphan_customer' AS check_name, i.interaction_id
    FROM day_interactions AS i
    WHERE NOT EXISTS (SELECT 1 FROM customers AS c WHERE c.customer_id = i.customer_id)
    UNION ALL
    SELECT 'customer_not_active_on_day', i.interaction_id
    FROM day_interactions AS i
    JOIN customers AS c ON c.customer_id = i.customer_id
    WHERE c.registration_date > %(day)s::date
       OR (c.churn_date IS NOT NULL AND c.churn_date <= %(day)s::date)
    UNION ALL
    SELECT 'orphan_channel', i.interaction_id
    FROM day_interactions AS i WHERE i.is_synchronous IS NULL
    UNION ALL
    SELECT 'orphan_interaction_type', i.interaction_id
    FROM day_interactions AS i
    WHERE NOT EXISTS (SELECT 1 FROM interaction_types AS t WHERE t.interaction_type_id = i.interaction_type_id)
    UNION ALL
    SELECT 'orphan_agent', i.interaction_id
    FROM day_interactions AS i
    WHERE i.agent_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM agents AS a WHERE a.agent_id = i.agent_id)
    UNION ALL
    SELECT 'satisfaction_out_of_range', i.interaction_id
    FROM day_interactions AS i WHERE i.satisfaction_score NOT BETWEEN 1 AND 5
    UNION ALL
    SELECT 'duration_inconsistent_with_timestamps', i.interaction_id
    FROM day_interactions AS i
    WHERE (i.is_synchronous AND (i.duration_seconds IS NULL
            OR i.end_timestamp - i.start_timestamp
               <> make_interval(secs => i.duration_seconds + i.queue_time_seconds)))
       OR (NOT i.is_synchronous AND i.duration_seconds IS NOT NULL)
       OR i.end_timestamp <= i.start_timestamp
    UNION ALL
    SELECT 'interaction_id_not_of_this_day', m.interaction_id
    FROM mismatched_days AS m
)

SELECT check_name, count(*) AS failing_rows, (array_agg(interaction_id ORDER BY interaction_id))[1:5] AS sample_ids
FROM violations
GROUP BY check_name
UNION ALL
SELECT 'row_count_matches_request',
       abs((SELECT count(*) FROM day_interactions) - coalesce((SELECT interactions_requested FROM batch), -1)),
       ARRAY[]::bigint[]
WHERE (SELECT count(*) FROM day_interactions) IS DISTINCT FROM (SELECT interactions_requested FROM batch)
ORDER BY check_name;
