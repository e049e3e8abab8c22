-- Upgrade 0006: count the customers on each plan once (analytics.plan_population_changes),
-- before the triggers that keep the count current from then on exist
-- (plan_population_triggers.sql).
CALL cca_meta.apply_upgrade(6, 'plan_population_counted', $upgrade$
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_trigger WHERE tgname = 'plan_population_insert') THEN
        PERFORM analytics.recount_plan_population();
    END IF;
END
$$;
$upgrade$);
