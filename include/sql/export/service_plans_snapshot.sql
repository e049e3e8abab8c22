-- Reference data (written by the schema files and the workforce catalog, not by day).
SELECT * FROM service_plans ORDER BY service_plan_id
