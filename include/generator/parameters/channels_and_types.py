"""Channels (mix, handle times, bots, desks) and interaction types (mix, departments).

Part of include/generator/parameters (see its docstring): figures cite their sources.
"""

from __future__ import annotations

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
#: Times the type's multiplier (mean about 1.16) and the lognormal's mean factor
#: exp(sigma^2 / 2): phone averages about 6.8 min (about 6 min on average, 43 % of centres
#: 5-9 min: celsiusindustries.com, goresponse.co.uk), web chat about 12 min (Comm100 live
#: chat benchmark report 2019).
HANDLE_TIME_LOGNORMAL = {
    "PHONE": (300, 0.55),
    "WEB_CHAT": (540, 0.55),
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
