"""`cca realism`: measured figures of the loaded data against published ranges (a Markdown table).

Reads the database in use (every loaded day), prints the table and writes it into
docs/realism.md (devtools/docs_pages.py; `--page -` leaves it alone). The published ranges
carry their sources (the same ones include/generator/parameters/ cites). A figure the generator
does not model yet says so instead of a number.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics

from devtools.commands import realism_customers
from include.generator.parameters import CONTACT_RATE_RANGE

#: figure -> (low, high, source); None bounds are open.
PUBLISHED = {
    "contacts per active customer per month": (
        *CONTACT_RATE_RANGE,
        "britebill.com: about a third of mobile subscribers contact care at least once a quarter",
    ),
    "most contacts of one customer in a calendar month": (1, 15, "issue #14: nobody calls daily"),
    "weekday peak hour, customer-local": (9, 11, "turnella.com: morning peak 09:30-11:30 local"),
    "Monday volume / mean day (customer-local, holidays aside)": (
        1.15,
        1.4,
        "turnella.com: Monday about 1.2x",
    ),
    "weekend day volume / mean day (customer-local, holidays aside)": (0.5, 0.8, "turnella.com"),
    "Thanksgiving, Christmas / same weekday": (0.0, 0.6, "ruby.com: volume collapses on public holidays"),
    "same weekday, same volume (pairs in a month)": (0, 0, "no two days alike"),
    "phone handle time, min (mean)": (
        5,
        9,
        "celsiusindustries.com; goresponse.co.uk: 43 % of centres 5-9 min",
    ),
    "chat duration, min (mean)": (8, 15, "Comm100 live chat benchmark 2019: about 12 min"),
    "email first response, h (mean)": (6, 24, "stealthagents.com: about 12 h"),
    "phone ASA, s": (20, 90, "cloudtalk.io: commonly 28-40 s; issue #14 target 20-90 s"),
    "phone answered within 20 s": (0.6, 0.9, "ccmath WFM glossary: 80/20 target"),
    "phone abandonment": (0.02, 0.12, "issue #14 target"),
    "first-contact resolution": (0.54, 0.75, "SQM Group ~70 % (telli.com); ServiceXRG 54 %"),
    "FCR best - worst channel, points": (10, 30, "useconverge.app: social ~60 % vs chat ~76 %"),
    "escalation rate": (0.05, 0.15, "celsiusindustries.com: about 10 %"),
    "shortest shift, h": (
        4,
        12,
        "contact-center-facts: part-time shifts typically 4-6 h; issue #24: none under 4 h",
    ),
    "shortest rest between an agent's shifts, h": (
        11,
        None,
        "EU Working Time Directive 2003/88/EC art. 3: 11 consecutive hours in every 24",
    ),
    "median weekly hours on shift, agents of the whole period": (
        28,
        40,
        "contact-center-facts: full-time 5 x 8 h or 4 x 10 h, part-time 4-6 h shifts",
    ),
    "highest interval occupancy (busy / staffed)": (0, 1, "occupancy is a share of staffed time"),
    "holiday eve 16:00-24:00 local / a week before (lowest of Eastern, Pacific)": (
        0.75,
        1.5,
        "contact-center-facts: a holiday begins at the customer's local midnight",
    ),
    "holiday 09:00-17:00 local / a week before (highest of Eastern, Pacific)": (
        0.0,
        0.6,
        "ruby.com: volume collapses on public holidays (in every zone's own day)",
    ),
    "most time zones among one store agent's customers": (
        1,
        1,
        "issue #24: customers visit stores near home",
    ),
    "store visits from outside the store's time zone": (0, 0, "issue #24: a store is a place"),
    "service-group intervals with contacts offered, nobody on shift and none answered": (
        0,
        0,
        "issue #24: a queue with nobody on shift overflows, never a silent 100 % abandonment",
    ),
    "repeat contact rate": (0.0, 0.15, "voiso.com (SQM): under 10 % healthy"),
    "repeats with no unresolved contact of the customer in the 7 days before": (
        0,
        0,
        "issue #14: a repeat follows an unresolved contact",
    ),
    "repeats on a later day than the contact they repeat": (
        0.2,
        0.9,
        "issue #14: within days, across days (REPEAT_LAG_DAY_WEIGHTS assumed)",
    ),
    "survey response rate": (0.05, 0.5, "oversai.com 25-50 %, email 10-30 %; dialphone.ai 5-15 %"),
    "CSAT (share of 4-5 answers)": (0.65, 0.85, "ACSI US wireless about 74/100"),
    "phone contacts per agent-shift (per 7.5 h on duty)": (
        25,
        60,
        "notes: 8 h shift, ~85 % occupancy, ~9.5 min AHT: about 43 (shorter AHT here: more)",
    ),
    "agent occupancy, median agent-shift": (
        0.60,
        0.90,
        "opsdog.com 48-87 %, ~70 % average; issue #14 0.60-0.90",
    ),
    "voice/store contacts overlapping the agent's previous one": (0, 0, "one live call at a time"),
    "live contacts answered off shift or on a break": (0, 0, "agents work their shifts"),
    "invalid NANP phone numbers": (0.0, 0.0, "NANP: NPA and NXX start with 2-9"),
    "plan changes across consumer/Business": (0.0, 0.0, "plan families"),
    **realism_customers.PUBLISHED,  # issue #24: customers and outcomes
}

_DAILY = """
SELECT (start_timestamp AT TIME ZONE 'UTC')::date AS day, count(*) FROM customer_interactions GROUP BY 1 ORDER BY 1
"""
#: Contacts per customer-local day (each customer's own time zone), the first and last local days
#: of the range left out (only part of them is loaded): the weekly shape lives in local days.
_LOCAL_DAILY = """
WITH local_days AS (
    SELECT (ci.start_timestamp AT TIME ZONE c.time_zone)::date AS day, count(*) AS n
    FROM customer_interactions ci JOIN customers c USING (customer_id)
    WHERE c.time_zone IS NOT NULL
    GROUP BY 1
)
SELECT day, n FROM local_days
WHERE day > (SELECT min(day) FROM local_days) AND day < (SELECT max(day) FROM local_days)
ORDER BY 1
"""
_ACTIVE = """
SELECT summary_date, sum(active_customers) FROM analytics.daily_service_plan_summary GROUP BY 1
"""
_PEAK = """
SELECT extract(hour FROM ci.start_timestamp AT TIME ZONE c.time_zone)::int AS h, count(*) AS n
FROM customer_interactions ci JOIN customers c USING (customer_id)
WHERE c.time_zone IS NOT NULL AND extract(isodow FROM ci.start_timestamp AT TIME ZONE c.time_zone) < 6
GROUP BY 1 ORDER BY 2 DESC LIMIT 1
"""
_BY_CHANNEL = """
SELECT ch.channel_code,
       avg(duration_seconds) / 60.0,
       avg(queue_time_seconds),
       avg((queue_time_seconds <= 20)::int),
       avg(first_contact_resolution::int),
       count(*) FILTER (WHERE agent_id IS NOT NULL)
FROM customer_interactions ci JOIN channels ch USING (channel_id)
GROUP BY 1
"""
_PHONE_SERVICE = """
SELECT avg(queue_time_seconds) FILTER (WHERE agent_id IS NOT NULL),
       count(*) FILTER (WHERE agent_id IS NOT NULL AND queue_time_seconds <= 20)::numeric
           / nullif(count(*) FILTER (WHERE agent_id IS NOT NULL OR resolution_status = 'Cancelled'), 0),
       count(*) FILTER (WHERE agent_id IS NULL AND resolution_status = 'Cancelled')::numeric
           / nullif(count(*) FILTER (WHERE agent_id IS NOT NULL OR resolution_status = 'Cancelled'), 0)
FROM customer_interactions JOIN channels USING (channel_id)
WHERE channel_code = 'PHONE'
"""
_BREAKS = """
breaks AS (
    SELECT shift_date, agent_id, break_start, break_end FROM agent_shifts WHERE break_start IS NOT NULL
    UNION ALL
    SELECT shift_date, agent_id, break_start, break_end FROM agent_shift_breaks
)"""
_AGENT_SHIFTS = f"""
WITH {_BREAKS},
shifts AS (
    SELECT s.shift_date, s.agent_id, s.shift_start, s.shift_end, q.service_group, q.concurrency,
           extract(EPOCH FROM s.shift_end - s.shift_start)
           - coalesce((SELECT sum(extract(EPOCH FROM b.break_end - b.break_start)) FROM breaks b
                       WHERE b.shift_date = s.shift_date AND b.agent_id = s.agent_id), 0) AS on_duty
    FROM agent_shifts s JOIN service_queues q USING (queue_id)
),
work AS (
    SELECT s.shift_date, s.agent_id, sum(c.duration_seconds) AS handle,
           count(*) FILTER (WHERE ch.channel_code = 'PHONE') AS calls
    FROM customer_interactions c JOIN channels ch USING (channel_id)
    JOIN agent_shifts s ON s.agent_id = c.agent_id
         AND c.start_timestamp + make_interval(secs => c.queue_time_seconds) >= s.shift_start
         AND c.start_timestamp + make_interval(secs => c.queue_time_seconds) < s.shift_end
    WHERE c.agent_id IS NOT NULL AND c.duration_seconds IS NOT NULL
    GROUP BY 1, 2
)
SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY coalesce(w.handle, 0) / (s.on_duty * s.concurrency)),
       sum(w.calls) FILTER (WHERE s.service_group = 'Voice')
           / nullif(sum(s.on_duty) FILTER (WHERE s.service_group = 'Voice') / (7.5 * 3600), 0)
FROM shifts s LEFT JOIN work w USING (agent_id, shift_date)
-- (shifts inside the loaded days: the first and last day's neighbours are partly outside)
WHERE s.shift_start >= (SELECT min(start_timestamp) FROM customer_interactions)
  AND s.shift_end <= (SELECT max(start_timestamp) FROM customer_interactions)
"""
#: Shortest shift (h), shortest rest between an agent's shifts (h), median weekly hours on shift
#: of agents with a shift in the first and the last loaded week.
_SCHEDULES = """
WITH s AS (
    SELECT agent_id, shift_start, shift_end,
           lag(shift_end) OVER (PARTITION BY agent_id ORDER BY shift_start) AS previous_end
    FROM agent_shifts
),
span AS (SELECT min(shift_start) AS first, max(shift_start) AS last FROM agent_shifts),
weekly AS (
    SELECT agent_id, sum(extract(EPOCH FROM shift_end - shift_start)) / 3600.0
           / (extract(EPOCH FROM (SELECT last - first FROM span)) / (7 * 86400.0)) AS hours
    FROM s GROUP BY agent_id
    HAVING min(shift_start) < (SELECT first FROM span) + interval '7 days'
       AND max(shift_start) > (SELECT last FROM span) - interval '7 days'
)
SELECT (SELECT min(extract(EPOCH FROM shift_end - shift_start)) / 3600.0 FROM s),
       (SELECT min(extract(EPOCH FROM shift_start - previous_end)) / 3600.0 FROM s),
       (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY hours) FROM weekly)
"""
#: Stores as places: the most time zones among one store agent's customers; store visits whose
#: customer lives in another time zone than the store.
_STORES = """
SELECT max(zones), sum(elsewhere)
FROM (
    SELECT c.agent_id, count(DISTINCT cu.time_zone) AS zones,
           count(*) FILTER (WHERE cu.time_zone <> st.time_zone) AS elsewhere
    FROM customer_interactions c
    JOIN channels ch USING (channel_id)
    JOIN customers cu USING (customer_id)
    JOIN agent_shifts s ON s.agent_id = c.agent_id
         AND c.start_timestamp + make_interval(secs => c.queue_time_seconds) >= s.shift_start
         AND c.start_timestamp + make_interval(secs => c.queue_time_seconds) < s.shift_end
    JOIN contact_sites st ON st.site_name = s.site_name
    WHERE ch.channel_code = 'IN_STORE' AND c.agent_id IS NOT NULL
    GROUP BY c.agent_id
) AS a
"""
#: The holiday boundary in local time, per zone (Eastern, Pacific) around each loaded
#: Thanksgiving or Christmas with the week before loaded: the eve's 16:00-24:00 local against
#: the same hours a week before (lowest), and the holiday's 09:00-17:00 local against a week
#: before (highest).
_HOLIDAY_BOUNDARY = """
WITH local AS (
    SELECT cu.time_zone, (c.start_timestamp AT TIME ZONE cu.time_zone) AS at
    FROM customer_interactions c JOIN customers cu USING (customer_id)
    WHERE cu.time_zone IN ('America/New_York', 'America/Los_Angeles')
),
counts AS (
    SELECT h.day, l.time_zone,
           count(*) FILTER (WHERE l.at::date = h.day - 1 AND extract(HOUR FROM l.at) >= 16) AS eve,
           count(*) FILTER (WHERE l.at::date = h.day - 8 AND extract(HOUR FROM l.at) >= 16) AS eve_before,
           count(*) FILTER (WHERE l.at::date = h.day AND extract(HOUR FROM l.at) BETWEEN 9 AND 16) AS holiday,
           count(*) FILTER (WHERE l.at::date = h.day - 7 AND extract(HOUR FROM l.at) BETWEEN 9 AND 16)
               AS holiday_before
    FROM unnest(%(days)s::date[]) AS h (day) CROSS JOIN local AS l
    WHERE l.at::date BETWEEN h.day - 8 AND h.day
    GROUP BY 1, 2
)
SELECT min(eve::numeric / nullif(eve_before, 0)), max(holiday::numeric / nullif(holiday_before, 0))
FROM counts WHERE eve > 0 AND holiday > 0
"""
_INTERVAL_OCCUPANCY = """
WITH groups AS (
    SELECT s.interval_start, q.service_group, sum(s.offered) AS offered, sum(s.handled) AS handled,
           sum(s.agent_seconds) AS agent_seconds
    FROM analytics.interval_queue_summary s JOIN service_queues q USING (queue_id)
    GROUP BY 1, 2
)
SELECT (SELECT max(s.busy_seconds::numeric / nullif(s.agent_seconds * q.concurrency, 0))
        FROM analytics.interval_queue_summary s JOIN service_queues q USING (queue_id)),
       (SELECT count(*) FROM groups WHERE offered > 0 AND agent_seconds = 0 AND handled = 0)
"""
_OVERLAPS = """
SELECT count(*) FILTER (WHERE answered < previous_end)
FROM (
    SELECT start_timestamp + make_interval(secs => queue_time_seconds) AS answered,
           lag(end_timestamp) OVER (PARTITION BY agent_id
                                    ORDER BY start_timestamp + make_interval(secs => queue_time_seconds))
               AS previous_end
    FROM customer_interactions JOIN channels USING (channel_id)
    WHERE channel_code IN ('PHONE', 'IN_STORE') AND agent_id IS NOT NULL
) AS calls
"""
_OFF_SHIFT = f"""
WITH {_BREAKS}
SELECT count(*)
FROM (
    SELECT ci.interaction_id, ci.agent_id,
           ci.start_timestamp + make_interval(secs => ci.queue_time_seconds) AS answered
    FROM customer_interactions ci
    JOIN contact_routing r USING (interaction_type_id, channel_id)
    WHERE r.is_live AND ci.agent_id IS NOT NULL
) AS c
WHERE NOT EXISTS (
    SELECT 1 FROM agent_shifts s
    WHERE s.agent_id = c.agent_id AND c.answered >= s.shift_start AND c.answered < s.shift_end
      AND NOT EXISTS (SELECT 1 FROM breaks b WHERE b.shift_date = s.shift_date AND b.agent_id = s.agent_id
                      AND c.answered >= b.break_start AND c.answered < b.break_end)
)
"""
_OVERALL = """
SELECT avg(first_contact_resolution::int), avg(is_escalated::int), avg(is_repeat_contact::int),
       avg((satisfaction_score IS NOT NULL)::int),
       avg((satisfaction_score >= 4)::int) FILTER (WHERE satisfaction_score IS NOT NULL),
       sum(duration_seconds) FILTER (WHERE agent_id IS NOT NULL AND duration_seconds IS NOT NULL)
FROM customer_interactions
"""
#: Repeats from the 8th loaded day on (the days before them are loaded): unlinked, on a later day.
_REPEAT_LINKS = """
SELECT count(*) FILTER (WHERE repeat_of_interaction_id IS NULL),
       avg((days_after >= 1)::int) FILTER (WHERE repeat_of_interaction_id IS NOT NULL)
FROM analytics.repeat_contact_links
WHERE start_timestamp >= (SELECT min(start_timestamp) FROM customer_interactions)::date + 8
"""
_BUSIEST = """
SELECT max(n) FROM (SELECT count(*) AS n FROM customer_interactions
                    GROUP BY customer_id, date_trunc('month', start_timestamp AT TIME ZONE 'UTC')) t
"""
_PHONES = r"""
SELECT avg((phone !~ '^\([2-9][0-9]{2}\) [2-9][0-9]{2}-[0-9]{4}$')::int) FROM customers
"""
_PLAN_FAMILIES = """
SELECT avg(((p.plan_type = 'Business') <> (q.plan_type = 'Business'))::int)
FROM customer_service_plans a
JOIN customer_service_plans b ON b.customer_id = a.customer_id AND b.start_date > a.start_date
     AND NOT EXISTS (SELECT 1 FROM customer_service_plans m WHERE m.customer_id = a.customer_id
                     AND m.start_date > a.start_date AND m.start_date < b.start_date)
JOIN service_plans p ON p.service_plan_id = a.service_plan_id
JOIN service_plans q ON q.service_plan_id = b.service_plan_id
"""


def measure(conn) -> dict[str, float | None]:
    """Each figure of PUBLISHED, measured on every loaded day (None: not modelled)."""
    from include.generator.calendar import holiday_name

    daily = dict(conn.execute(_DAILY).fetchall())
    if not daily:
        raise ValueError("no interactions loaded: run `make backfill` first")
    days = sorted(daily)
    active = dict(conn.execute(_ACTIVE).fetchall())
    months = len(days) / 30.44
    local_daily = dict(conn.execute(_LOCAL_DAILY).fetchall())

    def local_share(weekdays: range) -> float | None:
        """The weekly shape of ordinary weeks: holidays left out of both sides."""
        usual = {d: n for d, n in local_daily.items() if holiday_name(d) is None}
        volumes = [n for d, n in usual.items() if d.weekday() in weekdays]
        return statistics.fmean(volumes) / statistics.fmean(usual.values()) if volumes else None

    ordinary = {d: n for d, n in local_daily.items() if holiday_name(d) is None}
    by_weekday = {w: [n for d, n in ordinary.items() if d.weekday() == w] for w in range(7)}
    holidays = [
        local_daily[d] / statistics.median(by_weekday[d.weekday()])
        for d in local_daily
        if holiday_name(d) in ("Thanksgiving Day", "Christmas Day") and by_weekday[d.weekday()]
    ]
    same = 0
    for month in {(d.year, d.month) for d in days}:
        for w in range(7):
            volumes = [n for d, n in daily.items() if (d.year, d.month) == month and d.weekday() == w]
            same += len(volumes) - len(set(volumes))
    channel = {r[0]: r[1:] for r in conn.execute(_BY_CHANNEL).fetchall()}
    fcr, escalation, repeat, response, csat, _ = conn.execute(_OVERALL).fetchone()
    unlinked, later_day = conn.execute(_REPEAT_LINKS).fetchone()
    asa, service_level, abandonment = conn.execute(_PHONE_SERVICE).fetchone()
    occupancy, calls_per_shift = conn.execute(_AGENT_SHIFTS).fetchone()
    shortest, rest, weekly = conn.execute(_SCHEDULES).fetchone()
    interval_occupancy, unstaffed = conn.execute(_INTERVAL_OCCUPANCY).fetchone()
    store_zones, store_elsewhere = conn.execute(_STORES).fetchone()
    holidays_loaded = [
        d
        for d in days
        if holiday_name(d) in ("Thanksgiving Day", "Christmas Day") and d - dt.timedelta(days=8) in daily
    ]
    eve, holiday = conn.execute(_HOLIDAY_BOUNDARY, {"days": holidays_loaded}).fetchone()
    fcr_by_channel = [float(v[3]) for v in channel.values()]
    email = conn.execute(
        "SELECT avg(queue_time_seconds) / 3600.0 FROM customer_interactions JOIN channels USING (channel_id) "
        "WHERE channel_code = 'EMAIL'"
    ).fetchone()[0]
    return {
        "contacts per active customer per month": (
            sum(daily.values()) / statistics.fmean(float(active[d]) for d in days if d in active) / months
            if active
            else None
        ),
        "most contacts of one customer in a calendar month": conn.execute(_BUSIEST).fetchone()[0],
        "weekday peak hour, customer-local": (conn.execute(_PEAK).fetchone() or (None,))[0],
        "Monday volume / mean day (customer-local, holidays aside)": local_share(range(0, 1)),
        "weekend day volume / mean day (customer-local, holidays aside)": local_share(range(5, 7)),
        "Thanksgiving, Christmas / same weekday": max(holidays) if holidays else None,
        "same weekday, same volume (pairs in a month)": same,
        "phone handle time, min (mean)": channel["PHONE"][0],
        "chat duration, min (mean)": channel["WEB_CHAT"][0],
        "email first response, h (mean)": email,
        "phone ASA, s": asa,
        "phone answered within 20 s": service_level,
        "phone abandonment": abandonment,
        "first-contact resolution": fcr,
        "shortest shift, h": shortest,
        "shortest rest between an agent's shifts, h": rest,
        "median weekly hours on shift, agents of the whole period": weekly,
        "highest interval occupancy (busy / staffed)": interval_occupancy,
        "most time zones among one store agent's customers": store_zones,
        "holiday eve 16:00-24:00 local / a week before (lowest of Eastern, Pacific)": eve,
        "holiday 09:00-17:00 local / a week before (highest of Eastern, Pacific)": holiday,
        "store visits from outside the store's time zone": store_elsewhere,
        "service-group intervals with contacts offered, nobody on shift and none answered": unstaffed,
        "FCR best - worst channel, points": 100 * (max(fcr_by_channel) - min(fcr_by_channel)),
        "escalation rate": escalation,
        "repeat contact rate": repeat,
        "repeats with no unresolved contact of the customer in the 7 days before": unlinked,
        "repeats on a later day than the contact they repeat": later_day,
        "survey response rate": response,
        "CSAT (share of 4-5 answers)": csat,
        "phone contacts per agent-shift (per 7.5 h on duty)": calls_per_shift,
        "agent occupancy, median agent-shift": occupancy,
        "voice/store contacts overlapping the agent's previous one": conn.execute(_OVERLAPS).fetchone()[0],
        "live contacts answered off shift or on a break": conn.execute(_OFF_SHIFT).fetchone()[0],
        "invalid NANP phone numbers": conn.execute(_PHONES).fetchone()[0],
        "plan changes across consumer/Business": conn.execute(_PLAN_FAMILIES).fetchone()[0],
        **realism_customers.measure(conn),  # issue #24: customers and outcomes
    }


def _fmt(value: float | None) -> str:
    if value is None:
        return "not modelled"
    value = float(value)
    if value == int(value) and abs(value) >= 1:
        return f"{int(value):,}"
    return f"{value:,.3g}" if abs(value) < 1 else f"{value:,.1f}"


def table(figures: dict[str, float | None], days: tuple[dt.date, dt.date], per_day: float) -> str:
    lines = [
        f"Measured on {days[0]} to {days[1]}, {per_day:,.0f} interactions a day on average (`cca realism`).",
        "",
        "| figure | measured | published | in range | source |",
        "| --- | --- | --- | --- | --- |",
    ]
    for name, (low, high, source) in PUBLISHED.items():
        value = figures[name]
        inside = (
            value is not None
            and (low is None or low <= float(value))
            and (high is None or float(value) <= high)
        )
        ok = "n/a" if value is None else ("yes" if inside else "**no**")
        published = (
            f">= {_fmt(low)}"
            if high is None
            else f"{_fmt(low)}"
            if low == high
            else f"{_fmt(low)}-{_fmt(high)}"
        )
        lines.append(f"| {name} | {_fmt(value)} | {published} | {ok} | {source} |")
    return "\n".join(lines)


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("realism", help="measured figures of the loaded data against published ranges")
    parser.add_argument(
        "--page",
        default="docs/realism.md",
        help="the page to rewrite with the table (default docs/realism.md; - for none)",
    )
    parser.set_defaults(handler=_handle)


def _handle(args: argparse.Namespace) -> int:
    from devtools.database import connect

    with connect() as conn:
        figures = measure(conn)
        first, last, per_day = conn.execute(
            "SELECT min(d), max(d), avg(n) FROM (SELECT (start_timestamp AT TIME ZONE 'UTC')::date d, "
            "count(*) n FROM customer_interactions GROUP BY 1) x"
        ).fetchone()
    text = table(figures, (first, last), float(per_day))
    print(text)
    if args.page != "-":
        from devtools.docs_pages import PROJECT_ROOT, write_realism_page

        print(f"wrote {write_realism_page(text, PROJECT_ROOT / args.page)}")
    return 0
