-- Audit of a day's rows BEFORE they are published: {pending} is the day's new table,
-- filled in this transaction and not yet swapped in (write, audit, publish). One row per
-- failed check: how many rows break it and a few of their interaction_ids. Any row here
-- rolls the whole load back, so the previous version of the day stays in place.
--
-- The pending table has no foreign keys (ATTACH checks them in one pass later, with a
-- generic message); checking them here names the check and the rows. Its CHECKs (CSAT
-- range, end after start, the day's id and time ranges) are enforced by the table itself.
-- One scan of the day (hash joins to the catalogs, an index-only lookup in customers,
-- customers_active_span): every check is a flag on the row, counted by a FILTERed aggregate.
WITH flagged AS (
    SELECT
        p.interaction_id,
        c.customer_id IS NULL AS orphan_customer,
        c.registration_date > %(day)s::date
            OR (c.churn_date IS NOT NULL AND c.churn_date <= %(day)s::date) AS customer_not_active_on_day,
        ch.channel_id IS NULL AS orphan_channel,
        t.interaction_type_id IS NULL AS orphan_interaction_type,
        p.agent_id IS NOT NULL AND a.agent_id IS NULL AS orphan_agent,
        -- Live channels: end = start + wait + handle time; a contact abandoned in the queue
        -- (Cancelled, no agent) has no handle time and ends when the caller gave up.
        -- Asynchronous channels have no handle time.
        CASE WHEN ch.is_synchronous AND p.duration_seconds IS NULL
             THEN p.agent_id IS NOT NULL OR p.resolution_status <> 'Cancelled'
                  OR p.end_timestamp - p.start_timestamp <> make_interval(secs => p.queue_time_seconds)
             WHEN ch.is_synchronous
             THEN p.end_timestamp - p.start_timestamp
                  <> make_interval(secs => p.duration_seconds + p.queue_time_seconds)
             ELSE p.duration_seconds IS NOT NULL
        END AS duration_inconsistent_with_timestamps
    FROM {pending} AS p
    LEFT JOIN customers AS c ON c.customer_id = p.customer_id
    LEFT JOIN channels AS ch ON ch.channel_id = p.channel_id
    LEFT JOIN interaction_types AS t ON t.interaction_type_id = p.interaction_type_id
    LEFT JOIN agents AS a ON a.agent_id = p.agent_id
),

counted AS (
    SELECT
        count(*) AS total_rows,
        count(*) FILTER (WHERE orphan_customer) AS orphan_customer,
        array_agg(interaction_id) FILTER (WHERE orphan_customer) AS orphan_customer_ids,
        count(*) FILTER (WHERE customer_not_active_on_day) AS customer_not_active_on_day,
        array_agg(interaction_id) FILTER (WHERE customer_not_active_on_day)
            AS customer_not_active_on_day_ids,
        count(*) FILTER (WHERE orphan_channel) AS orphan_channel,
        array_agg(interaction_id) FILTER (WHERE orphan_channel) AS orphan_channel_ids,
        count(*) FILTER (WHERE orphan_interaction_type) AS orphan_interaction_type,
        array_agg(interaction_id) FILTER (WHERE orphan_interaction_type)
            AS orphan_interaction_type_ids,
        count(*) FILTER (WHERE orphan_agent) AS orphan_agent,
        array_agg(interaction_id) FILTER (WHERE orphan_agent) AS orphan_agent_ids,
        count(*) FILTER (WHERE duration_inconsistent_with_timestamps) AS duration_inconsistent_with_timestamps,
        array_agg(interaction_id) FILTER (WHERE duration_inconsistent_with_timestamps)
            AS duration_inconsistent_with_timestamps_ids
    FROM flagged
),

batch AS (
    SELECT interactions_requested FROM interaction_batches WHERE batch_date = %(day)s::date
),

checks (check_name, failing_rows, sample_ids) AS (
    SELECT v.*
    FROM counted
    CROSS JOIN LATERAL (VALUES
        ('orphan_customer', orphan_customer, orphan_customer_ids),
        ('customer_not_active_on_day', customer_not_active_on_day, customer_not_active_on_day_ids),
        ('orphan_channel', orphan_channel, orphan_channel_ids),
        ('orphan_interaction_type', orphan_interaction_type, orphan_interaction_type_ids),
        ('orphan_agent', orphan_agent, orphan_agent_ids),
        ('duration_inconsistent_with_timestamps', duration_inconsistent_with_timestamps,
         duration_inconsistent_with_timestamps_ids),
        ('row_count_matches_request',
         abs(total_rows - coalesce((SELECT interactions_requested FROM batch), -1)),
         ARRAY[]::bigint[])
    ) AS v
)

-- The first few failing ids, sorted here: an ordered aggregate would sort the whole day.
SELECT check_name, failing_rows, ARRAY(SELECT id FROM unnest(sample_ids) AS id ORDER BY id LIMIT 5) AS sample_ids
FROM checks
WHERE failing_rows > 0
ORDER BY check_name;
