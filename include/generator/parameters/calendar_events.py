"""The calendar: month and weekday volume, holidays, planted events; local time and store hours.

Part of include/generator/parameters (see its docstring): figures cite their sources.
"""

from __future__ import annotations

# ------------------------------------------------------------------ calendar
#: Relative volume per calendar month, January..December (mean 1.0). January carries the
#: post-holiday surge (new devices, first bills), September the autumn handset launches
#: (assumption, shaped after ruby.com "busiest workdays of the year").
MONTH_VOLUME = (1.08, 1.00, 0.99, 0.97, 0.97, 0.98, 0.99, 1.00, 1.04, 0.99, 0.97, 1.02)
#: US public holidays come from the maintained `holidays` package (holidays.US, category
#: "public", observed dates included). Volume collapses on them and surges on the next
#: working day (ruby.com, "busiest workdays of the year"). Factor by holiday name; the
#: others (Martin Luther King Jr. Day, Washington's Birthday, Juneteenth, Columbus Day,
#: Veterans Day: most businesses stay open) get HOLIDAY_VOLUME_MINOR.
HOLIDAY_VOLUME = {
    "New Year's Day": 0.45,
    "Memorial Day": 0.55,
    "Independence Day": 0.50,
    "Labor Day": 0.55,
    "Thanksgiving Day": 0.35,
    "Christmas Day": 0.30,
}
HOLIDAY_VOLUME_MINOR = 0.85
#: The first working day (Monday-Friday, no holiday) after a major holiday.
POST_HOLIDAY_SURGE = 1.15
#: Divides out the average lift of bill runs, holidays and planted events, so that the
#: requested interactions_per_day is the long-run average of a day (measured: mean factor
#: 1.068 over 2021-2030 with seed 42, 1.071 with seed 7, 1.061 with seed 1).
VOLUME_CALIBRATION = 1 / 1.067
#: Stores close on these holidays (no in-store contact that local day).
STORE_CLOSED_HOLIDAYS = ("Thanksgiving Day", "Christmas Day")
#: Day-to-day noise: volume *= exp(sigma * N(0, 1)), drawn per (seed, date), so no two
#: Mondays are alike (assumption: a few percent, as in any forecast error).
DAILY_NOISE_SIGMA = 0.05
#: Bills are issued on these days of the month; on the BILL_CYCLE_DAYS_AFTER days that
#: follow, billing and payment contacts rise by these factors (bill cycles create surges
#: of billing contacts: contact-center-facts notes; sizes are an assumption).
BILL_CYCLE_DAYS = (1, 15)
BILL_CYCLE_DAYS_AFTER = (1, 2, 3, 4)
BILL_CYCLE_TYPE_LIFT = {"BILLING": 1.40, "PAYMENT": 1.30}

#: Planted events: each can start on a date whose ordinal is a multiple of `start_every_days`
#: (campaigns launch on a cadence, so two of a kind never overlap) with `start_probability`
#: (drawn per (seed, start date), so a date's events do not depend on which days were generated), lasts a
#: number of days in `duration_days` (inclusive), raises contacts of `type_lift` types,
#: lengthens waits by `wait_multiplier` and moves CSAT of the contacts it causes by
#: `csat_effect`. "division" events hit the customers of one census division; "national"
#: ones everybody. Every event is written to the planted_events ledger with its dates.
#: Outages create surges of technical contacts (contact-center-facts notes); sizes and
#: rates are an assumption.
PLANTED_EVENTS = {
    "Network outage": {
        "start_every_days": 1,
        "start_probability": 1 / 40,
        "duration_days": (1, 2),
        "scope": "division",
        "type_lift": {"TECH_SUPPORT": 5.0, "DATA_ISSUE": 4.0, "COMPLAINT": 2.0},
        "wait_multiplier": 1.5,
        "csat_effect": -0.6,
        # A start time and a restoration, not a rectangle (contact-center-facts: contacts ramp up
        # after the start and decay after restoration): it starts between these local hours of
        # its region's main time zone, its lift ramps up over `onset_minutes`, holds for
        # `duration_days` x `hours_per_day` hours, and decays with `recovery_minutes` after the
        # restoration (assumption).
        "start_local_hours": (6, 18),
        "hours_per_day": 10,
        "onset_minutes": 60,
        "recovery_minutes": 120,
    },
    "Promotion": {
        "start_every_days": 14,
        "start_probability": 0.3,
        "duration_days": (7, 14),
        "scope": "national",
        "type_lift": {"PROMOTION": 3.0, "NEW_SERVICE": 1.6, "PLAN_CHANGE": 1.4},
        "wait_multiplier": 1.0,
        "csat_effect": 0.0,
    },
    "Price change": {
        "start_every_days": 21,
        "start_probability": 0.12,
        "duration_days": (10, 21),
        "scope": "national",
        "type_lift": {"BILLING": 1.5, "COMPLAINT": 1.6, "CANCELLATION": 1.8, "PLAN_CHANGE": 1.3},
        "wait_multiplier": 1.1,
        "csat_effect": -0.3,
    },
}

# ------------------------------------------------------------------ local time
#: In-store contacts only while stores are open, in the customer's local time: (open, close)
#: hours per weekday Monday..Sunday (typical US carrier store hours, 10:00-20:00, Sunday
#: 11:00-18:00: assumption after carrier store locators).
STORE_HOURS = ((10, 20),) * 6 + ((11, 18),)
#: Published holiday-eve hours (month, day) -> (open, close), local: shorter hours on Christmas
#: Eve and New Year's Eve (contact-center-facts: "Stores publish shorter hours on Christmas Eve
#: and New Year's Eve and close on Thanksgiving and Christmas"). The eve of Thanksgiving keeps
#: its ordinary hours: stores trade into the evening.
STORE_EVE_HOURS = {(12, 24): (10, 18), (12, 31): (10, 18)}
#: Agents answering email, social media and SMS work these hours (open, close) in the
#: contact center's time zone, every day: a reply that would fall outside waits for the
#: next opening (assumption).
CENTER_TIME_ZONE = "America/Chicago"
DIGITAL_DESK_HOURS = (7, 22)
#: Minutes after opening a backlog reply takes: exponential with this mean.
BACKLOG_REPLY_MEAN_MINUTES = 90
#: No message waits longer than this for the desk to take it up (a service-level promise of
#: a reply within about two days; assumption): its reply falls within the shifts a batch day
#: plans (schedules.REPLY_HORIZON_DAYS).
ASYNC_DESK_DELAY_MAX_HOURS = 34
