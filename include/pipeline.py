"""What the DAG's Python tasks do, importable and testable without Airflow.

Each function takes a psycopg connection (the DAG gets it from PostgresHook) and the
batch date; the DAG file only wires them together.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import psycopg

from include.generator import parameters
from include.generator.settings import BatchSettings, validate_day, validate_run
from include.storage.days import DayLoad, publish_staged, stage_shard, write_day

#: Keys a run's conf may hold (the DAG's params); anything else is a typo to reject.
PARAM_KEYS = (
    "batch_date",
    "interactions_per_day",
    "seed",
    "new_customers_per_day",
    "max_rows_per_shard",
    "export",  # export_day on or off for this run (include/export)
    "scenario",  # a counterfactual twin's levers (include/generator/scenario.py, docs/twins.md)
)


def resolve_batch_date(
    batch_date: str | None, logical_date: dt.datetime | None, run_after: dt.datetime | None
) -> dt.date:
    """The UTC day a run loads.

    An explicit `batch_date` param wins. Otherwise the run's logical date decides (its
    trigger time when it has none): a logical date at UTC midnight loads that day, any
    other moment loads the last full day before it. With CronDataIntervalTimetable("@daily")
    scheduled and backfill runs are dated at midnight, the start of their data interval,
    so the run that fires just after midnight loads the day that just ended and a backfill
    run for D loads D; a manual "trigger now" loads yesterday, never a day still running.
    """
    if batch_date:
        try:
            day = dt.date.fromisoformat(str(batch_date))
        except ValueError:
            raise ValueError(f"batch_date must be YYYY-MM-DD, got {batch_date!r}") from None
    else:
        moment = logical_date or run_after
        if moment is None:
            raise ValueError("cannot tell which day to load: no batch_date, logical date or trigger time")
        moment = moment.astimezone(dt.UTC)
        midnight = moment.time() == dt.time(0)
        day = moment.date() if midnight else moment.date() - dt.timedelta(days=1)
    validate_day(day)
    return day


def settings_from_params(
    params: Mapping[str, object], conf: Mapping[str, object] | None = None
) -> BatchSettings:
    """Validated generator settings from the run's params; unknown conf keys are rejected."""
    unknown = sorted(set(conf or {}) - set(PARAM_KEYS))
    if unknown:
        raise ValueError(
            f"unknown parameter(s) {', '.join(map(repr, unknown))}; allowed: {', '.join(PARAM_KEYS)}"
        )
    return BatchSettings(
        interactions_per_day=whole_number(
            "interactions_per_day",
            params.get("interactions_per_day", parameters.DEFAULT_INTERACTIONS_PER_DAY),
        ),
        seed=whole_number("seed", params.get("seed", parameters.DEFAULT_SEED)),
        new_customers_per_day=whole_number(
            "new_customers_per_day",
            params.get("new_customers_per_day", parameters.DEFAULT_NEW_CUSTOMERS_PER_DAY),
        ),  # None: derived from interactions_per_day
        scenario=params.get("scenario") or "",
    )


def whole_number(name: str, value: object) -> object:
    """JSON schema's "integer" also admits 150000.0: take it as 150000; leave anything else
    to the range checks, which reject it with one clear line."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def shard_size(value: object) -> int:
    value = whole_number("max_rows_per_shard", value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"max_rows_per_shard must be an integer, got {value!r}")
    if not 1_000 <= value <= parameters.MAX_INTERACTIONS_PER_DAY:
        raise ValueError(
            f"max_rows_per_shard must be between 1,000 and {parameters.MAX_INTERACTIONS_PER_DAY:,}"
        )
    return value


def extend_customer_base(conn: psycopg.Connection, day: dt.date, settings: BatchSettings) -> int:
    """The run's first write: a migrated day is refused before it (MigratedDayRefused, one line)."""
    from include.storage.days import ensure_customer_base, refuse_migrated_days

    with conn.transaction():
        refuse_migrated_days(conn, day, day)
    return ensure_customer_base(conn, day, settings)


def generate_interactions(conn: psycopg.Connection, plan: DayLoad, shard: list[int]) -> int:
    """A one-shard day loads straight into the fact table; shards of a bigger day go to staging.

    The customer base is extend_customer_base's (it ran before): this task writes the day only.
    """
    first, stop, count = shard
    if count == 1:
        return write_day(conn, plan)
    return stage_shard(conn, plan, range(first, stop))


def publish_sharded_day(conn: psycopg.Connection, plan: DayLoad, shard_count: int) -> int:
    """Swap a sharded day in (one transaction); a one-shard day is already in place."""
    return publish_staged(conn, plan) if shard_count > 1 else 0


def plan_from_params(
    params: Mapping[str, object],
    conf: Mapping[str, object] | None,
    logical_date: dt.datetime | None,
    run_after: dt.datetime | None,
) -> list[dict]:
    """What validate_run hands on: the day's plan, one item per shard (the DAG maps over it).

    Plain JSON (an XCom): [{"day": "YYYY-MM-DD", "settings": {...}, "rows": n, "blocks": n,
    "shard": [first, stop, count]}, ...]; `DayLoad.from_xcom` reads the plan back.
    """
    day = resolve_batch_date(params.get("batch_date"), logical_date, run_after)
    settings = settings_from_params(params, conf)
    validate_run(day, settings)
    max_rows = shard_size(params.get("max_rows_per_shard", parameters.DEFAULT_MAX_ROWS_PER_SHARD))
    plan = DayLoad.of(day, settings)
    shards = plan.shards(max_rows)
    return [{**plan.as_xcom(), "shard": [first, stop, len(shards)]} for first, stop in shards]
