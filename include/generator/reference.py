"""Reference rows the generator needs (channels, types, plans, agents), checked against its parameters.

Pure: `Reference.from_rows` takes the rows; `include.storage.reference` reads them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from include.generator import parameters


class ReferenceDataMissing(ValueError):
    """The reference tables lack a code the generator's parameters use."""


@dataclass(frozen=True, eq=False)  # hashed by identity: a cache key per loaded reference
class Reference:
    channel_ids: dict[str, int]
    channel_is_synchronous: dict[str, bool]
    interaction_type_ids: dict[str, int]
    plan_ids_by_tier: dict[int, np.ndarray]
    plan_tier_by_id: dict[int, int]
    #: ("Consumer" | "Business", tier) -> plan ids: plan changes stay within a family.
    plan_ids_by_family_tier: dict[tuple[str, int], np.ndarray]
    agent_ids: np.ndarray
    agent_departments: np.ndarray
    agent_skills: np.ndarray

    def agents_in(self, department: str) -> np.ndarray:
        return self.agent_ids[self.agent_departments == department]


def plan_family(plan_type: str) -> str:
    """Business plans form one family; Prepaid and Postpaid the consumer family."""
    return "Business" if plan_type == "Business" else "Consumer"


def reference_from_rows(
    channels: list[tuple], types: list[tuple], plans: list[tuple], agents: list[tuple]
) -> Reference:
    """Build the generator's reference from catalog rows; fail clearly if a code is missing."""
    channel_ids = {code: cid for code, cid, _ in channels}
    type_ids = {code: tid for code, tid in types}
    missing = [c for c in parameters.CHANNEL_MIX if c not in channel_ids]
    missing += [t for t in parameters.INTERACTION_TYPES if t not in type_ids]
    departments = {dept for _, dept, _ in agents}
    missing += [d for _, _, d in parameters.INTERACTION_TYPES.values() if d not in departments]
    plans = [(p[0], p[1], p[2] if len(p) > 2 else "Postpaid") for p in plans]
    tiers = {tier for _, tier, _ in plans}
    missing += [f"plan tier {t}" for t in range(1, 5) if t not in tiers]
    families = {(plan_family(kind), tier) for _, tier, kind in plans}
    missing += [
        f"{f} plan of tier {t}" for f, t in parameters.PLAN_FAMILY_TIERS_NEEDED if (f, t) not in families
    ]
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
            t: np.array([pid for pid, tier, _ in plans if tier == t], dtype=np.int16) for t in range(1, 5)
        },
        plan_tier_by_id={pid: tier for pid, tier, _ in plans},
        plan_ids_by_family_tier={
            key: np.array(
                [pid for pid, tier, kind in plans if (plan_family(kind), tier) == key], dtype=np.int16
            )
            for key in sorted(families)
        },
        agent_ids=np.array([a[0] for a in agents], dtype=np.int32),
        agent_departments=np.array([a[1] for a in agents], dtype=object),
        agent_skills=np.array([a[2] for a in agents], dtype=object),
    )
