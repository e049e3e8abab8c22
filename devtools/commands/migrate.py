"""`migrate` and `migrate-demo`: move data from the earlier 20-table model into this one.

    migrate [--source-schema public] [--start-date D] [--end-date D] [--replace-generated]
        the source DSN from $CCA_MIGRATE_SOURCE (`make migrate SOURCE=...` sets it), or from
        --source-file PATH (the DSN on its first line), or --source DSN when it has no password
    migrate-demo [--rows 50000] [--seed 7]

Both print one line per source table (read, migrated, rejected by reason). Bad input raises
ValueError, an unreachable database DatabaseUnavailable: the CLI prints `error: <message>`.
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

from devtools import database
from devtools.commands import date_argument

#: The source DSN, password included, reaches `cca migrate` here: never in an argv, which
#: every local account reads in `ps` (`make migrate SOURCE=...` exports it).
SOURCE_ENV = "CCA_MIGRATE_SOURCE"


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "migrate",
        help="migrate a database in the earlier 20-table model into the database in use",
        description="Read a database (or schema) in the earlier model, read-only, and migrate it into "
        "the database in use (CCA_DATABASE_URL or the embedded one). See docs/migration.md.",
    )
    p.add_argument(
        "--source",
        metavar="DSN",
        help=f"the source database (libpq URL) if it has no password; with one, set ${SOURCE_ENV} "
        "or use --source-file (an argument shows in ps)",
    )
    p.add_argument(
        "--source-file",
        type=Path,
        metavar="PATH",
        help="a file (e.g. mode 0600) whose first line is the source DSN",
    )
    p.add_argument("--source-schema", default="public", help="schema of the source tables (default public)")
    p.add_argument(
        "--start-date", type=date_argument, help="first day of interactions to migrate (YYYY-MM-DD)"
    )
    p.add_argument("--end-date", type=date_argument, help="last day of interactions to migrate (YYYY-MM-DD)")
    p.add_argument(
        "--replace-generated",
        action="store_true",
        help="replace days that already hold generated interactions (default: leave them, report them)",
    )
    p.set_defaults(handler=run_migrate)

    d = subparsers.add_parser(
        "migrate-demo",
        help="build a legacy database from the fixture, migrate it into a scratch database, report",
    )
    d.add_argument("--rows", type=_positive, default=50_000, help="legacy interactions (default 50,000)")
    d.add_argument("--seed", type=int, default=7, help="fixture seed (default 7)")
    d.set_defaults(handler=run_demo)


def _positive(value: str) -> int:
    try:
        n = int(value.replace("_", "").replace(",", ""))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got {value!r}") from None
    if not 1 <= n <= 10_000_000:
        raise argparse.ArgumentTypeError(f"expected 1 to 10,000,000, got {n:,}")
    return n


def _print_result(result, source_label: str) -> None:
    from include.migration import format_report

    for line in format_report(result):
        print(line)
    read = result.rows("customer_interactions", "read")
    steps = result.rows("interaction_steps", "read")
    per_minute = read / result.seconds * 60 if result.seconds else 0.0
    days = f"{result.days[0]}..{result.days[-1]}" if result.days else "none"
    print(
        f"migrated {len(result.days)} day(s) ({days}) from {source_label}; "
        f"generated rows replaced: {result.replaced_generated:,}"
    )
    print(
        f"throughput: {read:,} legacy interactions with {steps:,} steps in {result.seconds:.1f} s "
        f"= {per_minute:,.0f} interactions/min"
    )
    print("phases (s): " + ", ".join(f"{name} {sec}" for name, sec in result.phase_seconds.items()))


def source_dsn(args) -> str:
    """The source DSN from --source-file, $CCA_MIGRATE_SOURCE or a password-free --source."""
    if args.source and database._password(args.source):
        raise ValueError(
            f"--source holds a password, which every local account sees in ps: set ${SOURCE_ENV} "
            "instead (make migrate SOURCE=... does) or use --source-file"
        )
    if args.source_file is not None:
        try:
            lines = args.source_file.read_text(encoding="utf-8").splitlines()
        except OSError as exc:
            raise ValueError(f"--source-file {args.source_file}: {exc.strerror}") from None
        url = lines[0].strip() if lines else ""
    else:
        url = (args.source or os.environ.get(SOURCE_ENV) or "").strip()
    if not url:
        raise ValueError(f"no source database: make migrate SOURCE=postgresql://... (or ${SOURCE_ENV})")
    return url


def run_migrate(args) -> int:
    from include.migration import migrate

    source_url = source_dsn(args)
    target_url = database.database_url()
    if args.start_date and args.end_date and args.start_date > args.end_date:
        raise ValueError(f"--start-date {args.start_date} is after --end-date {args.end_date}")
    label = f"{database.describe(source_url)} schema {args.source_schema}"
    with database.connect(source_url) as source, database.connect(target_url) as target:
        result = migrate(
            target,
            source,
            args.source_schema,
            source_label=label,
            start_date=args.start_date,
            end_date=args.end_date,
            replace_generated=args.replace_generated,
        )
    print(f"target: {database.describe(target_url)}")
    _print_result(result, label)
    return 0


def run_demo(args) -> int:
    """Build a legacy database from the fixture, migrate it into a scratch database, report.

    Both are scratch databases (devtools.database.scratch_databases), dropped at the end.
    """
    from devtools.legacy_fixture.generate import build_legacy
    from include.config import SQL_DIR
    from include.migration import migrate
    from include.storage.sql import run_sql_file

    with database.scratch_databases("cca_migrate_demo") as make_scratch:
        legacy_url, target_url = make_scratch(), make_scratch()
        began = time.perf_counter()
        with database.connect(legacy_url) as conn:
            counts = build_legacy(conn, args.rows, seed=args.seed)
        print(
            f"legacy fixture: {counts['customer_interactions']:,} interactions, "
            f"{counts['interaction_steps']:,} steps, {counts['customers']:,} customers "
            f"in {time.perf_counter() - began:.1f} s ({database.describe(legacy_url)})"
        )
        with database.connect(legacy_url) as source, database.connect(target_url) as target:
            result = migrate(target, source, "public", source_label="the legacy fixture")
            run_sql_file(target, SQL_DIR / "seed" / "sample_queries.sql")  # the seed's five queries
            target.rollback()
        print(f"target: {database.describe(target_url)}")
        _print_result(result, "the legacy fixture")
        print("the seed's five sample queries ran on the migrated data")
    return 0
