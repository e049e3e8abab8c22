"""Rows of the customers and customer_service_plans tables: as tuples and as COPY text.

The generator hands over the customer base's arrays (include/generator/customers.py) and the
contact columns drawn once per customer (include/generator/contacts.py); the two encoders here
describe the same rows (tests/generator/test_population.py holds them equal).
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from include.generator import geography, parameters
from include.generator.contacts import TEXT, contact_columns, join_strings
from include.generator.customers import (
    CHANGE_TYPES,
    LANGUAGES,
    NEVER,
    SEGMENTS,
    CustomerBase,
    index_day,
)

CUSTOMER_COLUMNS = (
    "customer_id",
    "customer_name",
    "email",
    "phone",
    "address",
    "city",
    "state",
    "registration_date",
    "customer_segment",
    "status",
    "churn_date",
    "created_at",
    "time_zone",
    "preferred_language",
)
PLAN_COLUMNS = (
    "customer_service_plan_id",
    "customer_id",
    "service_plan_id",
    "start_date",
    "end_date",
    "change_type",
    "is_active",
    "created_at",
)


def customer_attributes(
    seed: int, ids: np.ndarray, states: np.ndarray, zones: np.ndarray
) -> list[tuple[str, str, str, str, str, str]]:
    """Name, email, phone, address, city, state per customer: a pure function of (seed, id).

    `states` and `zones` (indexes into geography.STATES, TIME_ZONES) come from the customer
    base, so the city, the phone's area code and the time zone agree with the state."""
    columns = contact_columns(seed, ids, states, zones)
    return list(
        zip(
            *(columns[k].tolist() for k in ("name", "email", "phone", "address", "city", "state")),
            strict=True,
        )
    )


def customer_rows(base: CustomerBase, mask: np.ndarray, as_of: int) -> list[tuple]:
    """customers rows (in table column order) for the masked customers, status as of a day."""
    index = np.flatnonzero(mask)
    attributes = customer_attributes(base.seed, base.customer_id[index], base.state[index], base.zone[index])
    rows = []
    for i, attrs in zip(index, attributes, strict=True):
        cid = int(base.customer_id[i])
        reg = index_day(base.registration_day[i])
        churned = base.churn_day[i] <= as_of
        status = "Inactive" if churned else ("Suspended" if base.suspended[i] else "Active")
        created = dt.datetime.combine(reg, dt.time(8), dt.UTC) + dt.timedelta(seconds=cid % 36_000)
        rows.append(
            (
                cid,
                *attrs,
                reg,
                SEGMENTS[base.segment[i]],
                status,
                index_day(base.churn_day[i]) if churned else None,
                created,
                geography.TIME_ZONES[base.zone[i]],
                LANGUAGES[base.language[i]],
            )
        )
    return rows


def plan_rows(base: CustomerBase, mask: np.ndarray, as_of: int) -> list[tuple]:
    """customer_service_plans rows that started by `as_of`, ended as known on `as_of`."""
    rows = []
    k = base.event_day.shape[1]
    for i in np.flatnonzero(mask):
        cid = int(base.customer_id[i])
        days = base.event_day[i]
        for e in range(k):
            if days[e] > as_of:
                break
            following = days[e + 1] if e + 1 < k else NEVER
            end = min(following, base.churn_day[i]) - 1
            ended = end + 1 <= as_of  # the successor started, or the customer churned
            start = index_day(days[e])
            rows.append(
                (
                    cid * 10 + e,
                    cid,
                    int(base.event_plan[i, e]),
                    start,
                    index_day(end) if ended else None,
                    CHANGE_TYPES[base.event_type[i, e]],
                    not ended,
                    dt.datetime.combine(start, dt.time(0), dt.UTC),
                )
            )
    return rows


# ------------------------------------------------------------------ the same rows as COPY text
def _copy_escape(column: np.ndarray) -> np.ndarray:
    """COPY text escapes (a backslash, tab, newline or carriage return in a value)."""
    for raw, escaped in (("\\", "\\\\"), ("\t", "\\t"), ("\n", "\\n"), ("\r", "\\r")):
        column = np.strings.replace(column, raw, escaped)
    return column


def _dates(days: np.ndarray) -> np.ndarray:
    return (np.datetime64(parameters.EPOCH, "D") + days.astype(np.int64)).astype("U10").astype(TEXT)


def _lines(columns: list[np.ndarray]) -> bytes:
    """COPY text: columns tab-separated, one row a line."""
    if len(columns[0]) == 0:
        return b""
    parts: list[np.ndarray | str] = []
    for column in columns:
        parts += [column, "\t"]
    parts[-1] = "\n"
    return "".join(join_strings(*parts).tolist()).encode()


def customer_copy_text(base: CustomerBase, mask: np.ndarray, as_of: int) -> bytes:
    """customer_rows(base, mask, as_of) as COPY text (CUSTOMER_COLUMNS), built a column at a time:
    a fresh database at 20,000 interactions a day takes millions of customers at once."""
    index = np.flatnonzero(mask)
    ids = base.customer_id[index]
    c = contact_columns(base.seed, ids, base.state[index], base.zone[index])
    c = {k: _copy_escape(v) for k, v in c.items()}
    reg = base.registration_day[index]
    churn = base.churn_day[index]
    churned = churn <= as_of
    status = np.where(churned, "Inactive", np.where(base.suspended[index], "Suspended", "Active")).astype(
        TEXT
    )
    created = (
        np.datetime64(parameters.EPOCH, "s") + reg.astype(np.int64) * 86_400 + 8 * 3_600 + (ids % 36_000)
    ).astype("U19")
    return _lines(
        [
            ids.astype(TEXT),
            c["name"],
            c["email"],
            c["phone"],
            c["address"],
            c["city"],
            c["state"],
            _dates(reg),
            np.array(SEGMENTS, dtype=TEXT)[base.segment[index]],
            status,
            np.where(churned, _dates(churn), "\\N").astype(TEXT),
            join_strings(np.strings.replace(created.astype(TEXT), "T", " "), "+00"),
            np.array(geography.TIME_ZONES, dtype=TEXT)[base.zone[index]],
            np.array(LANGUAGES, dtype=TEXT)[base.language[index]],
        ]
    )


def plan_copy_text(base: CustomerBase, mask: np.ndarray, as_of: int, since: int = -(10**9)) -> bytes:
    """plan_rows(base, mask, as_of) as COPY text (PLAN_COLUMNS), only plans started after `since`."""
    index = np.flatnonzero(mask)
    days = base.event_day[index]
    following = np.concatenate([days[:, 1:], np.full((len(index), 1), NEVER, dtype=days.dtype)], axis=1)
    end = np.minimum(following, base.churn_day[index][:, None]) - 1
    rows, events = np.nonzero((days <= as_of) & (days > since))
    ended = end[rows, events] + 1 <= as_of
    ids = base.customer_id[index][rows]
    start = _dates(days[rows, events])
    return _lines(
        [
            (ids * 10 + events).astype(TEXT),
            ids.astype(TEXT),
            base.event_plan[index][rows, events].astype(TEXT),
            start,
            np.where(ended, _dates(end[rows, events]), "\\N").astype(TEXT),
            np.array(CHANGE_TYPES, dtype=TEXT)[base.event_type[index][rows, events]],
            np.where(ended, "f", "t").astype(TEXT),
            join_strings(start, " 00:00:00+00"),
        ]
    )
