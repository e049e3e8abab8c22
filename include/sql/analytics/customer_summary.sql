-- analytics.daily_customer_activity for %(day)s, and analytics.customer_summary kept
-- incremental from it: the lifetime totals of the customers active that day move by
-- (new day - old day), so the cost follows the size of the day, not of the history.
-- Temporary tables only: pg_temp is this session's schema, never a user's table in public.
DROP TABLE IF EXISTS pg_temp.old_activity, pg_temp.activity_delta, pg_temp.moved_extremes;
CREATE TEMP TABLE old_activity ON COMMIT DROP AS
SELECT * FROM analytics.daily_customer_activity WHERE summary_date = %(day)s::date;

DELETE FROM analytics.daily_customer_activity WHERE summary_date = %(day)s::date;

INSERT INTO analytics.daily_customer_activity (
    summary_date, customer_id, interaction_count, survey_responses, satisfaction_sum,
    first_interaction_at, last_interaction_at
)
SELECT
    %(day)s::date AS summary_date,
    customer_id,
    count(*) AS interaction_count,
    count(satisfaction_score) AS survey_responses,
    coalesce(sum(satisfaction_score), 0) AS satisfaction_sum,
    min(start_timestamp) AS first_interaction_at,
    max(start_timestamp) AS last_interaction_at
FROM interaction_days.of_day(%(day)s::date)
GROUP BY customer_id;

CREATE TEMP TABLE activity_delta ON COMMIT DROP AS
WITH new_activity AS (
    SELECT * FROM analytics.daily_customer_activity WHERE summary_date = %(day)s::date
)
SELECT
    coalesce(n.customer_id, o.customer_id) AS customer_id,
    coalesce(n.interaction_count, 0) - coalesce(o.interaction_count, 0) AS interactions,
    coalesce(n.survey_responses, 0) - coalesce(o.survey_responses, 0) AS responses,
    coalesce(n.satisfaction_sum, 0) - coalesce(o.satisfaction_sum, 0) AS satisfaction,
    (n.customer_id IS NOT NULL)::int - (o.customer_id IS NOT NULL)::int AS days,
    n.first_interaction_at AS new_first,
    n.last_interaction_at AS new_last,
    o.first_interaction_at AS old_first,
    o.last_interaction_at AS old_last
FROM new_activity AS n
FULL JOIN pg_temp.old_activity AS o ON o.customer_id = n.customer_id;

INSERT INTO analytics.customer_summary AS s (
    customer_id, total_interactions, survey_responses, satisfaction_sum,
    active_days, first_interaction_at, last_interaction_at
)
SELECT customer_id, interactions, responses, satisfaction,
       days, coalesce(new_first, old_first), coalesce(new_last, old_last)
FROM pg_temp.activity_delta
ON CONFLICT (customer_id) DO UPDATE SET
    total_interactions = s.total_interactions + EXCLUDED.total_interactions,
    survey_responses = s.survey_responses + EXCLUDED.survey_responses,
    satisfaction_sum = s.satisfaction_sum + EXCLUDED.satisfaction_sum,
    active_days = s.active_days + EXCLUDED.active_days,
    first_interaction_at = least(s.first_interaction_at, EXCLUDED.first_interaction_at),
    last_interaction_at = greatest(s.last_interaction_at, EXCLUDED.last_interaction_at);

-- Where the replaced day held a customer's first or last contact and the new day moved or
-- removed it, take the extremes again from the per-day table (rare: only on re-runs).
-- Every statement below reaches the two tables by key (= ANY of an array: an index scan
-- whatever the planner guesses of a temp table it has no statistics for), never by a join
-- the planner may answer with a scan of the whole history.
CREATE TEMP TABLE moved_extremes ON COMMIT DROP AS
SELECT customer_id FROM pg_temp.activity_delta
WHERE old_first IS NOT NULL
  AND (new_first IS DISTINCT FROM old_first OR new_last IS DISTINCT FROM old_last);

UPDATE analytics.customer_summary AS s
SET first_interaction_at = x.first_at, last_interaction_at = x.last_at
FROM (
    SELECT a.customer_id, min(a.first_interaction_at) AS first_at, max(a.last_interaction_at) AS last_at
    FROM analytics.daily_customer_activity AS a
    WHERE a.customer_id = ANY (ARRAY(SELECT customer_id FROM pg_temp.moved_extremes))
    GROUP BY a.customer_id
) AS x
WHERE s.customer_id = x.customer_id
  AND s.customer_id = ANY (ARRAY(SELECT customer_id FROM pg_temp.moved_extremes));

-- Customers left with no contact: only those whose day shrank can be (the table holds every
-- customer who ever called; a join here would plan a scan of all of it).
DELETE FROM analytics.customer_summary AS s
WHERE s.customer_id = ANY (ARRAY(SELECT customer_id FROM pg_temp.activity_delta WHERE interactions < 0))
  AND s.total_interactions <= 0;
