"""Read the reference catalog the generator needs from the database."""

from __future__ import annotations

from functools import lru_cache

import psycopg

from include.generator.reference import Reference, reference_from_rows
from include.generator.rosters import AGENT_ID_BASE

#: Agents migrated from the earlier schema take ids from here (include/sql/migration/20_reference.sql).
MIGRATED_AGENT_ID_FIRST = 100_000


def load_reference(conn: psycopg.Connection) -> Reference:
    """Channels, types, active plans and the reference data's agents, as the generator's Reference."""
    channels = conn.execute("SELECT channel_code, channel_id, is_synchronous FROM channels").fetchall()
    types = conn.execute("SELECT interaction_code, interaction_type_id FROM interaction_types").fetchall()
    plans = conn.execute(
        "SELECT service_plan_id, plan_tier, plan_type FROM service_plans WHERE is_active ORDER BY service_plan_id"
    ).fetchall()
    # The reference data's agents (not the generated roster, whatever their is_active, nor agents
    # migrated from the earlier schema, from MIGRATED_AGENT_ID_FIRST: the roster decides who works
    # when, and a day's rows must not depend on what was loaded or migrated before).
    agents = conn.execute(
        "SELECT agent_id, department, skill_level FROM agents WHERE agent_id < %s ORDER BY agent_id",
        (min(AGENT_ID_BASE, MIGRATED_AGENT_ID_FIRST),),
    ).fetchall()
    return _reference(tuple(channels), tuple(types), tuple(plans), tuple(agents))


@lru_cache(maxsize=4)
def _reference(channels: tuple, types: tuple, plans: tuple, agents: tuple) -> Reference:
    """The same rows give the same Reference object: the generator's caches (customer base,
    roster, a day's context) are keyed by it."""
    return reference_from_rows(list(channels), list(types), list(plans), list(agents))
