"""Issue #24's outcomes: callers who behave and outcomes that follow their obvious drivers
(pure generator, no database): escalation by contact type, abandoned callers who retry, no
conversation summary where there was no conversation."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import pandas as pd

from include.generator.calendar import day_volume
from include.generator.customers import build_customer_base
from include.generator.interactions import day_context, generate_day
from include.generator.settings import BatchSettings
from include.storage.copy_format import to_frame

SEED = 42
VOLUME = 20_000
DAY = dt.date(2026, 11, 10)  # an ordinary Tuesday


@lru_cache
def _rows(reference, day: dt.date = DAY) -> pd.DataFrame:
    base = build_customer_base(SEED, BatchSettings(interactions_per_day=VOLUME).signups, day, reference)
    ctx = day_context(day, day_volume(day, VOLUME, SEED), SEED, base, reference, VOLUME)
    f = pd.concat([to_frame(b) for b in generate_day(ctx)], ignore_index=True)
    types = {v: k for k, v in reference.interaction_type_ids.items()}
    f["type"] = f["interaction_type_id"].map(types)
    return f


def test_escalation_depends_on_the_contact_type(reference):
    f = _rows(reference)
    by_type = f[f["agent_id"].notna()].groupby("type")["is_escalated"].mean()
    assert by_type.max() - by_type.min() >= 0.08, by_type.round(3).to_dict()
    assert by_type["COMPLAINT"] > by_type["INFO_REQUEST"]
    assert 0.05 <= f["is_escalated"].mean() <= 0.15  # celsiusindustries.com: about 10 %


def test_an_abandoned_call_has_no_conversation_summary(reference):
    f = _rows(reference)
    abandoned = f[f["resolution_status"] == "Cancelled"]
    assert len(abandoned) > 100
    assert abandoned["interaction_summary"].isna().all()
    assert f.loc[f["resolution_status"] != "Cancelled", "interaction_summary"].notna().all()


def test_at_least_15_percent_of_abandoned_callers_contact_again_within_2_hours(reference):
    f = _rows(reference)
    abandoned = f.loc[f["resolution_status"] == "Cancelled", ["customer_id", "interaction_id", "end_timestamp"]]
    later = f[["customer_id", "start_timestamp"]].merge(abandoned, on="customer_id")
    later = later[
        (later["start_timestamp"] > later["end_timestamp"])
        & (later["start_timestamp"] <= later["end_timestamp"] + pd.Timedelta(hours=2))
    ]
    share = later["interaction_id"].nunique() / len(abandoned)
    assert share >= 0.15, share
    assert share <= 0.6  # about a third call back (responsedesign.com), not everybody
