"""`cca run` and `cca backfill`: the real DAG, one `dag.test()` per day (`make run`, `make backfill`)."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction) -> None:
    run = sub.add_parser("run", help="run the DAG for the last DAYS days before today, then print a summary")
    run.add_argument("--days", type=int, default=7)
    back = sub.add_parser("backfill", help="run the DAG once per day from START to END (inclusive)")
    back.add_argument("start")
    back.add_argument("end")
    back.add_argument(
        "--jobs", default=None, help="days loaded side by side (default: the machine's cores; make's JOBS=N)"
    )
    for parser in (run, back):
        parser.add_argument("--interactions", default=None, help="average interactions per day")
        parser.add_argument(
            "--scenario", default=None, help="a twin's levers, e.g. staffing=1.10,aht=0.90 (docs/twins.md)"
        )
    run.set_defaults(handler=lambda a: _execute("run", a))
    back.set_defaults(handler=lambda a: _execute("backfill", a))


def _execute(command: str, args: argparse.Namespace) -> int:
    from devtools.runner import execute

    if command == "run":
        return execute("run", args.interactions, days=args.days, scenario=args.scenario)
    return execute(
        "backfill", args.interactions, start=args.start, end=args.end, jobs=args.jobs, scenario=args.scenario
    )
