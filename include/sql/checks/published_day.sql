-- Checks that need the PUBLISHED day (they look across days and tables), run after the
-- swap and the summaries' refresh. Same shape as pending_day.sql: one row per failed check.
WITH day_ids AS (
    SELECT * FROM interaction_days.day_names(%(day)s::date)
),

-- Rows outside any loaded day (the default partition: hand-written INSERTs, size files)
-- whose id and start_timestamp disagree on the day: an id of another day starting on this
-- one, or the reverse. Only rows written after this day's publish can be such rows.
mismatched_days AS (
    SELECT d.interaction_id
    FROM interaction_days.default_partition AS d
    CROSS JOIN day_ids
    WHERE (d.start_timestamp >= (%(day)s::date)::timestamp AT TIME ZONE 'UTC'
           AND d.start_timestamp < (%(day)s::date + 1)::timestamp AT TIME ZONE 'UTC')
          <> (d.interaction_id >= day_ids.first_id AND d.interaction_id < day_ids.stop_id)
),

-- The summaries describe the published rows: per channel, the stored count equals the
-- count in the fact table (a refresh that missed rows, or rows changed after it).
channel_counts AS (
    SELECT coalesce(f.channel_id, s.channel_id) AS channel_id,
           coalesce(f.n, 0) AS fact_rows, coalesce(s.interaction_count, 0) AS summary_rows
    FROM (SELECT channel_id, count(*) AS n FROM interaction_days.of_day(%(day)s::date) GROUP BY channel_id) AS f
    FULL JOIN (SELECT channel_id, interaction_count FROM analytics.daily_channel_summary
               WHERE summary_date = %(day)s::date) AS s ON s.channel_id = f.channel_id
)

SELECT 'interaction_id_not_of_this_day' AS check_name, count(*) AS failing_rows,
       (array_agg(interaction_id ORDER BY interaction_id))[1:5] AS sample_ids
FROM mismatched_days
HAVING count(*) > 0
UNION ALL
SELECT 'summaries_match_published_rows', sum(abs(fact_rows - summary_rows)), ARRAY[]::bigint[]
FROM channel_counts
HAVING sum(abs(fact_rows - summary_rows)) > 0
ORDER BY check_name;
