"""What a day's rows are a pure function of, besides the date, and the bounds each input must keep."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from include.generator import config


@dataclass(frozen=True)
class BatchSettings:
    """What a day's data is a pure function of (besides the date)."""

    interactions_per_day: int = config.DEFAULT_INTERACTIONS_PER_DAY
    seed: int = config.DEFAULT_SEED
    new_customers_per_day: int = config.DEFAULT_NEW_CUSTOMERS_PER_DAY

    def __post_init__(self) -> None:
        validate_settings(self.interactions_per_day, self.seed, self.new_customers_per_day)


def validate_settings(interactions_per_day: object, seed: object, new_customers_per_day: object) -> None:
    """Raise ValueError with one clear line for any out-of-range setting."""
    for name, value, low, high in (
        ("interactions_per_day", interactions_per_day, 1, config.MAX_INTERACTIONS_PER_DAY),
        ("new_customers_per_day", new_customers_per_day, 0, config.MAX_NEW_CUSTOMERS_PER_DAY),
        ("seed", seed, 0, 2**31 - 1),
    ):
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"{name} must be an integer, got {value!r}")
        if not low <= value <= high:
            raise ValueError(f"{name} must be between {low:,} and {high:,}, got {value:,}")


def latest_day(today: dt.date | None = None) -> dt.date:
    """The last day that can be generated: today (UTC) + MAX_DAYS_AHEAD."""
    today = today or dt.datetime.now(dt.UTC).date()
    return today + dt.timedelta(days=config.MAX_DAYS_AHEAD)


def validate_day(day: dt.date) -> None:
    if day < config.EPOCH:
        raise ValueError(f"dates before {config.EPOCH} are not supported (got {day})")
    if day > latest_day():
        raise ValueError(
            f"{day} is after the latest day that can be generated, {latest_day()} "
            f"(today, UTC, + {config.MAX_DAYS_AHEAD} days)"
        )


def validate_run(day: dt.date, settings: BatchSettings) -> None:
    """The day, and the customer base it needs, within what the generator can hold in memory."""
    validate_day(day)
    size = config.INITIAL_CUSTOMERS + settings.new_customers_per_day * ((day - config.EPOCH).days + 1)
    if size > config.MAX_CUSTOMER_BASE:
        most = (config.MAX_CUSTOMER_BASE - config.INITIAL_CUSTOMERS) // ((day - config.EPOCH).days + 1)
        raise ValueError(
            f"new_customers_per_day={settings.new_customers_per_day} would grow the customer base to "
            f"~{size:,} customers by {day}, above the {config.MAX_CUSTOMER_BASE:,} the generator holds "
            f"in memory; use at most {most} for that day"
        )
