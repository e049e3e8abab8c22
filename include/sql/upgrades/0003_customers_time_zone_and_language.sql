-- Upgrade 0003: customers gain their home's time zone and their preferred language (NULL
-- for the customers a database of an earlier release holds).
CALL cca_meta.apply_upgrade(3, 'customers_time_zone_and_language', $upgrade$
ALTER TABLE customers ADD COLUMN IF NOT EXISTS time_zone text;
ALTER TABLE customers ADD COLUMN IF NOT EXISTS preferred_language text;
$upgrade$);
