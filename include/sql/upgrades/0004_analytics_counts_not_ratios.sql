-- Upgrade 0004: release 0.3 stored ratios (avg_*, csat_pct, *_rate,
-- contacts_per_100_customers) beside some of the counts. Add the missing counts, fill
-- them from the stored ratios (exact: each ratio was count / denominator, computed in
-- numeric to at least 16 significant digits, so round(ratio * denominator) gives the
-- count back), then drop the ratios, which the read layer computes (read/). Rows the
-- upgrade cannot vouch for can always be recomputed from the facts: `cca summaries rebuild`.
CALL cca_meta.apply_upgrade(4, 'analytics_counts_not_ratios', $upgrade$
DO $$
BEGIN
    IF EXISTS (SELECT FROM information_schema.columns WHERE table_schema = 'analytics'
               AND table_name = 'daily_channel_summary' AND column_name = 'escalation_rate') THEN
        ALTER TABLE analytics.daily_channel_summary
            ADD COLUMN IF NOT EXISTS queue_time_sum            bigint  NOT NULL DEFAULT 0,
            ADD COLUMN IF NOT EXISTS csat_positive_count       integer NOT NULL DEFAULT 0,
            ADD COLUMN IF NOT EXISTS first_contact_resolutions integer NOT NULL DEFAULT 0,
            ADD COLUMN IF NOT EXISTS escalations               integer NOT NULL DEFAULT 0,
            ADD COLUMN IF NOT EXISTS repeat_contacts           integer NOT NULL DEFAULT 0;
        UPDATE analytics.daily_channel_summary SET
            queue_time_sum            = coalesce(round(avg_queue_time_seconds * interaction_count), 0),
            csat_positive_count       = coalesce(round(csat_pct * survey_responses / 100), 0),
            first_contact_resolutions = round(first_contact_resolution_rate * interaction_count),
            escalations               = round(escalation_rate * interaction_count),
            repeat_contacts           = round(repeat_contact_rate * interaction_count);
        ALTER TABLE analytics.daily_channel_summary
            DROP COLUMN avg_satisfaction,
            DROP COLUMN avg_duration_seconds,
            DROP COLUMN avg_queue_time_seconds,
            DROP COLUMN csat_pct,
            DROP COLUMN survey_response_rate,
            DROP COLUMN first_contact_resolution_rate,
            DROP COLUMN escalation_rate,
            DROP COLUMN repeat_contact_rate,
            ALTER COLUMN queue_time_sum DROP DEFAULT,
            ALTER COLUMN csat_positive_count DROP DEFAULT,
            ALTER COLUMN first_contact_resolutions DROP DEFAULT,
            ALTER COLUMN escalations DROP DEFAULT,
            ALTER COLUMN repeat_contacts DROP DEFAULT;
    END IF;

    IF EXISTS (SELECT FROM information_schema.columns WHERE table_schema = 'analytics'
               AND table_name = 'daily_interaction_type_summary' AND column_name = 'escalation_rate') THEN
        ALTER TABLE analytics.daily_interaction_type_summary
            ADD COLUMN IF NOT EXISTS csat_positive_count       integer NOT NULL DEFAULT 0,
            ADD COLUMN IF NOT EXISTS first_contact_resolutions integer NOT NULL DEFAULT 0,
            ADD COLUMN IF NOT EXISTS escalations               integer NOT NULL DEFAULT 0,
            ADD COLUMN IF NOT EXISTS repeat_contacts           integer NOT NULL DEFAULT 0;
        UPDATE analytics.daily_interaction_type_summary SET
            csat_positive_count       = coalesce(round(csat_pct * survey_responses / 100), 0),
            first_contact_resolutions = round(first_contact_resolution_rate * interaction_count),
            escalations               = round(escalation_rate * interaction_count),
            repeat_contacts           = round(repeat_contact_rate * interaction_count);
        ALTER TABLE analytics.daily_interaction_type_summary
            DROP COLUMN avg_duration_seconds,
            DROP COLUMN avg_satisfaction,
            DROP COLUMN csat_pct,
            DROP COLUMN first_contact_resolution_rate,
            DROP COLUMN escalation_rate,
            DROP COLUMN repeat_contact_rate,
            ALTER COLUMN csat_positive_count DROP DEFAULT,
            ALTER COLUMN first_contact_resolutions DROP DEFAULT,
            ALTER COLUMN escalations DROP DEFAULT,
            ALTER COLUMN repeat_contacts DROP DEFAULT;
    END IF;

    IF EXISTS (SELECT FROM information_schema.columns WHERE table_schema = 'analytics'
               AND table_name = 'daily_agent_performance' AND column_name = 'escalation_rate') THEN
        ALTER TABLE analytics.daily_agent_performance
            ADD COLUMN IF NOT EXISTS csat_positive_count       integer NOT NULL DEFAULT 0,
            ADD COLUMN IF NOT EXISTS first_contact_resolutions integer NOT NULL DEFAULT 0,
            ADD COLUMN IF NOT EXISTS escalations               integer NOT NULL DEFAULT 0;
        UPDATE analytics.daily_agent_performance SET
            csat_positive_count       = coalesce(round(csat_pct * survey_responses / 100), 0),
            first_contact_resolutions = round(first_contact_resolution_rate * interactions_handled),
            escalations               = round(escalation_rate * interactions_handled);
        ALTER TABLE analytics.daily_agent_performance
            DROP COLUMN avg_satisfaction,
            DROP COLUMN avg_duration_seconds,
            DROP COLUMN csat_pct,
            DROP COLUMN first_contact_resolution_rate,
            DROP COLUMN escalation_rate,
            ALTER COLUMN csat_positive_count DROP DEFAULT,
            ALTER COLUMN first_contact_resolutions DROP DEFAULT,
            ALTER COLUMN escalations DROP DEFAULT;
    END IF;
END $$;
-- Nothing to add here: the ratios were computed from counts the tables keep.
ALTER TABLE analytics.daily_service_plan_summary
    DROP COLUMN IF EXISTS avg_satisfaction,
    DROP COLUMN IF EXISTS contacts_per_100_customers;
ALTER TABLE analytics.customer_summary DROP COLUMN IF EXISTS avg_satisfaction;
$upgrade$);
