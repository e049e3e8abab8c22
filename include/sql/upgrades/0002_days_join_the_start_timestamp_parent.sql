-- Upgrade 0002: what upgrade 0001 set aside joins today's customer_interactions, after the
-- partition functions exist. An unpartitioned table of the first releases becomes the
-- default partition. The day partitions of the release partitioned by interaction_id join
-- the new parent, each for its day: their start_timestamp CHECK proves the bound, so no
-- row is read; each gets the parent's indexes, built once. Then the empty old parent goes,
-- and closed months merge into one partition each, as loads would have left them.
CALL cca_meta.apply_upgrade(2, 'days_join_the_start_timestamp_parent', $upgrade$
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_inherits WHERE inhrelid = 'interaction_days.default_partition'::regclass) THEN
        ALTER TABLE customer_interactions ATTACH PARTITION interaction_days.default_partition DEFAULT;
    END IF;
END $$;

DO $$
DECLARE
    part record;
BEGIN
    IF to_regclass('interaction_days.days_by_id') IS NULL THEN
        RETURN;
    END IF;
    FOR part IN
        SELECT c.oid::regclass AS name, to_date(substr(c.relname, 2, 8), 'YYYYMMDD') AS day
        FROM pg_inherits AS i JOIN pg_class AS c ON c.oid = i.inhrelid
        WHERE i.inhparent = 'interaction_days.days_by_id'::regclass
        ORDER BY c.relname
    LOOP
        IF part.name::text !~ '^interaction_days\.d\d{8}$' THEN
            RAISE EXCEPTION 'cannot upgrade: unexpected partition % of customer_interactions', part.name;
        END IF;
        EXECUTE format('ALTER TABLE interaction_days.days_by_id DETACH PARTITION %s', part.name);
        EXECUTE format('ALTER TABLE public.customer_interactions ATTACH PARTITION %s FOR VALUES FROM (%L) TO (%L)',
                       part.name, part.day::timestamp AT TIME ZONE 'UTC', (part.day + 1)::timestamp AT TIME ZONE 'UTC');
    END LOOP;
    DROP TABLE interaction_days.days_by_id;
    PERFORM interaction_days.merge_closed_months();
END $$;
$upgrade$);
