"""Test fixtures: a real PostgreSQL (the embedded server, or CCA_DATABASE_URL's) and real Airflow.

Every database a test writes to is a scratch database created here and dropped at the end
of the session; the user's data is never touched.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

# include.config reads CCA_REPORTS_DIR when first imported: set it before anything imports it,
# or reports land in the project's reports/ instead of the tests' own directory.
TEST_HOME = Path(__file__).resolve().parents[1] / ".airflow-test"
os.environ["CCA_REPORTS_DIR"] = str(TEST_HOME / "reports")
# The DAG's export_day writes the Parquet lake here, not into the project's data/lake.
os.environ["CCA_EXPORT_URL"] = (TEST_HOME / "lake").as_uri()

import pytest  # noqa: E402

from devtools import database  # noqa: E402
from devtools.airflow_env import airflow_env  # noqa: E402
from include.config import PROJECT_ROOT  # noqa: E402

#: Browser tests that skip are listed in the summary (and fail CI): tests/browser_summary.py.
pytest_plugins = ["tests.browser_summary"]

# Airflow reads its settings at import: set them (the project's one Airflow environment,
# with the tests' own AIRFLOW_HOME) before anything imports it.
assert TEST_HOME == PROJECT_ROOT / ".airflow-test"
os.environ.update(airflow_env(None, TEST_HOME))
# The tests' runs stay out of the user's history: `make run`/`make backfill` would otherwise record
# them in `make airflow`'s metadata database (devtools.airflow_env.runner_metadata_conn).
os.environ.setdefault("AIRFLOW__DATABASE__SQL_ALCHEMY_CONN", f"sqlite:///{TEST_HOME}/airflow.db")


@pytest.fixture(scope="session")
def make_database() -> Iterator[Callable[[], str]]:
    """Factory of empty scratch databases (devtools.database.scratch_databases), dropped at the end."""
    with database.scratch_databases("cca_test") as make:
        yield make


@pytest.fixture
def use_database(monkeypatch: pytest.MonkeyPatch) -> Callable[[str], None]:
    """Point the project (CLI, loader, DAG connection) at a database for this test."""

    def point(url: str) -> None:
        monkeypatch.setenv(database.DATABASE_URL_ENV, url)
        monkeypatch.setenv("AIRFLOW_CONN_CUSTOMER_CARE_DB", database.airflow_conn_uri(url))

    return point


@pytest.fixture
def fresh_url(make_database, use_database) -> str:
    """An empty database that the project points at for this test."""
    url = make_database()
    use_database(url)
    return url


@pytest.fixture
def schema_url(fresh_url: str) -> str:
    """A database with the schema and reference data."""
    from include.storage.sql import apply_schema

    with database.connect(fresh_url) as conn:
        apply_schema(conn)
    return fresh_url


@pytest.fixture(scope="session")
def airflow_metadata() -> None:
    """Migrate the tests' own Airflow metadata DB once (kept between sessions)."""
    stamp = Path(os.environ["AIRFLOW_HOME"]) / ".metadata-migrated"
    if not stamp.exists():
        stamp.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [sys.executable, "-m", "airflow", "db", "migrate"], check=True, stdout=subprocess.DEVNULL
        )
        stamp.touch()


@pytest.fixture(scope="session")
def pipeline_dag(airflow_metadata):
    """The DAG parsed from the dags folder, once per session."""
    from devtools.runner import load_dag

    return load_dag()
