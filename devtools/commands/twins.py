"""`cca compare` (a twin against its baseline) and `cca twins` (build them): docs/twins.md."""

from __future__ import annotations

import argparse

from devtools.commands import date_argument


def register(sub: argparse._SubParsersAction) -> None:
    compare = sub.add_parser(
        "compare", help="a counterfactual twin against its baseline: KPIs, paired differences, arrivals"
    )
    compare.add_argument("baseline", help="the baseline's database URL (DSN)")
    compare.add_argument("twin", help="the twin's database URL (DSN)")
    compare.add_argument("start", type=date_argument)
    compare.add_argument("end", type=date_argument)
    compare.set_defaults(handler=_compare)
    twins = sub.add_parser(
        "twins", help="a baseline and one twin per scenario, each in its own database (make twins)"
    )
    twins.add_argument("start")
    twins.add_argument("end")
    twins.add_argument(
        "--scenarios", required=True, help="scenarios separated by ';', e.g. 'staffing=1.10;aht=0.90'"
    )
    twins.add_argument("--interactions", default=None, help="average interactions per day")
    twins.add_argument("--jobs", default=None, help="days loaded side by side (make's JOBS=N)")
    twins.set_defaults(handler=_twins)


def _compare(args: argparse.Namespace) -> int:
    from devtools.compare import compare

    print("\n".join(compare(args.baseline, args.twin, args.start, args.end)))
    return 0


def _twins(args: argparse.Namespace) -> int:
    from devtools.twins import build_twins

    return build_twins(args.start, args.end, args.scenarios, args.interactions, args.jobs)
