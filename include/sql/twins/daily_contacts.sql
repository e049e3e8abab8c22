-- `cca compare` (docs/twins.md): per day and channel (and all channels, channel NULL), the
-- read layer's contact counts (analytics.daily_contact_counts) that contacts and CSAT come from.
SELECT
    c.summary_date AS day,
    ch.channel_name AS member,
    sum(c.interaction_count)::bigint AS contacts,
    sum(c.survey_responses)::bigint AS survey_responses,
    sum(c.csat_positive_count)::bigint AS csat_positive
FROM analytics.daily_contact_counts AS c
JOIN channels AS ch ON ch.channel_id = c.member_id
WHERE c.dimension = 'channel' AND c.summary_date BETWEEN %(first_day)s::date AND %(last_day)s::date
GROUP BY 1, rollup(ch.channel_name)
