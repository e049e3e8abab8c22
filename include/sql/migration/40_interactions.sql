-- Interactions, with their steps, journeys and feedback folded in, into the unlogged work
-- table migration.work_interactions (one row per accepted interaction, final columns and
-- final id); days are then published one by one (include/migration/run.py). Rejected rows of
-- the four source tables go to migration.rejections. Parameters: start_date, end_date
-- (NULL = open), replace_generated. Runs after 30_customers.sql has committed.
-- (Run with client-side parameters: a literal percent sign would have to be doubled.)

ANALYZE migration.uuid_map;

-- ---------------------------------------------------------------- steps, per interaction
CREATE TEMP TABLE mig_steps ON COMMIT DROP AS
SELECT interaction_id,
       count(*) AS steps,
       count(*) FILTER (WHERE status = 'failed') AS failed_steps,
       coalesce(sum(d) FILTER (WHERE t = 'queue'), 0) AS queue_s,
       coalesce(sum(d) FILTER (WHERE t IN ('ivr', 'ivr_menu', 'menu_selection')), 0) AS ivr_s,
       coalesce(sum(d) FILTER (WHERE t IN ('authentication', 'auth')), 0) AS auth_s,
       bool_or(t IN ('escalation', 'transfer', 'handover')) AS escalation_step,
       min(start_timestamp) FILTER (WHERE migration.usable_time(start_timestamp)) AS first_start,
       max(coalesce(end_timestamp, start_timestamp + make_interval(secs => d))) AS last_end
FROM (SELECT interaction_id, lower(step_type) AS t, lower(step_status) AS status, start_timestamp, end_timestamp,
             -- A step's seconds: its duration, else its timestamps; 0 when negative or longer
             -- than a contact can be (31 days).
             CASE WHEN duration_seconds IS NOT NULL
                  THEN CASE WHEN duration_seconds BETWEEN 0 AND 2678400 THEN duration_seconds ELSE 0 END
                  WHEN end_timestamp > start_timestamp AND end_timestamp <= start_timestamp + interval '31 days'
                  THEN extract(epoch FROM end_timestamp - start_timestamp)::integer
                  ELSE 0 END AS d
      FROM migration.src_interaction_steps) s
GROUP BY interaction_id;

ANALYZE mig_steps;

-- The latest CSAT answer (1-5) given as feedback on each interaction.
CREATE TEMP TABLE mig_feedback_pick ON COMMIT DROP AS
SELECT DISTINCT ON (interaction_id) interaction_id, feedback_id, satisfaction_score
FROM migration.src_customer_feedback
WHERE interaction_id IS NOT NULL AND satisfaction_score BETWEEN 1 AND 5
ORDER BY interaction_id, feedback_timestamp DESC NULLS LAST, feedback_id;

ANALYZE mig_feedback_pick;

-- ---------------------------------------------------------------- classify interactions
-- Times: a missing start is the first step's; an end that is missing, not after the start
-- or more than 31 days after it (a contact is never longer) is start + duration_seconds, else
-- the last step's end, when those give one within 31 days (counted as repaired). A start
-- outside the date window (migration.usable_time) is rejected.
CREATE TEMP TABLE mig_times ON COMMIT DROP AS
SELECT i.interaction_id, t.start_ts, t.start_from, e.end_ts, e.end_from
FROM migration.src_customer_interactions i
LEFT JOIN mig_steps st ON st.interaction_id = i.interaction_id
CROSS JOIN LATERAL (SELECT coalesce(i.start_timestamp, st.first_start) AS start_ts,
                           CASE WHEN i.start_timestamp IS NULL AND st.first_start IS NOT NULL
                                THEN 'start_timestamp from the steps' END AS start_from) t
CROSS JOIN LATERAL (
    SELECT CASE WHEN NOT migration.usable_time(t.start_ts) THEN NULL
                WHEN i.end_timestamp > t.start_ts AND i.end_timestamp <= t.start_ts + interval '31 days'
                THEN i.end_timestamp
                WHEN i.duration_seconds BETWEEN 1 AND 2678400 THEN t.start_ts + make_interval(secs => i.duration_seconds)
                WHEN st.last_end > t.start_ts AND st.last_end <= t.start_ts + interval '31 days' THEN st.last_end
           END AS end_ts,
           CASE WHEN i.end_timestamp > t.start_ts AND i.end_timestamp <= t.start_ts + interval '31 days' THEN NULL
                WHEN i.duration_seconds BETWEEN 1 AND 2678400 THEN 'end_timestamp from duration_seconds'
                WHEN st.last_end > t.start_ts AND st.last_end <= t.start_ts + interval '31 days'
                THEN 'end_timestamp from the steps' END AS end_from) e;

CREATE UNIQUE INDEX ON mig_times (interaction_id);
ANALYZE mig_times;

CREATE TEMP TABLE mig_interactions ON COMMIT DROP AS
SELECT i.interaction_id AS source_uuid,
       tm.start_ts,
       tm.end_ts,
       tm.start_ts::date AS day,
       coalesce('repaired: ' || nullif(concat_ws(', ', tm.start_from, tm.end_from, fb.status_from, fb.mode_from,
                                                 fb.agent_from), ''), '') AS repair,
       cu.target_id AS customer_id, ch.target_id AS channel_id, ty.target_id AS interaction_type_id,
       CASE WHEN lower(ag.agent_type) IN ('human', 'hybrid', 'supervisor') THEN am.target_id END AS agent_id,
       j.session_id AS journey_uuid,
       lower(i.interaction_status) AS status, lower(i.interaction_mode) AS mode,
       i.error_code, i.escalated_to_human, i.escalation_reason,
       i.customer_satisfaction_score, i.resolution_on_first_contact, i.number_of_attempts,
       CASE WHEN migration.usable_time(i.created_at) THEN i.created_at ELSE tm.start_ts END AS created_at,
       sc.preferred_language,
       CASE WHEN tm.start_ts IS NULL THEN 'missing start_timestamp'
            WHEN NOT migration.usable_time(tm.start_ts) THEN 'start_timestamp outside the date window'
            WHEN sc.customer_id IS NULL THEN 'orphan: customer not in source'
            WHEN cu.target_id IS NULL THEN 'customer not migrated'
            WHEN sch.channel_id IS NULL THEN 'orphan: channel not in source'
            WHEN ch.target_id IS NULL THEN 'channel not migrated'
            WHEN sty.interaction_type_id IS NULL THEN 'orphan: interaction type not in source'
            WHEN ty.target_id IS NULL THEN 'interaction type not migrated'
            WHEN tm.end_ts IS NULL AND i.end_timestamp IS NULL THEN 'missing end_timestamp'
            WHEN tm.end_ts IS NULL AND i.end_timestamp <= tm.start_ts THEN 'end_timestamp not after start_timestamp'
            WHEN tm.end_ts IS NULL THEN 'end_timestamp more than 31 days after start_timestamp'
            WHEN tm.start_ts::date < coalesce(%(start_date)s::date, '-infinity'::date)
                 OR tm.start_ts::date > coalesce(%(end_date)s::date, 'infinity'::date)
                 THEN 'outside the requested date range'
       END AS reason
FROM migration.src_customer_interactions i
JOIN mig_times tm ON tm.interaction_id = i.interaction_id
LEFT JOIN migration.src_customers sc ON sc.customer_id = i.customer_id
LEFT JOIN migration.uuid_map cu ON cu.source_table = 'customers' AND cu.source_uuid = i.customer_id
LEFT JOIN migration.src_channels sch ON sch.channel_id = i.channel_id
LEFT JOIN migration.uuid_map ch ON ch.source_table = 'channels' AND ch.source_uuid = i.channel_id
LEFT JOIN migration.src_interaction_types sty ON sty.interaction_type_id = i.interaction_type_id
LEFT JOIN migration.uuid_map ty ON ty.source_table = 'interaction_types' AND ty.source_uuid = i.interaction_type_id
LEFT JOIN migration.src_agents ag ON ag.agent_id = i.agent_id
LEFT JOIN migration.uuid_map am ON am.source_table = 'agents' AND am.source_uuid = i.agent_id
LEFT JOIN migration.src_customer_journey_sessions j
       ON j.session_id = CASE WHEN lower(replace(i.session_id, '-', '')) ~ '^[0-9a-f]{32}$'
                              THEN lower(replace(i.session_id, '-', ''))::uuid END
-- Fallbacks instead of rejections (docs/migration.md): an unknown or missing status is
-- Pending, an unknown mode is only kept in the summary, an agent that is not in the source,
-- of an unknown type or not migrated leaves the interaction without one (agent_id NULL).
CROSS JOIN LATERAL (
    SELECT CASE WHEN i.interaction_status IS NULL OR lower(i.interaction_status) NOT IN
                     ('completed', 'failed', 'abandoned', 'escalated', 'in_progress')
                THEN 'unknown interaction_status -> Pending' END AS status_from,
           CASE WHEN lower(i.interaction_mode) NOT IN ('bot', 'live_chat', 'self_service', 'ivr')
                THEN 'unknown interaction_mode (kept in the summary)' END AS mode_from,
           CASE WHEN i.agent_id IS NULL THEN NULL
                WHEN ag.agent_id IS NULL THEN 'agent not in source -> no agent'
                WHEN lower(ag.agent_type) = 'bot' THEN NULL
                WHEN ag.agent_type IS NULL OR lower(ag.agent_type) NOT IN ('human', 'hybrid', 'supervisor')
                THEN 'agent of an unknown agent_type -> no agent'
                WHEN am.target_id IS NULL THEN 'agent not migrated -> no agent' END AS agent_from) fb;

ANALYZE mig_interactions;

-- Who wins: a day that already holds generated (or hand-loaded) interactions is left alone
-- unless replace_generated; a day recorded as migrated is simply migrated again.
CREATE TEMP TABLE mig_days ON COMMIT DROP AS
SELECT day,
       EXISTS (SELECT FROM interaction_batches b WHERE b.batch_date = d.day)
       OR (to_regclass('interaction_days.d' || to_char(d.day, 'YYYYMMDD')) IS NOT NULL
           AND NOT EXISTS (SELECT FROM migration.migrated_days m WHERE m.day = d.day))
       OR EXISTS (SELECT FROM interaction_days.default_partition p
                  WHERE p.start_timestamp >= d.day::timestamp AT TIME ZONE 'UTC'
                    AND p.start_timestamp < (d.day + 1)::timestamp AT TIME ZONE 'UTC') AS held
FROM (SELECT DISTINCT day FROM mig_interactions WHERE reason IS NULL) d;

UPDATE mig_interactions m SET reason = 'day holds generated interactions (see --replace-generated)'
FROM mig_days d
WHERE m.reason IS NULL AND d.day = m.day AND d.held AND NOT %(replace_generated)s;

-- ---------------------------------------------------------------- ids
-- interaction_id = the day's first id + 500,000,000 + position: the upper half of the day's
-- range (generated rows use positions from 1), recorded once and reused on every re-run.
-- A recorded id whose day no longer matches its source row is re-assigned.
DELETE FROM migration.uuid_map u
USING mig_interactions m
WHERE u.source_table = 'customer_interactions' AND u.source_uuid = m.source_uuid AND m.reason IS NULL
  AND u.target_id / 1000000000 <> interaction_days.first_id(m.day) / 1000000000;

INSERT INTO migration.uuid_map (source_table, source_uuid, target_id)
SELECT 'customer_interactions', m.source_uuid,
       interaction_days.first_id(m.day) + 500000000 + coalesce(used.max_position, 0)
       + row_number() OVER (PARTITION BY m.day ORDER BY m.start_ts, m.source_uuid)
FROM mig_interactions m
LEFT JOIN (SELECT target_id / 1000000000 AS day_key, max(target_id %% 1000000000 - 500000000) AS max_position
           FROM migration.uuid_map WHERE source_table = 'customer_interactions'
           GROUP BY 1) used ON used.day_key = interaction_days.first_id(m.day) / 1000000000
WHERE m.reason IS NULL
  AND NOT EXISTS (SELECT FROM migration.uuid_map u
                  WHERE u.source_table = 'customer_interactions' AND u.source_uuid = m.source_uuid);

-- Journeys with at least one migrated interaction give that interaction's session_id.
INSERT INTO migration.uuid_map (source_table, source_uuid, target_id)
SELECT 'customer_journey_sessions', j.session_id,
       coalesce((SELECT max(target_id) FROM migration.uuid_map WHERE source_table = 'customer_journey_sessions'), 0)
       + row_number() OVER (ORDER BY j.session_start, j.session_id)
FROM migration.src_customer_journey_sessions j
WHERE EXISTS (SELECT FROM mig_interactions m WHERE m.journey_uuid = j.session_id AND m.reason IS NULL)
  AND NOT EXISTS (SELECT FROM migration.uuid_map u
                  WHERE u.source_table = 'customer_journey_sessions' AND u.source_uuid = j.session_id);

ANALYZE migration.uuid_map;

-- ---------------------------------------------------------------- the work table
DROP TABLE IF EXISTS migration.work_interactions;
CREATE UNLOGGED TABLE migration.work_interactions AS
SELECT interaction_id, customer_id, channel_id, interaction_type_id, agent_id, session_id, start_timestamp,
       end_timestamp, duration_seconds, queue_time_seconds, resolution_status, is_escalated,
       CASE WHEN resolution_status = 'Resolved' AND NOT is_escalated
            THEN coalesce(legacy_fcr, attempts <= 1) ELSE false END AS first_contact_resolution,
       attempts > 1 OR (journey_position > 1) AS is_repeat_contact,
       satisfaction_score, interaction_summary, language, created_at, day
FROM (
    SELECT u.target_id AS interaction_id, m.customer_id, m.channel_id::smallint AS channel_id,
           m.interaction_type_id::smallint AS interaction_type_id, m.agent_id::integer AS agent_id,
           CASE WHEN js.target_id IS NOT NULL THEN 'J' || lpad(js.target_id::text, 17, '0')
                ELSE 'S' || lpad((u.target_id %% 100000000000000000)::text, 17, '0') END AS session_id,
           m.start_ts AT TIME ZONE 'UTC' AS start_timestamp,
           m.end_ts AT TIME ZONE 'UTC' AS end_timestamp,
           CASE WHEN c.is_synchronous
                THEN greatest(0, total - least(total, coalesce(st.queue_s + st.ivr_s + st.auth_s, 0)))::integer
           END AS duration_seconds,
           least(total, coalesce(st.queue_s + st.ivr_s + st.auth_s, 0))::integer AS queue_time_seconds,
           CASE m.status WHEN 'completed' THEN 'Resolved' WHEN 'abandoned' THEN 'Cancelled'
                WHEN 'escalated' THEN 'Escalated' ELSE 'Pending' END AS resolution_status,
           coalesce(m.escalated_to_human, false) OR m.status = 'escalated' OR coalesce(st.escalation_step, false)
               AS is_escalated,
           m.resolution_on_first_contact AS legacy_fcr,
           coalesce(m.number_of_attempts, 1) AS attempts,
           CASE WHEN m.journey_uuid IS NULL THEN 1
                ELSE row_number() OVER (PARTITION BY m.journey_uuid ORDER BY m.start_ts, m.source_uuid) END
               AS journey_position,
           CASE WHEN m.customer_satisfaction_score BETWEEN 1 AND 5 THEN m.customer_satisfaction_score
                ELSE fb.satisfaction_score END::smallint AS satisfaction_score,
           concat_ws('; ', 'legacy ' || coalesce(m.mode, 'unknown mode') || ', ' || coalesce(m.status, 'unknown status'),
                     CASE WHEN st.steps > 0 THEN st.steps || ' steps' ||
                          CASE WHEN st.failed_steps > 0 THEN ' (' || st.failed_steps || ' failed)' ELSE '' END ||
                          ', queue ' || st.queue_s || 's, IVR ' || st.ivr_s || 's, authentication ' || st.auth_s || 's'
                     END,
                     'error ' || m.error_code,
                     'escalation: ' || m.escalation_reason) AS interaction_summary,
           CASE WHEN lower(m.preferred_language) ~ '^[a-z]{2}$' THEN lower(m.preferred_language) ELSE 'es' END
               AS language,
           m.created_at AT TIME ZONE 'UTC' AS created_at,
           m.day
    FROM (SELECT *, extract(epoch FROM end_ts - start_ts)::bigint AS total FROM mig_interactions WHERE reason IS NULL) m
    JOIN migration.uuid_map u ON u.source_table = 'customer_interactions' AND u.source_uuid = m.source_uuid
    JOIN channels c ON c.channel_id = m.channel_id
    LEFT JOIN migration.uuid_map js ON js.source_table = 'customer_journey_sessions' AND js.source_uuid = m.journey_uuid
    LEFT JOIN mig_steps st ON st.interaction_id = m.source_uuid
    LEFT JOIN mig_feedback_pick fb ON fb.interaction_id = m.source_uuid
) w;
CREATE INDEX ON migration.work_interactions (day, interaction_id);
ANALYZE migration.work_interactions;

-- ---------------------------------------------------------------- rejections
INSERT INTO migration.rejections
SELECT 'customer_interactions', source_uuid::text, reason FROM mig_interactions WHERE reason IS NOT NULL;

INSERT INTO migration.rejections
SELECT 'interaction_steps', s.step_id::text,
       CASE WHEN m.source_uuid IS NULL THEN 'orphan: interaction not in source' ELSE 'interaction not migrated' END
FROM migration.src_interaction_steps s
LEFT JOIN mig_interactions m ON m.source_uuid = s.interaction_id
WHERE m.reason IS NOT NULL OR m.source_uuid IS NULL;

INSERT INTO migration.rejections
SELECT 'customer_journey_sessions', j.session_id::text, 'no migrated interaction in this journey'
FROM migration.src_customer_journey_sessions j
WHERE NOT EXISTS (SELECT FROM mig_interactions m WHERE m.journey_uuid = j.session_id AND m.reason IS NULL);

INSERT INTO migration.rejections
SELECT 'customer_feedback', f.feedback_id::text,
       CASE WHEN f.interaction_id IS NULL THEN 'not about one interaction (journey or customer feedback)'
            WHEN m.source_uuid IS NULL THEN 'orphan: interaction not in source'
            WHEN m.reason IS NOT NULL THEN 'interaction not migrated'
            WHEN f.satisfaction_score IS NULL OR f.satisfaction_score NOT BETWEEN 1 AND 5
                 THEN 'no satisfaction_score 1-5 (NPS, effort or text only)'
            WHEN m.customer_satisfaction_score BETWEEN 1 AND 5 THEN 'interaction has its own satisfaction_score'
            ELSE 'superseded by a later feedback on the same interaction' END
FROM migration.src_customer_feedback f
LEFT JOIN mig_interactions m ON m.source_uuid = f.interaction_id
LEFT JOIN mig_feedback_pick p ON p.feedback_id = f.feedback_id
WHERE f.interaction_id IS NULL OR m.source_uuid IS NULL OR m.reason IS NOT NULL OR p.feedback_id IS NULL
   OR m.customer_satisfaction_score BETWEEN 1 AND 5;

-- ---------------------------------------------------------------- report: what was migrated
INSERT INTO migration.report (source_table, outcome, reason, rows)
SELECT 'customer_interactions', 'migrated', repair, count(*) FROM mig_interactions WHERE reason IS NULL GROUP BY 3
UNION ALL
SELECT 'interaction_steps', 'migrated', 'folded into their interaction', count(*)
FROM migration.src_interaction_steps s JOIN mig_interactions m ON m.source_uuid = s.interaction_id AND m.reason IS NULL
UNION ALL
SELECT 'customer_journey_sessions', 'migrated', 'gave session_id', count(*)
FROM migration.src_customer_journey_sessions j
WHERE EXISTS (SELECT FROM mig_interactions m WHERE m.journey_uuid = j.session_id AND m.reason IS NULL)
UNION ALL
SELECT 'customer_feedback', 'migrated', 'gave satisfaction_score', count(*)
FROM mig_feedback_pick p JOIN mig_interactions m ON m.source_uuid = p.interaction_id
WHERE m.reason IS NULL AND NOT coalesce(m.customer_satisfaction_score BETWEEN 1 AND 5, false);
