"""`cca realism`'s figures for customers and outcomes (issue #24): contacts that change accounts,
callers who behave, people where they live, holidays that change what people call about.

Kept apart from realism.py (which merges PUBLISHED and measure() into its table) so the
workforce figures and these grow side by side. Holidays are read on the batch (UTC) date.
"""

from __future__ import annotations

import statistics

#: figure -> (low, high, source)
PUBLISHED = {
    "churn within 30 days after a cancellation request / after other contacts": (
        3,
        1_000,
        "issue #24 target; requests come before churn (include/generator/accounts.py)",
    ),
    "cancellation requests saved (no churn within 30 days)": (
        0.15,
        0.73,
        "turnella.com: 15 % saved without an offer, 45 % with; a telecom save desk 61-73 % (infinitewatch.ai)",
    ),
    "plan change within 30 days after a plan-change request / after other contacts": (
        3,
        1_000,
        "issue #24: plan-change requests precede plan changes",
    ),
    "billing and payment share, suspended accounts / others": (
        1.5,
        10,
        "issue #24: payment trouble drives billing contacts",
    ),
    "preferred language Spanish, Texas / Vermont": (
        3,
        100,
        "US Census Bureau, ACS S1601: Spanish at home 29 % in Texas, about 1 % in Vermont",
    ),
    "preferred language French, national share": (0.0, 0.015, "ACS: French (incl. Cajun) about 0.4 %"),
    "escalation, most - least escalated contact type, points": (
        8,
        30,
        "SQM Group: escalation queues take complex and complaint calls; telecom 8-20 % (generatekpi.com)",
    ),
    "abandoned callers contacting again within 2 h": (
        0.15,
        0.6,
        "responsedesign.com: about a third of callers who abandon call back",
    ),
    "abandoned calls with a conversation summary": (0, 0, "no conversation, no summary"),
    "Christmas device-support share / ordinary Thursday's": (
        2,
        10,
        "Flurry: activations +332 % on Christmas Day (bizjournals.com 2012)",
    ),
    "Black Friday store visits / ordinary Friday's": (
        1.3,
        5,
        "foot-traffic data via news.kovalovsky.com: cellphone shops' busiest day",
    ),
}

#: Contacts at least 30 days before the last loaded day (so 30 days after them are loaded),
#: or every contact when fewer days are loaded.
_FOLLOWED = """
WITH bounds AS (
    SELECT CASE WHEN max(start_timestamp)::date - 30 >= min(start_timestamp)::date
                THEN max(start_timestamp)::date - 30 ELSE max(start_timestamp)::date END AS last_day
    FROM customer_interactions
),
contacts AS (
    SELECT ci.customer_id, (ci.start_timestamp AT TIME ZONE 'UTC')::date AS day, t.interaction_code AS code
    FROM customer_interactions ci JOIN interaction_types t USING (interaction_type_id), bounds
    WHERE (ci.start_timestamp AT TIME ZONE 'UTC')::date <= bounds.last_day
)
SELECT code = 'CANCELLATION' AS cancellation, code = 'PLAN_CHANGE' AS plan_change,
       avg(coalesce(c.churn_date > k.day AND c.churn_date <= k.day + 30, false)::int) AS churned,
       avg((EXISTS (SELECT 1 FROM customer_service_plans p
                    WHERE p.customer_id = k.customer_id AND p.change_type <> 'New'
                      AND p.start_date >= k.day AND p.start_date <= k.day + 30))::int) AS changed
FROM contacts k JOIN customers c USING (customer_id)
GROUP BY 1, 2
"""
_SUSPENDED_BILLING = """
SELECT c.status = 'Suspended', avg((t.interaction_code IN ('BILLING', 'PAYMENT'))::int)
FROM customer_interactions ci JOIN interaction_types t USING (interaction_type_id)
JOIN customers c USING (customer_id)
GROUP BY 1
"""
_LANGUAGE = """
SELECT avg((preferred_language = 'es')::int) FILTER (WHERE state = 'TX'),
       avg((preferred_language = 'es')::int) FILTER (WHERE state = 'VT'),
       avg((preferred_language = 'fr')::int)
FROM customers
"""
_ESCALATION_BY_TYPE = """
SELECT interaction_type_id, avg(is_escalated::int) FROM customer_interactions
WHERE agent_id IS NOT NULL GROUP BY 1
"""
_ABANDONED = """
WITH abandoned AS (
    SELECT interaction_id, customer_id, end_timestamp, interaction_summary
    FROM customer_interactions WHERE resolution_status = 'Cancelled' AND agent_id IS NULL
)
SELECT avg((EXISTS (SELECT 1 FROM customer_interactions n
                    WHERE n.customer_id = a.customer_id AND n.start_timestamp > a.end_timestamp
                      AND n.start_timestamp <= a.end_timestamp + interval '2 hours'))::int),
       count(*) FILTER (WHERE interaction_summary IS NOT NULL)
FROM abandoned a
"""
_DAY_MIX = """
SELECT (ci.start_timestamp AT TIME ZONE 'UTC')::date,
       avg((t.interaction_code = 'DEVICE_SUPPORT')::int),
       count(*) FILTER (WHERE ch.channel_code = 'IN_STORE')
FROM customer_interactions ci JOIN interaction_types t USING (interaction_type_id)
JOIN channels ch USING (channel_id)
GROUP BY 1
"""


def _ratio(a: float | None, b: float | None) -> float | None:
    return None if a is None or not b else float(a) / float(b)


def _consequences(conn) -> dict[str, float | None]:
    rows = conn.execute(_FOLLOWED).fetchall()
    churned = {(c, p): float(ch) for c, p, ch, _ in rows}
    changed = {(c, p): float(pc) for c, p, _, pc in rows}
    other = churned.get((False, False))
    cancel = churned.get((True, False))
    billing = dict(conn.execute(_SUSPENDED_BILLING).fetchall())
    return {
        "churn within 30 days after a cancellation request / after other contacts": _ratio(cancel, other),
        "cancellation requests saved (no churn within 30 days)": None if cancel is None else 1 - cancel,
        "plan change within 30 days after a plan-change request / after other contacts": _ratio(
            changed.get((False, True)), changed.get((False, False))
        ),
        "billing and payment share, suspended accounts / others": _ratio(
            billing.get(True), billing.get(False)
        ),
    }


def _people(conn) -> dict[str, float | None]:
    texas, vermont, french = conn.execute(_LANGUAGE).fetchone()
    return {
        "preferred language Spanish, Texas / Vermont": _ratio(texas, vermont),
        "preferred language French, national share": french,
    }


def _outcomes(conn) -> dict[str, float | None]:
    by_type = [float(r[1]) for r in conn.execute(_ESCALATION_BY_TYPE).fetchall()]
    retried, with_summary = conn.execute(_ABANDONED).fetchone()
    return {
        "escalation, most - least escalated contact type, points": (
            100 * (max(by_type) - min(by_type)) if by_type else None
        ),
        "abandoned callers contacting again within 2 h": retried,
        "abandoned calls with a conversation summary": with_summary,
    }


def _holiday_content(conn) -> dict[str, float | None]:
    """Christmas against the median ordinary Thursday, Black Friday against the median ordinary
    Friday (no holiday, not within a week after Christmas, not Black Friday)."""
    import datetime as dt

    from include.generator.calendar import holiday_name

    days = {d: (float(device), int(store)) for d, device, store in conn.execute(_DAY_MIX).fetchall()}

    def ordinary(d: dt.date) -> bool:
        recent = any(holiday_name(d - dt.timedelta(days=k)) is not None for k in range(8))
        return not recent and not (d.month == 12 and 25 <= d.day)

    christmas = [v[0] for d, v in days.items() if holiday_name(d) == "Christmas Day" and d.month == 12]
    thursdays = [v[0] for d, v in days.items() if d.weekday() == 3 and ordinary(d)]
    black_friday = [
        v[1] for d, v in days.items() if holiday_name(d - dt.timedelta(days=1)) == "Thanksgiving Day"
    ]
    fridays = [v[1] for d, v in days.items() if d.weekday() == 4 and ordinary(d)]
    return {
        "Christmas device-support share / ordinary Thursday's": (
            _ratio(christmas[0], statistics.median(thursdays)) if christmas and thursdays else None
        ),
        "Black Friday store visits / ordinary Friday's": (
            _ratio(black_friday[0], statistics.median(fridays)) if black_friday and fridays else None
        ),
    }


def measure(conn) -> dict[str, float | None]:
    """Each figure of PUBLISHED, measured on every loaded day (None: not in the loaded days)."""
    return {**_consequences(conn), **_people(conn), **_outcomes(conn), **_holiday_content(conn)}
