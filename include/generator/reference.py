"""Reference rows the generator needs (channels, types, plans, agents), checked against its config.

Pure: `Reference.from_rows` takes the rows; `include.storage.reference` reads them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from include.generator import config


class ReferenceDataMissing(ValueError):
    """The reference tables lack a code the generator's config uses."""


@dataclass(frozen=True, eq=False)  # hashed by identity: a cache key per loaded reference
class Reference:
    channel_ids: dict[str, int]
    channel_is_synchronous: dict[str, bool]
    interaction_type_ids: dict[str, int]
    plan_ids_by_tier: dict[int, np.ndarray]
    plan_tier_by_id: dict[int, int]
    agent_ids: np.ndarray
    agent_departments: np.ndarray
    agent_skills: np.ndarray

    def agents_in(self, department: str) -> np.ndarray:
        return self.agent_ids[self.agent_departments == department]


def reference_from_rows(
    channels: list[tuple], types: list[tuple], plans: list[tuple], agents: list[tuple]
) -> Reference:
    """Build the generator's reference from catalog rows; fail clearly if a code is missing."""
    channel_ids = {code: cid for code, cid, _ in channels}
    type_ids = {code: tid for code, tid in types}
    missing = [c for c in config.CHANNEL_MIX if c not in channel_ids]
    missing += [t for t in config.INTERACTION_TYPES if t not in type_ids]
    departments = {dept for _, dept, _ in agents}
    missing += [d for _, _, d in config.INTERACTION_TYPES.values() if d not in departments]
    tiers = {tier for _, tier in plans}
    missing += [f"plan tier {t}" for t in range(1, 5) if t not in tiers]
    if missing:
        raise ReferenceDataMissing(
            "reference data is missing "
            + ", ".join(sorted(set(missing)))
            + " (load include/sql/01_baseline_data.sql first)"
        )
    return Reference(
        channel_ids=channel_ids,
        channel_is_synchronous={code: sync for code, _, sync in channels},
        interaction_type_ids=type_ids,
        plan_ids_by_tier={
            t: np.array([pid for pid, tier in plans if tier == t], dtype=np.int16) for t in range(1, 5)
        },
        plan_tier_by_id={pid: tier for pid, tier in plans},
        agent_ids=np.array([a[0] for a in agents], dtype=np.int32),
        agent_departments=np.array([a[1] for a in agents], dtype=object),
        agent_skills=np.array([a[2] for a in agents], dtype=object),
    )
