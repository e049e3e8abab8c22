"""`cca db url|airflow-conn|psql|check|stop`: the database in use (`make db-url`, `make psql`)."""

from __future__ import annotations

import argparse
import os
import shlex


def register(sub: argparse._SubParsersAction) -> None:
    db = sub.add_parser("db", help="the database in use: CCA_DATABASE_URL, else the embedded server")
    db.add_argument(
        "action",
        choices=("url", "airflow-conn", "psql", "check", "stop"),
        help="url: print the DSN; airflow-conn: as an Airflow connection URI; psql: open psql; "
        "check: connect once; stop: stop the embedded server",
    )
    db.add_argument(
        "--psql-args",
        dest="psql_args_text",
        default="",
        metavar="STRING",
        help="psql arguments in one string, split like a shell would split them (make psql PSQL_ARGS=...)",
    )
    db.add_argument("psql_args", nargs=argparse.REMAINDER, help="extra psql arguments")
    db.set_defaults(handler=_handle)


def _handle(args: argparse.Namespace) -> int:
    from devtools import database

    if args.action == "stop":
        return database.stop_embedded()
    url = database.database_url()
    if args.action == "url":
        # never the password: psql and libpq read it from PGPASSWORD or ~/.pgpass
        print(database.without_password(url))
    elif args.action == "airflow-conn":
        print(database.airflow_conn_uri(url))
    elif args.action == "psql":
        psql = database.psql_path()
        conninfo, env = database.psql_connection(url)
        try:
            from_make = shlex.split(args.psql_args_text)
        except ValueError as exc:
            raise ValueError(f"PSQL_ARGS cannot be split: {exc}") from None
        os.execve(psql, [psql, conninfo, *from_make, *args.psql_args], env)
    elif args.action == "check":
        with database.connect(url) as conn:
            conn.execute("SELECT 1")
        print(f"ok: {database.describe(url)}")
    return 0
