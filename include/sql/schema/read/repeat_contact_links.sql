-- Each repeat contact with the contact it repeats: the customer's latest earlier contact
-- about the same type that was not resolved, from the start of the UTC day 7 days before
-- (the generator's window). Found on read, so it holds whichever order days were loaded
-- in; NULL when that day is not loaded (or was loaded with other settings). Filter on
-- start_timestamp: each lookup is an index probe of the customer in 8 days' partitions.
CREATE OR REPLACE VIEW analytics.repeat_contact_links AS
SELECT
    r.interaction_id,
    r.customer_id,
    r.interaction_type_id,
    r.start_timestamp,
    e.interaction_id                                                  AS repeat_of_interaction_id,
    e.start_timestamp                                                 AS repeat_of_start_timestamp,
    e.resolution_status                                               AS repeat_of_resolution_status,
    (r.start_timestamp AT TIME ZONE 'UTC')::date - (e.start_timestamp AT TIME ZONE 'UTC')::date
                                                                      AS days_after
FROM customer_interactions AS r
LEFT JOIN LATERAL (
    SELECT e.interaction_id, e.start_timestamp, e.resolution_status
    FROM customer_interactions AS e
    WHERE e.customer_id = r.customer_id
      AND e.interaction_type_id = r.interaction_type_id
      AND e.start_timestamp < r.start_timestamp
      AND e.start_timestamp >= date_trunc('day', r.start_timestamp AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'
                               - interval '7 days'
      AND e.resolution_status <> 'Resolved'
    ORDER BY e.start_timestamp DESC, e.interaction_id DESC
    LIMIT 1
) AS e ON true
WHERE r.is_repeat_contact;
