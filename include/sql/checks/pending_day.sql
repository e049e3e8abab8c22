-- Audit of a day's rows BEFORE they are published: {pending} is the day's new table,
-- filled in this transaction and not yet swapped in (write, audit, publish). One row per
-- failed check: how many rows break it and a few of their interaction_ids. Any row here
-- rolls the whole load back, so the previous version of the day stays in place.
--
-- The pending table has no foreign keys (ATTACH checks them in one pass later, with a
-- generic message); checking them here names the check and the rows. Its CHECKs (CSAT
-- range, end after start, the day's id and time ranges) are enforced by the table itself.
WITH pending AS (
    SELECT p.*, ch.is_synchronous
    FROM {pending} AS p
    LEFT JOIN channels AS ch ON ch.channel_id = p.channel_id
),

batch AS (
    SELECT interactions_requested FROM interaction_batches WHERE batch_date = %(day)s::date
),

violations AS (
    SELECT 'orphan_customer' AS check_name, p.interaction_id
    FROM pending AS p
    WHERE NOT EXISTS (SELECT 1 FROM customers AS c WHERE c.customer_id = p.customer_id)
    UNION ALL
    SELECT 'customer_not_active_on_day', p.interaction_id
    FROM pending AS p
    JOIN customers AS c ON c.customer_id = p.customer_id
    WHERE c.registration_date > %(day)s::date
       OR (c.churn_date IS NOT NULL AND c.churn_date <= %(day)s::date)
    UNION ALL
    SELECT 'orphan_channel', p.interaction_id
    FROM pending AS p WHERE p.is_synchronous IS NULL
    UNION ALL
    SELECT 'orphan_interaction_type', p.interaction_id
    FROM pending AS p
    WHERE NOT EXISTS (SELECT 1 FROM interaction_types AS t WHERE t.interaction_type_id = p.interaction_type_id)
    UNION ALL
    SELECT 'orphan_agent', p.interaction_id
    FROM pending AS p
    WHERE p.agent_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM agents AS a WHERE a.agent_id = p.agent_id)
    UNION ALL
    SELECT 'duration_inconsistent_with_timestamps', p.interaction_id
    FROM pending AS p
    WHERE (p.is_synchronous AND (p.duration_seconds IS NULL
            OR p.end_timestamp - p.start_timestamp
               <> make_interval(secs => p.duration_seconds + p.queue_time_seconds)))
       OR (NOT p.is_synchronous AND p.duration_seconds IS NOT NULL)
)

SELECT check_name, count(*) AS failing_rows, (array_agg(interaction_id ORDER BY interaction_id))[1:5] AS sample_ids
FROM violations
GROUP BY check_name
UNION ALL
SELECT 'row_count_matches_request',
       abs((SELECT count(*) FROM pending) - coalesce((SELECT interactions_requested FROM batch), -1)),
       ARRAY[]::bigint[]
WHERE (SELECT count(*) FROM pending) IS DISTINCT FROM (SELECT interactions_requested FROM batch)
ORDER BY check_name;
