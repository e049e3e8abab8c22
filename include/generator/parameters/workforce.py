"""The workforce: service groups and queues, contracts, shifts and breaks, staffing and skills.

Part of include/generator/parameters (see its docstring): figures cite their sources.
"""

from __future__ import annotations

# ------------------------------------------------------------------ workforce and queues
#: Who serves live contacts: a department (the type's, INTERACTION_TYPES) times a service group.
#: `concurrency`: contacts an agent holds at once (voice and stores one; messaging agents hold
#: 2-3 chats: Comm100 live chat benchmark report 2019, quoted in contact-center-facts).
#: Staffing target: Erlang C staffs each queue so that `target_share` would be answered within
#: `target_seconds`. Erlang C ignores abandonment and overstates waits, while callouts
#: (ABSENCE_RATE, not planned for) and interval forecast error understaff some intervals: with
#: a planning target of 25 % in 20 s for voice (the schedule picks whole fixed shifts, which
#: overstaff between peaks), the realized phone service lands at 75-80 % within 20 s, an ASA of
#: 15-35 s and 2-5 % abandoned on ordinary days at 20,000 contacts a day
#: (published: ASA commonly 28-40 s, cloudtalk.io; the classic 80/20 target, ccmath WFM
#: glossary). Messaging 80 % in 60 s and stores 80 % in 5 minutes (assumption).
#: Asynchronous messages (EMAIL, SOCIAL, SMS) are answered by the Messaging queue's agents at
#: reply time, without holding a seat. `always_open`: at least one agent every interval.
SERVICE_GROUPS = {
    "Voice": {"channels": ("PHONE",), "concurrency": 1, "target_share": 0.25, "target_seconds": 20,
              "always_open": True},
    "Messaging": {"channels": ("WEB_CHAT", "MOBILE_APP", "WHATSAPP"), "concurrency": 3,
                  "target_share": 0.80, "target_seconds": 60, "always_open": True},
    "Store": {"channels": ("IN_STORE",), "concurrency": 1, "target_share": 0.80, "target_seconds": 300,
              "always_open": False},
}  # fmt: skip
#: Asynchronous channels, answered by a Messaging agent on shift at reply time.
ASYNC_GROUP = "Messaging"
#: Agent time to answer an asynchronous message: lognormal (median seconds, sigma). It takes one
#: of the agent's seats for that long (not stored: duration_seconds stays NULL for asynchronous
#: channels) (assumption: a few minutes per e-mail, less for social posts and SMS).
ASYNC_WORK_LOGNORMAL = {"EMAIL": (300, 0.6), "SOCIAL": (180, 0.6), "SMS": (90, 0.5)}
#: Workforce management plans in 15-minute intervals (the interval table's grain too).
INTERVAL_MINUTES = 15
#: Contracts (a workforce team's published schedules; contact-center-facts "Working rules"):
#: US contact centers schedule full-time agents 5 x 8 h or 4 x 10 h with fixed start times and
#: rotating days off; part-time shifts are typically 4-6 h. Each seat (roster slot) holds one
#: contract and one fixed start time in its site's local time; a shift is never cut (it may run
#: past midnight, local or UTC) and belongs to the local day it starts. Hours are on shift
#: (breaks included). `days_off`: consecutive days off a week.
CONTRACTS = {
    "Full-time 5x8": {"shift_intervals": 32, "days_off": 2},
    "Full-time 4x10": {"shift_intervals": 40, "days_off": 3},
    "Part-time": {"shift_intervals": 16, "days_off": 2},
}
#: Share of full-time seats on the 4 x 10 h contract (assumption).
FOUR_BY_TEN_SHARE = 0.25
#: Breaks by shift length (intervals from the shift start, length in intervals): two paid
#: 15-minute breaks and a 30-minute meal in a shift of 8 h or more, one 15-minute break in a
#: part-time shift (contact-center-facts: "an 8-hour shift usually has two paid 15-minute breaks
#: and an unpaid 30-60 minute meal break"). Each seat's breaks are staggered by 0-3 intervals
#: so a team does not leave all at once. The meal break is agent_shifts.break_start/break_end,
#: the short breaks are agent_shift_breaks.
SHIFT_BREAKS = {
    32: {"rest": ((7, 1), (23, 1)), "meal": (14, 2)},
    40: {"rest": ((8, 1), (30, 1)), "meal": (18, 2)},
    16: {"rest": ((7, 1),), "meal": None},
}
#: Days off rotate: a seat's block of days off moves one weekday later every this many weeks.
DAYS_OFF_ROTATION_WEEKS = 4
#: Contact-center sites: (city, state, time zone). Site k serves block k of a day (one block per
#: BLOCK_SIZE contacts: one site below 100,000 contacts a day); its shifts are planned in its
#: local time (assumption: the center is in Texas, CENTER_TIME_ZONE's zone).
SITES = (
    ("Irving", "TX", "America/Chicago"),
    ("Tampa", "FL", "America/New_York"),
    ("Mesa", "AZ", "America/Phoenix"),
    ("Overland Park", "KS", "America/Chicago"),
    ("Rancho Cordova", "CA", "America/Los_Angeles"),
    ("Columbus", "OH", "America/New_York"),
)
#: Stores are places: one store per time zone (geography.TIME_ZONES, in that order): (name,
#: city, state). A customer visits the store of their time zone; its agents work its hours
#: (STORE_HOURS, STORE_EVE_HOURS, STORE_CLOSED_HOLIDAYS) in its local time (assumption: the
#: carrier's flagship store of each zone stands for the stores near home).
STORES = (
    ("Herald Square", "New York", "NY"),
    ("State Street", "Chicago", "IL"),
    ("16th Street Mall", "Denver", "CO"),
    ("Camelback", "Phoenix", "AZ"),
    ("Wilshire", "Los Angeles", "CA"),
    ("Dimond Center", "Anchorage", "AK"),
    ("Ala Moana", "Honolulu", "HI"),
)
#: A shift running past 00:00 UTC serves two batch days. Its work of the earlier day ends by
#: this many seconds past midnight (a contact still open then is wrapped up: its handle time is
#: capped), and the later day's contacts take its seats from then on: no agent holds two
#: contacts across the batch boundary, and each day is still generated alone.
MIDNIGHT_HANDOVER_SECONDS = 120
#: The workforce-management forecast per 15-minute interval misses by exp(sigma x N(0, 1))
#: (assumption: interval-level forecast error of 10-20 % is common even when the day's total
#: is close), so some intervals are understaffed.
INTERVAL_FORECAST_ERROR_SIGMA = 0.15
#: Share of rostered agents absent on a day (sickness, training): unfilled shifts make an
#: understaffed day (assumption within the 30-35 % shrinkage of contact-center-facts).
ABSENCE_RATE = 0.08
#: The roster (agents per queue) is sized for a peak day: the average volume times this
#: (a weekday's volume x January x the surge after a holiday, MONTH_VOLUME, POST_HOLIDAY_SURGE).
ROSTER_PEAK_FACTOR = 1.15
#: ... plus this share of spare agents (vacant seats, days off that do not fall evenly).
ROSTER_MARGIN = 0.05
#: Agent tenure: exponential with this mean (annual agent attrition of 30-45 % is the usual
#: industry range: mean tenure ~2.5 years; assumption after QATC/SQM attrition surveys), then
#: the seat is vacant up to AGENT_VACANCY_DAYS_MAX days until the next hire.
AGENT_MEAN_TENURE_DAYS = 900
AGENT_VACANCY_DAYS_MAX = 28
#: Skill of a new hire (experienced hires exist) (assumption).
AGENT_SKILL_MIX = {"Junior": 0.45, "Senior": 0.40, "Expert": 0.15}
#: Handle time x this per skill (assumption: experts are faster).
SKILL_HANDLE_FACTOR = {"Junior": 1.15, "Senior": 1.0, "Expert": 0.88}
#: Caller patience before abandoning: exponential with this mean per service group (seconds),
#: as in Erlang A. Calibrated with the staffing target above so that phone service lands in the
#: published ranges (ASA 28-40 s, cloudtalk.io; 2-12 % abandoned, issue #14) (assumption).
PATIENCE_MEAN_SECONDS = {"Voice": 900, "Messaging": 420, "Store": 3_000}
#: Bots and self-service are a separate path: a short session, no queue, no agent. A share of
#: them hands off to a human, which creates the human contact (same customer, type and channel,
#: starting when the bot session ends): chatbot containment of 50-70 % is the usual claim
#: (assumption after vendor reports).
BOT_HANDOFF_SHARE = 0.35
BOT_SESSION_LOGNORMAL = (110, 0.6)

#: Agents grow with tenure (include/generator/rosters.skill_on): one skill level up after each
#: of these days since hire (Junior -> Senior after a year, Senior -> Expert after four; new
#: agents take 60-90 days to reach baseline performance, revenuetools.io; assumption).
SKILL_PROMOTION_DAYS = (365, 1_460)
