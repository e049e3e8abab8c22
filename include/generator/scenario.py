"""A counterfactual twin's scenario: the levers changed from today's world (issue #29, docs/twins.md).

Written as comma-separated `lever=value` pairs, e.g. `staffing=1.10,aht=0.90`; the empty
scenario is today's world, row for row. Levers act through the model (more agents scheduled,
longer or shorter work), so everything else a day draws stays the same in the twin: its random
streams are keyed by what they decide, not by what came before (common random numbers).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from include.generator import parameters, workforce

#: lever -> (lowest, highest, what it does). `staffing.<group>` (voice, messaging, store) scales
#: one service group's scheduled agents; `staffing` all of them.
LEVERS: dict[str, tuple[float, float, str]] = {
    "staffing": (0.5, 2.0, "scheduled agents x factor (every queue)"),
    **{
        f"staffing.{group.lower()}": (0.5, 2.0, f"scheduled {group} agents x factor")
        for group in workforce.GROUPS
    },
    "aht": (0.5, 2.0, "agents' handle (work) time x factor"),
}
#: lever -> (the calendar's planted event it plants, longest range in days, what it does). The
#: value is a date or a range `FIRST..LAST` (ISO dates, inclusive); a single date plants the
#: event for the shortest duration the calendar gives it (include/generator/parameters).
DATE_LEVERS: dict[str, tuple[str, int, str]] = {
    "outage": ("Network outage", 7, "a network outage planted on these dates (one census division)"),
    "price_change": ("Price change", 31, "a national price change planted on these dates"),
}
#: A calendar event a date lever plants: (kind, first date, last date).
ExtraEvent = tuple[str, dt.date, dt.date]


@dataclass(frozen=True)
class Scenario:
    """Validated levers, as (lever, value) pairs in a canonical order (hashable: a cache key)."""

    levers: tuple[tuple[str, float | str], ...] = ()

    def __str__(self) -> str:
        return ",".join(f"{name}={_shown(value)}" for name, value in self.levers)

    def describe(self) -> str:
        """What changed, in words (world_scenario.description): 'aht=0.9: agents' handle ... x 0.9'."""
        if not self.levers:
            return "today's world: no lever changed"
        return "; ".join(
            f"{name}={_shown(value)}: {(LEVERS.get(name) or DATE_LEVERS[name])[2]}"
            for name, value in self.levers
        )

    @property
    def is_baseline(self) -> bool:
        return not self.levers

    def value(self, lever: str, default: float = 1.0) -> float:
        return float(dict(self.levers).get(lever, default))

    def extra_events(self) -> tuple[ExtraEvent, ...]:
        """The calendar events the date levers plant (include/generator/calendar.py); () without."""
        out = []
        for name, value in self.levers:
            if name in DATE_LEVERS:
                kind = DATE_LEVERS[name][0]
                first, _, last = str(value).partition("..")
                start = dt.date.fromisoformat(first)
                shortest = parameters.PLANTED_EVENTS[kind]["duration_days"][0]
                end = dt.date.fromisoformat(last) if last else start + dt.timedelta(days=shortest - 1)
                out.append((kind, start, end))
        return tuple(out)

    def staffing_factors(self) -> tuple[float, ...] | None:
        """Per queue (workforce.QUEUES), the factor on its scheduled agents; None: unchanged."""
        if not any(name.startswith("staffing") for name, _ in self.levers):
            return None
        every = self.value("staffing")
        return tuple(every * self.value(f"staffing.{group.lower()}") for _, group in workforce.QUEUES)

    def handle_time(self, handle_s: np.ndarray) -> np.ndarray:
        """Agents' work per contact under the `aht` lever (unchanged, the same array, without it)."""
        factor = self.value("aht")
        if factor == 1.0:
            return handle_s
        return np.maximum(np.rint(handle_s * factor), 1).astype(handle_s.dtype)


BASELINE = Scenario()


def parse_scenario(text: object) -> Scenario:
    """`lever=value,...` -> Scenario; ValueError (one line) for anything else."""
    if text is None:
        return BASELINE
    if not isinstance(text, str):
        raise ValueError(f"scenario must be text such as 'staffing=1.10,aht=0.90', got {text!r}")
    levers: dict[str, float | str] = {}
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        name, sep, raw = (s.strip() for s in part.partition("="))
        name = name.lower()
        if not sep or not name or not raw:
            raise ValueError(f"scenario: {part!r} is not lever=value (e.g. staffing=1.10)")
        if name not in LEVERS and name not in DATE_LEVERS:
            raise ValueError(
                f"scenario: unknown lever {name!r}; levers: {', '.join([*LEVERS, *DATE_LEVERS])}"
            )
        if name in levers:
            raise ValueError(f"scenario: lever {name!r} given twice")
        levers[name] = _dates_value(name, raw) if name in DATE_LEVERS else _lever_value(name, raw)
    changed = tuple((name, value) for name, value in sorted(levers.items()) if value != 1.0)
    return Scenario(changed)


def _lever_value(name: str, raw: str) -> float:
    low, high, _ = LEVERS[name]
    try:
        value = float(raw)
    except ValueError:
        raise ValueError(f"scenario: {name}={raw!r} is not a number") from None
    if not low <= value <= high:  # (also rejects nan and inf)
        raise ValueError(f"scenario: {name} must be between {low:g} and {high:g}, got {raw}")
    return value


def _shown(value: float | str) -> str:
    return value if isinstance(value, str) else f"{value:g}"


def _dates_value(name: str, raw: str) -> str:
    """`DATE` or `FIRST..LAST` -> the canonical text; ValueError (one line) for anything else."""
    example = f"{name}=2026-03-02 or {name}=2026-03-02..2026-03-03"
    try:
        dates = [dt.date.fromisoformat(part.strip()) for part in raw.split("..")]
    except ValueError:
        raise ValueError(
            f"scenario: {name}={raw!r} is not a date or a range of dates (e.g. {example})"
        ) from None
    if len(dates) > 2:
        raise ValueError(f"scenario: {name}={raw!r} is not a date or a range of dates (e.g. {example})")
    shortest = parameters.PLANTED_EVENTS[DATE_LEVERS[name][0]]["duration_days"][0]
    first = dates[0]
    last = dates[1] if len(dates) == 2 else first + dt.timedelta(days=shortest - 1)
    longest = DATE_LEVERS[name][1]
    if first < parameters.EPOCH:
        raise ValueError(f"scenario: {name} must start on or after {parameters.EPOCH}, got {first}")
    if not 0 <= (last - first).days < longest:
        raise ValueError(f"scenario: {name}={raw} must run forward over 1 to {longest} days")
    single = (last - first).days == shortest - 1  # (a range that means the single date: one name)
    return str(first) if single else f"{first}..{last}"
