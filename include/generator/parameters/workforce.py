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

# ================================================================== issue #24: customers and outcomes
# (one block, appended: contacts that change accounts, callers who behave, people where they
# live, holidays that change what people call about; read by include/generator/outcomes.py,
# consequences.py, geography.py and customers.py)
#: Escalation by contact type: points moved from Resolved to Escalated (negative: the other
#: way), on top of the skill's shift. Escalation queues take "complex and complaint calls"
#: (SQM Group, "Escalations: service recovery at its best", 2021); telecom escalation rates run
#: 8-20 % (generatekpi.com, escalation rate benchmarks) around the overall ~10 %
#: (celsiusindustries.com). Sizes per type are an assumption within that range.
TYPE_ESCALATION_SHIFT = {
    "COMPLAINT": 0.09,
    "TECH_SUPPORT": 0.05,
    "DATA_ISSUE": 0.04,
    "CANCELLATION": 0.04,
    "DEVICE_SUPPORT": 0.02,
    "ROAMING": 0.01,
    "BILLING": 0.0,
    "NEW_SERVICE": -0.02,
    "PLAN_CHANGE": -0.03,
    "PAYMENT": -0.05,
    "PROMOTION": -0.05,
    "INFO_REQUEST": -0.06,
}
#: A caller who abandons in the queue tries again: about a third of them call back (a common
#: rule of thumb, responsedesign.com; contact-center-facts), after an exponential delay with
#: this mean, on the same channel about the same thing, within RETRY_WINDOW_MINUTES (the
#: retry is the customer's next contact of that kind in the block, a repeat contact).
ABANDONED_RETRY_SHARE = 0.35
RETRY_DELAY_MEAN_MINUTES = 12
RETRY_WINDOW_MINUTES = 120
#: Contacts that announce account events (include/generator/accounts.py). Share of churners
#: who ask to cancel first, 1..CHURN_ANNOUNCE_MAX_DAYS days before they leave (assumption:
#: many leave by porting their number out without a word).
CHURN_ANNOUNCED_SHARE = 0.45
CHURN_ANNOUNCE_MAX_DAYS = 14
#: The save desk keeps this share of the customers who ask to cancel: the ordinary
#: CANCELLATION contacts of a day are the saved ones, SAVE / (1 - SAVE) per announced churn.
#: A broadband example saves 15 % without an offer and 45 % with one (turnella.com, "contact
#: centre customer retention"); a telecom save desk's baseline was 61 % of connected calls
#: (infinitewatch.ai case study, 2026).
CANCELLATION_SAVE_RATE = 0.40
#: Share of plan changes preceded by a PLAN_CHANGE contact 0..PLAN_CHANGE_ANNOUNCE_MAX_DAYS days
#: before the new plan starts (the others are made online or in the app without a contact).
PLAN_CHANGE_ANNOUNCED_SHARE = 0.30
PLAN_CHANGE_ANNOUNCE_MAX_DAYS = 7
#: A suspended account (payment trouble) calls about its bill: extra BILLING or PAYMENT contacts
#: per suspended customer a day (about as many again as an average customer's 0.01 contacts a
#: day, TARGET_CONTACTS_PER_ACTIVE_MONTH), PAYMENT with this share (assumption).
SUSPENDED_BILLING_CONTACTS_PER_DAY = 0.01
SUSPENDED_PAYMENT_SHARE = 0.45
#: Holidays change what people call about (include/generator/content.py), keyed by the names
#: the calendar exposes. Christmas Day is the year's largest device-activation day (Flurry:
#: activations +332 % against December 1-20, reported by bizjournals.com 2012; phonearena 2020):
#: device support and new service surge that day and fade over the week after. Type lifts by
#: days after Christmas Day (0: the day itself); assumption within those figures.
CHRISTMAS_TYPE_LIFT = {
    0: {"DEVICE_SUPPORT": 3.0, "NEW_SERVICE": 2.2},
    1: {"DEVICE_SUPPORT": 2.4, "NEW_SERVICE": 1.8},
    2: {"DEVICE_SUPPORT": 1.8, "NEW_SERVICE": 1.5},
    3: {"DEVICE_SUPPORT": 1.5, "NEW_SERVICE": 1.3},
    4: {"DEVICE_SUPPORT": 1.3, "NEW_SERVICE": 1.2},
    5: {"DEVICE_SUPPORT": 1.2, "NEW_SERVICE": 1.1},
    6: {"DEVICE_SUPPORT": 1.1, "NEW_SERVICE": 1.05},
}
#: Black Friday (the day after Thanksgiving Day) is cellphone shops' busiest day (foot-traffic
#: data reported via news.kovalovsky.com): store visits x this (assumption).
BLACK_FRIDAY_STORE_LIFT = 1.6
#: E-mail domains of US consumers, share of addresses (assumption after published mailbox
#: provider market shares: Gmail leads, then Yahoo, Outlook/Hotmail, iCloud, AOL, and the ISPs').
EMAIL_DOMAIN_SHARE = {
    "gmail.com": 0.46,
    "yahoo.com": 0.14,
    "icloud.com": 0.09,
    "hotmail.com": 0.08,
    "outlook.com": 0.07,
    "aol.com": 0.05,
    "comcast.net": 0.04,
    "att.net": 0.03,
    "msn.com": 0.02,
    "verizon.net": 0.02,
}
#: Agents grow with tenure (include/generator/rosters.skill_on): one skill level up after each
#: of these days since hire (Junior -> Senior after a year, Senior -> Expert after four; new
#: agents take 60-90 days to reach baseline performance, revenuetools.io; assumption).
SKILL_PROMOTION_DAYS = (365, 1_460)
