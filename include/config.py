"""Project-wide settings: the one place that names paths, env vars and ids."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SQL_DIR = PROJECT_ROOT / "include" / "sql"
ANALYTICS_SQL_DIR = SQL_DIR / "analytics"
REPORTS_DIR = Path(os.environ.get("CCA_REPORTS_DIR", PROJECT_ROOT / "reports"))

#: Setting this env var points everything (CLI, tests, make targets, Airflow) at your Postgres.
DATABASE_URL_ENV = "CCA_DATABASE_URL"
#: Where the embedded PostgreSQL keeps its data (git-ignored).
EMBEDDED_PGDATA = Path(os.environ.get("CCA_PGDATA", PROJECT_ROOT / ".pgdata"))
#: Database created inside the embedded server for the analytics data.
EMBEDDED_DATABASE = "customer_care"

#: Airflow connection id used by every task of the DAG.
CONN_ID = "customer_care_db"
DAG_ID = "customer_care_pipeline"
#: A date param's pattern: exactly YYYY-MM-DD in ASCII digits. `(?!\n)$` because Python's `$`
#: (jsonschema's) also matches before a trailing newline; ECMA (the UI's) reads it the same way.
DATE_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}(?!\n)$"
