"""What a day's rows are a pure function of, besides the date, and the bounds each input must keep."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass

from include.generator import parameters
from include.generator.customers import base_size
from include.generator.scenario import Scenario, parse_scenario


@dataclass(frozen=True)
class BatchSettings:
    """What a day's data is a pure function of (besides the date).

    `new_customers_per_day` None (the default) sizes the customer base to the volume
    (`signups`); an integer overrides it. `scenario` is a counterfactual twin's levers
    (include/generator/scenario.py), kept in canonical form; empty: today's world.
    """

    interactions_per_day: int = parameters.DEFAULT_INTERACTIONS_PER_DAY
    seed: int = parameters.DEFAULT_SEED
    new_customers_per_day: int | None = parameters.DEFAULT_NEW_CUSTOMERS_PER_DAY
    scenario: str = ""

    def __post_init__(self) -> None:
        validate_settings(self.interactions_per_day, self.seed, self.new_customers_per_day)
        # (frozen: the canonical text replaces what was typed, so equal scenarios compare equal)
        object.__setattr__(self, "scenario", str(parse_scenario(self.scenario)))

    @property
    def levers(self) -> Scenario:
        """The scenario's levers (parsed again: a few microseconds, and the settings stay plain JSON)."""
        return parse_scenario(self.scenario)

    @property
    def signups(self) -> int:
        """Average sign-ups a day: the override, or derived from the volume."""
        if self.new_customers_per_day is not None:
            return self.new_customers_per_day
        return derived_signups(self.interactions_per_day)


def derived_signups(interactions_per_day: int) -> int:
    """Sign-ups a day that keep TARGET_CONTACTS_PER_ACTIVE_MONTH, up to the memory cap."""
    wanted = round(interactions_per_day * parameters.SIGNUPS_PER_INTERACTION)
    return min(wanted, parameters.MAX_DERIVED_NEW_CUSTOMERS_PER_DAY)


def validate_settings(interactions_per_day: object, seed: object, new_customers_per_day: object) -> None:
    """Raise ValueError with one clear line for any out-of-range setting."""
    checks = [
        ("interactions_per_day", interactions_per_day, 1, parameters.MAX_INTERACTIONS_PER_DAY),
        ("seed", seed, 0, 2**31 - 1),
    ]
    if new_customers_per_day is not None:  # None: derived from the volume
        checks.insert(
            1, ("new_customers_per_day", new_customers_per_day, 0, parameters.MAX_NEW_CUSTOMERS_PER_DAY)
        )
    for name, value, low, high in checks:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"{name} must be an integer, got {value!r}")
        if not low <= value <= high:
            raise ValueError(f"{name} must be between {low:,} and {high:,}, got {value:,}")


def future_days_allowed() -> bool:
    """The explicit opt-in to days up to MAX_DAYS_AHEAD after today ($CCA_ALLOW_FUTURE_DAYS=1)."""
    return os.environ.get(parameters.FUTURE_DAYS_ENV, "").strip().lower() in ("1", "true", "yes")


def days_ahead() -> int:
    return parameters.MAX_DAYS_AHEAD if future_days_allowed() else parameters.DEFAULT_DAYS_AHEAD


def latest_day(today: dt.date | None = None) -> dt.date:
    """The last day that can be generated: today (UTC) + `days_ahead()`."""
    today = today or dt.datetime.now(dt.UTC).date()
    return today + dt.timedelta(days=days_ahead())


def validate_day(day: dt.date) -> None:
    if day < parameters.EPOCH:
        raise ValueError(f"dates before {parameters.EPOCH} are not supported (got {day})")
    if day > latest_day():
        why = (
            f"(today, UTC, + {parameters.MAX_DAYS_AHEAD} days)"
            if future_days_allowed()
            else f"(today, UTC, + {parameters.DEFAULT_DAYS_AHEAD} day: a later day would move the customer "
            f"base's statuses ahead of today; {parameters.FUTURE_DAYS_ENV}=1 allows up to "
            f"+ {parameters.MAX_DAYS_AHEAD} days)"
        )
        raise ValueError(f"{day} is after the latest day that can be generated, {latest_day()} {why}")


def validate_run(day: dt.date, settings: BatchSettings) -> None:
    """The day, and the customer base it needs, within what the generator can hold in memory."""
    validate_day(day)
    check_base_size(settings.seed, settings.signups, day, settings.new_customers_per_day is None)


def check_base_size(seed: int, signups: int, day: dt.date, derived: bool = False) -> None:
    """Raise ValueError (one line) if the base of `signups` a day through `day` exceeds MAX_CUSTOMER_BASE."""
    size = base_size(seed, signups, day)
    if size <= parameters.MAX_CUSTOMER_BASE:
        return
    days = (day - parameters.EPOCH).days + 1
    most = max(
        0,
        int(
            (parameters.MAX_CUSTOMER_BASE - parameters.MIN_INITIAL_CUSTOMERS)
            / (days + parameters.MEAN_LIFETIME_DAYS)
            * 0.98
        ),
    )
    while most > 0 and base_size(seed, most, day) > parameters.MAX_CUSTOMER_BASE:
        most -= 1
    what = "derived from interactions_per_day" if derived else "new_customers_per_day"
    raise ValueError(
        f"{signups} sign-ups a day ({what}) would grow the customer base to ~{size:,} customers "
        f"by {day}, above the {parameters.MAX_CUSTOMER_BASE:,} the generator holds in memory; pass "
        f"new_customers_per_day={most} (at most) for that day"
    )
