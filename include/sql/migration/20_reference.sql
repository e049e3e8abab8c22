-- Reference rows of the earlier model -> this model's catalog (channels, interaction types,
-- service plans, agents). A source row that means the same as one of ours maps onto it; any
-- other is added with an id from the migration's range (channels, types and plans from 100,
-- agents from 100000; rows in that range are never taken for "the same" as a source row, so
-- a re-run classifies exactly as the first run); unusable rows are rejected with a reason. Ids live in migration.uuid_map
-- so a re-run reuses them. Runs in the caller's transaction after the staging tables are filled.

-- ---------------------------------------------------------------- channels
CREATE TEMP TABLE mig_channels ON COMMIT DROP AS
SELECT s.channel_id AS source_uuid, s.channel_name, s.channel_type,
       coalesce(by_name.channel_id, by_type.channel_id) AS existing_id,
       CASE WHEN coalesce(by_name.channel_id, by_type.channel_id) IS NOT NULL THEN NULL
            WHEN s.channel_type = 'video_call' THEN 'Digital'
            WHEN s.channel_type IS NULL OR s.channel_name IS NULL THEN NULL
            ELSE NULL END AS new_channel_type,
       CASE WHEN s.channel_name IS NULL THEN 'missing channel_name'
            WHEN coalesce(by_name.channel_id, by_type.channel_id) IS NULL
                 AND s.channel_type IS DISTINCT FROM 'video_call' THEN 'unknown channel_type'
       END AS reason
FROM migration.src_channels s
LEFT JOIN channels by_name ON lower(by_name.channel_name) = lower(s.channel_name) AND by_name.channel_id < 100
LEFT JOIN channels by_type ON by_type.channel_code = CASE s.channel_type
        WHEN 'voice_call' THEN 'PHONE'
        WHEN 'interactive_menu' THEN 'PHONE'
        WHEN 'email' THEN 'EMAIL'
        WHEN 'sms' THEN 'SMS'
        WHEN 'social_media' THEN 'SOCIAL'
        WHEN 'mobile_app' THEN 'MOBILE_APP'
        WHEN 'web_app' THEN 'WEB_CHAT'
        WHEN 'chatbot' THEN CASE WHEN s.channel_name ILIKE '%whatsapp%' THEN 'WHATSAPP' ELSE 'WEB_CHAT' END
    END;

INSERT INTO migration.uuid_map (source_table, source_uuid, target_id)
SELECT 'channels', source_uuid, existing_id FROM mig_channels
WHERE reason IS NULL AND existing_id IS NOT NULL
ON CONFLICT (source_table, source_uuid) DO UPDATE SET target_id = EXCLUDED.target_id;

INSERT INTO migration.uuid_map (source_table, source_uuid, target_id)
SELECT 'channels', m.source_uuid,
       greatest(99, (SELECT max(target_id) FROM migration.uuid_map WHERE source_table = 'channels' AND target_id >= 100))
       + row_number() OVER (ORDER BY m.channel_name, m.source_uuid)
FROM mig_channels m
WHERE m.reason IS NULL AND m.existing_id IS NULL
  AND NOT EXISTS (SELECT FROM migration.uuid_map u WHERE u.source_table = 'channels' AND u.source_uuid = m.source_uuid);

-- Codes and names unique whatever the source holds or earlier runs added (names equal but
-- for case give the same code): the first by id keeps them, any other gets its id appended
-- (LEGACY_X_105, "X (legacy 105)"). Ids never change, so neither do the names.
INSERT INTO channels (channel_id, channel_code, channel_name, channel_type, is_synchronous, created_at)
SELECT id,
       code || CASE WHEN n > 1 OR EXISTS (SELECT FROM channels o WHERE o.channel_code = code AND o.channel_id <> id)
                    THEN '_' || id ELSE '' END,
       channel_name || CASE WHEN name_n > 1 OR EXISTS (
                                SELECT FROM channels o WHERE o.channel_name = c.channel_name AND o.channel_id <> id)
                            THEN ' (legacy ' || id || ')' ELSE '' END,
       new_channel_type, true, '2000-01-01T00:00:00Z'
FROM (SELECT u.target_id AS id, m.channel_name, m.new_channel_type,
             'LEGACY_' || upper(regexp_replace(m.channel_name, '[^A-Za-z0-9]+', '_', 'g')) AS code,
             row_number() OVER (PARTITION BY upper(regexp_replace(m.channel_name, '[^A-Za-z0-9]+', '_', 'g'))
                                ORDER BY u.target_id) AS n,
             row_number() OVER (PARTITION BY m.channel_name ORDER BY u.target_id) AS name_n
      FROM mig_channels m JOIN migration.uuid_map u ON u.source_table = 'channels' AND u.source_uuid = m.source_uuid
      WHERE m.reason IS NULL AND m.existing_id IS NULL) c
ON CONFLICT (channel_id) DO NOTHING;

INSERT INTO migration.rejections SELECT 'channels', source_uuid::text, reason FROM mig_channels WHERE reason IS NOT NULL;

-- ---------------------------------------------------------------- interaction types
CREATE TEMP TABLE mig_types ON COMMIT DROP AS
WITH code_map (legacy_code, code) AS (VALUES
    ('BALANCE_QUERY', 'BILLING'), ('INVOICE_DOWNLOAD', 'BILLING'), ('PAYMENT_PROCESS', 'PAYMENT'),
    ('HISTORY_QUERY', 'INFO_REQUEST'), ('ADDON_PURCHASE', 'NEW_SERVICE'), ('PLAN_CHANGE', 'PLAN_CHANGE'),
    ('TECHNICAL_SUPPORT', 'TECH_SUPPORT'), ('SIM_REPLACEMENT', 'DEVICE_SUPPORT'),
    ('ROAMING_INFO', 'ROAMING'), ('COMPLAINT_FILING', 'COMPLAINT'))
SELECT s.interaction_type_id AS source_uuid, s.interaction_code,
       coalesce(s.interaction_name, s.interaction_code) AS interaction_name,
       existing.interaction_type_id AS existing_id,
       CASE lower(s.interaction_category) WHEN 'billing' THEN 'Billing' WHEN 'technical' THEN 'Technical'
            WHEN 'account' THEN 'Account' WHEN 'support' THEN 'Support' WHEN 'sales' THEN 'Sales'
            ELSE 'Support' END AS category,
       -- A category the model does not know (or none) falls back on Support (docs/migration.md).
       CASE WHEN existing.interaction_type_id IS NULL
                 AND (s.interaction_category IS NULL
                      OR lower(s.interaction_category) NOT IN ('billing', 'technical', 'account', 'support', 'sales'))
            THEN 'repaired: unknown interaction_category -> Support' END AS repair,
       CASE lower(s.business_impact) WHEN 'low' THEN 'Low' WHEN 'high' THEN 'High'
            WHEN 'critical' THEN 'Critical' ELSE 'Medium' END AS priority_level,
       CASE WHEN s.interaction_code IS NULL OR btrim(s.interaction_code) = '' THEN 'missing interaction_code'
       END AS reason
FROM migration.src_interaction_types s
LEFT JOIN code_map cm ON cm.legacy_code = upper(s.interaction_code)
LEFT JOIN interaction_types existing ON existing.interaction_code = coalesce(cm.code, upper(s.interaction_code))
    AND existing.interaction_type_id < 100;

INSERT INTO migration.uuid_map (source_table, source_uuid, target_id)
SELECT 'interaction_types', source_uuid, existing_id FROM mig_types WHERE reason IS NULL AND existing_id IS NOT NULL
ON CONFLICT (source_table, source_uuid) DO UPDATE SET target_id = EXCLUDED.target_id;

INSERT INTO migration.uuid_map (source_table, source_uuid, target_id)
SELECT 'interaction_types', m.source_uuid,
       greatest(99, (SELECT max(target_id) FROM migration.uuid_map WHERE source_table = 'interaction_types' AND target_id >= 100))
       + row_number() OVER (ORDER BY m.interaction_code, m.source_uuid)
FROM mig_types m
WHERE m.reason IS NULL AND m.existing_id IS NULL
  AND NOT EXISTS (SELECT FROM migration.uuid_map u WHERE u.source_table = 'interaction_types' AND u.source_uuid = m.source_uuid);

-- Codes equal but for case, and names equal (case-insensitively) to another added type's or
-- to one an earlier run added, made unique the same way as channels' (the first by id keeps
-- them); a name the baseline catalog has gets " (legacy)".
INSERT INTO interaction_types (interaction_type_id, interaction_code, interaction_name, category, priority_level, created_at)
SELECT id,
       code || CASE WHEN code_n > 1 OR EXISTS (
                         SELECT FROM interaction_types o WHERE o.interaction_code = code AND o.interaction_type_id <> id)
                    THEN '_' || id ELSE '' END,
       interaction_name || CASE WHEN name_n > 1 OR EXISTS (
                                     SELECT FROM interaction_types o WHERE lower(o.interaction_name) = lower(t.interaction_name)
                                     AND o.interaction_type_id <> id AND o.interaction_type_id >= 100)
                                THEN ' (legacy ' || id || ')'
                                WHEN in_catalog THEN ' (legacy)' ELSE '' END,
       category, priority_level, '2000-01-01T00:00:00Z'
FROM (SELECT u.target_id AS id, 'LEGACY_' || upper(m.interaction_code) AS code, m.interaction_name, m.category,
             m.priority_level,
             row_number() OVER (PARTITION BY upper(m.interaction_code) ORDER BY u.target_id) AS code_n,
             row_number() OVER (PARTITION BY lower(m.interaction_name) ORDER BY u.target_id) AS name_n,
             EXISTS (SELECT FROM interaction_types n WHERE lower(n.interaction_name) = lower(m.interaction_name)
                     AND n.interaction_type_id < 100) AS in_catalog
      FROM mig_types m JOIN migration.uuid_map u ON u.source_table = 'interaction_types' AND u.source_uuid = m.source_uuid
      WHERE m.reason IS NULL AND m.existing_id IS NULL) t
ON CONFLICT (interaction_type_id) DO NOTHING;

INSERT INTO migration.rejections SELECT 'interaction_types', source_uuid::text, reason FROM mig_types WHERE reason IS NOT NULL;

-- ---------------------------------------------------------------- service plans
CREATE TEMP TABLE mig_plans ON COMMIT DROP AS
SELECT s.plan_id AS source_uuid, s.plan_code,
       coalesce(by_code.service_plan_id, by_name.service_plan_id) AS existing_id,
       s.plan_name,
       CASE lower(s.plan_category) WHEN 'prepaid' THEN 'Prepaid' ELSE 'Postpaid' END AS plan_type,
       CASE WHEN s.monthly_fee < 20 THEN 1 WHEN s.monthly_fee < 35 THEN 2 WHEN s.monthly_fee < 55 THEN 3 ELSE 4 END AS plan_tier,
       s.monthly_fee,
       -- An allowance of -1 (or Infinity) is the earlier model's "unlimited": the largest
       -- value the column holds (docs/migration.md). NULL: none.
       CASE WHEN s.data_allowance_gb IN (-1, 'Infinity') THEN 999999.99 ELSE coalesce(s.data_allowance_gb, 0) END
           AS data_allowance_gb,
       CASE WHEN s.voice_minutes = -1 THEN 2147483647 ELSE coalesce(s.voice_minutes, 0) END AS voice_minutes,
       CASE WHEN s.sms_allowance = -1 THEN 2147483647 ELSE coalesce(s.sms_allowance, 0) END AS sms_allowance,
       coalesce(s.is_active, true) AS is_active,
       CASE WHEN coalesce(by_code.service_plan_id, by_name.service_plan_id) IS NOT NULL THEN NULL
            WHEN s.plan_code IS NULL OR btrim(s.plan_code) = '' THEN 'missing plan_code'
            WHEN lower(s.plan_type) = 'addon' THEN 'add-on plan (not a base plan)'
            WHEN s.monthly_fee IS NULL OR s.monthly_fee < 0 THEN 'missing monthly_fee'
            WHEN s.monthly_fee IN ('NaN', 'Infinity') THEN 'monthly_fee not a number (NaN or Infinity)'
            WHEN s.monthly_fee >= 100000000 THEN 'monthly_fee too large (100,000,000 or more)'
            WHEN s.data_allowance_gb = 'NaN' OR (s.data_allowance_gb < 0 AND s.data_allowance_gb <> -1)
                 OR s.voice_minutes < -1 OR s.sms_allowance < -1
            THEN 'negative or NaN allowance (only -1, unlimited, is understood)'
            WHEN s.data_allowance_gb >= 1000000 AND s.data_allowance_gb <> 'Infinity'
            THEN 'data_allowance_gb too large (1,000,000 or more; -1 means unlimited)'
            WHEN s.plan_name IS NULL THEN 'missing plan_name'
            WHEN lower(s.plan_category) NOT IN ('prepaid', 'postpaid', 'hybrid') OR s.plan_category IS NULL
            THEN 'unknown plan_category' END AS reason
FROM migration.src_service_plans s
LEFT JOIN service_plans by_code ON by_code.plan_code = upper(s.plan_code) AND by_code.service_plan_id < 100
LEFT JOIN service_plans by_name ON lower(by_name.plan_name) = lower(s.plan_name) AND by_name.service_plan_id < 100;

INSERT INTO migration.uuid_map (source_table, source_uuid, target_id)
SELECT 'service_plans', source_uuid, existing_id FROM mig_plans WHERE reason IS NULL AND existing_id IS NOT NULL
ON CONFLICT (source_table, source_uuid) DO UPDATE SET target_id = EXCLUDED.target_id;

INSERT INTO migration.uuid_map (source_table, source_uuid, target_id)
SELECT 'service_plans', m.source_uuid,
       greatest(99, (SELECT max(target_id) FROM migration.uuid_map WHERE source_table = 'service_plans' AND target_id >= 100))
       + row_number() OVER (ORDER BY m.plan_code, m.source_uuid)
FROM mig_plans m
WHERE m.reason IS NULL AND m.existing_id IS NULL
  AND NOT EXISTS (SELECT FROM migration.uuid_map u WHERE u.source_table = 'service_plans' AND u.source_uuid = m.source_uuid);

-- Codes and names made unique as for interaction types.
INSERT INTO service_plans (service_plan_id, plan_code, plan_name, plan_type, plan_tier, monthly_fee,
                           data_allowance_gb, voice_minutes, sms_allowance, is_active, created_at)
SELECT id,
       code || CASE WHEN code_n > 1 OR EXISTS (
                         SELECT FROM service_plans o WHERE o.plan_code = code AND o.service_plan_id <> id)
                    THEN '_' || id ELSE '' END,
       plan_name || CASE WHEN name_n > 1 OR EXISTS (
                              SELECT FROM service_plans o WHERE lower(o.plan_name) = lower(p.plan_name)
                              AND o.service_plan_id <> id AND o.service_plan_id >= 100)
                         THEN ' (legacy ' || id || ')'
                         WHEN in_catalog THEN ' (legacy)' ELSE '' END,
       plan_type, plan_tier, monthly_fee, data_allowance_gb, voice_minutes, sms_allowance,
       is_active, '2000-01-01T00:00:00Z'
FROM (SELECT u.target_id AS id, 'LEGACY_' || upper(m.plan_code) AS code, m.plan_name, m.plan_type, m.plan_tier,
             m.monthly_fee, m.data_allowance_gb, m.voice_minutes, m.sms_allowance, m.is_active,
             row_number() OVER (PARTITION BY upper(m.plan_code) ORDER BY u.target_id) AS code_n,
             row_number() OVER (PARTITION BY lower(m.plan_name) ORDER BY u.target_id) AS name_n,
             EXISTS (SELECT FROM service_plans p WHERE lower(p.plan_name) = lower(m.plan_name)
                     AND p.service_plan_id < 100) AS in_catalog
      FROM mig_plans m JOIN migration.uuid_map u ON u.source_table = 'service_plans' AND u.source_uuid = m.source_uuid
      WHERE m.reason IS NULL AND m.existing_id IS NULL) p
ON CONFLICT (service_plan_id) DO NOTHING;

INSERT INTO migration.rejections SELECT 'service_plans', source_uuid::text, reason FROM mig_plans WHERE reason IS NOT NULL;

-- ---------------------------------------------------------------- agents (humans only)
CREATE TEMP TABLE mig_agents ON COMMIT DROP AS
SELECT s.agent_id AS source_uuid, s.agent_code, lower(s.agent_type) AS agent_type,
       existing.agent_id AS existing_id,
       coalesce(s.agent_name, s.agent_code) AS agent_name,
       CASE lower(s.specialization) WHEN 'billing' THEN 'Billing' WHEN 'technical' THEN 'Technical Support'
            WHEN 'sales' THEN 'Sales' ELSE 'Customer Service' END AS department,
       CASE lower(s.skill_level) WHEN 'senior' THEN 'Senior' WHEN 'expert' THEN 'Expert'
            WHEN 'specialist' THEN 'Expert' ELSE 'Junior' END AS skill_level,
       CASE WHEN migration.usable_day(s.created_at::date) THEN s.created_at::date ELSE DATE '2000-01-01' END
           AS hire_date,
       coalesce(s.is_active, true) AS is_active,
       CASE WHEN s.agent_code IS NULL OR btrim(s.agent_code) = '' THEN 'missing agent_code'
            WHEN lower(s.agent_type) = 'bot' THEN 'bot (not a human agent: its interactions are self-service)'
            WHEN lower(s.agent_type) IN ('human', 'hybrid', 'supervisor') THEN NULL
            ELSE 'unknown agent_type' END AS reason
FROM migration.src_agents s
LEFT JOIN agents existing ON existing.employee_id = s.agent_code AND existing.agent_id < 100000;

INSERT INTO migration.uuid_map (source_table, source_uuid, target_id)
SELECT 'agents', source_uuid, existing_id FROM mig_agents WHERE reason IS NULL AND existing_id IS NOT NULL
ON CONFLICT (source_table, source_uuid) DO UPDATE SET target_id = EXCLUDED.target_id;

INSERT INTO migration.uuid_map (source_table, source_uuid, target_id)
SELECT 'agents', m.source_uuid,
       greatest(99999, (SELECT max(target_id) FROM migration.uuid_map WHERE source_table = 'agents' AND target_id >= 100000))
       + row_number() OVER (ORDER BY m.agent_code, m.source_uuid)
FROM mig_agents m
WHERE m.reason IS NULL AND m.existing_id IS NULL
  AND NOT EXISTS (SELECT FROM migration.uuid_map u WHERE u.source_table = 'agents' AND u.source_uuid = m.source_uuid);

-- A code held by two agents (a source without its unique key): the first by id keeps it,
-- the other gets its id appended (AGT1#100005).
INSERT INTO agents (agent_id, agent_name, employee_id, department, team, skill_level, hire_date, is_active, created_at)
SELECT id, agent_name,
       agent_code || CASE WHEN code_n > 1 OR EXISTS (
                               SELECT FROM agents o WHERE o.employee_id = m.agent_code AND o.agent_id <> id)
                          THEN '#' || id ELSE '' END,
       department, 'Migrated ' || department, skill_level, hire_date, is_active, '2000-01-01T00:00:00Z'
FROM (SELECT u.target_id AS id, a.*, row_number() OVER (PARTITION BY a.agent_code ORDER BY u.target_id) AS code_n
      FROM mig_agents a JOIN migration.uuid_map u ON u.source_table = 'agents' AND u.source_uuid = a.source_uuid
      WHERE a.reason IS NULL AND a.existing_id IS NULL) m
ON CONFLICT (agent_id) DO UPDATE SET agent_name = EXCLUDED.agent_name, department = EXCLUDED.department,
    team = EXCLUDED.team, skill_level = EXCLUDED.skill_level, hire_date = EXCLUDED.hire_date,
    is_active = EXCLUDED.is_active;

INSERT INTO migration.rejections SELECT 'agents', source_uuid::text, reason FROM mig_agents WHERE reason IS NOT NULL;

-- ---------------------------------------------------------------- report: what was migrated
INSERT INTO migration.report (source_table, outcome, reason, rows)
SELECT 'channels', 'migrated', CASE WHEN existing_id IS NULL THEN 'added to the catalog' ELSE 'matched an existing channel' END, count(*)
FROM mig_channels WHERE reason IS NULL GROUP BY 3
UNION ALL
SELECT 'interaction_types', 'migrated',
       coalesce(repair, CASE WHEN existing_id IS NULL THEN 'added to the catalog' ELSE 'matched an existing type' END),
       count(*)
FROM mig_types WHERE reason IS NULL GROUP BY 3
UNION ALL
SELECT 'service_plans', 'migrated', CASE WHEN existing_id IS NULL THEN 'added to the catalog' ELSE 'matched an existing plan' END, count(*)
FROM mig_plans WHERE reason IS NULL GROUP BY 3
UNION ALL
SELECT 'agents', 'migrated', CASE WHEN existing_id IS NULL THEN 'added to the catalog' ELSE 'matched an existing agent' END, count(*)
FROM mig_agents WHERE reason IS NULL GROUP BY 3;
