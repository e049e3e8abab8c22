"""Outcomes (resolution, escalation, satisfaction), customers and plans, correlated behaviour, and
issue #24's block: contacts that change accounts, callers who behave, people where they live.

Part of include/generator/parameters (see its docstring): figures cite their sources.
"""

from __future__ import annotations

# ------------------------------------------------------------------ outcomes
#: Base resolution mix (the seed's), shifted by agent skill and self-service below.
#: "Cancelled" is reserved for contacts abandoned in the queue (no agent, no handle time): the
#: workforce model decides those, so served contacts draw only the other three.
RESOLUTION_MIX = {"Resolved": 0.74, "Pending": 0.17, "Escalated": 0.09, "Cancelled": 0.0}
#: Points moved from Resolved to Escalated (negative: the other way) per skill level.
SKILL_RESOLUTION_SHIFT = {"Junior": 0.08, "Senior": 0.0, "Expert": -0.07, None: 0.05}
#: Resolved contacts that went through an escalation first.
RESOLVED_AFTER_ESCALATION = 0.05
#: Repeat contacts: a customer contacts us again about the same type after an unresolved
#: contact. 29 % of customers contact more than once about an issue, and a repeat rate under
#: 10 % counts as healthy (SQM Group, quoted by voiso.com); repeats are counted over the
#: days after the first contact, not only the same day.
#: Same-day repeats: the share of a day's human contacts drawn as the repeat of an earlier
#: unresolved one of that day (when the day has one of the same type and time zone).
REPEAT_CONTACT_SHARE = 0.06
#: Repeats on a later day, as a share of a day's contacts (include/generator/repeats.py).
CROSS_DAY_REPEAT_SHARE = 0.045
#: How many days after the first contact the repeat comes (1, 2, ... 7 days): most come back
#: within days. Assumed (no published distribution found); the 7-day window is the usual
#: one for counting a contact as a repeat.
REPEAT_LAG_DAY_WEIGHTS = (0.30, 0.20, 0.14, 0.11, 0.09, 0.08, 0.08)

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

#: The languages the contact center serves. A customer's preferred one follows the state
#: (geography.STATE_LANGUAGE_SHARE, ACS): these national shares (ACS 2019) are for reference.
LANGUAGE_MIX = {"en": 0.8615, "es": 0.135, "fr": 0.0035}

# ------------------------------------------------------------------ customers and plans
SEGMENT_MIX = {"Premium": 0.20, "Standard": 0.50, "Basic": 0.30}
#: Plan tiers a new customer of each segment starts on (uniform among the plans of those tiers).
SEGMENT_START_TIERS = {"Premium": (3, 4), "Standard": (2, 3), "Basic": (1, 2)}
#: Mean days between plan changes (exponential gaps); at most MAX_PLAN_CHANGES per customer.
PLAN_CHANGE_MEAN_DAYS = 540
MAX_PLAN_CHANGES = 3
UPGRADE_SHARE = 0.6
#: Share of customers on a Business plan (small-business accounts; assumption). Plan changes
#: stay within the family: Business customers move between the Business tiers (2 and 4),
#: consumers between Prepaid/Postpaid plans of tiers 1-4; nobody jumps between the two.
BUSINESS_SHARE = 0.10
BUSINESS_TIERS = (2, 4)
#: (family, tier) pairs the reference data must offer for the above.
PLAN_FAMILY_TIERS_NEEDED = (
    ("Consumer", 1),
    ("Consumer", 2),
    ("Consumer", 3),
    ("Consumer", 4),
    ("Business", 2),
    ("Business", 4),
)
#: Share of active customers whose account is Suspended (they still contact us).
SUSPENDED_SHARE = 0.03
#: Contact propensity: lognormal(0, sigma) per customer (heavy tail: a few call a lot),
#: times a factor per plan tier. The tail is cut at PROPENSITY_MAX_Z standard deviations
#: (the top 0.13 %, 11x the median; assumption): in a month at 20,000 a day (2 million active
#: customers) the busiest customer has 13 contacts, 32 with sigma 1.0 uncut; 73 % of those
#: who contact us do so once, and the busiest 5 % make 14 % of the contacts
#: (tests/generator/test_population.py).
PROPENSITY_SIGMA = 0.8
PROPENSITY_MAX_Z = 3.0
TIER_PROPENSITY = {1: 1.25, 2: 1.0, 3: 0.9, 4: 1.1}
#: Sign-ups per weekday, Monday..Sunday (mean 1.0).
WEEKDAY_SIGNUPS = (1.1, 1.05, 1.0, 1.0, 1.05, 1.0, 0.8)

# ------------------------------------------------------------------ correlated behaviour
#: What customers contact us about depends on the channel: the day's type mix times these
#: affinities (type -> channel -> factor, 1.0 when absent), rebalanced so that the day's
#: channel and type mixes stay as configured (iterative proportional fitting). Complaints
#: go to social media, sales to stores, payments to the app, cancellations to the phone
#: (retention desk) (assumption: direction only).
TYPE_CHANNEL_AFFINITY = {
    "BILLING": {"EMAIL": 1.4, "MOBILE_APP": 1.3, "IN_STORE": 0.6},
    "TECH_SUPPORT": {"PHONE": 1.3, "WEB_CHAT": 1.2, "SOCIAL": 1.3, "SMS": 0.5, "IN_STORE": 0.7},
    "PLAN_CHANGE": {"MOBILE_APP": 1.6, "IN_STORE": 1.4, "SOCIAL": 0.4},
    "COMPLAINT": {"SOCIAL": 4.0, "EMAIL": 1.6, "PHONE": 1.2, "MOBILE_APP": 0.3, "SMS": 0.5},
    "NEW_SERVICE": {"IN_STORE": 4.0, "WEB_CHAT": 1.4, "SMS": 0.3, "EMAIL": 0.5},
    "PAYMENT": {"MOBILE_APP": 2.5, "SMS": 1.8, "SOCIAL": 0.2, "IN_STORE": 0.8},
    "CANCELLATION": {"PHONE": 1.8, "IN_STORE": 1.3, "MOBILE_APP": 0.3, "SOCIAL": 0.5},
    "INFO_REQUEST": {"WEB_CHAT": 1.4, "WHATSAPP": 1.4, "SOCIAL": 1.5, "PHONE": 0.7},
    "ROAMING": {"WHATSAPP": 2.0, "MOBILE_APP": 1.5, "IN_STORE": 0.3},
    "DATA_ISSUE": {"MOBILE_APP": 1.4, "PHONE": 1.2, "IN_STORE": 0.5},
    "DEVICE_SUPPORT": {"IN_STORE": 4.0, "PHONE": 1.2, "EMAIL": 0.4, "SMS": 0.3},
    "PROMOTION": {"SMS": 3.0, "SOCIAL": 2.0, "MOBILE_APP": 1.3, "PHONE": 0.6},
}
#: At weekends the channel mix shifts to digital channels and stores (assumption: phone
#: lines are shorter-staffed and customers shop on Saturdays).
WEEKEND_CHANNEL_LIFT = {
    "PHONE": 0.80,
    "EMAIL": 0.75,
    "WEB_CHAT": 1.10,
    "MOBILE_APP": 1.30,
    "WHATSAPP": 1.25,
    "IN_STORE": 1.50,
    "SOCIAL": 1.30,
}
#: First-contact resolution by channel: points moved from Resolved to Pending (negative:
#: the other way). Live channels resolve more than asynchronous ones; chat about 76 % vs
#: social about 60 % (useconverge.app FCR benchmarks); average about 70 % (SQM Group).
CHANNEL_RESOLUTION_SHIFT = {
    "PHONE": -0.02,
    "IN_STORE": -0.06,
    "WEB_CHAT": 0.0,
    "MOBILE_APP": 0.02,
    "WHATSAPP": 0.03,
    "EMAIL": 0.10,
    "SMS": 0.08,
    "SOCIAL": 0.14,
}
#: ... and by interaction type (assumption: simple requests resolve, technical faults and
#: complaints less often).
TYPE_RESOLUTION_SHIFT = {
    "INFO_REQUEST": -0.12,
    "PAYMENT": -0.10,
    "PROMOTION": -0.08,
    "BILLING": -0.02,
    "PLAN_CHANGE": -0.04,
    "ROAMING": 0.02,
    "NEW_SERVICE": 0.0,
    "DEVICE_SUPPORT": 0.05,
    "DATA_ISSUE": 0.08,
    "TECH_SUPPORT": 0.10,
    "COMPLAINT": 0.10,
    "CANCELLATION": 0.06,
}
#: Survey non-response is not random: unhappy and delighted customers answer more
#: (dialphone.ai; oversai.com). Response probability = channel rate x this factor by the
#: CSAT the customer would give.
SURVEY_RESPONSE_BY_SCORE = {1: 1.6, 2: 1.25, 3: 0.75, 4: 0.85, 5: 1.2}

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
