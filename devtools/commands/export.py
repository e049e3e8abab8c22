"""`cca export START END [--url URL]`: loaded days as Parquet in the lake (docs/lake.md).

Each day in the range is replaced in the lake by what PostgreSQL holds: a published day is
written, read back, checked and given its manifest; a day that is not published (never
loaded, or deleted) is removed from the lake, so the lake ends equal to the database.
"""

from __future__ import annotations

import argparse
import datetime as dt

from devtools.commands import date_argument

#: A range longer than this is refused (a typo in a year, not a backfill).
MAX_DAYS = 3660


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("export", help="loaded days as Parquet under CCA_EXPORT_URL (docs/lake.md)")
    parser.add_argument("start", type=date_argument, help="first day, YYYY-MM-DD")
    parser.add_argument("end", type=date_argument, help="last day, YYYY-MM-DD (inclusive)")
    parser.add_argument("--url", default="", help="the lake's URL (default: CCA_EXPORT_URL, or data/lake)")
    parser.set_defaults(handler=_handle)


def _handle(args: argparse.Namespace) -> int:
    from devtools.database import connect
    from include.config import export_url

    if args.end < args.start:
        raise ValueError(f"END {args.end} is before START {args.start}")
    days = (args.end - args.start).days + 1
    if days > MAX_DAYS:
        raise ValueError(f"{days} days asked; at most {MAX_DAYS} at a time")
    url = args.url.strip() or export_url()
    from include.export.lake import export_day

    exported = removed = 0
    with connect() as conn:
        conn.commit()
        for n in range(days):
            done = export_day(conn, args.start + dt.timedelta(days=n), url)
            if done.files:
                exported += 1
                print(f"{done.day}: {done.rows:,} interactions, {done.files} files")
            else:
                removed += 1
    print(f"exported {exported} day(s) to {url}; {removed} day(s) not published (none left in the lake)")
    return 0
