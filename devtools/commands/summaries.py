"""`cca summaries rebuild|refresh DATE`: the analytics tables from the fact table."""

from __future__ import annotations

import argparse

from devtools.commands import date_argument


def register(sub: argparse._SubParsersAction) -> None:
    summaries = sub.add_parser("summaries", help="rebuild every summary table, or refresh one day")
    summaries.add_argument("action", choices=("rebuild", "refresh"))
    summaries.add_argument("date", nargs="?", type=date_argument, help="the day to refresh (refresh only)")
    summaries.set_defaults(handler=_handle)


def _handle(args: argparse.Namespace) -> int:
    from devtools.database import connect
    from include.analytics import rebuild_all, refresh_day

    if args.action == "refresh" and args.date is None:
        raise ValueError("summaries refresh needs a DATE (YYYY-MM-DD)")
    with connect() as conn:
        if args.action == "rebuild":
            print(f"rebuilt summaries for {len(rebuild_all(conn))} day(s)")
        else:
            refresh_day(conn, args.date)
            print(f"refreshed summaries for {args.date}")
    return 0
