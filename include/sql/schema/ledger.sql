-- The ledger of schema upgrades (docs/storage.md, "Schema files and upgrades").
--
-- Each file in include/sql/upgrades/ changes databases of earlier releases once: it is a
-- CALL cca_meta.apply_upgrade(version, name, $upgrade$ ...statements... $upgrade$), which
-- runs the statements and records the upgrade here, in the schema file's transaction.
-- On later runs a recorded upgrade is skipped, after checking that its text is still the
-- text that was recorded: a released upgrade is never edited (fix forward with a new one).
-- A new database gets the current layout from the schema files, so its upgrades are
-- recorded without running (ran = false).

-- Is this a new database? Decided before the schema files create anything: no ledger and
-- none of the project's tables. Kept for this transaction only.
DO $$
BEGIN
    PERFORM set_config(
        'cca.new_database',
        CASE
            WHEN to_regclass('cca_meta.schema_upgrades') IS NULL
                 AND to_regclass('public.channels') IS NULL
                 AND to_regclass('public.customers') IS NULL
                 AND to_regclass('public.customer_interactions') IS NULL
                 AND to_regnamespace('analytics') IS NULL
                THEN 'on'
            ELSE 'off'
        END,
        true
    );
END
$$;

CREATE SCHEMA IF NOT EXISTS cca_meta;

CREATE TABLE IF NOT EXISTS cca_meta.schema_upgrades (
    version    integer     PRIMARY KEY,
    name       text        NOT NULL UNIQUE,
    applied_at timestamptz NOT NULL DEFAULT now(),
    -- sha256 (hex) of the upgrade's statements, exactly as between its $upgrade$ quotes.
    checksum   text        NOT NULL,
    -- false: recorded on a new database, which the schema files already gave its result.
    ran        boolean     NOT NULL
);

-- Run an upgrade once: skipped when recorded (refused when its text changed since), only
-- recorded on a new database, else run and recorded, all in the caller's transaction.
CREATE OR REPLACE PROCEDURE cca_meta.apply_upgrade(version integer, name text, statements text)
LANGUAGE plpgsql AS $$
DECLARE
    checksum text := encode(sha256(convert_to(statements, 'UTF8')), 'hex');
    recorded cca_meta.schema_upgrades;
    new_database boolean := coalesce(current_setting('cca.new_database', true), '') = 'on';
BEGIN
    SELECT * INTO recorded FROM cca_meta.schema_upgrades AS u WHERE u.version = apply_upgrade.version;
    IF FOUND THEN
        IF recorded.checksum <> checksum OR recorded.name <> apply_upgrade.name THEN
            RAISE EXCEPTION 'schema upgrade % (%) is not the one this database recorded on % (%): '
                            'a released upgrade must never change',
                            lpad(version::text, 4, '0'), name, recorded.applied_at, recorded.name
                USING HINT = 'restore include/sql/upgrades/' || lpad(version::text, 4, '0') || '_' || name
                             || '.sql as released and put the change in a new numbered upgrade';
        END IF;
        RETURN;
    END IF;
    IF NOT new_database THEN
        EXECUTE statements;
    END IF;
    INSERT INTO cca_meta.schema_upgrades (version, name, checksum, ran)
    VALUES (version, name, checksum, NOT new_database);
END
$$;
