"""Every distribution the generator draws from, with its parameters, in one place.

Analysts tune the synthetic data here. Codes refer to the reference rows in
include/sql/01_baseline_data.sql (channel_code, interaction_code, plan_code).
All times are UTC; a "day" is a UTC calendar day.
"""

from __future__ import annotations

import datetime as dt

# ------------------------------------------------------------------ calendar and volumes
#: First day that can be generated. The initial customer base registered before it.
EPOCH = dt.date(2020, 1, 1)
#: Customers registered before EPOCH (spread over the INITIAL_BASE_YEARS before it).
INITIAL_CUSTOMERS = 2_000
INITIAL_BASE_YEARS = 5

DEFAULT_SEED = 42
#: Average interactions on a day; the weekday shape below scales it (Sunday gets fewer).
DEFAULT_INTERACTIONS_PER_DAY = 2_000
MAX_INTERACTIONS_PER_DAY = 10_000_000
#: Average sign-ups per day (the weekday shape applies too); at most 9,999 (id layout).
DEFAULT_NEW_CUSTOMERS_PER_DAY = 5
MAX_NEW_CUSTOMERS_PER_DAY = 9_999

#: Interactions are generated in blocks of this many rows, each from its own seeded
#: generator: memory stays bounded and a day's rows do not depend on how it is sharded.
BLOCK_SIZE = 100_000

# ------------------------------------------------------------------ arrivals
#: Relative volume per weekday, Monday..Sunday (mean 1.0): a weekend dip.
WEEKDAY_VOLUME = (1.18, 1.10, 1.06, 1.04, 1.02, 0.85, 0.75)
#: Share of a day's arrivals per UTC hour 0..23 (normalized at use): quiet nights,
#: a morning ramp, a late-morning peak, a post-lunch second peak, an evening tail.
HOURLY_PROFILE = (
    0.6,
    0.4,
    0.3,
    0.3,
    0.4,
    0.8,
    1.6,
    3.2,
    5.6,
    7.6,
    8.4,
    8.2,
    7.2,
    7.4,
    7.8,
    7.2,
    6.4,
    5.4,
    4.2,
    3.4,
    2.8,
    2.2,
    1.6,
    1.0,
)
#: Weekends shift volume to the digital channels and flatten the day.
WEEKEND_HOURLY_FLATTEN = 0.35

# ------------------------------------------------------------------ channels
#: channel_code -> share of interactions (the seed's mix).
CHANNEL_MIX = {
    "PHONE": 0.35,
    "WEB_CHAT": 0.25,
    "EMAIL": 0.15,
    "MOBILE_APP": 0.10,
    "WHATSAPP": 0.08,
    "IN_STORE": 0.03,
    "SOCIAL": 0.02,
    "SMS": 0.02,
}
#: Handle time of live channels: lognormal with this median (seconds) and sigma (log scale).
#: Asynchronous channels (EMAIL, SOCIAL, SMS) have no handle time: duration_seconds is NULL.
HANDLE_TIME_LOGNORMAL = {
    "PHONE": (420, 0.55),
    "WEB_CHAT": (330, 0.55),
    "MOBILE_APP": (150, 0.50),
    "WHATSAPP": (280, 0.60),
    "IN_STORE": (900, 0.45),
}
HANDLE_TIME_MIN_SECONDS = 15
#: Wait before an agent answers (live) or before the first reply (asynchronous):
#: exponential with this mean in seconds, scaled up in busy hours by the hourly load.
QUEUE_TIME_MEAN_SECONDS = {
    "PHONE": 110,
    "WEB_CHAT": 45,
    "MOBILE_APP": 20,
    "WHATSAPP": 70,
    "IN_STORE": 420,
    "EMAIL": 4 * 3600,
    "SOCIAL": 50 * 60,
    "SMS": 25 * 60,
}
#: How much busy hours lengthen waits: wait *= 1 + QUEUE_LOAD_SENSITIVITY * (load - 1).
QUEUE_LOAD_SENSITIVITY = 0.8
#: Share handled without an agent (bots, self-service): agent_id is NULL.
SELF_SERVICE_SHARE = {"MOBILE_APP": 0.80, "WEB_CHAT": 0.35, "WHATSAPP": 0.30, "SMS": 0.50}
#: Probability the customer answers the CSAT survey after a contact.
SURVEY_RESPONSE_RATE = {
    "PHONE": 0.25,
    "WEB_CHAT": 0.40,
    "MOBILE_APP": 0.35,
    "WHATSAPP": 0.35,
    "IN_STORE": 0.30,
    "EMAIL": 0.15,
    "SOCIAL": 0.10,
    "SMS": 0.20,
}
#: The overall response rate these give, for tests and docs.
SURVEY_RESPONSE_RANGE = (0.20, 0.40)

# ------------------------------------------------------------------ interaction types
#: interaction_code -> (share, handle-time multiplier, agent department)
INTERACTION_TYPES = {
    "BILLING": (0.18, 1.0, "Billing"),
    "TECH_SUPPORT": (0.16, 1.5, "Technical Support"),
    "PLAN_CHANGE": (0.08, 1.1, "Customer Service"),
    "COMPLAINT": (0.07, 1.4, "Customer Service"),
    "NEW_SERVICE": (0.06, 1.3, "Sales"),
    "PAYMENT": (0.09, 0.9, "Billing"),
    "CANCELLATION": (0.04, 2.0, "Customer Service"),
    "INFO_REQUEST": (0.12, 0.7, "Customer Service"),
    "ROAMING": (0.04, 1.0, "Technical Support"),
    "DATA_ISSUE": (0.08, 1.4, "Technical Support"),
    "DEVICE_SUPPORT": (0.05, 1.3, "Technical Support"),
    "PROMOTION": (0.03, 0.8, "Sales"),
}
#: Short notes written into interaction_summary, per type.
SUMMARY_TEMPLATES = {
    "BILLING": ("Questioned a charge on the latest bill", "Asked for an itemised invoice"),
    "TECH_SUPPORT": ("Reported no service after a network update", "Voicemail not working"),
    "PLAN_CHANGE": ("Asked to move to another plan", "Compared plan allowances"),
    "COMPLAINT": ("Complained about call quality", "Unhappy with previous support"),
    "NEW_SERVICE": ("Wants to add a line", "Asked about home internet bundle"),
    "PAYMENT": ("Card payment declined", "Set up automatic payments"),
    "CANCELLATION": ("Wants to cancel the contract", "Asked about early termination fee"),
    "INFO_REQUEST": ("Asked for store opening hours", "Asked how to check data usage"),
    "ROAMING": ("Roaming not active abroad", "Asked for travel pass prices"),
    "DATA_ISSUE": ("Mobile data slow", "Data not working after top-up"),
    "DEVICE_SUPPORT": ("Phone setup help", "SIM card not recognised"),
    "PROMOTION": ("Asked about current offers", "Redeem promotional credit"),
}

# ------------------------------------------------------------------ outcomes
#: Base resolution mix (the seed's), shifted by agent skill and self-service below.
RESOLUTION_MIX = {"Resolved": 0.70, "Pending": 0.15, "Escalated": 0.10, "Cancelled": 0.05}
#: Points moved from Resolved to Escalated (negative: the other way) per skill level.
SKILL_RESOLUTION_SHIFT = {"Junior": 0.08, "Senior": 0.0, "Expert": -0.07, None: 0.05}
#: Resolved contacts that went through an escalation first.
RESOLVED_AFTER_ESCALATION = 0.05
#: Share of a day's contacts that are repeat contacts about an earlier unresolved one.
REPEAT_CONTACT_SHARE = 0.12

#: CSAT model: latent = base + effects + Normal(0, noise), rounded and clipped to 1..5.
CSAT_BASE = 4.1
CSAT_RESOLUTION_EFFECT = {"Resolved": 0.45, "Pending": -0.7, "Escalated": -1.0, "Cancelled": -1.3}
CSAT_SKILL_EFFECT = {"Junior": -0.25, "Senior": 0.0, "Expert": 0.25, None: -0.1}
#: Per doubling of the wait over the channel's mean.
CSAT_WAIT_EFFECT = -0.30
#: Per doubling of handle time over the channel's median.
CSAT_HANDLE_EFFECT = -0.15
CSAT_REPEAT_EFFECT = -0.40
CSAT_NOISE = 0.85

LANGUAGE_MIX = {"en": 0.84, "es": 0.12, "fr": 0.04}

# ------------------------------------------------------------------ customers and plans
SEGMENT_MIX = {"Premium": 0.20, "Standard": 0.50, "Basic": 0.30}
#: Plan tiers a new customer of each segment starts on (uniform among the plans of those tiers).
SEGMENT_START_TIERS = {"Premium": (3, 4), "Standard": (2, 3), "Basic": (1, 2)}
#: Mean days between plan changes (exponential gaps); at most MAX_PLAN_CHANGES per customer.
PLAN_CHANGE_MEAN_DAYS = 540
MAX_PLAN_CHANGES = 3
UPGRADE_SHARE = 0.6
#: Mean customer lifetime in days (exponential): churn ends the plan, status becomes Inactive.
MEAN_LIFETIME_DAYS = 1_800
#: Share of active customers whose account is Suspended (they still contact us).
SUSPENDED_SHARE = 0.03
#: Contact propensity: lognormal(0, sigma) per customer (heavy tail: a few call a lot),
#: times a factor per plan tier.
PROPENSITY_SIGMA = 1.0
TIER_PROPENSITY = {1: 1.25, 2: 1.0, 3: 0.9, 4: 1.1}
#: Sign-ups per weekday, Monday..Sunday (mean 1.0).
WEEKDAY_SIGNUPS = (1.1, 1.05, 1.0, 1.0, 1.05, 1.0, 0.8)
