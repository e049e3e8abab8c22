"""`cca compare BASELINE_DSN TWIN_DSN START END`: a twin against its baseline (docs/twins.md).

Reads the analytics layer of both databases over the range and prints, per KPI and per service
group or channel, the baseline, the twin, the difference of the range's values and the paired
difference of the daily values with its 95 % interval over days; then how many arrivals are
identical and which contacts exist in one world only. Connections are named by
`devtools.database.describe` (never a password).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import numpy as np
import psycopg

from include.config import SQL_DIR

TWINS_SQL_DIR = SQL_DIR / "twins"

#: KPI -> (source query, numerator, denominator, scale, unit): range value = scale * sum(num) / sum(den).
KPIS: dict[str, tuple[str, str, str | None, float, str]] = {
    "ASA": ("daily_service", "wait_seconds", "handled", 1.0, "s"),
    "abandonment": ("daily_service", "abandoned", "offered", 100.0, "%"),
    "service level": ("daily_service", "within_target", "offered", 100.0, "%"),
    "AHT": ("daily_service", "handle_seconds", "handled", 1.0, "s"),
    "occupancy": ("daily_service", "busy_seconds", "seat_seconds", 100.0, "%"),
    "offered": ("daily_service", "offered", None, 1.0, ""),
    "CSAT": ("daily_contacts", "csat_positive", "survey_responses", 100.0, "%"),
    "contacts": ("daily_contacts", "contacts", None, 1.0, ""),
}


@dataclass(frozen=True)
class Row:
    kpi: str
    member: str
    baseline: float
    twin: float
    mean_daily_difference: float
    low: float
    high: float
    unit: str


def _daily(conn: psycopg.Connection, query: str, first: dt.date, last: dt.date) -> dict:
    """{(day, member or 'all'): {column: value}} of one of the twins/*.sql queries."""
    text = (TWINS_SQL_DIR / f"{query}.sql").read_text()
    cur = conn.execute(text, {"first_day": first, "last_day": last})
    names = [c.name for c in cur.description]
    return {(r[0], r[1] or "all"): dict(zip(names[2:], r[2:], strict=True)) for r in cur.fetchall()}


#: Student's t 97.5 % quantiles for 1-30 degrees of freedom (any statistics table).
_T975 = (
    12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
    2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
    2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042,
)  # fmt: skip


def t_quantile(df: int) -> float:
    """Student's t 97.5 % quantile (a two-sided 95 % interval): the table up to 30 degrees of
    freedom, a Cornish-Fisher expansion of the normal's beyond (within 0.001 there)."""
    if df <= len(_T975):
        return _T975[max(df, 1) - 1]
    z = 1.959964
    return z + (z**3 + z) / (4 * df) + (5 * z**5 + 16 * z**3 + 3 * z) / (96 * df**2)


def paired_interval(differences: list[float]) -> tuple[float, float, float]:
    """(mean, low, high): the mean daily difference and its 95 % t interval (NaN with < 2 days)."""
    d = np.array(differences, dtype=float)
    if len(d) == 0:
        return math.nan, math.nan, math.nan
    mean = float(d.mean())
    if len(d) < 2:
        return mean, math.nan, math.nan
    half = t_quantile(len(d) - 1) * float(d.std(ddof=1)) / math.sqrt(len(d))
    return mean, mean - half, mean + half


def _ratio(rows: list[dict], num: str, den: str | None, scale: float) -> float:
    top = sum(r[num] or 0 for r in rows)
    if den is None:
        return float(top)
    bottom = sum(r[den] or 0 for r in rows)
    return scale * top / bottom if bottom else math.nan


def kpi_rows(base: dict[str, dict], twin: dict[str, dict]) -> list[Row]:
    """Per KPI and member, baseline and twin over the range and their paired daily difference."""
    out = []
    for kpi, (query, num, den, scale, unit) in KPIS.items():
        b, t = base[query], twin[query]
        members = sorted({m for _, m in b} | {m for _, m in t}, key=lambda m: (m != "all", m))
        for member in members:
            days = sorted({d for d, m in b if m == member} & {d for d, m in t if m == member})
            daily = [
                _ratio([t[(d, member)]], num, den, scale) - _ratio([b[(d, member)]], num, den, scale)
                for d in days
            ]
            mean, low, high = paired_interval([x for x in daily if not math.isnan(x)])
            out.append(
                Row(
                    kpi, member,
                    _ratio([b[(d, member)] for d in days], num, den, scale),
                    _ratio([t[(d, member)] for d in days], num, den, scale),
                    mean, low, high, unit,
                )
            )  # fmt: skip
    return out


def read_world(conn: psycopg.Connection, first: dt.date, last: dt.date) -> dict:
    """Everything compare needs of one database: daily sums, arrival keys, its scenario."""
    from include.storage.scenario import database_scenario

    return {
        "daily_service": _daily(conn, "daily_service", first, last),
        "daily_contacts": _daily(conn, "daily_contacts", first, last),
        "arrivals": read_arrivals(conn, first, last),
        "voice_intervals": conn.execute(
            (TWINS_SQL_DIR / "voice_intervals.sql").read_text(), {"first_day": first, "last_day": last}
        ).fetchall(),
        "scenario": database_scenario(conn),
        "channels": dict(conn.execute("SELECT channel_id, channel_name FROM channels").fetchall()),
        "batches": {
            day: (seed, rows)
            for day, seed, rows in conn.execute(
                "SELECT batch_date, base_seed, interactions_requested FROM interaction_batches "
                "WHERE batch_date BETWEEN %s AND %s",
                (first, last),
            ).fetchall()
        },
    }


def refuse_non_twins(base: dict, twin: dict) -> None:
    """ValueError (one line) unless both worlds loaded the same days with the same seed and volume
    (but on the days the twin's planted outage or price change moves): otherwise their
    differences are not a lever's."""
    from include.generator.calendar import lever_days
    from include.generator.scenario import parse_scenario

    days = sorted(set(base["batches"]) ^ set(twin["batches"]))
    if days:
        where = "baseline" if days[0] in base["batches"] else "twin"
        raise ValueError(f"not twins: {days[0]} is loaded in the {where} only ({len(days)} such day(s))")
    extra = parse_scenario(twin.get("scenario", "")).extra_events()
    for day in sorted(base["batches"]):
        seed = base["batches"][day][0]
        if day in lever_days(seed, extra) and seed == twin["batches"][day][0]:
            continue
        if base["batches"][day] != twin["batches"][day]:
            (seed, rows), (twin_seed, twin_rows) = base["batches"][day], twin["batches"][day]
            raise ValueError(
                f"not twins: on {day} the baseline has seed {seed} and {rows:,} contacts planned, "
                f"the twin seed {twin_seed} and {twin_rows:,}"
            )


#: One row of arrivals.sql in binary COPY: field count, then (length, value) per column.
_ARRIVAL_ROW = np.dtype(
    [
        ("n", ">i2"),
        ("l1", ">i4"),
        ("arrival", ">i8"),
        ("l2", ">i4"),
        ("channel", ">i2"),
        ("l3", ">i4"),
        ("repeat", "u1"),
    ]
)
_COPY_HEADER, _COPY_TRAILER = 19, 2


def read_arrivals(conn: psycopg.Connection, first: dt.date, last: dt.date) -> np.ndarray:
    """(contacts, 3) int64: arrival key, channel id, repeat contact (0/1), by binary COPY (two
    months at 20,000 a day are 1.2 million rows: a row-by-row fetch would take most of the 10 s)."""
    query = (TWINS_SQL_DIR / "arrivals.sql").read_text()
    text = psycopg.ClientCursor(conn).mogrify(query, {"first_day": first, "last_day": last})
    data = bytearray()
    with conn.cursor().copy(f"COPY ({text}) TO STDOUT (FORMAT binary)") as copy:
        for chunk in copy:
            data += chunk
    rows = np.frombuffer(bytes(data[_COPY_HEADER:-_COPY_TRAILER]), dtype=_ARRIVAL_ROW)
    return np.stack([rows["arrival"], rows["channel"], rows["repeat"]], axis=1).astype(np.int64)


def _found_in(keys: np.ndarray, other: np.ndarray) -> np.ndarray:
    """Per key, whether `other` holds it (sorted search: np.isin is several times slower here)."""
    ordered = np.sort(other)
    at = np.searchsorted(ordered, keys).clip(0, max(len(ordered) - 1, 0))
    return ordered[at] == keys if len(ordered) else np.zeros(len(keys), dtype=bool)


def arrival_lines(base: np.ndarray, twin: np.ndarray, channels: dict[int, str]) -> list[str]:
    """How many of the baseline's arrivals are identical in the twin, and the contacts of one
    world only, by channel and whether they are repeat contacts (retries, repeats)."""
    common = _found_in(base[:, 0], twin[:, 0])
    in_twin = _found_in(twin[:, 0], base[:, 0])
    share = common.mean() * 100 if len(base) else math.nan
    lines = [
        f"Arrivals (customer, start, channel, type): {int(common.sum()):,} of the baseline's "
        f"{len(base):,} identical in the twin ({share:.2f} %)",
    ]
    for name, rows in (("baseline", base[~common]), ("twin", twin[~in_twin])):
        by_channel = ", ".join(
            f"{channels.get(int(c), c)} {int((rows[:, 1] == c).sum()):,}" for c in np.unique(rows[:, 1])
        )
        repeats = int(rows[:, 2].sum())
        lines.append(
            f"Only in the {name}: {len(rows):,} contacts ({repeats:,} repeat contacts: retries and "
            f"repeats){': ' + by_channel if by_channel else ''}"
        )
    return lines


#: A busy interval for the Erlang C check: at least this many calls offered in both worlds.
BUSY_CALLS = 20
#: ... and Erlang C must move its service level by at least this much (a share) to count.
ERLANG_MOVE = 0.005


def erlang_c_service_level(
    offered: np.ndarray, aht_s: np.ndarray, agents: np.ndarray, target_s: np.ndarray
) -> np.ndarray:
    """Share of calls answered within `target_s` per 15-minute interval (Erlang C; 0 when the
    agents cannot carry the load). The Erlang B recursion up to each interval's agents."""
    load = offered * aht_s / (15 * 60)
    n = np.maximum(np.rint(agents), 0)
    erlang_b = np.ones(len(load))
    for k in range(1, int(n.max(initial=0)) + 1):
        step = k <= n
        erlang_b = np.where(step, load * erlang_b / (k + load * erlang_b), erlang_b)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        wait_p = n * erlang_b / (n - load * (1 - erlang_b))
        level = 1 - wait_p * np.exp(-(n - load) * target_s / np.maximum(aht_s, 1e-9))
    return np.where(n > load, np.clip(level, 0, 1), 0.0)


def erlang_line(base: list[tuple], twin: list[tuple]) -> str:
    """How many busy voice intervals whose staffing or handle time the twin changed saw their
    service level move the way Erlang C says for the twin's agents and handle time."""
    other = {(r[0], r[1]): r for r in twin}
    pairs = [(b, other[(b[0], b[1])]) for b in base if (b[0], b[1]) in other]
    pairs = [(b, t) for b, t in pairs if min(b[2], t[2]) >= BUSY_CALLS and b[4] and t[4]]
    if not pairs:
        return f"Erlang C: no voice interval with {BUSY_CALLS}+ calls in both worlds"
    b, t = (np.array([p[k][2:] for p in pairs], dtype=float) for k in (0, 1))
    # columns: offered, within target, handled, handle seconds, agent seconds, target seconds
    said = [erlang_c_service_level(b[:, 0], w[:, 3] / w[:, 2], w[:, 4] / (15 * 60), b[:, 5]) for w in (b, t)]
    expected = said[1] - said[0]
    moved = t[:, 1] / t[:, 0] - b[:, 1] / b[:, 0]
    changed = np.abs(expected) >= ERLANG_MOVE
    direction = np.sign(moved[changed]) * np.sign(expected[changed])
    same, still, against = int((direction > 0).sum()), int((direction == 0).sum()), int((direction < 0).sum())
    share = 100 * (same + still) / changed.sum() if changed.any() else math.nan
    return (
        f"Erlang C: of {len(pairs):,} voice intervals with {BUSY_CALLS}+ calls in both worlds, the twin's "
        f"agents and handle time move Erlang C's service level in {int(changed.sum()):,}; the measured "
        f"one moved the same way in {same:,}, stayed in {still:,} (e.g. all answered in time in both), "
        f"moved the other way in {against:,}: {share:.1f} % not against Erlang C"
    )


def _number(value: float, unit: str) -> str:
    if math.isnan(value):
        return "-"
    return f"{value:,.0f}" if unit == "" else f"{value:,.2f}"


def table_lines(rows: list[Row]) -> list[str]:
    head = f"{'KPI':<20}{'group':<14}{'baseline':>12}{'twin':>12}{'twin-base':>12}  mean daily diff [95 % interval]"
    lines = [head, "-" * len(head)]
    for r in rows:
        label = f"{r.kpi} ({r.unit})" if r.unit else r.kpi
        interval = f"{_number(r.mean_daily_difference, r.unit)} [{_number(r.low, r.unit)}, {_number(r.high, r.unit)}]"
        lines.append(
            f"{label:<20}{r.member:<14}{_number(r.baseline, r.unit):>12}{_number(r.twin, r.unit):>12}"
            f"{_number(r.twin - r.baseline, r.unit):>12}  {interval}"
        )
    return lines


def compare(baseline_url: str, twin_url: str, first: dt.date, last: dt.date) -> list[str]:
    """The report's lines (devtools.commands.twins prints them)."""
    from devtools.database import connect, describe

    if last < first:
        raise ValueError(f"START {first} is after END {last}")
    worlds = []
    for url in (baseline_url, twin_url):
        with connect(url) as conn:
            if conn.execute("SELECT to_regclass('analytics.interval_queue_summary')").fetchone()[0] is None:
                raise ValueError(f"{describe(url)} holds no analytics layer: load days into it first")
            worlds.append(read_world(conn, first, last))
    base, twin = worlds
    refuse_non_twins(base, twin)
    if not base["arrivals"].size or not twin["arrivals"].size:
        raise ValueError(f"no contacts between {first} and {last} in one of the databases")
    shown = [repr(w["scenario"]) if w["scenario"] else "'' (today's world)" for w in worlds]
    return [
        f"Baseline: {describe(baseline_url)}, scenario {shown[0]}",
        f"Twin:     {describe(twin_url)}, scenario {shown[1]}",
        f"Range:    {first} .. {last} ({(last - first).days + 1} day(s))",
        "",
        *table_lines(kpi_rows(base, twin)),
        "",
        *arrival_lines(base["arrivals"], twin["arrivals"], base["channels"]),
        erlang_line(base["voice_intervals"], twin["voice_intervals"]),
    ]
