-- `cca compare` (docs/twins.md): one 64-bit key per contact of the range, a hash of what makes
-- an arrival the same in two worlds (customer, start, channel, type), with its channel and
-- whether it is a repeat contact (a retry or a repeat: what a lever may add or remove).
SELECT
    hashtextextended(
        format('%%s|%%s|%%s|%%s', i.customer_id, (extract(epoch FROM i.start_timestamp) * 1000000)::bigint,
               i.channel_id, i.interaction_type_id), 0
    ) AS arrival,
    i.channel_id,
    i.is_repeat_contact
FROM customer_interactions AS i
WHERE i.start_timestamp >= %(first_day)s::date::timestamp AT TIME ZONE 'UTC'
  AND i.start_timestamp < (%(last_day)s::date + 1)::timestamp AT TIME ZONE 'UTC'
