"""`cca bench`: speed and memory figures as `name=value` lines (`make bench`)."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("bench", help="speed and memory figures (name=value lines) on a scratch database")
    parser.add_argument("--only", default="", help="comma-separated subset of the benchmarks (default: all)")
    parser.add_argument(
        "--quick",
        action="store_true",
        help="smoke-run sizes: 100k-row day, 500k RSS day, 30/60 days of history, 3 backfill days",
    )
    parser.set_defaults(handler=_handle)


def _handle(args: argparse.Namespace) -> int:
    from devtools.benchmarks.suite import run

    return run(args.only, args.quick)
