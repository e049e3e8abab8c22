-- The functions that load, swap and merge the fact table's partitions (interaction_days.*).

-- The first interaction_id of a day: yyyymmdd * 10^9. Plain arithmetic on the date, so
-- with a constant day the planner computes it once and prunes partitions by it.
CREATE OR REPLACE FUNCTION interaction_days.first_id(day date) RETURNS bigint
LANGUAGE sql IMMUTABLE AS $$
    SELECT (extract(year FROM day) * 10000 + extract(month FROM day) * 100 + extract(day FROM day))::bigint
           * 1000000000
$$;

-- The id range [first_id, stop_id) and the table names of a day.
CREATE OR REPLACE FUNCTION interaction_days.day_names(
    day date, OUT first_id bigint, OUT stop_id bigint, OUT partition_name text, OUT pending_name text
) LANGUAGE sql IMMUTABLE AS $$
    SELECT interaction_days.first_id(day),
           interaction_days.first_id(day) + 1000000000,
           'd' || to_char(day, 'YYYYMMDD'),
           'd' || to_char(day, 'YYYYMMDD') || '_pending'
$$;

-- An empty table for a day's rows, created in the load's transaction (so COPY may write
-- its rows frozen), with the id and time ranges of the day (so ATTACH need not scan it
-- to prove them, and lookups by id plan one day). Returns its qualified name.
CREATE OR REPLACE FUNCTION interaction_days.create_pending(day date) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    d record := interaction_days.day_names(day);
BEGIN
    EXECUTE format(
        'CREATE TABLE interaction_days.%I (LIKE interaction_days.template INCLUDING DEFAULTS '
        'INCLUDING CONSTRAINTS, CONSTRAINT %I CHECK (interaction_id >= %s AND interaction_id < %s), '
        'CONSTRAINT %I CHECK (start_timestamp >= %L AND start_timestamp < %L))',
        d.pending_name, d.partition_name || '_ids', d.first_id, d.stop_id,
        d.partition_name || '_starts', day::timestamp AT TIME ZONE 'UTC',
        (day + 1)::timestamp AT TIME ZONE 'UTC');
    RETURN format('interaction_days.%I', d.pending_name);
END $$;

-- A day partition's indexes: its primary key, then one per index of customer_interactions
-- (same method and columns, named dYYYYMMDD_<the parent's name without customer_interactions_>).
CREATE OR REPLACE FUNCTION interaction_days.day_indexes(table_name text)
RETURNS TABLE (index_name text, definition text)
LANGUAGE sql STABLE AS $$
    SELECT table_name || '_pkey', 'PRIMARY KEY (interaction_id)'
    UNION ALL
    SELECT table_name || '_' || regexp_replace(c.relname, '^customer_interactions_', ''),
           substring(pg_get_indexdef(i.indexrelid) FROM ' USING (.*)$')
    FROM pg_index AS i JOIN pg_class AS c ON c.oid = i.indexrelid
    WHERE i.indrelid = 'public.customer_interactions'::regclass
$$;

-- Build a pending table's indexes (see day_indexes), and give them their final names.
CREATE OR REPLACE FUNCTION interaction_days.build_indexes(table_name text) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    ix record;
BEGIN
    -- Enough memory to sort a big day in one pass (settings last until the caller commits).
    PERFORM set_config('maintenance_work_mem', '256MB', true);
    FOR ix IN SELECT * FROM interaction_days.day_indexes(table_name) LOOP
        IF ix.definition LIKE 'PRIMARY KEY%' THEN
            EXECUTE format('ALTER TABLE interaction_days.%I ADD CONSTRAINT %I %s',
                           table_name, ix.index_name, ix.definition);
        ELSE
            EXECUTE format('CREATE INDEX %I ON interaction_days.%I USING %s', ix.index_name, table_name, ix.definition);
        END IF;
    END LOOP;
    -- Statistics for the checks and summaries that read the day next. A small sample is
    -- plenty for one day's distributions and costs a tenth of the default one.
    PERFORM set_config('default_statistics_target', '10', true);
    EXECUTE format('ANALYZE interaction_days.%I', table_name);
END $$;

CREATE OR REPLACE FUNCTION interaction_days.rename_table(old_name text, new_name text) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    ix record;
BEGIN
    EXECUTE format('ALTER TABLE interaction_days.%I RENAME TO %I', old_name, new_name);
    FOR ix IN SELECT * FROM interaction_days.day_indexes(old_name) LOOP
        EXECUTE format('ALTER INDEX interaction_days.%I RENAME TO %I', ix.index_name,
                       new_name || substr(ix.index_name, length(old_name) + 1));
    END LOOP;
END $$;

-- Closed history in months. Every partition costs each query that is not pruned while
-- planning (a lookup by customer, session or agent, a window relative to now()) some
-- planning and an index probe, so a month whose days are all loaded and which ended
-- before today (UTC) becomes one partition, interaction_days.mYYYYMM, with the same
-- indexes: a year of history is 12 partitions plus the current month's days. Its rows
-- are copied once, when its last day is loaded (in that load's transaction); a later
-- re-run of one of its days replaces that day's rows inside the month (publish).
-- Returns whether it merged.
CREATE OR REPLACE FUNCTION interaction_days.merge_month(day date) RETURNS boolean
LANGUAGE plpgsql AS $$
DECLARE
    first date := date_trunc('month', day)::date;
    stop date := (date_trunc('month', day) + interval '1 month')::date;
    month_name text := 'm' || to_char(day, 'YYYYMM');
    pending text := 'm' || to_char(day, 'YYYYMM') || '_pending';
    lower timestamptz := first::timestamp AT TIME ZONE 'UTC';
    upper timestamptz := stop::timestamp AT TIME ZONE 'UTC';
    days text[];
BEGIN
    SELECT array_agg('d' || to_char(g.d, 'YYYYMMDD')) INTO days
    FROM generate_series(first, stop - 1, interval '1 day') AS g (d)
    WHERE to_regclass(format('interaction_days.%I', 'd' || to_char(g.d, 'YYYYMMDD'))) IS NOT NULL;
    IF stop > (now() AT TIME ZONE 'UTC')::date
       OR coalesce(cardinality(days), 0) < stop - first
       OR to_regclass(format('interaction_days.%I', month_name)) IS NOT NULL
       OR EXISTS (SELECT FROM interaction_days.default_partition
                  WHERE start_timestamp >= lower AND start_timestamp < upper) THEN
        RETURN false;
    END IF;
    EXECUTE format(
        'CREATE TABLE interaction_days.%I (LIKE interaction_days.template INCLUDING DEFAULTS '
        'INCLUDING CONSTRAINTS, CONSTRAINT %I CHECK (interaction_id >= %s AND interaction_id < %s), '
        'CONSTRAINT %I CHECK (start_timestamp >= %L AND start_timestamp < %L))',
        pending, month_name || '_ids', interaction_days.first_id(first),
        interaction_days.first_id(stop - 1) + 1000000000, month_name || '_starts', lower, upper);
    -- Day after day (partitions are read in the order of their bounds): rows stay in time order.
    EXECUTE format('INSERT INTO interaction_days.%I SELECT * FROM public.customer_interactions '
                   'WHERE start_timestamp >= %L AND start_timestamp < %L', pending, lower, upper);
    PERFORM interaction_days.build_indexes(pending);
    LOCK TABLE ONLY public.customer_interactions IN ACCESS EXCLUSIVE MODE;
    EXECUTE (SELECT string_agg(format('DROP TABLE interaction_days.%I;', d), ' ') FROM unnest(days) AS d);
    PERFORM interaction_days.rename_table(pending, month_name);
    EXECUTE format('ALTER TABLE public.customer_interactions ATTACH PARTITION interaction_days.%I '
                   'FOR VALUES FROM (%L) TO (%L)', month_name, lower, upper);
    RETURN true;
END $$;

-- Every closed, complete month that is still in days (the upgrade calls it once).
CREATE OR REPLACE FUNCTION interaction_days.merge_closed_months() RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    month date;
    merged integer := 0;
BEGIN
    FOR month IN
        SELECT DISTINCT date_trunc('month', to_date(substr(c.relname, 2, 8), 'YYYYMMDD'))::date
        FROM pg_inherits AS i JOIN pg_class AS c ON c.oid = i.inhrelid
        WHERE i.inhparent = 'public.customer_interactions'::regclass AND c.relname ~ '^d\d{8}$'
        ORDER BY 1
    LOOP
        merged := merged + interaction_days.merge_month(month)::integer;
    END LOOP;
    RETURN merged;
END $$;

-- Once the rows are in: index the pending table, then swap it in, in the caller's
-- transaction. Each index is built once, by sorting (far cheaper than index upkeep per
-- row), and ATTACH adopts them as the partitions of the parent's indexes, building
-- nothing; it checks the foreign keys, one pass per key over the new rows. Readers of
-- customer_interactions wait only for the swap, from the lock to the commit. A day of a
-- merged month instead replaces its rows inside the month partition (row by row: a
-- re-run of old history, not the daily path).
CREATE OR REPLACE FUNCTION interaction_days.publish(day date) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    d record := interaction_days.day_names(day);
    month_name text := 'm' || to_char(day, 'YYYYMM');
    lower timestamptz := day::timestamp AT TIME ZONE 'UTC';
    upper timestamptz := (day + 1)::timestamp AT TIME ZONE 'UTC';
BEGIN
    IF to_regclass(format('interaction_days.%I', month_name)) IS NULL THEN
        PERFORM interaction_days.build_indexes(d.pending_name);
    END IF;

    -- The strongest lock first: two swaps then queue here instead of deadlocking.
    LOCK TABLE ONLY public.customer_interactions IN ACCESS EXCLUSIVE MODE;
    DELETE FROM interaction_days.default_partition
    WHERE (start_timestamp >= lower AND start_timestamp < upper)
       OR (interaction_id >= d.first_id AND interaction_id < d.stop_id);
    IF to_regclass(format('interaction_days.%I', month_name)) IS NOT NULL THEN
        EXECUTE format('DELETE FROM interaction_days.%I WHERE (start_timestamp >= %L AND start_timestamp < %L) '
                       'OR (interaction_id >= %s AND interaction_id < %s)',
                       month_name, lower, upper, d.first_id, d.stop_id);
        EXECUTE format('INSERT INTO interaction_days.%I SELECT * FROM interaction_days.%I',
                       month_name, d.pending_name);
        EXECUTE format('DROP TABLE interaction_days.%I', d.pending_name);
        RETURN;
    END IF;
    EXECUTE format('DROP TABLE IF EXISTS interaction_days.%I', d.partition_name);
    PERFORM interaction_days.rename_table(d.pending_name, d.partition_name);
    EXECUTE format('ALTER TABLE public.customer_interactions ATTACH PARTITION interaction_days.%I '
                   'FOR VALUES FROM (%L) TO (%L)', d.partition_name, lower, upper);
    PERFORM interaction_days.merge_month(day);
END $$;

-- The interactions of one UTC day: those starting on that day (so the planner reads that
-- day's partition alone, however many days there are) and carrying the day's ids.
-- A plain SQL function, inlined by the planner: use it like a table.
CREATE OR REPLACE FUNCTION interaction_days.of_day(day date) RETURNS SETOF customer_interactions
LANGUAGE sql STABLE AS $$
    SELECT *
    FROM public.customer_interactions
    WHERE start_timestamp >= day::timestamp AT TIME ZONE 'UTC'
      AND start_timestamp < (day + 1)::timestamp AT TIME ZONE 'UTC'
      AND interaction_id >= interaction_days.first_id(day)
      AND interaction_id < interaction_days.first_id(day) + 1000000000
$$;

-- Upgrade, second step: the previous release's day partitions join the new parent, each
-- for its day. Their start_timestamp CHECK proves the bound, so no row is read; each gets
