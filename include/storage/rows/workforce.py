"""Rows of the workforce tables (agents, shifts, breaks, forecast, sites, queues, routing).

The generator hands over arrays (include/generator/rosters.py, workforce.Shifts); this module
turns them into the tuples the database takes, in each table's column order.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from include.generator import parameters
from include.generator.reference import Reference
from include.generator.rosters import Roster, agent_names, skill_on
from include.generator.workforce import (
    INTERVALS,
    QUEUES,
    REST_BREAKS,
    SKILLS,
    Shifts,
    channel_group,
    queue_of,
)

AGENT_COLUMNS = (
    "agent_id",
    "agent_name",
    "employee_id",
    "department",
    "team",
    "skill_level",
    "hire_date",
    "is_active",
    "created_at",
)
#: Agents per team (a team lead's span of control; assumption).
TEAM_SIZE = 15


def agent_rows(roster: Roster, slots: np.ndarray, gens: np.ndarray, as_of: dt.date) -> list[tuple]:
    """agents rows (AGENT_COLUMNS) for generated agents: a pure function of (seed, agent)."""
    ids = roster.agent_id[slots, gens].astype(np.int64)
    first, last = agent_names(roster, ids)
    d = (as_of - parameters.EPOCH).days
    rows = []
    for i, (slot, gen) in enumerate(zip(slots.tolist(), gens.tolist(), strict=True)):
        department, group = QUEUES[roster.slot_queue[slot]]
        hired = parameters.EPOCH + dt.timedelta(days=int(roster.hire_day[slot, gen]))
        rows.append(
            (
                int(ids[i]),
                f"{first[i]} {last[i]}",
                f"EMP{int(ids[i])}",
                department,
                f"{group} {int(roster.slot_number[slot]) // TEAM_SIZE + 1}",
                SKILLS[skill_on(roster, slot, gen, d)],
                hired,
                bool(roster.leave_day[slot, gen] > d),
                dt.datetime.combine(hired, dt.time(8), dt.UTC),
            )
        )
    return rows


SHIFT_COLUMNS = (
    "shift_date", "agent_id", "queue_id", "shift_start", "shift_end", "break_start", "break_end", "site_name",
)  # fmt: skip
BREAK_COLUMNS = ("shift_date", "agent_id", "break_start", "break_end")


def shift_rows(shifts: Shifts, day: dt.date, rows: np.ndarray) -> list[tuple]:
    """agent_shifts rows for shifts `rows` (times as UTC datetimes; shift_date: the site-local
    day the shift belongs to, break_start/break_end: its meal break, NULL when none)."""
    midnight = dt.datetime.combine(day, dt.time(0), dt.UTC)

    def at(us: int) -> dt.datetime:
        return midnight + dt.timedelta(microseconds=int(us))

    out = []
    for i in rows.tolist():
        has_break = shifts.break_end[i] > shifts.break_start[i]
        out.append(
            (
                dt.date.fromordinal(int(shifts.local_day[i])),
                int(shifts.agent_id[i]),
                int(shifts.queue[i]) + 1,
                at(shifts.start[i]),
                at(shifts.end[i]),
                at(shifts.break_start[i]) if has_break else None,
                at(shifts.break_end[i]) if has_break else None,
                place_name(int(shifts.site[i]), int(shifts.store[i])),
            )
        )
    return out


def shift_break_rows(shifts: Shifts, day: dt.date, rows: np.ndarray) -> list[tuple]:
    """agent_shift_breaks rows (the short paid breaks) of shifts `rows`."""
    midnight = dt.datetime.combine(day, dt.time(0), dt.UTC)
    out = []
    for i in rows.tolist():
        for b in range(REST_BREAKS):
            if shifts.rest_end[i, b] > shifts.rest_start[i, b]:
                out.append(
                    (
                        dt.date.fromordinal(int(shifts.local_day[i])),
                        int(shifts.agent_id[i]),
                        midnight + dt.timedelta(microseconds=int(shifts.rest_start[i, b])),
                        midnight + dt.timedelta(microseconds=int(shifts.rest_end[i, b])),
                    )
                )
    return out


def forecast_rows(day: dt.date, forecast: np.ndarray, needed: np.ndarray) -> list[tuple]:
    """workforce_forecast rows: per UTC interval of `day` and queue, contacts expected and agents needed."""
    midnight = dt.datetime.combine(day, dt.time(0), dt.UTC)
    return [
        (
            midnight + dt.timedelta(minutes=i * parameters.INTERVAL_MINUTES),
            q + 1,
            float(forecast[q, i]),
            int(needed[q, i]),
        )
        for q in range(len(QUEUES))
        for i in range(INTERVALS)
    ]


def place_name(site: int, store: int) -> str:
    if store >= 0:
        return f"Store {parameters.STORES[store][0]}, {parameters.STORES[store][1]}"
    return f"Contact center {parameters.SITES[site % len(parameters.SITES)][0]}"


def site_rows() -> list[tuple]:
    """contact_sites rows: (site_name, kind, city, state, time_zone, opening_hours, holiday_hours)."""
    from include.generator.geography import TIME_ZONES

    days = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
    hours = ", ".join(
        f"{d} {o:02d}:00-{c:02d}:00" for d, (o, c) in zip(days, parameters.STORE_HOURS, strict=True)
    )
    holiday = ", ".join(
        [f"closed on {name}" for name in parameters.STORE_CLOSED_HOLIDAYS]
        + [f"{m:02d}-{d:02d} {o:02d}:00-{c:02d}:00" for (m, d), (o, c) in parameters.STORE_EVE_HOURS.items()]
    )
    centers = [
        (place_name(k, -1), "Contact center", city, state, zone, "24/7 (shifts)", None)
        for k, (city, state, zone) in enumerate(parameters.SITES)
    ]
    stores = [
        (place_name(0, z), "Store", city, state, TIME_ZONES[z], hours, holiday)
        for z, (_, city, state) in enumerate(parameters.STORES)
    ]
    return centers + stores


def queue_rows() -> list[tuple]:
    """service_queues rows: queue_id is the index in QUEUES + 1."""
    return [
        (
            q + 1,
            dept,
            group,
            parameters.SERVICE_GROUPS[group]["concurrency"],
            parameters.SERVICE_GROUPS[group]["target_share"],
            parameters.SERVICE_GROUPS[group]["target_seconds"],
        )
        for q, (dept, group) in enumerate(QUEUES)
    ]


def routing_rows(reference: Reference) -> list[tuple]:
    """contact_routing rows: (interaction_type_id, channel_id, queue_id, is_live) for every pair."""
    rows = []
    for code, (_, _, dept) in parameters.INTERACTION_TYPES.items():
        for channel in parameters.CHANNEL_MIX:
            group = channel_group(channel) or parameters.ASYNC_GROUP
            live = channel in parameters.HANDLE_TIME_LOGNORMAL
            rows.append(
                (
                    reference.interaction_type_ids[code],
                    reference.channel_ids[channel],
                    queue_of(dept, group) + 1,
                    live,
                )
            )
    return rows
