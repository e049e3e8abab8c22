"""`cca reliability [SCENARIO,...]`: fault injection against a real PostgreSQL (`make reliability`)."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "reliability", help="fault-injection scenarios with a report (faults survived N/N)"
    )
    parser.add_argument("only", nargs="?", default="", help="comma-separated scenario keys (default: all)")
    parser.set_defaults(handler=_handle)


def _handle(args: argparse.Namespace) -> int:
    from devtools.reliability.report import run

    return run({name.strip() for name in args.only.split(",") if name.strip()} or None)
