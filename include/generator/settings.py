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


def validate_day(day: dt.date) -> None:
    if day < config.EPOCH:
        raise ValueError(f"dates before {config.EPOCH} are not supported (got {day})")
