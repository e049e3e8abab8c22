-- Upgrade 0001: the fact tables of earlier releases step aside, before fact_table.sql
-- creates today's customer_interactions (partitioned by start_timestamp); upgrade 0002
-- puts their rows under it.
--   * the unpartitioned table of the first releases becomes interaction_days.default_partition,
--     rows kept, its index and key names out of the way of the new parent's;
--   * the parent of the release partitioned by interaction_id becomes interaction_days.days_by_id
--     (its day partitions, rows, primary and foreign keys untouched), its default partition
--     detached from it.
CALL cca_meta.apply_upgrade(1, 'fact_table_steps_aside', $upgrade$
CREATE SCHEMA IF NOT EXISTS interaction_days;

-- The unpartitioned table of the first releases.
DO $$
BEGIN
    IF (SELECT relkind FROM pg_class WHERE oid = to_regclass('public.customer_interactions')) = 'r' THEN
        ALTER INDEX IF EXISTS public.customer_interactions_start RENAME TO default_partition_start;
        ALTER TABLE public.customer_interactions
            RENAME CONSTRAINT customer_interactions_pkey TO default_partition_pkey;
        ALTER TABLE public.customer_interactions SET SCHEMA interaction_days;
        ALTER TABLE interaction_days.customer_interactions RENAME TO default_partition;
    END IF;
END $$;

-- The parent of the day partitions by interaction_id (its partitions move in upgrade 0002).
DO $$
BEGIN
    IF EXISTS (SELECT FROM pg_partitioned_table AS p
               JOIN pg_attribute AS a ON a.attrelid = p.partrelid AND a.attnum = p.partattrs[0]
               WHERE p.partrelid = to_regclass('public.customer_interactions') AND a.attname = 'interaction_id') THEN
        -- Returns that table's row type: recreated for the new parent (partition_functions.sql).
        DROP FUNCTION IF EXISTS interaction_days.of_day(date);
        ALTER TABLE public.customer_interactions
            RENAME CONSTRAINT customer_interactions_pkey TO days_by_id_pkey;
        ALTER TABLE public.customer_interactions RENAME TO days_by_id;
        ALTER TABLE public.days_by_id SET SCHEMA interaction_days;
    END IF;
END $$;

-- Its default partition (rows outside any loaded day) joins the new parent in upgrade 0002.
DO $$
BEGIN
    IF to_regclass('interaction_days.days_by_id') IS NOT NULL
       AND EXISTS (SELECT FROM pg_inherits WHERE inhrelid = to_regclass('interaction_days.default_partition')
                   AND inhparent = to_regclass('interaction_days.days_by_id')) THEN
        ALTER TABLE interaction_days.days_by_id DETACH PARTITION interaction_days.default_partition;
    END IF;
END $$;
$upgrade$);
