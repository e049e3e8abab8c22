"""A twin's scenario beside its seed: recorded by the first load, and another scenario refused."""

from __future__ import annotations

import json

import psycopg

from include.generator.customers import CustomerBaseMismatch
from include.generator.scenario import parse_scenario


class ScenarioMismatch(CustomerBaseMismatch):
    """A run whose scenario is not the database's (refused like another seed's run)."""


def database_scenario(conn: psycopg.Connection) -> str | None:
    """The database's scenario ('' : today's world); None for a database nothing was loaded into."""
    if conn.execute("SELECT to_regclass('customer_base_state')").fetchone()[0] is None:
        return None  # a fresh database: the DAG creates the schema
    if conn.execute("SELECT to_regclass('world_scenario')").fetchone()[0] is not None:
        row = conn.execute("SELECT scenario FROM world_scenario").fetchone()
        if row is not None:
            return row[0]
    loaded = conn.execute("SELECT EXISTS (SELECT FROM customer_base_state)").fetchone()[0]
    return "" if loaded else None  # loaded before scenarios were recorded: today's world


def check_scenario(conn: psycopg.Connection, scenario: str) -> None:
    """Raise ScenarioMismatch (one line) when the database was built with another scenario."""
    recorded = database_scenario(conn)
    if recorded is not None and recorded != scenario:
        raise ScenarioMismatch(
            f"this database was built with scenario={_shown(recorded)}, not {_shown(scenario)}: "
            "use that scenario or a fresh database (a twin lives in its own database)"
        )


def record_scenario(conn: psycopg.Connection, scenario: str) -> None:
    """In the caller's transaction, before the run's first write: the scenario, or the refusal."""
    check_scenario(conn, scenario)
    if conn.execute("SELECT EXISTS (SELECT FROM world_scenario)").fetchone()[0]:
        return
    parsed = parse_scenario(scenario)
    conn.execute(
        "INSERT INTO world_scenario (scenario, levers, description) VALUES (%s, %s::jsonb, %s) "
        "ON CONFLICT DO NOTHING",
        (scenario, json.dumps(dict(parsed.levers)), parsed.describe()),
    )
    check_scenario(conn, scenario)  # (a run that started at once with another scenario wrote first)


def _shown(scenario: str) -> str:
    return repr(scenario) if scenario else "'' (today's world)"
