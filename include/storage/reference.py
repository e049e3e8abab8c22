"""Read the reference catalog the generator needs from the database."""

from __future__ import annotations

import psycopg

from include.generator.reference import Reference, reference_from_rows


def load_reference(conn: psycopg.Connection) -> Reference:
    """Channels, types, active plans and active agents, as the generator's Reference."""
    channels = conn.execute("SELECT channel_code, channel_id, is_synchronous FROM channels").fetchall()
    types = conn.execute("SELECT interaction_code, interaction_type_id FROM interaction_types").fetchall()
    plans = conn.execute(
        "SELECT service_plan_id, plan_tier, plan_type FROM service_plans WHERE is_active ORDER BY service_plan_id"
    ).fetchall()
    agents = conn.execute(
        "SELECT agent_id, department, skill_level FROM agents WHERE is_active ORDER BY agent_id"
    ).fetchall()
    return reference_from_rows(channels, types, plans, agents)
