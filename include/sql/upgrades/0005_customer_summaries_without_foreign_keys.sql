-- Upgrade 0005: earlier releases checked the per-customer summaries against customers row
-- by row (see analytics.daily_customer_activity); dropping a key keeps every row.
CALL cca_meta.apply_upgrade(5, 'customer_summaries_without_foreign_keys', $upgrade$
ALTER TABLE analytics.daily_customer_activity
    DROP CONSTRAINT IF EXISTS daily_customer_activity_customer_id_fkey;
ALTER TABLE analytics.customer_summary DROP CONSTRAINT IF EXISTS customer_summary_customer_id_fkey;
$upgrade$);
