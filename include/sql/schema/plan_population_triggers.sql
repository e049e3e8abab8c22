-- The statement triggers that keep analytics.plan_population_changes current, whoever
-- writes customer_service_plans (the table and its recount: analytics_tables.sql).

-- The rows a statement added (sign +1) or removed (sign -1), as transition table changed_plans.
CREATE OR REPLACE FUNCTION analytics.plan_population_moved() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO analytics.plan_population_changes AS p (service_plan_id, change_date, delta)
    SELECT service_plan_id, change_date, TG_ARGV[0]::int * sum(delta)
    FROM (
        SELECT service_plan_id, start_date AS change_date, 1 AS delta FROM changed_plans
        UNION ALL
        SELECT service_plan_id, end_date + 1, -1 FROM changed_plans WHERE end_date IS NOT NULL
    ) AS changes
    GROUP BY 1, 2
    ON CONFLICT (service_plan_id, change_date) DO UPDATE SET delta = p.delta + EXCLUDED.delta;
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION analytics.plan_population_emptied() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    TRUNCATE analytics.plan_population_changes;
    RETURN NULL;
END
$$;

CREATE OR REPLACE TRIGGER plan_population_insert AFTER INSERT ON customer_service_plans
    REFERENCING NEW TABLE AS changed_plans FOR EACH STATEMENT EXECUTE FUNCTION analytics.plan_population_moved('1');
-- An update counts as the old rows removed, then the new rows added (two triggers, in name order).
CREATE OR REPLACE TRIGGER plan_population_update_1_old AFTER UPDATE ON customer_service_plans
    REFERENCING OLD TABLE AS changed_plans FOR EACH STATEMENT EXECUTE FUNCTION analytics.plan_population_moved('-1');
CREATE OR REPLACE TRIGGER plan_population_update_2_new AFTER UPDATE ON customer_service_plans
    REFERENCING NEW TABLE AS changed_plans FOR EACH STATEMENT EXECUTE FUNCTION analytics.plan_population_moved('1');
CREATE OR REPLACE TRIGGER plan_population_delete AFTER DELETE ON customer_service_plans
    REFERENCING OLD TABLE AS changed_plans FOR EACH STATEMENT EXECUTE FUNCTION analytics.plan_population_moved('-1');
CREATE OR REPLACE TRIGGER plan_population_truncate AFTER TRUNCATE ON customer_service_plans
    FOR EACH STATEMENT EXECUTE FUNCTION analytics.plan_population_emptied();
