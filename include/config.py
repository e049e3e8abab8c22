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

#: Where the Parquet lake goes (docs/lake.md): any URL Airflow's ObjectStoragePath takes, e.g.
#: file:///data/lake, s3://<connection id>@bucket/prefix, gs://..., abfs://... (with its provider).
EXPORT_URL_ENV = "CCA_EXPORT_URL"
DEFAULT_EXPORT_URL = (PROJECT_ROOT / "data" / "lake").as_uri()
#: CCA_EXPORT=off turns the DAG's export_day off (the run's `export` param does it for one run).
EXPORT_SWITCH_ENV = "CCA_EXPORT"


def export_url() -> str:
    """The lake's URL, read when asked (tests and commands point it elsewhere)."""
    return os.environ.get(EXPORT_URL_ENV, "").strip() or DEFAULT_EXPORT_URL


def export_enabled() -> bool:
    """False when CCA_EXPORT says off (off, false, no, 0)."""
    return os.environ.get(EXPORT_SWITCH_ENV, "on").strip().lower() not in ("off", "false", "no", "0")
