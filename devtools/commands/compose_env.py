"""`cca compose-env`: write the docker-compose secrets into a git-ignored `.env` (`make compose-env`)."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "compose-env",
        help="generate the docker-compose secrets into .env (mode 0600); keeps existing values",
    )
    p.set_defaults(handler=_handle)


def _handle(args: argparse.Namespace) -> int:
    from devtools.secrets import ENV_FILE, ensure_env_file

    added = ensure_env_file(ENV_FILE)
    if added:
        print(f"wrote {', '.join(added)} to {ENV_FILE} (mode 0600; values not shown)")
    else:
        print(f"{ENV_FILE} already has every secret (mode 0600)")
    print(f"the Airflow login is admin / the AIRFLOW_ADMIN_PASSWORD line of {ENV_FILE.name}")
    return 0
