"""`cca generate`: synthetic days into the database in use, or into a psql-loadable SQL file."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from devtools.commands import date_argument
from include.generator import parameters
from include.storage.sqlfile import SIZES, split_total, write_sql_file


def iso_date(text: str) -> dt.date:
    day = date_argument(text)
    from include.generator.settings import validate_day

    try:
        validate_day(day)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    return day


def count(low: int, high: int):
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{value:,} is outside {low:,}..{high:,}")
        return value

    return parse


def register(sub: argparse._SubParsersAction) -> None:
    yesterday = dt.datetime.now(dt.UTC).date() - dt.timedelta(days=1)
    p = sub.add_parser(
        "generate",
        help="synthetic days into the database in use, or into a SQL file (--output)",
        description="Generate deterministic synthetic customer-care data for a range of days. "
        "By default the days are loaded into the database in use (CCA_DATABASE_URL or the "
        "embedded one), each day replaced atomically; with --output they are written to a "
        "psql-loadable SQL file instead.",
    )
    p.add_argument(
        "--start-date",
        type=iso_date,
        help="first day, YYYY-MM-DD (default: --end-date, or 30 days before it with --size)",
    )
    p.add_argument(
        "--end-date", type=iso_date, default=yesterday, help="last day, inclusive (default: yesterday, UTC)"
    )
    volume = p.add_mutually_exclusive_group()
    volume.add_argument(
        "--interactions",
        type=count(1, parameters.MAX_INTERACTIONS_PER_DAY),
        default=parameters.DEFAULT_INTERACTIONS_PER_DAY,
        help="average interactions per day; weekdays get more, weekends fewer "
        f"(default {parameters.DEFAULT_INTERACTIONS_PER_DAY:,})",
    )
    volume.add_argument(
        "--size",
        choices=sorted(SIZES, key=SIZES.get),
        help="exact total over the range, as in the seed: "
        + ", ".join(f"{k}={v:,}" for k, v in SIZES.items()),
    )
    p.add_argument(
        "--seed",
        type=count(0, 2**31 - 1),
        default=parameters.DEFAULT_SEED,
        help=f"base seed; same seed and date give the same rows (default {parameters.DEFAULT_SEED})",
    )
    p.add_argument(
        "--new-customers-per-day",
        type=count(0, parameters.MAX_NEW_CUSTOMERS_PER_DAY),
        default=parameters.DEFAULT_NEW_CUSTOMERS_PER_DAY,
        help="average sign-ups per day (default: derived from the volume, "
        f"{parameters.TARGET_CONTACTS_PER_ACTIVE_MONTH} contacts per active customer a month)",
    )
    p.add_argument(
        "--output", type=Path, help="write a SQL file (COPY blocks) instead of loading the database"
    )
    p.set_defaults(handler=_handle)


def _handle(args: argparse.Namespace) -> int:
    start = args.start_date or (args.end_date - dt.timedelta(days=29) if args.size else args.end_date)
    if start > args.end_date:
        raise ValueError(f"--start-date {start} is after --end-date {args.end_date}")
    if start < parameters.EPOCH:
        start = parameters.EPOCH
    days = [start + dt.timedelta(days=i) for i in range((args.end_date - start).days + 1)]

    # Imports that open connections or pull pandas wait until the input is known to be good.
    from devtools.database import connect
    from include.generator.settings import BatchSettings, validate_run
    from include.storage.days import ensure_customer_base, load_day
    from include.storage.reference import load_reference
    from include.storage.sql import apply_schema

    settings = BatchSettings(
        interactions_per_day=args.interactions,
        seed=args.seed,
        new_customers_per_day=args.new_customers_per_day,
    )
    validate_run(days[-1], settings)
    counts = split_total(SIZES[args.size], days) if args.size else [None] * len(days)
    with connect() as conn:
        apply_schema(conn)
        if args.output:
            written = write_sql_file(args.output, days, counts, settings, load_reference(conn))
            print(f"wrote {written:,} interactions for {days[0]}..{days[-1]}", file=sys.stderr)
            print(args.output)
            return 0
        total = 0
        ensure_customer_base(conn, days[-1], settings)
        for day, n in zip(days, counts, strict=False):
            if n == 0:
                continue
            loaded = load_day(conn, day, settings, n_rows=n)
            total += loaded
            print(f"{day}: {loaded:,} interactions")
        print(f"loaded {total:,} interactions over {len(days)} day(s)")
    return 0
