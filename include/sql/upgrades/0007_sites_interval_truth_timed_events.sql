-- Upgrade 0007 (issue #24): agents work at sites and stores (agent_shifts.site_name), the
-- interval table books busy time where it happened and keeps the forecast beside the actuals,
-- and a timed event records its start, restoration, onset and recovery. New tables
-- (contact_sites, agent_shift_breaks, workforce_forecast) are created by schema/workforce.sql.
CALL cca_meta.apply_upgrade(7, 'sites_interval_truth_timed_events', $upgrade$
ALTER TABLE agent_shifts ADD COLUMN IF NOT EXISTS site_name text REFERENCES contact_sites (site_name);
ALTER TABLE analytics.interval_queue_summary ADD COLUMN IF NOT EXISTS busy_seconds bigint NOT NULL DEFAULT 0;
ALTER TABLE analytics.interval_queue_summary ADD COLUMN IF NOT EXISTS forecast_offered double precision;
ALTER TABLE analytics.interval_queue_summary ADD COLUMN IF NOT EXISTS agents_needed integer;
ALTER TABLE planted_events ADD COLUMN IF NOT EXISTS started_at timestamptz;
ALTER TABLE planted_events ADD COLUMN IF NOT EXISTS restored_at timestamptz;
ALTER TABLE planted_events ADD COLUMN IF NOT EXISTS onset_minutes integer;
ALTER TABLE planted_events ADD COLUMN IF NOT EXISTS recovery_minutes integer;
$upgrade$);
