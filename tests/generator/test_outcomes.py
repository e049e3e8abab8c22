"""Issue #24's outcomes: callers who behave and contacts that change accounts (pure generator,
no database): escalation by contact type, abandoned callers who retry, no conversation summary
where there was no conversation, cancellation requests before churn, plan-change requests
before plan changes, suspended accounts calling about their bill."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import numpy as np
import pandas as pd

from include.generator import accounts, rosters
from include.generator.calendar import day_volume
from include.generator.customers import build_customer_base, day_index
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
    abandoned = f.loc[
        f["resolution_status"] == "Cancelled", ["customer_id", "interaction_id", "end_timestamp"]
    ]
    later = f[["customer_id", "start_timestamp"]].merge(abandoned, on="customer_id")
    later = later[
        (later["start_timestamp"] > later["end_timestamp"])
        & (later["start_timestamp"] <= later["end_timestamp"] + pd.Timedelta(hours=2))
    ]
    share = later["interaction_id"].nunique() / len(abandoned)
    assert share >= 0.15, share
    assert share <= 0.6  # about a third call back (responsedesign.com), not everybody


def _base(reference, day: dt.date = DAY):
    return build_customer_base(SEED, BatchSettings(interactions_per_day=VOLUME).signups, day, reference)


def _account_of_each_contact(reference) -> tuple[pd.DataFrame, np.ndarray]:
    """The day's rows and, per row, its customer's index in the base (whose timeline is known ahead)."""
    f, base = _rows(reference), _base(reference)
    index = pd.Series(np.arange(len(base.customer_id)), index=base.customer_id)
    return f, index.loc[f["customer_id"]].to_numpy()


def test_churn_within_30_days_after_a_cancellation_request_is_3x_the_rate_after_other_contacts(reference):
    f, i = _account_of_each_contact(reference)
    churn = _base(reference).churn_day[i]
    d = day_index(DAY)
    leaves = (churn > d) & (churn <= d + 30)
    asked = (f["type"] == "CANCELLATION").to_numpy()
    assert leaves[asked].mean() >= 3 * leaves[~asked].mean(), (leaves[asked].mean(), leaves[~asked].mean())
    # ... and the save desk keeps a documented share of those who ask (CANCELLATION_SAVE_RATE).
    assert 0.2 <= 1 - leaves[asked].mean() <= 0.7


def test_plan_change_requests_precede_plan_changes(reference):
    f, i = _account_of_each_contact(reference)
    starts = _base(reference).event_day[i, 1:]
    d = day_index(DAY)
    changes = ((starts >= d) & (starts <= d + 30)).any(axis=1)
    asked = (f["type"] == "PLAN_CHANGE").to_numpy()
    assert changes[asked].mean() >= 3 * changes[~asked].mean(), (
        changes[asked].mean(),
        changes[~asked].mean(),
    )


def test_suspended_accounts_call_more_and_about_their_bill(reference):
    f, i = _account_of_each_contact(reference)
    base = _base(reference)
    suspended = base.suspended[i]
    share_of_contacts = suspended.mean()
    share_of_customers = base.suspended[base.active_on(day_index(DAY))].mean()
    assert share_of_contacts >= 1.5 * share_of_customers
    billing = f["type"].isin(["BILLING", "PAYMENT"]).to_numpy()
    assert billing[suspended].mean() >= 2 * billing[~suspended].mean()


def test_the_contacts_announcing_account_events_are_a_function_of_seed_and_day(reference):
    """Drawn from the base's timeline alone: the same whichever later base holds the customers."""
    later = build_customer_base(
        SEED, BatchSettings(interactions_per_day=VOLUME).signups, DAY + dt.timedelta(days=40), reference
    )
    now = _base(reference)
    a = accounts.announced_on(DAY, SEED, now, 20_000, now.active_on(day_index(DAY)))
    b = accounts.announced_on(DAY, SEED, later, 20_000, later.active_on(day_index(DAY)))
    assert len(a.customer) > 500
    assert np.array_equal(now.customer_id[a.customer], later.customer_id[b.customer])
    assert np.array_equal(a.slot, b.slot) and np.array_equal(a.itype, b.itype)


def test_skill_grows_with_tenure(reference):
    """Half of 3-year veterans were Junior (issue #24): nobody stays Junior past a year now."""
    from include.generator import workforce

    roster = rosters.build_roster(SEED, VOLUME, reference)
    gen, employed = rosters.holders_on(roster, DAY)
    slots = np.flatnonzero(employed)
    d = day_index(DAY)
    skill = rosters.skill_on(roster, slots, gen[slots], d)
    tenure = d - roster.hire_day[slots, gen[slots]]
    junior = skill == workforce.SKILLS.index("Junior")
    assert junior[tenure < 365].mean() > 0.3  # most hires start Junior
    assert not junior[tenure >= 365].any()
    assert (skill[tenure >= 3 * 365] == workforce.SKILLS.index("Expert")).mean() > (
        skill[tenure < 365] == workforce.SKILLS.index("Expert")
    ).mean()
