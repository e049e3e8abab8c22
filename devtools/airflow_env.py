"""The one place that builds Airflow's environment for this project.

Used by the runner (`make run`/`make backfill`, `dag.test()` in one process), by the
`make airflow` launcher (adds the servers' settings on top) and by the tests.

One metadata database for all three: a database `airflow` on the server in use (the embedded
one, or `CCA_DATABASE_URL`'s), so the runs of `make run` and `make backfill` show in
`make airflow`'s UI.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from urllib.parse import urlsplit

from include.config import CONN_ID, DATABASE_URL_ENV, PROJECT_ROOT

#: Airflow's state for `make run`/`make airflow` (git-ignored); the tests use their own.
DEFAULT_HOME = Path(os.environ.get("AIRFLOW_HOME", PROJECT_ROOT / ".airflow"))
#: Airflow's metadata database on the project's server, shared by make run/backfill/airflow.
METADATA_DATABASE = "airflow"
#: Airflow's own setting for its metadata database (SQLAlchemy URL).
METADATA_CONN_ENV = "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"


def sqlalchemy_url(url: str) -> str:
    """A libpq DSN as a SQLAlchemy URL for psycopg 3: `postgresql+psycopg://user@/db?host=/socket/dir`.

    SQLAlchemy hands the query string (`host=/socket/dir`, `sslmode=...`) to psycopg as connect
    arguments, so the Unix-socket form of the embedded server works as is. An empty password
    (`postgres:@`) is dropped.
    """
    parts = urlsplit(url)
    if parts.scheme not in ("postgres", "postgresql", "postgresql+psycopg", "postgresql+psycopg2"):
        raise ValueError(f"not a PostgreSQL URL (scheme {parts.scheme!r})")
    netloc = parts.netloc
    if "@" in netloc:
        userinfo, host = netloc.rsplit("@", 1)
        netloc = f"{userinfo.rstrip(':')}@{host}"
    return parts._replace(scheme="postgresql+psycopg", netloc=netloc).geturl()


def metadata_database_url(name: str = METADATA_DATABASE) -> str:
    """libpq DSN of Airflow's metadata database, created if missing.

    `CCA_DATABASE_URL` set: database `name` on that server; else on the embedded server.
    """
    from devtools.database import embedded_url, ensure_database, with_database

    user_url = os.environ.get(DATABASE_URL_ENV, "").strip()
    if user_url:
        ensure_database(user_url, name)  # CREATE DATABASE works from any database of the server
        return with_database(user_url, name)
    return embedded_url(name)


def runner_metadata_conn(env: dict[str, str] | None = None) -> str:
    """The metadata database of `make run`/`make backfill`: `make airflow`'s (database `airflow`
    on the server in use), unless AIRFLOW__DATABASE__SQL_ALCHEMY_CONN names another (the tests
    keep theirs apart from the user's history that way)."""
    explicit = (env if env is not None else os.environ).get(METADATA_CONN_ENV, "").strip()
    return explicit or sqlalchemy_url(metadata_database_url())


def airflow_env(
    database_url: str | None, home: Path = DEFAULT_HOME, base_env: dict[str, str] | None = None
) -> dict[str, str]:
    """`base_env` (default: this process's) plus what points Airflow at this project.

    Sets AIRFLOW_HOME, the dags and plugins folders, the project on PYTHONPATH, the venv
    first on PATH, and the DAG's connection `customer_care_db` built from `database_url`
    (left out when None: the tests point it at each scratch database in turn).
    """
    from devtools.database import airflow_conn_uri, with_connect_timeout

    env = dict(os.environ if base_env is None else base_env)
    venv_bin = str(Path(sys.executable).parent)  # not resolved: the venv's bin, not the base interpreter's
    pythonpath = [str(PROJECT_ROOT), *[p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p]]
    path = [venv_bin, *[p for p in env.get("PATH", "").split(os.pathsep) if p and p != venv_bin]]
    env.update(
        {
            "AIRFLOW_HOME": str(home),
            "PATH": os.pathsep.join(path),
            "PYTHONPATH": os.pathsep.join(dict.fromkeys(pythonpath)),
            "AIRFLOW__CORE__DAGS_FOLDER": str(PROJECT_ROOT / "dags"),
            "AIRFLOW__CORE__PLUGINS_FOLDER": str(PROJECT_ROOT / "plugins"),
            "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
            "AIRFLOW__CORE__UNIT_TEST_MODE": "False",
            "AIRFLOW__LOGGING__LOGGING_LEVEL": env.get("AIRFLOW__LOGGING__LOGGING_LEVEL") or "WARNING",
            # task logs hold row counts, errors, connection hosts: the owner's only (Airflow's
            # defaults are group-writable and world-readable, 0o775 / 0o664)
            "AIRFLOW__LOGGING__FILE_TASK_HANDLER_NEW_FOLDER_PERMISSIONS": env.get(
                "AIRFLOW__LOGGING__FILE_TASK_HANDLER_NEW_FOLDER_PERMISSIONS"
            )
            or "0o700",
            "AIRFLOW__LOGGING__FILE_TASK_HANDLER_NEW_FILE_PERMISSIONS": env.get(
                "AIRFLOW__LOGGING__FILE_TASK_HANDLER_NEW_FILE_PERMISSIONS"
            )
            or "0o600",
        }
    )
    if database_url is not None:
        env[f"AIRFLOW_CONN_{CONN_ID.upper()}"] = with_connect_timeout(airflow_conn_uri(database_url))
    return env
