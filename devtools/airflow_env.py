"""The one place that builds Airflow's environment for this project.

Used by the runner (`make run`/`make backfill`, `dag.test()` in one process), by the
`make airflow` launcher (adds the servers' settings on top) and by the tests.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from include.config import CONN_ID, PROJECT_ROOT

#: Airflow's state for `make run`/`make airflow` (git-ignored); the tests use their own.
DEFAULT_HOME = Path(os.environ.get("AIRFLOW_HOME", PROJECT_ROOT / ".airflow"))


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
