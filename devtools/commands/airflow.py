"""`cca airflow`: the real Airflow 3 (scheduler, API server, UI) on this machine (`make airflow`)."""

from __future__ import annotations

import argparse
import os


def register(sub: argparse._SubParsersAction) -> None:
    from devtools.local_airflow import DEFAULT_PORT, PORT_ENV

    airflow = sub.add_parser("airflow", help="start Airflow locally; Ctrl-C stops everything")
    airflow.add_argument("--port", type=int, default=int(os.environ.get(PORT_ENV) or DEFAULT_PORT))
    airflow.add_argument(
        "--log",
        action="store_true",
        help="stream Airflow's output here instead of AIRFLOW_HOME/standalone.log",
    )
    airflow.set_defaults(handler=lambda args: _serve(args))


def _serve(args: argparse.Namespace) -> int:
    from devtools.local_airflow import serve

    return serve(args.port, args.log)
