"""Dirty values of real legacy exports, planted into a fixture database (issue #27).

Each entry of `DIRTY_VALUES` is SQL run on a database built by `build_legacy`: a value the
7-table model cannot hold as it is (a -1 "unlimited" allowance, names equal but for case, a
timestamp 150 years late, `-infinity`, a duplicated UUID once the primary key is gone,
`NaN`/`Infinity` fees, a date stored as text holding 'unknown', a BC date, dates far outside
the window). The migration must end normally and count every row. `make_sql_ascii` turns a
scratch database into an SQL_ASCII one (with a Latin-1 byte in a name) before it is filled.
Used by tests/pipeline/test_migration.py and `make reliability`.
"""

from __future__ import annotations

import psycopg
from psycopg import sql

from devtools.database import connect, drop_database, server_admin_url

_NEW_PLAN = (
    "INSERT INTO service_plans (plan_id, plan_code, plan_name, plan_type, plan_category, monthly_fee, "
    "data_allowance_gb, voice_minutes, sms_allowance) VALUES "
)
_NEW_TYPE = (
    "INSERT INTO interaction_types (interaction_type_id, interaction_code, interaction_name, "
    "interaction_category, business_impact) VALUES "
)
#: An interaction of the fixture, picked by its rank among the well-formed ones.
_NTH = (
    "(SELECT interaction_id FROM customer_interactions WHERE end_timestamp > start_timestamp "
    "ORDER BY interaction_id OFFSET {} LIMIT 1)"
)

#: name -> SQL planting that dirty value into a legacy fixture.
DIRTY_VALUES: dict[str, str] = {
    "unlimited allowance -1": "UPDATE service_plans SET data_allowance_gb = -1, voice_minutes = -1, "
    "sms_allowance = -1 WHERE plan_code = 'UNL_70'",
    "two plans with the same name": _NEW_PLAN
    + "('00000000-0000-4000-8000-000000000001', 'POST_25_2020', 'Postpaid 25', 'combo', 'postpaid', 26, 5, 300, 100)",
    "two types with the same name": _NEW_TYPE
    + "('00000000-0000-4000-8000-000000000002', 'TOP_UP_V2', 'Top Up', 'billing', 'low')",
    "plan codes differing only by case": _NEW_PLAN
    + "('00000000-0000-4000-8000-000000000003', 'pre_10', 'Prepaid ten', 'voice', 'prepaid', 10, 1, 100, 50)",
    "type codes differing only by case": _NEW_TYPE
    + "('00000000-0000-4000-8000-000000000004', 'top_up', 'Top-up (old)', 'billing', 'low')",
    "channel names differing only by case": "INSERT INTO channels (channel_id, channel_name, channel_type) "
    "VALUES ('00000000-0000-4000-8000-000000000005', 'video support', 'video_call')",
    "end time 150 years late": "UPDATE customer_interactions SET end_timestamp = end_timestamp + interval "
    "'150 years', duration_seconds = NULL WHERE interaction_id = " + _NTH.format(0),
    "end time 150 years late with its duration": "UPDATE customer_interactions SET end_timestamp = "
    "end_timestamp + interval '150 years' WHERE interaction_id = " + _NTH.format(1),
    "step 150 years long": "UPDATE interaction_steps SET end_timestamp = end_timestamp + interval '150 years', "
    "duration_seconds = NULL WHERE step_id = (SELECT step_id FROM interaction_steps ORDER BY step_id LIMIT 1)",
    "-infinity start": "UPDATE customer_interactions SET start_timestamp = '-infinity' WHERE interaction_id = "
    + _NTH.format(2),
    "infinity end": "UPDATE customer_interactions SET end_timestamp = 'infinity', duration_seconds = NULL "
    "WHERE interaction_id = " + _NTH.format(3),
    "-infinity created_at and activation_date": "UPDATE customers SET created_at = '-infinity' WHERE customer_id = "
    "(SELECT customer_id FROM customers ORDER BY customer_id LIMIT 1); UPDATE customer_service_plans SET activation_date = '-infinity' "
    "WHERE (customer_id, plan_id) = (SELECT customer_id, plan_id FROM customer_service_plans "
    "ORDER BY customer_id DESC, plan_id LIMIT 1)",
    "duplicated UUID without a primary key": "ALTER TABLE customer_interactions DROP CONSTRAINT IF EXISTS "
    "customer_interactions_pkey; INSERT INTO customer_interactions SELECT * FROM customer_interactions "
    "WHERE interaction_id = " + _NTH.format(4) + "; ALTER TABLE customers DROP CONSTRAINT customers_pkey; "
    "INSERT INTO customers (customer_id, msisdn, customer_name, account_status, registration_date) "
    "SELECT customer_id, '+5299' || substr(msisdn, 6), 'Duplicate', 'active', registration_date "
    "FROM customers WHERE customer_id = (SELECT customer_id FROM customers ORDER BY customer_id DESC LIMIT 1)",
    "NULL UUID without a primary key": "ALTER TABLE customer_interactions DROP CONSTRAINT IF EXISTS "
    "customer_interactions_pkey; ALTER TABLE customer_interactions ALTER interaction_id DROP NOT NULL; INSERT INTO customer_interactions (interaction_id, customer_id, "
    "channel_id, interaction_type_id, start_timestamp, end_timestamp, interaction_status, interaction_mode) "
    "SELECT NULL, customer_id, channel_id, interaction_type_id, start_timestamp, end_timestamp, "
    "interaction_status, interaction_mode FROM customer_interactions WHERE interaction_id = "
    + _NTH.format(5),
    "Infinity and NaN fees": "ALTER TABLE service_plans ALTER monthly_fee TYPE numeric, "
    "ALTER data_allowance_gb TYPE numeric; "
    + _NEW_PLAN
    + "('00000000-0000-4000-8000-000000000006', 'INF_FEE', 'Infinite fee', 'combo', 'postpaid', 'Infinity', 1, 1, 1),"
    "('00000000-0000-4000-8000-000000000007', 'NAN_FEE', 'Not a fee', 'combo', 'postpaid', 'NaN', 1, 1, 1),"
    "('00000000-0000-4000-8000-000000000008', 'HUGE_FEE', 'Huge fee', 'combo', 'postpaid', 1e12, 'Infinity', 1, 1)",
    "date stored as text holding 'unknown'": "ALTER TABLE customers ALTER registration_date TYPE text; "
    "UPDATE customers SET registration_date = 'unknown' WHERE customer_id = "
    "(SELECT customer_id FROM customers ORDER BY customer_id OFFSET 3 LIMIT 1); "
    "ALTER TABLE customer_interactions ALTER number_of_attempts TYPE text; "
    "UPDATE customer_interactions SET number_of_attempts = 'several' WHERE interaction_id = "
    + _NTH.format(6),
    "BC date": "UPDATE customers SET registration_date = '0044-03-15 BC', created_at = '0044-03-15 BC' "
    "WHERE customer_id = (SELECT customer_id FROM customers ORDER BY customer_id OFFSET 4 LIMIT 1); "
    "UPDATE customer_interactions SET start_timestamp = '0044-03-15 10:00:00 BC' WHERE interaction_id = "
    + _NTH.format(7),
    "dates outside the window (years 44, 2099, 9999)": "UPDATE customer_interactions SET start_timestamp = "
    "start_timestamp - interval '1980 years', end_timestamp = end_timestamp - interval '1980 years' "
    "WHERE interaction_id = " + _NTH.format(8) + "; UPDATE customer_interactions SET start_timestamp = "
    "'2099-06-01 10:00', end_timestamp = '2099-06-01 10:05' WHERE interaction_id = "
    + _NTH.format(9)
    + "; UPDATE customer_interactions SET start_timestamp = '9999-06-01 10:00', end_timestamp = "
    "'9999-06-01 10:05' WHERE interaction_id = "
    + _NTH.format(10)
    + "; UPDATE customers SET last_activity_date = '9999-12-31' WHERE account_status = 'churned'",
}


def plant_dirty_values(conn: psycopg.Connection, names: list[str] | None = None) -> list[str]:
    """Run the planting SQL of each named dirty value (all by default); returns their names."""
    chosen = list(DIRTY_VALUES) if names is None else names
    with conn.transaction():
        for name in chosen:
            conn.execute(DIRTY_VALUES[name])
    return chosen


def make_sql_ascii(url: str) -> None:
    """Recreate the (scratch) database of `url` with encoding SQL_ASCII, as old servers had."""
    name = psycopg.conninfo.conninfo_to_dict(url)["dbname"]
    admin = server_admin_url()
    drop_database(admin, name)
    with connect(admin, autocommit=True) as conn:
        conn.execute(
            sql.SQL(
                "CREATE DATABASE {} ENCODING 'SQL_ASCII' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0"
            ).format(sql.Identifier(name))
        )


def plant_latin1_name(conn: psycopg.Connection) -> None:
    """A customer name with a Latin-1 byte (0xE9, 'é'): legal in SQL_ASCII, not UTF-8."""
    with conn.transaction():
        conn.execute(
            "UPDATE customers SET customer_name = convert_from('\\x4a6f73e9'::bytea, 'SQL_ASCII') "
            "WHERE customer_id = (SELECT customer_id FROM customers ORDER BY customer_id LIMIT 1)"
        )
