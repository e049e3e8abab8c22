"""Issue #24: schedules a workforce team would publish (pure generator, no database).

Before: 21 % of shifts were stubs ending at 00:00 UTC, 11.6 % of consecutive shifts had under
11 h rest, an agent worked 15 h a week. Now seats have contracts and fixed local start times."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from include.generator import parameters, rosters, schedules, workforce
from include.generator.interactions import day_shifts

SEED = 42
VOLUME = 20_000
FIRST = dt.date(2026, 11, 2)
WEEKS = 4
US_PER_HOUR = 3_600_000_000


def _published(reference) -> pd.DataFrame:
    """Every shift of WEEKS weeks, as the batch days write them (each once, by its UTC start day)."""
    frames = []
    for k in range(7 * WEEKS):
        day = FIRST + dt.timedelta(days=k)
        shifts, _, written = day_shifts(day, VOLUME, SEED, VOLUME, reference)
        s = shifts.take(written)
        offset = k * 24 * US_PER_HOUR
        frames.append(
            pd.DataFrame(
                {
                    "agent_id": s.agent_id,
                    "local_day": s.local_day,
                    "start": s.start + offset,
                    "end": s.end + offset,
                    "meal": s.break_end - s.break_start,
                    "rests": (s.rest_end - s.rest_start).sum(axis=1),
                }
            )
        )
    return pd.concat(frames, ignore_index=True).sort_values(["agent_id", "start"])


def test_no_shift_under_4_hours_and_at_least_11_hours_rest(reference):
    f = _published(reference)
    hours = (f["end"] - f["start"]) / US_PER_HOUR
    assert hours.min() >= 4 and hours.max() <= 10
    rest = (f["start"] - f.groupby("agent_id")["end"].shift()) / US_PER_HOUR
    assert rest.min() >= 11
    # breaks by length: a meal and two short breaks from 8 h, one short break in 4 h
    long = hours >= 8
    assert (f.loc[long, "meal"] == 30 * 60e6).all() and (f.loc[long, "rests"] == 30 * 60e6).all()
    assert (f.loc[~long, "meal"] == 0).all() and (f.loc[~long, "rests"] == 15 * 60e6).all()


def test_each_shift_is_written_once_and_some_cross_utc_midnight(reference):
    f = _published(reference)
    assert not f.duplicated(["agent_id", "local_day"]).any()
    assert not f.duplicated(["agent_id", "start"]).any()
    crossing = (f["start"] // (24 * US_PER_HOUR)) != ((f["end"] - 1) // (24 * US_PER_HOUR))
    assert crossing.mean() > 0.05


def test_weekly_hours_by_contract_and_stable_start_times(reference):
    f = _published(reference)
    roster = rosters.build_roster(SEED, VOLUME, reference)
    gen, employed = rosters.holders_on(roster, FIRST)
    gen_end, employed_end = rosters.holders_on(roster, FIRST + dt.timedelta(days=7 * WEEKS))
    whole = employed & employed_end & (gen == gen_end)
    agents = set(roster.agent_id[np.flatnonzero(whole), gen[whole]].tolist())
    weekly = (
        f[f["agent_id"].isin(agents)]
        .groupby("agent_id")
        .apply(lambda g: ((g["end"] - g["start"]).sum() / US_PER_HOUR) / WEEKS)
    )
    weekly = weekly.reindex(list(agents)).fillna(0)
    assert 28 <= weekly.median() <= 40, weekly.describe()
    # no contract above 40 h; at most one overtime shift a week (a whole service group left
    # empty by callouts), plus a DST hour
    assert weekly.max() <= 40 + 10 + 1
    # start times of an agent: the same local clock time every day
    local = f["start"] - (f["local_day"] - FIRST.toordinal()).astype(np.int64) * 24 * US_PER_HOUR
    spread = local.groupby(f["agent_id"]).agg(lambda x: x.max() - x.min()) / US_PER_HOUR
    assert spread.quantile(0.9) <= 1  # (one hour: the clocks change)


def test_contracts_full_time_and_part_time(reference):
    roster = rosters.build_roster(SEED, VOLUME, reference)
    share = np.bincount(roster.contract, minlength=len(workforce.CONTRACTS)) / len(roster.contract)
    assert share[workforce.FULL_TIME_5X8] > share[workforce.FULL_TIME_4X10] > 0
    assert 0 < share[workforce.PART_TIME] < 0.5
    assert set(workforce.CONTRACT_INTERVALS.tolist()) == {16, 32, 40}
    assert len(parameters.SITES) >= 1


def test_a_local_day_is_planned_alike_by_every_batch_day_that_needs_it(reference):
    """Batch days D and D+1 both serve the shifts that cross their midnight: the same shifts."""
    day = FIRST + dt.timedelta(days=3)
    a, serving_a, _ = day_shifts(day, VOLUME, SEED, VOLUME, reference)
    schedules.local_day_shifts.cache_clear()
    b, serving_b, _ = day_shifts(day + dt.timedelta(days=1), VOLUME, SEED, VOLUME, reference)
    crossing_a = a.take(serving_a[a.end[serving_a] > 24 * US_PER_HOUR])
    crossing_b = b.take(serving_b[b.start[serving_b] < 0])
    assert len(crossing_a.agent_id) > 0
    assert (np.sort(crossing_a.agent_id) == np.sort(crossing_b.agent_id)).all()
    assert sorted((crossing_a.start - 24 * US_PER_HOUR).tolist()) == sorted(crossing_b.start.tolist())
